"""The one-stop system's satisfaction survey imported from Excel (issue 33 item 3): template,
preview with errors naming sheet/row/column, confirm; the write gate of every kind; the answers
feed the framework's ``feedback`` rule beside the one-time codes, and the explanation line says
how many came from each source (small counts suppressed)."""

import copy
import datetime
import io

import openpyxl
import pytest

from django.utils import translation

from audit.history import history_model
from feedback import services
from feedback.models import SurveyTally
from importers import pipeline
from importers.kinds import get_kind
from importers.kinds.base import Context
from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from scoring.models import CriteriaFramework, Period, PeriodStatus
from scoring.services import score_person
from tests.factories import AgencyAccessFactory, UserFactory
from tests.importers.producers import libreoffice  # noqa: F401 (a session fixture)
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

SHEET = "Khảo sát hài lòng"
RESULT_DAY = datetime.date(2026, 3, 12)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def world():
    world = build_world()
    for name, official in (("Trần Thị Hài Lòng", "HL0001"), ("Lê Văn Khảo Sát", "HL0002")):
        person = world.person(name)
        person.official_id = official
        person.save()
        world.full_month(person, total=27)
    world.admin = UserFactory(username="sonoivu.ks", groups=[HOME_AFFAIRS_GROUP])
    return world


def feed_ii4(min_answers="5"):
    """The province lists Form 01's II.4 (attitude towards citizens) as fed by the answers."""
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    rules["feedback"] = {
        "satisfaction_criteria": ["general.II.4"],
        "min_answers": {"value": min_answers, "confidence": "inferred", "citation": "thử"},
        "citation": "thử",
        "confidence": "inferred",
    }
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()


def template(world, period=None):
    kind = get_kind("satisfaction")
    period = period or world.period
    context = Context(agency=world.department, period=period, period_code=period.code)
    return openpyxl.load_workbook(io.BytesIO(kind.build_template(context)))


def survey_file(world, tmp_path, rows, name="khao-sat.xlsx", period=None):
    """The template with its data rows replaced by ``rows`` (cells from column A)."""
    workbook = template(world, period)
    sheet = workbook[SHEET]
    for row in range(3, sheet.max_row + 1):
        for column in range(1, 8):
            sheet.cell(row, column).value = None
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(3 + offset, column).value = value
    path = tmp_path / name
    workbook.save(path)
    return path


def answer_codes(world, person, levels):
    for level in levels:
        code = services.issue_code(
            person=person, agency=world.department, subject="Hồ sơ", completed_on=RESULT_DAY
        )
        services.answer(code.code, rating=level)


def tallies():
    return sorted(
        SurveyTally.objects.values_list(
            "person__official_id",
            "period__start_date",
            "very_satisfied",
            "satisfied",
            "neutral",
            "dissatisfied",
            "very_dissatisfied",
        )
    )


def explanation(person, period):
    from scoring.explain import render_steps

    score = score_person(person, period)
    return score, render_steps(score.explanation["steps"])


def test_the_template_lists_the_agency_people_and_the_survey_columns(world):
    sheet = template(world)[SHEET]
    headers = [sheet.cell(2, column).value for column in range(1, 8)]
    assert headers == [
        "Mã số công chức",
        "Họ và tên",
        "Rất hài lòng (số phiếu)",
        "Hài lòng (số phiếu)",
        "Bình thường (số phiếu)",
        "Không hài lòng (số phiếu)",
        "Rất không hài lòng (số phiếu)",
    ]
    listed = {(sheet.cell(row, 1).value, sheet.cell(row, 2).value) for row in (3, 4)}
    assert listed == {("HL0001", "Trần Thị Hài Lòng"), ("HL0002", "Lê Văn Khảo Sát")}


def test_survey_and_codes_feed_the_criterion_and_the_line_names_each_source(world, tmp_path):
    feed_ii4(min_answers="5")
    person = world.people["Trần Thị Hài Lòng"]
    answer_codes(world, person, [5, 5, 5, 5, 5])
    path = survey_file(world, tmp_path, [["HL0001", "Trần Thị Hài Lòng", 6, 4, None, 0, None]])
    analysis, job = pipeline.commit(path, user=world.admin)
    assert job is not None, [issue.message for issue in analysis.issues]
    assert analysis.counts.new == 1
    assert tallies() == [("HL0001", datetime.date(2026, 3, 1), 6, 4, 0, 0, 0)]
    # The change history keeps the row and who wrote it.
    history = history_model(SurveyTally).objects.get()
    assert (history.very_satisfied, history.satisfied) == (6, 4)

    score, lines = explanation(person, world.period)
    # (6 × 100 + 4 × 75 + 5 × 100) / 15 = 93.33 %; II.4 max 2.5 → 2.33.
    assert (
        "Mức độ hài lòng của người dân, doanh nghiệp: 15 ý kiến, bình quân 93,33% → điểm tiêu "
        "chí general.II.4 = 2,33. Trong đó: phiếu khảo sát của hệ thống một cửa 10 ý kiến; mã "
        "phản hồi 5 ý kiến." in lines
    )
    fed = next(s for s in score.explanation["steps"] if s["code"] == "satisfaction_feed")
    assert fed["sources"] == {"survey": 10, "codes": 5}


def test_a_source_with_few_answers_is_not_counted_apart(world, tmp_path):
    feed_ii4(min_answers="5")
    person = world.people["Trần Thị Hài Lòng"]
    answer_codes(world, person, [1, 1])
    path = survey_file(world, tmp_path, [["HL0001", None, 8, None, None, None, None]])
    assert pipeline.commit(path, user=world.admin)[1] is not None
    score, lines = explanation(person, world.period)
    line = next(text for text in lines if text.startswith("Mức độ hài lòng"))
    # (8 × 100 + 2 × 0) / 10 = 80 % → 2.00; the two codes' answers are not shown apart.
    assert line == (
        "Mức độ hài lòng của người dân, doanh nghiệp: 10 ý kiến, bình quân 80,00% → điểm tiêu "
        "chí general.II.4 = 2,00. Nguồn ý kiến: phiếu khảo sát của hệ thống một cửa, mã phản "
        "hồi (số ý kiến theo từng nguồn không hiển thị vì có nguồn có ít ý kiến)."
    )
    fed = next(s for s in score.explanation["steps"] if s["code"] == "satisfaction_feed")
    assert fed["sources"] == {"survey": None, "codes": None}


def test_below_the_minimum_the_survey_count_is_not_shown(world, tmp_path):
    feed_ii4(min_answers="5")
    person = world.people["Trần Thị Hài Lòng"]
    path = survey_file(world, tmp_path, [["HL0001", None, 3, None, None, None, None]])
    assert pipeline.commit(path, user=world.admin)[1] is not None
    score, lines = explanation(person, world.period)
    assert not any(s["code"] == "satisfaction_feed" for s in score.explanation["steps"])
    assert (
        "Tiêu chí general.II.4: chưa đủ 5 ý kiến của người dân, doanh nghiệp (số ý kiến ít "
        "không được hiển thị): giữ điểm của người đánh giá." in lines
    )
    assert not any("3 ý kiến" in text for text in lines)


def where(analysis):
    return sorted(
        (issue.sheet, issue.row, issue.column, issue.message)
        for issue in analysis.issues
        if issue.is_error
    )


def test_bad_rows_are_named_by_sheet_row_and_column_and_nothing_is_written(world, tmp_path):
    path = survey_file(
        world,
        tmp_path,
        [
            ["HL0001", None, 5, None, None, None, None],
            ["XX9999", None, 1, None, None, None, None],
            ["HL0002", None, -2, None, None, None, None],
            ["HL0001", None, 1, None, None, None, None],
            ["HL0002", None, None, 2.5, None, None, None],
        ],
    )
    analysis, job = pipeline.commit(path, user=world.admin)
    assert job is None
    assert SurveyTally.objects.count() == 0
    found = where(analysis)
    messages = {(row, column): message for _sheet, row, column, message in found}
    assert {sheet for sheet, *_rest in found} == {SHEET}
    assert messages[(4, "A")] == (
        "Công chức mã số XX9999 không công tác tại Sở Nội vụ thử nghiệm trong kỳ Tháng 03/2026. "
        "Hãy kiểm tra mã số (chọn trong danh sách thả xuống) hoặc xoá dòng này."
    )
    assert (5, "C") in messages  # a negative count
    assert messages[(6, "A")] == (
        "Công chức mã số HL0001 đã có ở dòng 3; mỗi công chức một dòng. Hãy cộng số phiếu vào "
        "dòng 3 và xoá dòng này."
    )
    assert "phải là số nguyên" in messages[(7, "D")]


def test_only_importers_of_the_agency_and_never_a_closed_period(world, tmp_path):
    path = survey_file(world, tmp_path, [["HL0001", None, 5, None, None, None, None]])
    stranger = UserFactory(username="quantri.khac", groups=[AGENCY_ADMIN_GROUP])
    other = world.unit.parent.parent  # the province: not granted to the stranger
    AgencyAccessFactory(user=stranger, agency=type(other).objects.exclude(pk=other.pk).last())
    analysis, job = pipeline.commit(path, user=stranger)
    assert job is None and analysis.issues
    assert "không có quyền" in analysis.issues[0].message
    Period.objects.filter(pk=world.period.pk).update(status=PeriodStatus.CLOSED)
    analysis, job = pipeline.commit(path, user=world.admin)
    assert job is None
    assert SurveyTally.objects.count() == 0
    assert analysis.issues[0].message.startswith("Kỳ đánh giá Tháng 03/2026 đã khóa sổ"), (
        analysis.issues[0].message
    )


def test_a_new_file_replaces_the_period_and_removals_are_confirmed(world, tmp_path):
    first = survey_file(
        world,
        tmp_path,
        [
            ["HL0001", None, 5, None, None, None, None],
            ["HL0002", None, None, 3, None, None, None],
        ],
        name="lan-1.xlsx",
    )
    assert pipeline.commit(first, user=world.admin)[1] is not None
    second = survey_file(
        world, tmp_path, [["HL0001", None, 5, 1, None, None, None]], name="lan-2.xlsx"
    )
    analysis, job = pipeline.commit(second, user=world.admin)
    assert job is None and analysis.blocked_removals == 1
    analysis, job = pipeline.commit(second, user=world.admin, allowed_removals=1)
    assert job is not None
    assert (analysis.counts.changed, analysis.counts.removed) == (1, 1)
    assert tallies() == [("HL0001", datetime.date(2026, 3, 1), 5, 1, 0, 0, 0)]


def test_a_file_saved_by_libreoffice_gives_the_same_tallies(world, tmp_path, libreoffice):  # noqa: F811
    filled = survey_file(world, tmp_path, [["HL0001", None, 7, 2, 1, None, 0]])
    resaved = libreoffice.resave(filled, tmp_path / "libreoffice.xlsx")
    analysis, job = pipeline.commit(resaved, user=world.admin)
    assert job is not None, [issue.message for issue in analysis.issues]
    assert tallies() == [("HL0001", datetime.date(2026, 3, 1), 7, 2, 1, 0, 0)]
