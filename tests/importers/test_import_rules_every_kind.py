"""Issue 43, the import rules (``importers.rules``) as classes over every import kind, beyond
``test_import_rules.py``: names that differ only by a tone mark, names typed in NFD, with
non-breaking spaces or without accents, duplicates in every kind, two people under one official
ID, a birth date that makes another posting of the person implausible, and the cheap findings of
the review of 2026-11-25 (importers S05, M2, L1, L2, P03, P04).

Files are made the way clerks make them (the system's template filled with openpyxl, a 1904
workbook as Mac Excel saves it, a report generator's file re-saved by LibreOffice); each test
asserts the Vietnamese message at its sheet, row and column and that a refused file changed
nothing."""

import datetime
import unicodedata

import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from feedback.models import SurveyTally
from org.models import CivilServant, Posting
from tests.importers.conftest import load, results_file, save, template_bytes
from tests.importers.producers import xlsxwriter_copy
from tests.importers.test_import_rules import (
    NAMED,
    accepted,
    refused,
    rows_of,
    survey,
)
from tests.importers.test_kinds import person_row, personnel

pytestmark = pytest.mark.django_db

MARCH_31 = datetime.date(2026, 3, 31)
FIGURES = ["results", "general_marks", "satisfaction"]


def at(analysis, sheet, row, column):
    found = [i for i in analysis.errors if (i.sheet, i.row, i.column) == (sheet, row, column)]
    assert found, [i.line() for i in analysis.errors]
    return found[0].message


# --- 1. identity by official ID and name: Vietnamese-aware, tones matter -------------------------


@pytest.mark.parametrize("kind", FIGURES)
def test_a_name_differing_only_by_a_tone_mark_is_another_name(world, tmp_path, kind):
    """ "Trấn Thị Bình" is not "Trần Thị Bình": two colleagues' names may differ by one tone,
    so accents are not simply ignored (a letter typed WITHOUT its marks still matches)."""
    sheet, make = NAMED[kind]
    path = make(world, tmp_path, [("CT0001", "Nguyễn Văn An"), ("CT0002", "Trấn Thị Bình")])
    analysis = refused(path, user=world["justice_admin"])
    (issue,) = [i for i in analysis.errors if i.column == "B"]
    assert issue.sheet == sheet
    assert issue.message.startswith(
        "Họ và tên “Trấn Thị Bình” không khớp với công chức mã số CT0002 (Trần Thị Bình)."
    )
    assert "Hai họ tên chỉ khác nhau ở dấu" in issue.message
    assert "hãy ghi “Trần Thị Bình”" in issue.message


@pytest.mark.parametrize("kind", FIGURES)
def test_names_in_nfd_with_odd_spaces_capitals_or_without_accents_match(world, tmp_path, kind):
    CivilServant.objects.filter(official_id="CT0003").update(full_name="Đặng Văn Đức")
    _sheet, make = NAMED[kind]
    names = [
        ("CT0001", unicodedata.normalize("NFD", "NGUYỄN\u00a0VĂN  AN")),
        ("CT0002", " trần thị bình "),
        ("CT0003", "DANG VAN DUC"),
    ]
    accepted(make(world, tmp_path, names), user=world["justice_admin"])


# --- duplicates, in every kind ------------------------------------------------------------------


def _results_twice(world, tmp_path):
    row = ["CT0002", "Trần Thị Bình", "STP-001", None, 2, 1, MARCH_31, None, 0, 0, None, None]
    return results_file(world, tmp_path, [row, list(row)]), ("Kết quả", 4), "dòng 3"


def _marks_twice(world, tmp_path):
    workbook = load(template_bytes("general_marks", world["justice"], world["march"]))
    sheet = workbook["Tiêu chí chung"]
    first = rows_of(sheet, "CT0002")[0]
    sheet.cell(first, 7).value = 1
    copy = sheet.max_row + 1
    for column in range(1, sheet.max_column + 1):
        sheet.cell(copy, column).value = sheet.cell(first, column).value
    sheet.cell(copy, 7).value = 2
    return save(workbook, tmp_path / "diem.xlsx"), ("Tiêu chí chung", copy), f"dòng {first}"


def _survey_twice(world, tmp_path):
    def edit(sheet):
        (first,) = rows_of(sheet, "CT0002")
        copy = sheet.max_row + 1
        for column, value in enumerate(["CT0002", "Trần Thị Bình", 4, 1, 0, 0, 0], start=1):
            sheet.cell(first, column).value = value
            sheet.cell(copy, column).value = value
        edit.where = (first, copy)

    path = survey(world, tmp_path, edit)
    first, copy = edit.where
    return path, ("Khảo sát hài lòng", copy), f"dòng {first}"


def _personnel_twice(world, tmp_path):
    """P04: a new person's row pasted twice, the copy with other details."""
    first = person_row(official="CT0100", start=datetime.date(2021, 1, 1))
    second = person_row(official="CT0100", start=datetime.date(2022, 6, 1), email="")
    second[3] = datetime.date(1993, 7, 9)
    return personnel(world, tmp_path, people=[first, second]), ("Công chức", 7), "dòng 6"


def _catalog_twice(world, tmp_path):
    workbook = load(template_bytes("catalog", world["justice"]))
    workbook["Danh mục"]["A5"] = "STP-002"  # row 4 holds STP-002
    return save(workbook, tmp_path / "danh-muc.xlsx"), ("Danh mục", 5), "dòng 4"


TWICE = {
    "catalog": _catalog_twice,
    "results": _results_twice,
    "general_marks": _marks_twice,
    "satisfaction": _survey_twice,
    "personnel": _personnel_twice,
}


@pytest.mark.parametrize("kind", list(TWICE))
def test_a_row_given_twice_is_refused_at_the_copy_naming_the_first(world, tmp_path, kind):
    path, (sheet, row), first = TWICE[kind](world, tmp_path)
    user = world["justice_editor" if kind == "catalog" else "justice_admin"]
    analysis = refused(path, user=user)
    messages = [i.message for i in analysis.errors if (i.sheet, i.row) == (sheet, row)]
    assert any(first in message for message in messages), [i.line() for i in analysis.errors]
    # Never the overlap's advice, which would merge two people into one record.
    assert not any("kiêm nhiệm" in i.message for i in analysis.errors)


@pytest.mark.parametrize("colleague_row", ["kept", "removed"])
def test_a_new_person_typed_with_a_colleagues_id_is_refused_at_the_id(
    world, tmp_path, colleague_row
):
    """P03: the colleague's ID on a new person's row. The overlap message ("… hoặc đánh dấu
    kiêm nhiệm") pointed at the dates; the ID is the problem. With the colleague's own row
    removed, the new row was taken for a correction of her start date and renamed her."""
    row = person_row(official="CT0002", name="Đỗ Minh Châu", start=datetime.date(2026, 2, 1))
    workbook = load(template_bytes("personnel", world["justice"]))
    sheet = workbook["Công chức"]
    if colleague_row == "removed":
        for found in rows_of(sheet, "CT0002"):
            sheet.delete_rows(found)
    target = sheet.max_row + 1
    for column, value in enumerate(row, start=1):
        sheet.cell(target, column).value = value
    analysis = refused(save(workbook, tmp_path / "nhan-su.xlsx"), user=world["justice_admin"])
    message = at(analysis, "Công chức", target, "A")
    assert message.startswith("Mã số CT0002 là của Trần Thị Bình, đang có quá trình công tác")
    assert "hãy ghi đúng mã số của người này" in message
    assert not any("kiêm nhiệm" in i.message for i in analysis.errors)
    assert CivilServant.objects.get(official_id="CT0002").full_name == "Trần Thị Bình"


# --- 4. plausible dates across a person's rows and stored postings -------------------------------


def test_a_birth_date_on_one_row_holds_for_the_persons_other_postings(world, tmp_path):
    """M4, the class: the birth date typed on the first row of a new person, the second row's
    cell left blank, its posting from when she was 11."""
    first = person_row(start=datetime.date(2021, 1, 1), end=datetime.date(2021, 12, 31))
    first[3] = datetime.date(2001, 3, 3)
    second = person_row(unit="STP-VP", position="CV-VP", start="01/08/12",
                        end=datetime.date(2012, 12, 31))  # fmt: skip
    second[3] = None
    analysis = refused(personnel(world, tmp_path, people=[first, second]))
    message = at(analysis, "Công chức", 7, "K")
    assert "mới 11 tuổi (chưa đủ 16)" in message and "03/03/2001" in message


def test_a_birth_date_that_makes_a_stored_posting_implausible_is_refused(world, tmp_path):
    """A new birth date of a stored person against their earlier postings (not in the file)."""
    person = world["people"]["binh"]
    Posting.objects.create(
        civil_servant=person,
        agency=world["office"],
        job_position=world["position"],
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2012, 12, 31),
    )

    def edit(sheet):
        (row,) = rows_of(sheet, "CT0002")
        sheet.cell(row, 4).value = datetime.date(2000, 6, 1)
        edit.row = row

    workbook = load(template_bytes("personnel", world["justice"]))
    edit(workbook["Công chức"])
    analysis = refused(save(workbook, tmp_path / "nhan-su.xlsx"), user=world["justice_admin"])
    message = at(analysis, "Công chức", edit.row, "D")
    assert message.startswith("Quá trình công tác đang lưu ở STP-VP: Ngày bắt đầu 01/01/2010")
    assert "mới 9 tuổi" in message


# --- the review's cheaper findings ---------------------------------------------------------------


def test_a_survey_share_typed_as_a_percentage_is_refused_as_one(world, tmp_path):
    """S05: a 60 % cell (0,6) was refused as "phải là số nguyên (đang là 0,6)"."""

    def edit(sheet):
        (row,) = rows_of(sheet, "CT0002")
        sheet.cell(row, 3).value = 0.6
        sheet.cell(row, 3).number_format = "0%"
        edit.row = row

    analysis = refused(survey(world, tmp_path, edit), user=world["justice_admin"])
    message = at(analysis, "Khảo sát hài lòng", edit.row, "C")
    assert message.startswith(
        "“Rất hài lòng (số phiếu)” là số phiếu, không ghi theo tỉ lệ phần trăm (đang là “60%”)."
    )
    assert "số nguyên" in message
    assert not any("phải là số nguyên" in i.message for i in analysis.errors)
    assert SurveyTally.objects.count() == 0


def test_a_phone_pasted_with_its_text_apostrophe_is_stored_without_it(world, tmp_path):
    """L2: ``'0912345680`` pasted from a CSV kept its apostrophe."""
    row = person_row()
    row[5] = "'0912345680"
    accepted(personnel(world, tmp_path, people=[row]), user=world["justice_admin"])
    assert CivilServant.objects.get(official_id="CT0100").phone == "0912345680"


def test_dates_pasted_as_numbers_in_a_1904_workbook_are_read_in_its_system(world, tmp_path):
    """L1 (P18): Mac Excel's 1904 date system, birth and start pasted as values (General
    format): born 15/03/1985 was stored as 14/03/1981."""
    workbook = load(template_bytes("personnel", world["justice"]))
    workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook["Công chức"]
    start_1904 = datetime.date(1904, 1, 1)
    row = person_row()
    row[3] = (datetime.date(1985, 3, 15) - start_1904).days
    row[10] = (datetime.date(2021, 11, 2) - start_1904).days
    target = sheet.max_row + 1
    for column, value in enumerate(row, start=1):
        sheet.cell(target, column).value = value
        if column in (4, 11):
            sheet.cell(target, column).number_format = "General"
    path = save(workbook, tmp_path / "mac.xlsx")
    assert b'date1904="1"' in _workbook_xml(path)
    accepted(path, user=world["justice_admin"])
    person = CivilServant.objects.get(official_id="CT0100")
    assert person.date_of_birth == datetime.date(1985, 3, 15)
    assert person.postings.get().start_date == datetime.date(2021, 11, 2)
    # The stored people's real date cells in the same workbook are read as they are.
    assert Posting.objects.filter(civil_servant__official_id="CT0002").count() == 1


def _workbook_xml(path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/workbook.xml")


def test_formulas_cached_as_0_and_resaved_by_libreoffice_are_warned(world, tmp_path, libreoffice):
    """M2 (R12): a report generator's formulas cached 0, opened and saved by LibreOffice
    without recalculating: the request to recalculate is gone, the zeros look current."""
    base = results_file(
        world,
        tmp_path,
        [
            ["CT0001", None, "STP-001", None, 1, 0, None, None, 0, 0, None, None],
            ["CT0002", None, "STP-002", None, 1, 0, None, None, 0, 0, None, None],
        ],
        name="mau.xlsx",
    )
    cells = {("Kết quả", "E3"): ("=5+0", 0), ("Kết quả", "E4"): ("=2*3", 0)}
    report = xlsxwriter_copy(base, tmp_path / "bao-cao.xlsx", cells)
    resaved = libreoffice.resave(report, tmp_path / "lo.xlsx")
    from importers import pipeline

    analysis = pipeline.analyse(resaved, user=world["justice_admin"])
    (warning,) = [i for i in analysis.warnings if i.column == "E"]
    assert (warning.sheet, warning.row) == ("Kết quả", 3)
    assert warning.message.startswith(
        "Cột “Số lượng được giao” có 2 ô công thức và tất cả đều đang là 0 (dòng 3–4)"
    )
    assert "Ctrl+Shift+F9" in warning.message


# --- 3. a job position or unit changes only from a date ------------------------------------------


@pytest.mark.parametrize(
    ("official", "column", "value", "label", "old"),
    [
        ("CT0003", 8, "CV-PC", "Vị trí việc làm", "CV-VP"),
        ("CT0002", 7, "STP-VP", "Đơn vị", "STP-PC"),
    ],
)
def test_a_job_position_or_unit_is_not_rewritten_in_place(
    world, tmp_path, official, column, value, label, old
):
    """The same class as a category (importers H2): the posting's job position or unit typed
    over was refused as an overlap whose advice ("… hoặc đánh dấu kiêm nhiệm") added a second
    posting."""
    workbook = load(template_bytes("personnel", world["justice"]))
    sheet = workbook["Công chức"]
    (row,) = rows_of(sheet, official)
    sheet.cell(row, column).value = value
    analysis = refused(save(workbook, tmp_path / "nhan-su.xlsx"), user=world["justice_admin"])
    letter = "H" if column == 8 else "G"
    message = at(analysis, "Công chức", row, letter)
    assert message.startswith(
        f"“{label}” của quá trình công tác từ 01/01/2026 đang là “{old}”, tệp ghi “{value}”."
    )
    assert f"thêm một dòng mới ghi “{value}” từ ngày quyết định" in message
    assert not any("kiêm nhiệm" in i.message for i in analysis.errors)
