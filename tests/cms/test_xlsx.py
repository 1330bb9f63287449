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


def test_a_stream_book_writes_text_as_text_dates_as_dates_and_cuts_what_a_cell_cannot_hold():
    """The long exports' kit (XlsxWriter, session 40): a name that looks like a formula or a link
    stays that text, a date shows dd/mm/yyyy, numbers stay numbers, and a text longer than
    Excel's 32,767 characters is cut where the reader sees it was cut."""
    import datetime
    from decimal import Decimal

    from cms.xlsx import CELL_TEXT_LIMIT, stream_book, stream_bytes, stream_sheet

    book = stream_book()
    sheet = stream_sheet(book, "Một tên trang tính dài hơn ba mươi mốt ký tự")
    sheet.widths([30, 12])
    sheet.freeze(1)
    sheet.append(["Họ và tên", "Ngày", "Điểm", "Nội dung"], book.formats(bold=True))
    long_text = "Kiến nghị " * 5_000  # 50,000 characters
    sheet.append(
        ['=HYPERLINK("http://x","Xem")', datetime.date(2026, 3, 1), Decimal("94.5"), long_text]
    )
    sheet.append(["https://kpi.example.vn/admin/", None, 7, ""])

    loaded = load_workbook(io.BytesIO(stream_bytes(book))).active
    assert loaded.title == "Một tên trang tính dài hơn ba mươi mốt ký tự"[:31]
    assert loaded["A1"].font.bold and loaded.freeze_panes == "A2"
    assert loaded["A2"].data_type == "s" and loaded["A2"].value == '=HYPERLINK("http://x","Xem")'
    assert loaded["B2"].value == datetime.datetime(2026, 3, 1)
    assert loaded["B2"].number_format == "dd/mm/yyyy"
    assert loaded["C2"].value == 94.5 and loaded["C3"].value == 7
    cut = loaded["D2"].value
    assert len(cut) == CELL_TEXT_LIMIT and cut.endswith("…") and long_text.startswith(cut[:-1])
    assert loaded["A3"].value == "https://kpi.example.vn/admin/" and not loaded["A3"].hyperlink
    assert loaded["B3"].value is None and loaded["D3"].value is None
    assert loaded.column_dimensions["A"].width > 29
