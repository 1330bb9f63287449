"""The workbook kit: heading row, frozen panes, widths and text that stays text."""

import io

from openpyxl import load_workbook

from cms.xlsx import DATE, column_widths, header_row, table_book, title_row, to_bytes


def test_a_table_book_keeps_its_rows_in_place_and_text_as_text():
    import datetime

    book, sheet = table_book("Một tên trang tính dài hơn ba mươi mốt ký tự")
    title_row(sheet, "Danh sách")
    assert header_row(sheet, ["Họ và tên", "Ngày"], freeze=True) == 2
    sheet.append(['=HYPERLINK("http://x","Xem")', datetime.date(2026, 3, 1)])
    sheet.cell(row=3, column=2).number_format = DATE
    column_widths(sheet, (30, 12))

    loaded = load_workbook(io.BytesIO(to_bytes(book))).active
    assert loaded.title == "Một tên trang tính dài hơn ba mươi mốt ký tự"[:31]
    assert [c.value for c in loaded[2]] == ["Họ và tên", "Ngày"]
    assert loaded["A2"].font.bold and loaded["A1"].font.size == 13
    # The data follow the heading directly (freezing creates no empty row) and stay text.
    assert loaded.max_row == 3
    assert loaded["A3"].data_type == "s" and loaded["A3"].value.startswith("=HYPERLINK")
    assert loaded["B3"].number_format == "dd/mm/yyyy"
    assert loaded.freeze_panes == "A3"
    assert loaded.column_dimensions["A"].width == 30
