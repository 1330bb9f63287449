"""Issue 43: the same import rules (``importers.rules``, docs/importers.md "The rules") over every
import kind — names against IDs, blanks, category changes, implausible dates, month-first dates,
periods counted twice — with files made the way clerks make them (the system's template filled
with openpyxl; re-saved by LibreOffice where a column is dropped), plus the personnel file's
sign-ins (issue 41 item 5) and the satisfaction code answered by its issuer (security L1).

Each test asserts what the clerk sees: the Vietnamese message at its sheet, row and column, and
that a refused file changed nothing."""

import datetime
from pathlib import Path

import pytest

from django.urls import reverse

from feedback.models import SurveyTally
from importers import pipeline
from org.models import CivilServant, PersonCategory, Posting
from scoring.models import GeneralCriteriaMark, Period, PeriodKind
from tests.importers.conftest import load, results_file, save, snapshot, template_bytes
from tests.importers.test_kinds import commit, person_row, personnel

pytestmark = pytest.mark.django_db

MARCH_31 = datetime.date(2026, 3, 31)


def where(issue):
    return (issue.sheet, issue.row, issue.column)


def refused(path, user=None, **options):
    before = snapshot()
    analysis, job = pipeline.commit(path, user=user, **options)
    assert job is None and analysis.errors, [i.line() for i in analysis.issues]
    assert snapshot() == before
    return analysis


def accepted(path, user=None, **options):
    analysis, job = pipeline.commit(path, user=user, **options)
    assert job is not None, [i.line() for i in analysis.errors]
    return analysis


def rows_of(sheet, official):
    return [row for row in range(3, sheet.max_row + 1) if sheet.cell(row, 1).value == official]


# --- the kinds, each filled the way a clerk fills it ----------------------------------------------


def survey(world, tmp_path, edit, period=None, name="khao-sat.xlsx") -> Path:
    workbook = load(template_bytes("satisfaction", world["justice"], period or world["march"]))
    edit(workbook["Khảo sát hài lòng"])
    return save(workbook, tmp_path / name)


def marks(world, tmp_path, edit) -> Path:
    workbook = load(template_bytes("general_marks", world["justice"], world["march"]))
    edit(workbook["Tiêu chí chung"])
    return save(workbook, tmp_path / "diem.xlsx")


def personnel_edit(world, tmp_path, edit, name="nhan-su.xlsx") -> Path:
    workbook = load(template_bytes("personnel", world["justice"]))
    edit(workbook["Công chức"])
    return save(workbook, tmp_path / name)


def _results_with_names(world, tmp_path, names):
    return results_file(
        world,
        tmp_path,
        [
            [code, name, "STP-001", None, 2, 1, MARCH_31, None, 0, 0, None, None]
            for code, name in names
        ],
    )


def _survey_with_names(world, tmp_path, names):
    def edit(sheet):
        for row in range(3, sheet.max_row + 1):
            for column in range(1, 8):
                sheet.cell(row, column).value = None
        for offset, (code, name) in enumerate(names):
            for column, value in enumerate([code, name, 5, 3, 1, 0, 0], start=1):
                sheet.cell(3 + offset, column).value = value

    return survey(world, tmp_path, edit)


def _marks_with_names(world, tmp_path, names):
    wanted = dict(names)

    def edit(sheet):
        marked = set()
        for row in range(3, sheet.max_row + 1):
            code = sheet.cell(row, 1).value
            if code in wanted:
                sheet.cell(row, 2).value = wanted[code]
                if code not in marked:  # one general mark per person (not the leaders' đ/e)
                    sheet.cell(row, 7).value = 1
                    marked.add(code)

    return marks(world, tmp_path, edit)


def _personnel_with_names(world, tmp_path, names):
    wanted = dict(names)

    def edit(sheet):
        for row in range(3, sheet.max_row + 1):
            code = sheet.cell(row, 1).value
            if code in wanted:
                sheet.cell(row, 2).value = wanted[code]

    return personnel_edit(world, tmp_path, edit)


NAMED = {
    "results": ("Kết quả", _results_with_names),
    "general_marks": ("Tiêu chí chung", _marks_with_names),
    "satisfaction": ("Khảo sát hài lòng", _survey_with_names),
    "personnel": ("Công chức", _personnel_with_names),
}


# --- 1. identity by official ID and name ----------------------------------------------------------


@pytest.mark.parametrize("kind", list(NAMED))
def test_a_row_naming_another_person_than_its_id_is_refused(world, tmp_path, kind):
    """importers H1 (survey pasted in the export's order or one row off), M3 (a marks block
    pasted with another person's names), and the same for results and personnel."""
    sheet, make = NAMED[kind]
    # The names pasted one row off: CT0002 carries CT0003's name, CT0003 CT0002's.
    path = make(
        world,
        tmp_path,
        [("CT0001", "Nguyễn Văn An"), ("CT0002", "Lê Văn Cường"), ("CT0003", "Trần Thị Bình")],
    )
    analysis = refused(path, user=world["justice_admin"])
    # The personnel file may rename someone (a question), but not to a colleague's name.
    expected = (
        "Mã số CT0002 đang lưu họ tên “Trần Thị Bình”, tệp ghi “Lê Văn Cường” nhưng công chức "
        "mã số CT0003 đang mang họ tên này"
        if kind == "personnel"
        else "Họ và tên “Lê Văn Cường” không khớp với công chức mã số CT0002 (Trần Thị Bình). "
        "Kiểm tra lại mã số hoặc họ và tên của dòng này."
    )
    located = [i for i in analysis.errors if i.column == "B" and i.message.startswith(expected)]
    assert located, [i.line() for i in analysis.errors]
    assert located[0].sheet == sheet


@pytest.mark.parametrize("kind", ["results", "general_marks", "satisfaction"])
def test_a_name_typed_without_accents_or_in_capitals_still_matches(world, tmp_path, kind):
    _sheet, make = NAMED[kind]
    path = make(world, tmp_path, [("CT0001", "NGUYEN VAN AN"), ("CT0002", "tran  thi binh")])
    accepted(path, user=world["justice_admin"])


# --- 2. blank means "no change" -------------------------------------------------------------------


def posting_of(world, key):
    return world["people"][key].postings.get()


def _make_public_employee(world):
    posting = posting_of(world, "binh")
    Posting.objects.filter(pk=posting.pk).update(category=PersonCategory.PUBLIC_EMPLOYEE)


def test_a_blank_category_keeps_the_stored_one(world, tmp_path):
    """importers H2 (P19): one "Đối tượng" cell left blank turned a viên chức into a công
    chức on a posting from before the open periods."""
    _make_public_employee(world)

    def edit(sheet):
        (row,) = rows_of(sheet, "CT0002")
        assert sheet.cell(row, 14).value == "Viên chức"
        sheet.cell(row, 14).value = None

    path = personnel_edit(world, tmp_path, edit)
    analysis = accepted(path, user=world["justice_admin"])
    assert not [c for c in analysis.changes if "Đối tượng" in str(c.fields)]
    assert posting_of(world, "binh").category == PersonCategory.PUBLIC_EMPLOYEE


def test_a_file_without_the_category_column_changes_no_category(world, tmp_path, libreoffice):
    """importers H2 (P20, P21): the older layout, re-saved by LibreOffice."""
    _make_public_employee(world)

    def edit(sheet):
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row, 14).value = None

    source = personnel_edit(world, tmp_path, edit, name="cu.xlsx")
    path = libreoffice.resave(source, tmp_path / "cu-lo.xlsx")
    accepted(path, user=world["justice_admin"])
    assert posting_of(world, "binh").category == PersonCategory.PUBLIC_EMPLOYEE


def test_a_blank_role_or_concurrent_cell_keeps_the_stored_posting(world, tmp_path):
    def edit(sheet):
        (row,) = rows_of(sheet, "CT0001")
        sheet.cell(row, 9).value = None  # the head's "Chức vụ lãnh đạo"
        sheet.cell(row, 13).value = None

    accepted(personnel_edit(world, tmp_path, edit), user=world["justice_admin"])
    posting = posting_of(world, "an")
    assert posting.role == "head" and posting.is_concurrent is False


@pytest.mark.parametrize("kind", ["general_marks", "satisfaction"])
def test_blank_cells_never_erase_stored_figures_without_being_asked(world, tmp_path, kind):
    """A blank row of a figures file is a removal the clerk agrees to, never silent."""
    names = [("CT0001", "Nguyễn Văn An"), ("CT0002", "Trần Thị Bình")]
    if kind == "satisfaction":
        first = _survey_with_names(world, tmp_path, names)
        model = SurveyTally
    else:
        first = _marks_with_names(world, tmp_path, names)
        model = GeneralCriteriaMark
    accepted(first, user=world["justice_admin"])
    stored = model.objects.count()
    assert stored == 2

    def blank(sheet):  # CT0001's cells blanked, CT0002's kept
        for row in rows_of(sheet, "CT0001"):
            for column in range(3 if kind == "satisfaction" else 7, 9):
                sheet.cell(row, column).value = None

    path = (
        survey(world, tmp_path, blank, name="trong.xlsx")
        if kind == "satisfaction"
        else marks(world, tmp_path, blank)
    )
    analysis, job = pipeline.commit(path, user=world["justice_admin"])
    assert job is None and analysis.blocked_removals == 1
    assert model.objects.count() == stored


# --- 3. a category or leadership role changes only from a date ------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "label"),
    [(14, "Viên chức", "Đối tượng"), (9, "Cấp phó", "Chức vụ lãnh đạo")],
)
def test_a_category_or_role_is_not_rewritten_over_evaluated_periods(
    world, tmp_path, column, value, label
):
    """importers H2: the change is refused in place on a posting from 01/01/2026 (before the
    open period), with the way to split it."""

    def edit(sheet):
        (row,) = rows_of(sheet, "CT0003")
        sheet.cell(row, column).value = value

    analysis = refused(personnel_edit(world, tmp_path, edit), user=world["justice_admin"])
    (issue,) = analysis.errors
    assert issue.sheet == "Công chức" and issue.column == ("N" if column == 14 else "I")
    assert f"“{label}” của quá trình công tác từ 01/01/2026" in issue.message
    assert "ghi ngày kết thúc vào dòng này" in issue.message
    assert "thêm một dòng mới" in issue.message


def test_a_category_change_from_a_date_splits_the_posting(world, tmp_path):
    """What the refusal asks for: the old row ended, a new row from the decision's date."""
    cuong = world["people"]["cuong"]

    def edit(sheet):
        (row,) = rows_of(sheet, "CT0003")
        sheet.cell(row, 12).value = datetime.date(2026, 3, 14)
        new = sheet.max_row + 1
        for position in range(1, 15):
            sheet.cell(new, position).value = sheet.cell(row, position).value
        sheet.cell(new, 11).value = datetime.date(2026, 3, 15)
        sheet.cell(new, 12).value = None
        sheet.cell(new, 14).value = "Viên chức"

    accepted(personnel_edit(world, tmp_path, edit), user=world["justice_admin"])
    postings = list(Posting.objects.filter(civil_servant=cuong).order_by("start_date"))
    assert [(p.start_date, p.end_date, p.category) for p in postings] == [
        (datetime.date(2026, 1, 1), datetime.date(2026, 3, 14), PersonCategory.CIVIL_SERVANT),
        (datetime.date(2026, 3, 15), None, PersonCategory.PUBLIC_EMPLOYEE),
    ]


# --- 4. implausible dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "start", "fragment"),
    [
        (datetime.date(1990, 5, 12), "01/09/1916", "trước ngày sinh 12/05/1990"),
        (datetime.date(2001, 3, 3), "01/08/12", "mới 11 tuổi (chưa đủ 16)"),
    ],
)
def test_a_posting_before_birth_or_at_eleven_is_refused(world, tmp_path, birth, start, fragment):
    """importers M4 (P09)."""
    row = person_row()
    row[3], row[10] = birth, start
    analysis = refused(personnel(world, tmp_path, people=[row]), user=world["justice_admin"])
    (issue,) = analysis.errors
    assert where(issue)[0] == "Công chức" and issue.column == "K"
    assert fragment in issue.message and "dd/mm/yyyy" in issue.message


def test_a_new_posting_of_a_stored_person_is_checked_against_the_stored_birth(world, tmp_path):
    person = world["people"]["binh"]
    CivilServant.objects.filter(pk=person.pk).update(date_of_birth=datetime.date(1995, 1, 1))
    row = person_row(official="CT0002", name="Trần Thị Bình", start="01/09/1916")
    row[3] = None  # blank: the stored birth date is kept, and checked
    analysis = refused(personnel(world, tmp_path, people=[row]), user=world["justice_admin"])
    assert any("trước ngày sinh 01/01/1995" in issue.message for issue in analysis.errors)


# --- 5. month-first dates, per column -------------------------------------------------------------


def test_month_first_text_dates_in_results_are_refused_naming_the_day_meant(world, tmp_path):
    """importers M6 (R10): ``03/25/2026`` cannot be day first, so ``03/10/2026`` of the same
    column is 10 March, not 3 October."""
    rows = [
        ["CT0001", None, "STP-001", None, 2, 1, "03/25/2026", None, 0, 0, None, None],
        ["CT0002", None, "STP-001", None, 2, 1, "03/10/2026", None, 0, 0, None, None],
    ]
    analysis = refused(results_file(world, tmp_path, rows), user=world["justice_admin"])
    messages = {where(i): i.message for i in analysis.errors}
    assert set(messages) == {("Kết quả", 3, "G"), ("Kết quả", 4, "G")}
    assert "tháng trước ngày (mm/dd/yyyy" in messages[("Kết quả", 4, "G")]
    assert "là ngày 10/03/2026" in messages[("Kết quả", 4, "G")]


def test_month_first_real_dates_in_results_are_refused_per_column(world, tmp_path):
    """importers M6 (R38): real dates of an en-US spreadsheet, day and month swapped: 5 and 10
    March stored as 3 May and 3 October."""
    rows = [
        ["CT0001", None, "STP-001", None, 2, 1, datetime.date(2026, 5, 3), None, 0, 0, None, None],
        ["CT0002", None, "STP-001", None, 2, 1, datetime.date(2026, 10, 3), None, 0, 0, None, None],
        ["CT0003", None, "STP-001", None, 2, 1, MARCH_31, None, 0, 0, None, None],
    ]
    analysis = refused(results_file(world, tmp_path, rows), user=world["justice_admin"])
    messages = {where(i): i.message for i in analysis.errors}
    assert set(messages) == {("Kết quả", 3, "G"), ("Kết quả", 4, "G")}
    assert "đọc là 03/05/2026, có lẽ là 05/03/2026" in messages[("Kết quả", 3, "G")]
    assert "Hãy ghi lại cả cột theo dạng dd/mm/yyyy" in messages[("Kết quả", 4, "G")]


def test_one_deadline_in_another_month_stays_a_warning(world, tmp_path):
    rows = [["CT0001", None, "STP-001", None, 2, 1, datetime.date(2026, 5, 3), None, 0, 0, None,
             None]]  # fmt: skip
    analysis = accepted(results_file(world, tmp_path, rows), user=world["justice_admin"])
    assert any("việc chuyển từ kỳ trước" in i.message for i in analysis.warnings)


def test_month_first_text_dates_in_personnel_are_refused(world, tmp_path):
    first = person_row(start="09/25/2016")
    second = person_row(official="CT0101", name="Hà Văn Dũng", start="03/04/2017", email="")
    analysis = refused(
        personnel(world, tmp_path, people=[first, second]), user=world["justice_admin"]
    )
    messages = {where(i): i.message for i in analysis.errors}
    assert ("Công chức", 7, "K") in messages
    assert "là ngày 04/03/2017" in messages[("Công chức", 7, "K")]


# --- 6. periods never counted twice ---------------------------------------------------------------


def test_a_survey_for_a_quarter_is_refused_when_its_month_holds_answers(world, tmp_path):
    """importers M7 (S14)."""
    names = [("CT0001", "Nguyễn Văn An")]
    accepted(_survey_with_names(world, tmp_path, names), user=world["justice_admin"])
    quarter = Period.objects.create(kind=PeriodKind.QUARTER, year=2026, number=1)

    def edit(sheet):
        sheet.cell(3, 3).value = 5

    path = survey(world, tmp_path, edit, period=quarter, name="quy.xlsx")
    analysis = refused(path, user=world["justice_admin"])
    (issue,) = analysis.errors
    assert issue.sheet == "Khảo sát hài lòng"
    assert "trùng thời gian với số liệu đã nhập cho kỳ" in issue.message
    assert "cộng hai lần" in issue.message
    assert SurveyTally.objects.filter(period=quarter).count() == 0


# --- sign-ins from the personnel file (issue 41 item 5, importers H3) -----------------------------


def test_sign_ins_for_everyone_posted_today_whatever_their_earlier_postings(
    world, tmp_path, settings
):
    settings.KPI_IMPORT_CREATES_SIGN_INS = True
    history = person_row(official="CT0101", name="Hà Thị Lan", unit="STP-VP",
                         start=datetime.date(2015, 3, 1), end=datetime.date(2020, 12, 31),
                         email="lan@stp.gov.vn")  # fmt: skip
    now = person_row(official="CT0101", name="Hà Thị Lan", start=datetime.date(2021, 1, 1),
                     email="lan@stp.gov.vn")  # fmt: skip
    left = person_row(official="CT0102", name="Vũ Văn Nam", start=datetime.date(2010, 1, 1),
                      end=datetime.date(2012, 12, 31), email="nam@stp.gov.vn")  # fmt: skip
    path = personnel(world, tmp_path, people=[history, now, left])
    preview = pipeline.analyse(path, user=world["justice_admin"])
    assert not preview.errors, [i.line() for i in preview.errors]
    assert any("tạo 4 tài khoản đăng nhập" in i.message for i in preview.warnings)
    (none,) = [i for i in preview.warnings if "không được tạo tài khoản" in i.message]
    assert none.row == 8 and none.column == "A"
    assert "CT0102 Vũ Văn Nam không được tạo tài khoản đăng nhập" in none.message
    assert "không công tác tại Sở Tư pháp hôm nay" in none.message

    commit(path, user=world["justice_admin"])
    assert CivilServant.objects.get(official_id="CT0101").user is not None
    assert CivilServant.objects.get(official_id="CT0102").user is None


# --- a satisfaction code is answered by the citizen, not the issuing agency (security L1) ---------


def test_the_clerk_who_issued_a_code_cannot_answer_it(world, client):
    from feedback import services
    from feedback.models import SatisfactionCode

    clerk = world["justice_admin"]
    code = services.issue_code(
        person=world["people"]["binh"],
        agency=world["justice"],
        subject="Cấp bản sao trích lục hộ tịch",
        completed_on=datetime.date(2026, 3, 12),
        user=clerk,
    )
    client.force_login(clerk)
    response = client.post(reverse("feedback:answer", args=[code.code]), {"rating": "5"})
    assert response.status_code == 409
    assert "Bạn đang đăng nhập bằng tài khoản của Sở Tư pháp" in response.content.decode()
    assert SatisfactionCode.objects.get(pk=code.pk).rating is None

    client.logout()
    response = client.post(reverse("feedback:answer", args=[code.code]), {"rating": "5"})
    assert response.status_code == 200
    assert SatisfactionCode.objects.get(pk=code.pk).rating == 5
