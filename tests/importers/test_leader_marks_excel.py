"""Leader criteria đ and e in the general-marks Excel template (issue 13 item 1, Decree 335
Art. 15 cl. 3 đ, e): a head has two more rows, the evaluator writes a level of the framework,
the import stores ``LeaderMark`` with the Form 01 rules."""

from decimal import Decimal

import pytest

from scoring.models import LeaderMark
from tests.importers.conftest import load, save, template_bytes
from tests.importers.test_kinds import commit, refused, where

pytestmark = pytest.mark.django_db

SHEET = "Tiêu chí chung"


def leader_rows(sheet, official="CT0001") -> dict[str, int]:
    return {
        sheet.cell(row, 4).value: row
        for row in range(3, sheet.max_row + 1)
        if sheet.cell(row, 1).value == official and sheet.cell(row, 3).value == "lanh_dao"
    }


def filled(world, tmp_path, edit):
    workbook = load(template_bytes("general_marks", world["justice"], world["march"]))
    sheet = workbook[SHEET]
    edit(sheet, leader_rows(sheet))
    return save(workbook, tmp_path / "diem-lanh-dao.xlsx")


def test_only_leaders_get_dd_and_e_rows_with_the_framework_levels(world):
    sheet = load(template_bytes("general_marks", world["justice"], world["march"]))[SHEET]
    rows = leader_rows(sheet)
    assert set(rows) == {"đ", "e"}
    assert sheet.cell(rows["đ"], 6).value == "100% / 50%"
    assert leader_rows(sheet, "CT0002") == {}  # Trần Thị Bình is staff


def test_the_evaluator_sets_dd_and_e_and_a_second_file_changes_them(world, tmp_path):
    def edit(sheet, rows):
        sheet.cell(rows["đ"], 8).value = 100
        sheet.cell(rows["e"], 8).value = 50

    analysis, job = commit(filled(world, tmp_path, edit), user=world["justice_admin"])
    assert job is not None, [e.message for e in analysis.errors]
    mark = LeaderMark.objects.get(civil_servant=world["people"]["an"])
    assert (mark.organising, mark.cohesion) == (Decimal(100), Decimal(50))
    assert mark.evaluator == world["justice_admin"]

    def change(sheet, rows):
        sheet.cell(rows["e"], 8).value = 100  # the template shows the stored đ = 100

    analysis, job = commit(filled(world, tmp_path, change), user=world["justice_admin"])
    assert job is not None and analysis.counts.changed == 1
    mark.refresh_from_db()
    assert mark.cohesion == Decimal(100)


def test_empty_rows_keep_the_stored_levels(world, tmp_path):
    person = world["people"]["an"]
    LeaderMark.objects.create(
        civil_servant=person, period=world["march"], organising=50, cohesion=50
    )

    def clear(sheet, rows):
        sheet.cell(rows["đ"], 8).value = None
        sheet.cell(rows["e"], 8).value = None
        sheet["G3"] = 1  # some other mark, so the file has data

    _analysis, job = commit(filled(world, tmp_path, clear), user=world["justice_admin"])
    assert job is not None
    assert LeaderMark.objects.get(civil_servant=person).organising == Decimal(50)


@pytest.mark.parametrize(
    ("edit_rows", "column", "fragment"),
    [
        (
            {"đ": (8, 75), "e": (8, 100)},
            "H",
            "Tiêu chí đ: Giá trị phải là một trong các mức: 100, 50. Đang là 75.",
        ),
        ({"đ": (8, 100)}, "H", "phải được chọn cùng lúc"),
        ({"đ": (7, 100), "e": (8, 100)}, "G", "để trống cột điểm tự chấm"),
    ],
)
def test_dd_and_e_errors_name_the_cell(world, tmp_path, edit_rows, column, fragment):
    def edit(sheet, rows):
        for code, (col, value) in edit_rows.items():
            sheet.cell(rows[code], col).value = value
        if "e" not in edit_rows:
            sheet.cell(rows["e"], 8).value = None

    error = refused(filled(world, tmp_path, edit)).errors[0]
    assert where(error)[0] == SHEET and where(error)[2] == column
    assert fragment in error.message


def test_a_clerk_does_not_give_the_evaluators_marks_of_their_own_score(world, tmp_path):
    """The general marks' write service at the Excel door (issue 27 item 2): the clerk whose
    own record is in the agency's file is refused the evaluator's marks of their own score,
    with the row named; nothing is written."""
    from scoring.models import GeneralCriteriaMark

    clerk = world["justice_admin"]
    me = world["people"]["an"]
    me.user = clerk
    me.save()

    def edit(sheet, rows):
        for row in range(3, sheet.max_row + 1):
            if sheet.cell(row, 1).value == "CT0001" and sheet.cell(row, 3).value != "lanh_dao":
                sheet.cell(row, 8).value = 2

    analysis = refused(filled(world, tmp_path, edit), user=clerk)
    [issue] = [e for e in analysis.errors if e.message.startswith("Điểm của công chức CT0001")]
    assert issue.message == (
        "Điểm của công chức CT0001: Không ai được chấm điểm của người đánh giá cho chính mình: "
        "bạn chỉ nhập điểm tự chấm; điểm được tính do người đánh giá của bạn chấm. Hãy giữ "
        "nguyên các dòng của người này như trong mẫu tải về (điểm đang lưu)."
    )
    assert issue.sheet == SHEET and issue.row >= 3
    assert not GeneralCriteriaMark.objects.filter(civil_servant=me).exists()

    # Their own self marks, as on Form 01, go through; the evaluator's stay empty.
    def own_self_marks(sheet, rows):
        for row in range(3, sheet.max_row + 1):
            if sheet.cell(row, 1).value == "CT0001" and sheet.cell(row, 3).value != "lanh_dao":
                sheet.cell(row, 7).value = 1

    analysis, job = commit(filled(world, tmp_path, own_self_marks), user=clerk)
    assert job is not None, [e.message for e in analysis.errors]
    stored = GeneralCriteriaMark.objects.filter(civil_servant=me)
    assert {(m.self_mark, m.evaluator_mark) for m in stored} == {(1, None)}
