"""Issue 29 (review 2026-11-23, F3–F7, F10, "Refusals that mislead"): cells whose value is not
what the clerk meant must never be imported silently, and every refusal's advice, followed,
imports the right value.

Files are made by the producers clerks use (``tests/importers/producers.py``): the template
filled with openpyxl, written again by XlsxWriter (a report generator), re-saved or recalculated
by LibreOffice Calc headless. Each test asserts what the clerk sees (the message at its
``sheet!row:column``) and what is stored after following the advice.
"""

import datetime
import random
import re
import unicodedata
from decimal import Decimal

import pytest

from importers.reading import legacy
from org.models import CivilServant, Posting
from scoring.models import LeaderMark
from tests.importers.conftest import load, results_file, save, template_bytes
from tests.importers.producers import xlsxwriter_copy
from tests.importers.test_kinds import person_row, personnel
from tests.importers.test_silent_wrong_data import (
    MARCH_31,
    accepted,
    errors_at,
    line,
    refused,
    stored_lines,
)

pytestmark = pytest.mark.django_db

RESULTS = "Kết quả"
RECALC_ON_LOAD = (
    "Ô có công thức nhưng tệp do phần mềm không tự tính công thức tạo ra (tệp yêu cầu tính lại "
    "khi mở), nên giá trị lưu trong tệp (0) có thể chưa đúng. Hãy mở tệp bằng Excel hoặc "
    "LibreOffice, nhấn Ctrl+Alt+F9 (LibreOffice: Ctrl+Shift+F9) để tính lại, lưu lại rồi tải "
    "lên; hoặc thay công thức bằng giá trị."
)
MANUAL = (
    "Ô có công thức nhưng tệp được lưu khi đang tính toán thủ công, nên giá trị lưu trong tệp "
    "(1) có thể đã cũ. Hãy mở tệp, chuyển sang tính tự động (Excel: Công thức › Tùy chọn tính "
    "toán › Tự động; LibreOffice: Dữ liệu › Tính toán › Tự động tính), nhấn Ctrl+Alt+F9 "
    "(LibreOffice: Ctrl+Shift+F9), lưu lại rồi tải lên; hoặc thay công thức bằng giá trị."
)


# --- 1. cached formula values that may be stale (F3, F4) ---------------------------------------


def _report_with_formulas(world, tmp_path):
    """R12b: "Số lượng được giao" as formulas from a report generator, cached 0."""
    base = results_file(
        world,
        tmp_path,
        [line(assigned=1, completed=0), line(product="STP-002", assigned=1, completed=0)],
        name="mau.xlsx",
    )
    cells = {(RESULTS, "E3"): ("=5+0", 0), (RESULTS, "E4"): ("=2*3", 0)}
    return xlsxwriter_copy(base, tmp_path / "bao-cao.xlsx", cells)


def test_formulas_a_report_generator_cached_as_0_are_refused_at_each_cell(world, tmp_path):
    messages = errors_at(refused(_report_with_formulas(world, tmp_path)))
    assert messages == {(RESULTS, 3, "E"): RECALC_ON_LOAD, (RESULTS, 4, "E"): RECALC_ON_LOAD}


def test_the_report_recalculated_and_saved_as_advised_imports_the_computed_values(
    world, tmp_path, libreoffice
):
    report = _report_with_formulas(world, tmp_path)
    assert set(errors_at(refused(report))) == {(RESULTS, 3, "E"), (RESULTS, 4, "E")}
    fixed = libreoffice.resave(report, tmp_path / "da-tinh-lai.xlsx", recalc=True)
    assert accepted(fixed).issues == []  # saved by a program that computes: not a word
    assert [line.assigned_quantity for line in stored_lines()] == [Decimal(5), Decimal(6)]


def _manual_calculation(world, tmp_path):
    """R13: "Số lượng hoàn thành" is =N3 (helper column), cached 1, saved in manual mode."""
    base = results_file(
        world,
        tmp_path,
        [line(assigned=4, completed=1, done_on=MARCH_31)],
        name="mau.xlsx",
    )
    cells = {(RESULTS, "F3"): ("=N3", 1), (RESULTS, "N3"): 3}
    return xlsxwriter_copy(base, tmp_path / "thu-cong.xlsx", cells, calc_mode="manual")


def test_formulas_saved_in_manual_calculation_are_refused_at_each_cell(world, tmp_path):
    messages = errors_at(refused(_manual_calculation(world, tmp_path)))
    assert messages == {(RESULTS, 3, "F"): MANUAL}


def test_the_manual_workbook_recalculated_as_advised_imports_the_current_value(
    world, tmp_path, libreoffice
):
    workbook = _manual_calculation(world, tmp_path)
    assert set(errors_at(refused(workbook))) == {(RESULTS, 3, "F")}
    fixed = libreoffice.resave(workbook, tmp_path / "tu-dong.xlsx", recalc=True)
    accepted(fixed)
    assert [line.completed_quantity for line in stored_lines()] == [Decimal(3)]


# --- 2. percentages in quantity columns, levels of leaders' đ/e (F10, M04, M05) ----------------


def _percent_completed(world, tmp_path):
    """R23: a fully done line of 3, "Số lượng hoàn thành" typed 100% (a % number cell) and
    "100%" typed in a text cell."""
    workbook = load(template_bytes("results", world["justice"], world["march"]))
    from tests.importers.conftest import fill_results

    fill_results(
        workbook,
        [
            line(assigned=3, completed=1, done_on=MARCH_31),
            line(product="STP-002", assigned=3, completed="100%", done_on=MARCH_31),
        ],
    )
    workbook[RESULTS]["F3"].number_format = "0%"
    return save(workbook, tmp_path / "phan-tram.xlsx")


PERCENT = (
    "“Số lượng hoàn thành” là số lượng, không ghi theo phần trăm (đang là “100%”). Hãy ghi số "
    "lượng, không có dấu %, ví dụ 3 nếu đã hoàn thành cả 3; ô đang định dạng phần trăm thì đổi "
    "về Số (Định dạng ô › Số › Chung) trước khi ghi."
)


@pytest.mark.parametrize("producer", ["openpyxl", "libreoffice", "xlsxwriter"])
def test_a_percentage_in_a_quantity_is_refused_at_the_cell(world, tmp_path, producer, request):
    path = _percent_completed(world, tmp_path)
    if producer == "libreoffice":
        path = request.getfixturevalue("libreoffice").resave(path, tmp_path / "lo.xlsx")
    elif producer == "xlsxwriter":
        path = xlsxwriter_copy(path, tmp_path / "xw.xlsx", {(RESULTS, "F3"): (1, "0%")})
    messages = errors_at(refused(path))
    assert messages == {(RESULTS, 3, "F"): PERCENT, (RESULTS, 4, "F"): PERCENT}


def test_the_quantity_retyped_as_advised_is_stored(world, tmp_path):
    path = _percent_completed(world, tmp_path)
    assert set(errors_at(refused(path))) == {(RESULTS, 3, "F"), (RESULTS, 4, "F")}
    workbook = load(path.read_bytes())
    sheet = workbook[RESULTS]
    sheet["F3"].number_format = "General"
    sheet["F3"], sheet["F4"] = 3, 3
    accepted(save(workbook, tmp_path / "sua.xlsx"))
    assert [line.completed_quantity for line in stored_lines()] == [Decimal(3), Decimal(3)]


def _leader_file(world, tmp_path, dd, e, number_format=None):
    from tests.importers.test_leader_marks_excel import SHEET, leader_rows

    workbook = load(template_bytes("general_marks", world["justice"], world["march"]))
    sheet = workbook[SHEET]
    rows = leader_rows(sheet)
    for code, value in (("đ", dd), ("e", e)):
        cell = sheet.cell(rows[code], 8)
        cell.value = value
        if number_format:
            cell.number_format = number_format
    return save(workbook, tmp_path / "diem.xlsx")


@pytest.mark.parametrize(
    ("dd", "e", "number_format", "producer"),
    [
        (1, 0.5, "0%", "openpyxl"),  # M04: 100% typed in a number cell, as the template shows
        (1, 0.5, "0%", "libreoffice"),
        ("100%", "50%", None, "openpyxl"),  # M05: typed in a text cell
        ("100", "50", None, "openpyxl"),
        (100, 50, None, "openpyxl"),
    ],
)
def test_leaders_dd_and_e_are_read_as_the_template_shows_them(
    world, tmp_path, dd, e, number_format, producer, request
):
    path = _leader_file(world, tmp_path, dd, e, number_format)
    if producer == "libreoffice":
        path = request.getfixturevalue("libreoffice").resave(path, tmp_path / "lo.xlsx")
    accepted(path, user=world["justice_admin"])
    mark = LeaderMark.objects.get(civil_servant=world["people"]["an"])
    assert (mark.organising, mark.cohesion) == (Decimal(100), Decimal(50))


def test_a_general_mark_in_percent_is_refused_naming_the_cell(world, tmp_path):
    workbook = load(template_bytes("general_marks", world["justice"], world["march"]))
    sheet = workbook["Tiêu chí chung"]
    sheet["H3"] = "50%"
    messages = errors_at(refused(save(workbook, tmp_path / "diem.xlsx")))
    assert list(messages) == [("Tiêu chí chung", 3, "H")]
    assert messages[("Tiêu chí chung", 3, "H")].startswith(
        "Điểm tiêu chí ghi bằng số điểm, không ghi phần trăm (đang là 50%). Hãy ghi số điểm từ 0 "
        "đến "
    )


# --- 3. two-digit years and implausible dates (F5) ---------------------------------------------


def _new_person(world, tmp_path, born, start, name="nhan-su.xlsx"):
    row = person_row(start=start)
    row[3] = born
    return personnel(world, tmp_path, people=[row])


@pytest.mark.parametrize("producer", ["openpyxl", "libreoffice"])
def test_two_digit_years_typed_as_text_follow_the_spreadsheets_pivot(
    world, tmp_path, producer, request
):
    """P04: "15/03/85" and "01/09/98" typed as text were stored as 2085 and 2098."""
    path = _new_person(world, tmp_path, "15/03/75", "01/09/98")
    if producer == "libreoffice":
        path = request.getfixturevalue("libreoffice").resave(path, tmp_path / "lo.xlsx")
    accepted(path)
    person = CivilServant.objects.get(official_id="CT0100")
    assert person.date_of_birth == datetime.date(1975, 3, 15)
    assert Posting.objects.get(civil_servant=person).start_date == datetime.date(1998, 9, 1)


def _dates_refused(world, tmp_path, born, start):
    return errors_at(refused(_new_person(world, tmp_path, born, start)))


def test_a_birth_date_in_the_future_is_refused_and_the_advised_date_imports(world, tmp_path):
    messages = _dates_refused(world, tmp_path, "15/03/2085", datetime.date(2024, 1, 1))
    ((where, message),) = messages.items()
    assert where[0] == "Công chức" and where[2] == "D"
    assert message == (
        "“Ngày sinh” 15/03/2085 ở tương lai (ô đang là “15/03/2085”). Hãy ghi ngày sinh theo "
        "dạng dd/mm/yyyy, năm đủ bốn chữ số, ví dụ 15/03/1985."
    )
    accepted(_new_person(world, tmp_path, "15/03/1985", datetime.date(2024, 1, 1)))
    assert CivilServant.objects.get(official_id="CT0100").date_of_birth == datetime.date(
        1985, 3, 15
    )


def test_a_birth_date_under_16_years_is_refused(world, tmp_path):
    messages = _dates_refused(world, tmp_path, datetime.date(2015, 6, 1), datetime.date(2024, 1, 1))
    ((where, message),) = messages.items()
    assert where[2] == "D"
    assert "“Ngày sinh” 01/06/2015: người này chưa đủ 16 tuổi (ô đang là “01/06/2015”)" in message


def test_a_posting_starting_years_ahead_is_refused_and_the_advised_date_imports(world, tmp_path):
    messages = _dates_refused(world, tmp_path, "15/03/1975", "01/09/2098")
    ((where, message),) = messages.items()
    assert where[0] == "Công chức" and where[2] == "K"
    assert message == (
        "“Từ ngày” 01/09/2098 còn hơn một năm nữa mới tới (ô đang là “01/09/2098”): quá trình "
        "công tác này sẽ không thuộc kỳ đánh giá nào. Hãy ghi đúng ngày bắt đầu theo dạng "
        "dd/mm/yyyy, năm đủ bốn chữ số, ví dụ 01/09/1998."
    )
    accepted(_new_person(world, tmp_path, "15/03/1975", "01/09/1998"))
    person = CivilServant.objects.get(official_id="CT0100")
    assert Posting.objects.get(civil_servant=person).start_date == datetime.date(1998, 9, 1)


# --- 4. sheets the importer does not read (F6) -------------------------------------------------


def _lines_in_an_added_sheet(world, tmp_path):
    """R17: a unit's lines in an added sheet "P.HCTP" whose headers are on row 1."""
    workbook = load(template_bytes("results", world["justice"], world["march"]))
    from tests.importers.conftest import fill_results

    fill_results(workbook, [line()])
    added = workbook.create_sheet("P.HCTP")
    headers = [workbook[RESULTS].cell(2, column).value for column in range(1, 14)]
    added.append(headers)
    added.append(line(official="CT0002", product="STP-002", assigned=2, completed=1))
    added.append(line(official="CT0003", product="STP-003", assigned=4, completed=0))
    return save(workbook, tmp_path / "them-trang.xlsx"), workbook


@pytest.mark.parametrize("producer", ["openpyxl", "libreoffice"])
def test_lines_in_an_added_sheet_with_headers_on_row_1_are_refused_by_name(
    world, tmp_path, producer, request
):
    path, _workbook = _lines_in_an_added_sheet(world, tmp_path)
    if producer == "libreoffice":
        path = request.getfixturevalue("libreoffice").resave(path, tmp_path / "lo.xlsx")
    analysis = refused(path)
    assert [(i.sheet, i.row, i.message) for i in analysis.errors] == [
        (
            "P.HCTP",
            2,
            "Trang “P.HCTP” có 2 dòng dữ liệu cùng dạng trang “Kết quả” nhưng hệ thống chỉ nhập "
            "trang “Kết quả”: hãy chép các dòng đó vào trang “Kết quả”, xoá trang “P.HCTP” rồi "
            "tải lên lại.",
        )
    ]


def test_the_lines_copied_as_advised_all_import(world, tmp_path):
    path, workbook = _lines_in_an_added_sheet(world, tmp_path)
    assert [issue.sheet for issue in refused(path).errors] == ["P.HCTP"]
    added, sheet = workbook["P.HCTP"], workbook[RESULTS]
    for offset, row in enumerate(added.iter_rows(min_row=2, values_only=True)):
        for column, value in enumerate(row, start=1):
            sheet.cell(4 + offset, column).value = value
    workbook.remove(added)
    accepted(save(workbook, tmp_path / "da-chep.xlsx"))
    assert [line.civil_servant.official_id for line in stored_lines()] == [
        "CT0001",
        "CT0002",
        "CT0003",
    ]


def test_any_other_non_empty_sheet_is_named_in_a_warning(world, tmp_path):
    workbook = load(template_bytes("results", world["justice"], world["march"]))
    from tests.importers.conftest import fill_results

    fill_results(workbook, [line()])
    workbook.create_sheet("Sheet1")["B4"] = "Tổng hợp quý I: 12 sản phẩm"
    workbook.create_sheet("Ghi chú")["A1"] = "Đã rà soát ngày 02/04"  # a notes sheet: no warning
    analysis = accepted(save(workbook, tmp_path / "trang-khac.xlsx"))
    assert [(i.sheet, i.row, i.severity, i.message) for i in analysis.warnings] == [
        (
            "Sheet1",
            4,
            "warning",
            "Trang “Sheet1” có nội dung nhưng không phải trang của mẫu, nên hệ thống không đọc "
            "trang này (chỉ nhập trang “Kết quả”). Nếu trong đó có dòng cần nhập, hãy chép vào "
            "trang “Kết quả” rồi tải lên lại; nếu chỉ là ghi chú, hãy đặt tên trang là “Ghi chú” "
            "hoặc bỏ qua cảnh báo này.",
        )
    ]


# --- 5. names from legacy encodings and mojibake (F7, P06) -------------------------------------


GARBLED = {
    "CT0100": ("Hoà Thò Haèng", "Hồ Thị Hằng", "VNI"),  # P05, passed the old check
    "CT0101": ("Chu Thò Hoàng", "Chu Thị Hồng", "VNI"),
    "CT0102": ("Trònh Khaéc Taøi", "Trịnh Khắc Tài", "VNI"),  # P06, called TCVN3
    "CT0103": ("LÃª Thá»\u2039 My", "Lê Thị My", "UTF-8"),  # P06, called TCVN3 with garbage
}


def _people(world, tmp_path, names, name="nhan-su.xlsx"):
    rows = [
        person_row(official=code, name=value, email=f"{code.lower()}@stp.gov.vn")
        for code, value in names.items()
    ]
    return personnel(world, tmp_path, people=rows)


@pytest.mark.parametrize("producer", ["openpyxl", "libreoffice"])
def test_garbled_names_are_refused_with_the_repaired_name(world, tmp_path, producer, request):
    path = _people(world, tmp_path, {code: garbled for code, (garbled, _n, _e) in GARBLED.items()})
    if producer == "libreoffice":
        path = request.getfixturevalue("libreoffice").resave(path, tmp_path / "lo.xlsx")
    analysis = refused(path)
    by_name = {re.match("Họ tên “([^”]*)”", i.message).group(1): i for i in analysis.errors}
    assert {(i.sheet, i.column) for i in analysis.errors} == {("Công chức", "B")}
    assert len(analysis.errors) == 4
    vni = by_name["Hoà Thò Haèng"].message
    assert vni == (
        "Họ tên “Hoà Thò Haèng” được dán từ văn bản dùng bảng mã cũ VNI (phông VNI-Times), có lẽ "
        "là “Hồ Thị Hằng”. Hãy chuyển sang Unicode (Unikey › Công cụ chuyển mã, nguồn VNI "
        "Windows, đích Unicode) hoặc gõ lại họ tên, rồi tải lên."
    )
    assert "có lẽ là “Chu Thị Hồng”" in by_name["Chu Thò Hoàng"].message
    assert "có lẽ là “Trịnh Khắc Tài”" in by_name["Trònh Khaéc Taøi"].message
    assert by_name["LÃª Thá»\u2039 My"].message == (
        "Họ tên “LÃª Thá»\u2039 My” bị lỗi mã chữ: văn bản Unicode (UTF-8) đã được mở như ANSI "
        "(Windows-1252), thường do mở tệp CSV bằng cách bấm đúp; có lẽ là “Lê Thị My”. Hãy gõ lại "
        "họ tên “Lê Thị My”, hoặc mở lại tệp gốc bằng Dữ liệu › Từ văn bản/CSV, chọn mã 65001: "
        "Unicode (UTF-8), chép lại họ tên, rồi tải lên."
    )
    assert not any("TCVN3" in issue.message for issue in analysis.errors)


def test_the_names_repaired_as_advised_are_stored(world, tmp_path):
    garbled = _people(world, tmp_path, {code: g for code, (g, _n, _e) in GARBLED.items()})
    assert len(refused(garbled).errors) == len(GARBLED)
    accepted(_people(world, tmp_path, {code: name for code, (_g, name, _e) in GARBLED.items()}))
    stored = dict(
        CivilServant.objects.filter(official_id__in=GARBLED).values_list("official_id", "full_name")
    )
    assert stored == {code: name for code, (_g, name, _e) in GARBLED.items()}


def _encoders():
    to_vni = {}
    for pair, letter in legacy._VNI_PAIRS.items():
        if pair[0].isupper() == pair[1].isupper():
            to_vni.setdefault(letter, pair)
    for code, letter in legacy._VNI_SINGLES.items():
        to_vni.setdefault(letter, code)
    to_tcvn3 = {letter: chr(code) for code, letter in legacy._TCVN3_TABLE.items()}

    def vni(text):
        return "".join(to_vni.get(ch, ch) for ch in text)

    def tcvn3(text):  # capitals with a tone do not exist: the lower-case code is used
        return "".join(to_tcvn3.get(ch, to_tcvn3.get(ch.lower(), ch)) for ch in text)

    def utf8_as_ansi(text):
        return "".join(
            chr(byte) if byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([byte]).decode("cp1252")
            for byte in text.encode("utf-8")
        )

    return {"VNI": vni, "TCVN3": tcvn3, "UTF8_AS_ANSI": utf8_as_ansi}


def _a_name_itself(text: str) -> bool:
    """A garbled form that is itself an ordinary name ("Phan Hồng Chi" in VNI is "Phan Hoàng
    Chi"): no importer can tell, as with a column sorted on its own."""
    words = [word.casefold() for word in text.split()]
    return (
        all(legacy.vietnamese_syllable(word) for word in words)
        and words[0] in legacy.FAMILY_NAMES
        and all(word in legacy.NAME_SYLLABLES for word in words)
    )


def test_correct_names_are_never_diagnosed_and_each_encoding_is_repaired(world):
    """Every name of the demo generator's tables: as typed, never flagged; through each
    encoding's table, diagnosed as that encoding with the name itself as the repair (except
    a garbled form that is itself an ordinary name)."""
    from demo.data.names import full_name

    rng = random.Random(29)
    names = sorted({unicodedata.normalize("NFC", full_name(rng)[0]) for _ in range(3000)})
    assert [name for name in names if legacy.legacy_encoding(name)] == []
    for encoding, encode in _encoders().items():
        wrong = []
        for name in names:
            garbled = encode(name)
            if garbled == name or _a_name_itself(garbled):
                continue
            found = legacy.legacy_encoding(garbled)
            if found is None or found[1].casefold() != name.casefold():
                wrong.append((name, garbled, found))
        assert wrong == [], encoding


# --- 6. a look-alike dash in catalog job positions (K05) ---------------------------------------


def test_a_job_position_typed_with_an_en_dash_is_pointed_at_and_the_advice_imports(world, tmp_path):
    from catalog_pages.models import AgencyCatalogPage

    def catalog(positions, name):
        workbook = load(template_bytes("catalog", world["justice"]))
        sheet = workbook["Danh mục"]
        column = next(c for c in range(1, 20) if sheet.cell(2, c).value == "Mã vị trí việc làm")
        row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == "STP-002")
        sheet.cell(row, column).value = positions
        return save(workbook, tmp_path / name), row, column

    path, row, column = catalog("CV–PC; CV-VP", "danh-muc.xlsx")
    messages = errors_at(refused(path, user=world["justice_editor"]))
    letter = chr(64 + column)
    assert messages == {
        ("Danh mục", row, letter): "Mã vị trí việc làm “CV–PC” có dấu “–” (gạch dài, U+2013) "
        "ở ký tự thứ 3; mã chỉ dùng dấu gạch nối “-”. Hãy gõ lại: CV-PC."
    }
    path, _row, _column = catalog("CV-PC; CV-VP", "da-sua.xlsx")
    accepted(path, user=world["justice_editor"])
    page = AgencyCatalogPage.objects.get(agency=world["justice"])
    item = next(i for i in page.get_latest_revision_as_object().items.all() if i.code == "STP-002")
    assert sorted(p.code for p in item.job_positions.all()) == ["CV-PC", "CV-VP"]
