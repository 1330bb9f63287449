"""Hostile and sloppy files (issue #5, point 5): each is refused with a precise Vietnamese message
at an exact location (sheet, row, column) leaving the database untouched, or goes through a
documented normalisation."""

import datetime
import unicodedata
import zipfile
from decimal import Decimal

import pytest

from importers import pipeline
from importers.pipeline import Expected
from importers.reading.inspect import OLE_MAGIC
from tests.factories import make_item, publish
from tests.importers.conftest import (
    load,
    results_file,
    rewrite_zip,
    save,
    sheet_part,
    snapshot,
    template_bytes,
)

pytestmark = pytest.mark.django_db

MARCH_31 = datetime.date(2026, 3, 31)


def line(official="CT0001", product="STP-001", assigned=3, completed=2, deadline=MARCH_31,
         done_on=None, failed=0, delays=0, code=None, note=None):  # fmt: skip
    return [official, None, product, None, assigned, completed, deadline, done_on, failed, delays,
            code, note]  # fmt: skip


def where(issue):
    return (issue.sheet, issue.row, issue.column)


def refused(path, expected=None, user=None):
    """Commit must refuse the file and leave every table as it was."""
    before = snapshot()
    analysis, job = pipeline.commit(path, expected, user=user)
    assert job is None
    assert not analysis.ok
    assert snapshot() == before
    return analysis


def accepted(path, expected=None):
    analysis, job = pipeline.commit(path, expected)
    assert job is not None, [i.line() for i in analysis.errors]
    return analysis


def lines():
    from scoring.models import AssignmentLine

    return list(AssignmentLine.objects.order_by("id"))


def only_error(analysis):
    assert len(analysis.errors) == 1, [i.line() for i in analysis.errors]
    return analysis.errors[0]


# --- not a workbook we can read (CLI exit 2) ------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\x00\x17garbage" * 50, "không phải bảng tính Excel (.xlsx)"),
        (b"%PDF-1.7\n" + b"x" * 100, "PDF"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML"),
        ("Mã số công chức;Họ và tên\nCT0001;Nguyễn Văn An\n".encode(), "CSV"),
        (OLE_MAGIC + b"\x00" * 600 + "Workbook".encode("utf-16-le") + b"\x00" * 64, ".xls"),
        (OLE_MAGIC + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64,
         "mật khẩu"),
    ],
    ids=["random-bytes", "pdf", "html-as-xls", "csv", "xls", "password-protected"],
)  # fmt: skip
def test_files_that_are_not_xlsx_are_refused_with_what_to_do(world, tmp_path, content, fragment):
    path = tmp_path / "tep.xlsx"
    path.write_bytes(content)
    analysis = refused(path)
    assert analysis.unreadable
    assert fragment in only_error(analysis).message
    assert where(only_error(analysis)) == (None, None, None)


def test_xls_message_says_how_to_convert(world, tmp_path):
    path = tmp_path / "cu.xls"
    path.write_bytes(OLE_MAGIC + b"\x00" * 600 + "Workbook".encode("utf-16-le"))
    message = only_error(refused(path)).message
    assert "Lưu thành" in message and ".xlsx" in message


def test_ods_is_refused(world, tmp_path):
    path = tmp_path / "bang.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    analysis = refused(path)
    assert analysis.unreadable and ".ods" in only_error(analysis).message


def test_word_document_is_refused(world, tmp_path):
    path = tmp_path / "van-ban.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "Word" in only_error(refused(path)).message


def test_truncated_xlsx_is_refused(world, tmp_path):
    data = template_bytes("results", world["justice"], world["march"])
    path = tmp_path / "hong.xlsx"
    path.write_bytes(data[: len(data) // 2])
    analysis = refused(path)
    assert analysis.unreadable and "bị hỏng" in only_error(analysis).message


def test_zip_bomb_by_compression_ratio(world, tmp_path):
    source = tmp_path / "mau.xlsx"
    source.write_bytes(template_bytes("results", world["justice"], world["march"]))
    bomb = tmp_path / "bom.xlsx"
    rewrite_zip(source, bomb, lambda name, data: data)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/zeros.bin", b"\x00" * (8 * 1024 * 1024))
    analysis = refused(bomb)
    assert analysis.unreadable and "bom nén" in only_error(analysis).message


def test_zip_bomb_by_total_inflated_size(world, tmp_path, settings):
    settings.KPI_IMPORT_MAX_UNCOMPRESSED_BYTES = 50_000
    path = results_file(world, tmp_path, [line()])
    analysis = refused(path)
    assert analysis.unreadable and "bom nén" in only_error(analysis).message


def test_file_over_the_size_limit(world, tmp_path, settings):
    settings.KPI_IMPORT_MAX_BYTES = 10_000
    path = results_file(world, tmp_path, [line()])
    message = only_error(refused(path)).message
    assert "vượt giới hạn 0,0 MB" in message or "vượt giới hạn" in message
    assert "chia tệp" in message


def test_a_cell_on_row_1048576_is_refused_before_loading(world, tmp_path):
    source = results_file(world, tmp_path, [line()])
    part = sheet_part(source, "Kết quả")
    far = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    target = rewrite_zip(
        source,
        tmp_path / "xa.xlsx",
        lambda name, data: data.replace(b"</sheetData>", far.encode()) if name == part else data,
    )
    analysis = refused(target)
    error = only_error(analysis)
    assert analysis.unreadable
    assert where(error) == ("Kết quả", None, None)
    assert "1.048.576" in error.message and "xoá các dòng thừa" in error.message


def test_a_declared_dimension_of_1048576_rows_is_not_trusted(world, tmp_path):
    """Normalisation: only real rows count; the <dimension> element is ignored."""
    source = results_file(world, tmp_path, [line()])
    part = sheet_part(source, "Kết quả")

    def claim(name, data):
        if name != part:
            return data
        start = data.index(b"<dimension")
        end = data.index(b">", start) + 1
        return data[:start] + b'<dimension ref="A1:L1048576"/>' + data[end:]

    target = rewrite_zip(source, tmp_path / "khai-bao.xlsx", claim)
    from importers.reading.inspect import inspect_file

    assert inspect_file(target).sheets["Kết quả"].declared_rows == 1048576
    accepted(target)
    assert len(lines()) == 1


def test_missing_meta_sheet_means_not_our_template(world, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Kết quả"
    workbook.active.append(["Mã số công chức"])
    path = save(workbook, tmp_path / "la.xlsx")
    error = only_error(refused(path))
    assert where(error) == ("_meta", None, None)
    assert "không phải mẫu" in error.message


def test_meta_in_custom_properties_survives_a_lost_meta_sheet(world, tmp_path):
    """Normalisation: the template identity is also read from the workbook properties."""
    path = results_file(world, tmp_path, [line()])
    workbook = load(path.read_bytes())
    del workbook["_meta"]
    save(workbook, path)
    analysis = accepted(path)
    assert analysis.meta.source == "properties"


# --- the template's identity ---------------------------------------------------------------------


def test_wrong_template_kind(world, tmp_path):
    path = results_file(world, tmp_path, [line()])
    error = only_error(refused(path, Expected(kind="catalog")))
    assert where(error) == ("_meta", 2, "B")
    assert "Kết quả thực hiện nhiệm vụ" in error.message and "Danh mục" in error.message


def test_unsupported_template_version(world, tmp_path):
    path = results_file(world, tmp_path, [line()])
    workbook = load(path.read_bytes())
    workbook["_meta"]["B3"] = "0"
    save(workbook, path)
    error = only_error(refused(path))
    assert where(error) == ("_meta", 3, "B")
    assert "phiên bản 0" in error.message and "tải mẫu mới" in error.message


def test_another_agencys_template(world, tmp_path):
    path = results_file(world, tmp_path, [line()])
    error = only_error(refused(path, Expected(agency=world["health"])))
    assert where(error) == ("_meta", 4, "B")
    assert "Sở Tư pháp (STP)" in error.message and "Sở Y tế (SYT)" in error.message


def test_a_user_cannot_import_for_an_agency_they_do_not_manage(world, tmp_path):
    path = results_file(world, tmp_path, [line()])
    error = only_error(refused(path, user=world["health_admin"]))
    assert where(error) == ("_meta", 4, "B")
    assert "không có quyền" in error.message


def test_another_periods_template(world, tmp_path):
    path = results_file(world, tmp_path, [line()])
    error = only_error(refused(path, Expected(period_code="2026-04")))
    assert where(error) == ("_meta", 5, "B")


def test_changed_header_is_refused_at_the_header_cell(world, tmp_path):
    path = results_file(world, tmp_path, [line()])
    workbook = load(path.read_bytes())
    workbook["Kết quả"]["E2"] = "Số lượng"
    save(workbook, path)
    error = only_error(refused(path))
    assert where(error) == ("Kết quả", 2, "E")
    assert "Số lượng được giao" in error.message


def test_closed_period_is_refused(world, tmp_path):
    path = results_file(world, tmp_path, [line()])
    world["march"].status = "closed"
    world["march"].save()
    error = only_error(refused(path))
    assert "khóa sổ" in error.message


def test_no_catalog_version_in_force(world, tmp_path):
    from scoring.models import Period

    january = Period.objects.create(kind="month", year=2025, number=12)
    data = template_bytes("results", world["justice"], january)
    path = tmp_path / "cu.xlsx"
    path.write_bytes(data)
    assert "chưa có danh mục" in only_error(refused(path)).message


# --- row by row ----------------------------------------------------------------------------------


def test_unknown_civil_servant_code(world, tmp_path):
    path = results_file(world, tmp_path, [line(official="XX9999")])
    error = only_error(refused(path))
    assert where(error) == ("Kết quả", 3, "A")
    assert error.message == "Không tìm thấy công chức có mã số XX9999."


def test_civil_servant_of_another_agency(world, tmp_path):
    path = results_file(world, tmp_path, [line(), line(official="YT0001")])
    error = only_error(refused(path))
    assert where(error) == ("Kết quả", 4, "A")
    assert "không công tác tại Sở Tư pháp trong kỳ Tháng 03/2026" in error.message


def test_unknown_product_code(world, tmp_path):
    path = results_file(world, tmp_path, [line(product="STP-999")])
    error = only_error(refused(path))
    assert where(error) == ("Kết quả", 3, "C")
    assert "Không có sản phẩm/công việc mã STP-999" in error.message


def test_product_not_in_the_catalog_version_of_the_period(world, tmp_path):
    publish(
        world["justice_page"],
        world["home_affairs"],
        [make_item("STP-001", standard=True), make_item("STP-004", "Sản phẩm mới", "2", 2)],
        effective=datetime.date(2026, 4, 1),
        ref="2/QĐ-UBND",
    )
    path = results_file(world, tmp_path, [line(product="STP-004")])
    error = only_error(refused(path))
    assert where(error) == ("Kết quả", 3, "C")
    assert "không thuộc danh mục phiên bản 1" in error.message
    assert "chỉ có ở phiên bản 2" in error.message


def test_negative_quantity(world, tmp_path):
    path = results_file(world, tmp_path, [line(assigned=-1, completed=0)])
    error = only_error(refused(path))
    assert where(error) == ("Kết quả", 3, "E")
    assert error.message == "“Số lượng được giao” không được âm (đang là -1)."


def test_quantity_beyond_what_the_database_holds(world, tmp_path):
    path = results_file(world, tmp_path, [line(assigned=1e11, completed=0)])
    error = only_error(refused(path))
    assert where(error) == ("Kết quả", 3, "E")
    assert error.message.startswith("“Số lượng được giao” không được lớn hơn")


def test_a_ten_digit_quantity_with_two_decimals_is_accepted(world, tmp_path):
    """Near 1e10 a binary float is off by ~1e-4 once scaled to cents: not "too many decimals"."""
    path = results_file(world, tmp_path, [line(assigned=1_234_567_890.12, completed=0)])
    accepted(path)
    assert lines()[-1].assigned_quantity == Decimal("1234567890.12")


def test_non_numeric_quantity(world, tmp_path):
    path = results_file(world, tmp_path, [line(assigned="ba", completed=0)])
    error = only_error(refused(path))
    assert where(error) == ("Kết quả", 3, "E")
    assert error.message == "“ba” không phải là số."


def test_missing_required_quantity(world, tmp_path):
    path = results_file(world, tmp_path, [line(assigned=None, completed=None)])
    error = only_error(refused(path))
    assert where(error) == ("Kết quả", 3, "E")
    assert "không được để trống" in error.message


def test_fractional_counter_and_too_many_decimals(world, tmp_path):
    path = results_file(
        world, tmp_path, [line(failed=1.5), line(product="STP-002", assigned=1.234)]
    )
    errors = refused(path).errors
    assert [where(e) for e in errors] == [("Kết quả", 3, "I"), ("Kết quả", 4, "E")]


def test_completed_over_assigned_is_a_warning_by_default(world, tmp_path):
    path = results_file(world, tmp_path, [line(assigned=2, completed=3)])
    analysis = accepted(path)
    assert [where(w) for w in analysis.warnings] == [("Kết quả", 3, "F")]
    assert "lớn hơn số lượng được giao" in analysis.warnings[0].message
    assert lines()[0].completed_quantity == Decimal("3.00")


def test_completed_over_assigned_can_be_made_an_error(world, tmp_path, settings):
    settings.KPI_IMPORT_COMPLETED_OVER_ASSIGNED = "error"
    path = results_file(world, tmp_path, [line(assigned=2, completed=3)])
    assert where(only_error(refused(path))) == ("Kết quả", 3, "F")


def test_completion_date_without_completed_quantity(world, tmp_path):
    path = results_file(world, tmp_path, [line(completed=0, done_on=MARCH_31)])
    assert where(only_error(refused(path))) == ("Kết quả", 3, "H")


def test_dates_typed_as_text_are_read_as_dd_mm_yyyy(world, tmp_path):
    path = results_file(world, tmp_path, [line(deadline="05/03/2026", done_on="4/3/2026")])
    accepted(path)
    stored = lines()[0]
    assert stored.deadline == datetime.date(2026, 3, 5)
    assert stored.completed_on == datetime.date(2026, 3, 4)


def test_impossible_text_date(world, tmp_path):
    path = results_file(world, tmp_path, [line(deadline="31/02/2026")])
    error = only_error(refused(path))
    assert where(error) == ("Kết quả", 3, "G")
    # A day that does not exist is named as such, not blamed on the format (issue 30 item 8).
    assert "“31/02/2026” không có trong lịch" in error.message


def test_numbers_as_text_with_thousand_separators(world, tmp_path):
    path = results_file(world, tmp_path, [line(assigned="1.234,5", completed="1 000")])
    accepted(path)
    assert lines()[0].assigned_quantity == Decimal("1234.50")
    assert lines()[0].completed_quantity == Decimal("1000.00")


def _formula_file(world, tmp_path, cached: str | None):
    path = results_file(world, tmp_path, [line(assigned="=2+3")])
    part = sheet_part(path, "Kết quả")

    def edit(name, data):
        if name == "xl/workbook.xml":
            # As Excel saves it, with the value computed: openpyxl asks for a recalculation on
            # load, which makes any cached value untrusted (issue 29).
            return data.replace(b' fullCalcOnLoad="1"', b"")
        if name != part:
            return data
        value = f"<v>{cached}</v>".encode() if cached is not None else b""
        return data.replace(b"<f>2+3</f><v></v>", b"<f>2+3</f>" + value).replace(
            b"<f>2+3</f><v />", b"<f>2+3</f>" + value
        )

    return rewrite_zip(path, tmp_path / "cong-thuc.xlsx", edit)


def test_formulas_are_read_by_their_cached_value(world, tmp_path):
    accepted(_formula_file(world, tmp_path, cached="5"))
    assert lines()[0].assigned_quantity == Decimal("5.00")


def test_formula_without_cached_value(world, tmp_path):
    error = only_error(refused(_formula_file(world, tmp_path, cached=None)))
    assert where(error) == ("Kết quả", 3, "E")
    assert "không lưu giá trị đã tính" in error.message


def test_merged_cells_apply_to_every_row_they_cover(world, tmp_path):
    path = results_file(
        world,
        tmp_path,
        [line(), line(official=None, product="STP-002"), line(official=None, product="STP-003")],
    )
    workbook = load(path.read_bytes())
    workbook["Kết quả"].merge_cells("A3:A5")
    save(workbook, path)
    analysis = accepted(path)
    assert analysis.counts.new == 3
    assert {stored.civil_servant.official_id for stored in lines()} == {"CT0001"}


def test_hidden_rows_are_imported_with_a_warning(world, tmp_path):
    path = results_file(world, tmp_path, [line(), line(product="STP-002")])
    workbook = load(path.read_bytes())
    workbook["Kết quả"].row_dimensions[4].hidden = True
    save(workbook, path)
    analysis = accepted(path)
    assert analysis.counts.new == 2
    assert [where(w) for w in analysis.warnings] == [("Kết quả", 4, None)]


def test_blank_rows_and_prefilled_only_rows_are_skipped(world, tmp_path):
    path = results_file(
        world,
        tmp_path,
        [line(), [None] * 12, ["CT0002", "Trần Thị Bình"], ["   ", None, "\u200b"], line("CT0003")],
    )
    analysis = accepted(path)
    assert analysis.counts.total == 2 and analysis.counts.new == 2


def test_trailing_spaces_and_case_are_normalised(world, tmp_path):
    path = results_file(world, tmp_path, [line(official="ct0001   ", product=" stp-001 ")])
    accepted(path)
    assert lines()[0].item.code == "STP-001"


def test_vietnamese_nfd_is_stored_as_nfc(world, tmp_path):
    note = "Đã nghiệm thu, chờ ký số"
    path = results_file(world, tmp_path, [line(note=unicodedata.normalize("NFD", note))])
    accepted(path)
    assert lines()[0].note == note


def test_nfd_name_of_an_existing_person_is_unchanged(world, tmp_path):
    data = template_bytes("personnel", world["justice"])
    workbook = load(data)
    sheet = workbook["Công chức"]
    for row in range(3, sheet.max_row + 1):
        if sheet.cell(row, 2).value:
            sheet.cell(row, 2).value = unicodedata.normalize("NFD", sheet.cell(row, 2).value) + " "
    path = save(workbook, tmp_path / "nfd.xlsx")
    analysis = accepted(path)
    assert analysis.counts.changed == 0 and analysis.counts.unchanged == analysis.counts.total


def test_duplicate_lines(world, tmp_path):
    path = results_file(world, tmp_path, [line(), line(product="STP-002"), line()])
    error = only_error(refused(path))
    assert where(error) == ("Kết quả", 5, "C")
    assert "trùng với dòng 3" in error.message.lower()


def test_same_person_and_product_with_line_codes_are_not_duplicates(world, tmp_path):
    path = results_file(world, tmp_path, [line(code="VB-1"), line(code="VB-2")])
    assert accepted(path).counts.new == 2


def test_duplicate_line_codes(world, tmp_path):
    path = results_file(world, tmp_path, [line(code="VB-1"), line(product="STP-002", code="vb-1")])
    error = only_error(refused(path))
    assert where(error) == ("Kết quả", 4, "K")


def test_every_error_of_a_file_is_reported_at_once(world, tmp_path):
    path = results_file(
        world,
        tmp_path,
        [line(official="XX1"), line(product="YY"), line(assigned=-2, completed=0, deadline="x")],
    )
    errors = refused(path).errors
    assert [where(e) for e in errors] == [
        ("Kết quả", 3, "A"),
        ("Kết quả", 4, "C"),
        ("Kết quả", 5, "E"),
        ("Kết quả", 5, "G"),
    ]


def test_lines_with_evidence_cannot_be_removed_by_a_new_file(world, tmp_path):
    from scoring.models import Evidence

    accepted(results_file(world, tmp_path, [line(), line(product="STP-002")]))
    kept = lines()[1]
    Evidence.objects.create(line=kept, document_number="12/BC-STP")
    error = only_error(refused(results_file(world, tmp_path, [line()], name="b.xlsx")))
    assert where(error) == ("Kết quả", None, None)
    assert "minh chứng" in error.message


def test_an_uncached_completed_quantity_is_one_error_not_also_no_quantity(world, tmp_path):
    """Review 2026-11-22 (importers #8): the completed quantity as a formula without its value
    also gave "Chưa có số lượng hoàn thành" at the completion date."""
    path = results_file(
        world, tmp_path, [line(completed="=2+3", done_on=datetime.date(2026, 3, 20))]
    )
    part = sheet_part(path, "Kết quả")

    def edit(name, data):
        if name != part:
            return data
        return data.replace(b"<f>2+3</f><v></v>", b"<f>2+3</f>").replace(
            b"<f>2+3</f><v />", b"<f>2+3</f>"
        )

    error = only_error(refused(rewrite_zip(path, tmp_path / "cong-thuc-f.xlsx", edit)))
    assert where(error) == ("Kết quả", 3, "F")
    assert "không lưu giá trị đã tính" in error.message


def test_too_many_decimals_shows_the_value_and_the_round_hint(world, tmp_path):
    """``=10/3`` was refused as "tối đa 2 chữ số thập phân" without the value or a way out."""
    path = results_file(world, tmp_path, [line(assigned=10 / 3)])
    error = only_error(refused(path))
    assert where(error) == ("Kết quả", 3, "E")
    assert error.message == (
        "“Số lượng được giao” chỉ được có tối đa 2 chữ số thập phân (đang là 3,3333333333). Hãy "
        "ghi số đã làm tròn, hoặc với công thức dùng ROUND, ví dụ =ROUND(10/3; 2)."
    )


def test_many_hidden_rows_are_one_warning_naming_them(world, tmp_path):
    """A filter hid 28 rows and gave 28 warnings."""
    rows = [line(product=code) for code in ("STP-001", "STP-002", "STP-003")] * 2
    rows = [[*row[:6], datetime.date(2026, 3, 1 + i), *row[7:]] for i, row in enumerate(rows)]
    path = results_file(world, tmp_path, rows)
    workbook = load(path.read_bytes())
    for row in (4, 5, 6, 8):
        workbook["Kết quả"].row_dimensions[row].hidden = True
    save(workbook, path)
    analysis = accepted(path)
    assert [(where(w), w.message) for w in analysis.warnings] == [
        (
            ("Kết quả", 4, None),
            "4 dòng đang bị ẩn trong Excel (hàng ẩn hoặc bộ lọc) nhưng vẫn được nhập: dòng 4–6, "
            "8. Bỏ ẩn, bỏ lọc để xem lại trước khi xác nhận.",
        )
    ]
