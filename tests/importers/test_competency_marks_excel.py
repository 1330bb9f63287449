"""The position's competencies in the general-marks Excel file (issue 45 item 2): where the
framework weighs them, each required competency is a row of component ``nang_luc``; the level
goes in the evaluator's column and is written through the one competency service (who may, the
position's requirements, history, rescoring), with the import rules' messages naming the cell."""

import pytest

from scoring.models import CompetencyAssessment
from tests.importers.conftest import load, save, template_bytes
from tests.importers.test_kinds import commit, refused, where
from tests.ratings.test_competencies import CNTT, SOAN_THAO, require, weigh_competencies

pytestmark = pytest.mark.django_db

SHEET = "Tiêu chí chung"


def competency_rows(sheet, official="CT0002") -> dict[str, int]:
    return {
        sheet.cell(row, 4).value: row
        for row in range(3, sheet.max_row + 1)
        if sheet.cell(row, 1).value == official and sheet.cell(row, 3).value == "nang_luc"
    }


def filled(world, tmp_path, edit):
    workbook = load(template_bytes("general_marks", world["justice"], world["march"]))
    sheet = workbook[SHEET]
    edit(sheet, competency_rows(sheet))
    return save(workbook, tmp_path / "diem-tieu-chi-chung.xlsx")


@pytest.fixture
def weighed(world):
    weigh_competencies()
    require(world["people"]["binh"], rows=(SOAN_THAO, CNTT))
    return world


def test_no_competency_rows_by_default(world):
    require(world["people"]["binh"])
    sheet = load(template_bytes("general_marks", world["justice"], world["march"]))[SHEET]
    assert competency_rows(sheet) == {}


def test_the_template_lists_the_required_competencies_and_the_file_stores_the_levels(
    weighed, tmp_path
):
    world = weighed
    sheet = load(template_bytes("general_marks", world["justice"], world["march"]))[SHEET]
    rows = competency_rows(sheet)
    assert set(rows) == {"NL-VB", "NL-CNTT"}
    assert sheet.cell(rows["NL-CNTT"], 5).value == (
        "Ứng dụng công nghệ thông tin (yêu cầu cấp độ 4)"
    )

    def edit(sheet, rows):
        sheet.cell(rows["NL-VB"], 8).value = 3
        sheet.cell(rows["NL-CNTT"], 8).value = 2

    analysis, job = commit(filled(world, tmp_path, edit), user=world["justice_admin"])
    assert job is not None, [e.message for e in analysis.errors]
    stored = {
        a.competency.code: (a.required_level, a.assessed_level, a.evaluator)
        for a in CompetencyAssessment.objects.filter(civil_servant=world["people"]["binh"])
    }
    admin = world["justice_admin"]
    assert stored == {"NL-VB": (3, 3, admin), "NL-CNTT": (4, 2, admin)}
    # the next template shows the stored level; a file left as is changes nothing
    sheet = load(template_bytes("general_marks", world["justice"], world["march"]))[SHEET]
    assert sheet.cell(competency_rows(sheet)["NL-CNTT"], 8).value == 2


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        (
            8,
            7,
            "Năng lực “Ứng dụng công nghệ thông tin”: cấp độ đánh giá phải là số nguyên từ 1 "
            "đến 5. Đang là 7.",
        ),
        (8, 2.5, "phải là số nguyên từ 1 đến 5. Đang là 2,5."),
        (7, 3, "do người đánh giá đánh giá: để trống cột điểm tự chấm"),
    ],
)
def test_a_wrong_level_names_the_cell(weighed, tmp_path, column, value, fragment):
    def edit(sheet, rows):
        sheet.cell(rows["NL-CNTT"], column).value = value

    error = refused(filled(weighed, tmp_path, edit), user=weighed["justice_admin"]).errors[0]
    assert where(error)[0] == SHEET and where(error)[2] == "GH"[column - 7]
    assert fragment in error.message
    assert not CompetencyAssessment.objects.exists()


def test_a_clerk_does_not_assess_their_own_competencies(weighed, tmp_path):
    clerk = weighed["justice_admin"]
    me = weighed["people"]["binh"]
    me.user = clerk
    me.save()

    def edit(sheet, rows):
        sheet.cell(rows["NL-CNTT"], 8).value = 5

    analysis = refused(filled(weighed, tmp_path, edit), user=clerk)
    [issue] = [e for e in analysis.errors if e.message.startswith("Năng lực của công chức")]
    assert issue.message == (
        "Năng lực của công chức CT0002: Không ai tự đánh giá năng lực của chính mình: mức năng "
        "lực do người đánh giá của bạn đánh giá."
    )
    assert not CompetencyAssessment.objects.exists()


def test_the_required_competencies_of_many_people_are_read_once_per_position(
    weighed, django_assert_max_num_queries
):
    """Issue 48 (Form 01 at the month-end): the file's people share positions, so each
    (agency, position) pair's competencies are read once — the same lists as one person at a
    time, in a number of queries that does not grow with the people."""
    from org.models import Posting
    from scoring.services import competencies

    world = weighed
    period = world["march"]
    people = list(Posting.objects.values_list("civil_servant_id", flat=True).distinct())
    one_by_one = {person: competencies.required_for_id(person, period) for person in people}
    assert [r.code for r in one_by_one[world["people"]["binh"].pk]] == ["NL-VB", "NL-CNTT"]
    pairs = len(set(Posting.objects.values_list("agency_id", "job_position_id")))
    with django_assert_max_num_queries(4 + 8 * pairs):
        together = competencies.required_for_ids(people, period)
    assert together == one_by_one
