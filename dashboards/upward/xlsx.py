"""A report owed upward as a one-sheet workbook (A4 landscape, Times New Roman, print-ready):
the official header (built with ``cms.xlsx``), then the figure tables, the signatures.

Counts are whole numbers and shares numbers with two decimals (``0.00``: Excel shows them with
the reader's decimal separator — a comma on a Vietnamese system)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cms.xlsx import (
    CENTER,
    DECIMAL_2,
    INTEGER,
    column_widths,
    print_sheet,
    put,
    put_signatures,
    to_bytes,
)

from .documents import Report, level_headings, row_cells

WIDTH = 10  # label, total, then count and share for each of the four levels


def _heading(sheet, report: Report) -> int:
    half = 4
    header = report.header
    spans = (
        (1, 1, half, header.upper_body, False, 12, None),
        (2, 1, half, header.agency, True, 12, None),
        (3, 1, half, report.number, False, 12, None),
        (1, half + 1, WIDTH, header.motto[0], True, 12, None),
        (2, half + 1, WIDTH, header.motto[1], True, 13, "single"),
        (3, half + 1, WIDTH, header.place_date, False, 12, None),
    )
    for row, first, last, value, bold, size, underline in spans:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        put(
            sheet,
            row,
            first,
            value,
            bold=bold,
            size=size,
            align=CENTER,
            underline=underline,
            italic=row == 3 and first > 1,
        )
    row = 5
    for value, bold, size in (
        (header.title, True, 14),
        (header.subtitle, True, 13),
        (_("Kính gửi: %(to)s") % {"to": report.recipient}, False, 13),
    ):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=WIDTH)
        put(sheet, row, 1, value, bold=bold, size=size, align=CENTER)
        row += 1
    return row + 1


def _paragraph(sheet, row: int, text: str, bold=False) -> int:
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=WIDTH)
    put(sheet, row, 1, text, bold=bold)
    sheet.row_dimensions[row].height = 15 * max(1, len(text) // 120 + 1)
    return row + 1


def _table_head(sheet, row: int, first: str) -> int:
    for col, title in ((1, first), (2, _("Tổng số"))):
        sheet.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col)
        put(sheet, row, col, title, bold=True, border=True, align=CENTER)
        put(sheet, row + 1, col, None, border=True)
    for index, label in enumerate(level_headings()):
        col = 3 + 2 * index
        sheet.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + 1)
        put(sheet, row, col, label, bold=True, border=True, align=CENTER)
        put(sheet, row, col + 1, None, border=True)
        put(sheet, row + 1, col, _("Số lượng"), bold=True, border=True, align=CENTER)
        put(sheet, row + 1, col + 1, _("Tỷ lệ (%)"), bold=True, border=True, align=CENTER)
    sheet.row_dimensions[row].height = 45
    return row + 2


def _table_row(sheet, row: int, label: str, cells: list, bold=False) -> int:
    put(sheet, row, 1, label, bold=bold, border=True)
    for col, value in enumerate(cells, start=2):
        cell = put(sheet, row, col, value, bold=bold, border=True, align=CENTER)
        cell.number_format = INTEGER if col == 2 or col % 2 == 1 else DECIMAL_2
    return row + 1


def report_xlsx(report: Report) -> bytes:
    book, sheet = print_sheet(_("Báo cáo"), orientation="landscape")
    sheet.page_margins.left = 0.79
    sheet.column_dimensions["A"].width = 42
    column_widths(sheet, [11] * (WIDTH - 1), first=2)
    row = _heading(sheet, report)
    for line in report.intro:
        row = _paragraph(sheet, row, line)
    for table in report.tables:
        row = _paragraph(sheet, row + 1, table.title, bold=True)
        row = _table_head(sheet, row, table.first_column)
        for item in table.rows:
            row = _table_row(sheet, row, item.label, row_cells(item))
        if table.total is not None:
            row = _table_row(sheet, row, _("Tổng cộng"), row_cells(table.total), bold=True)
    if report.organisation_list:
        row = _paragraph(
            sheet, row + 1, _("5. Danh sách cơ quan, tổ chức, đơn vị đã được xếp loại"), True
        )
        for col, title in ((1, _("STT")), (2, _("Cơ quan, đơn vị")), (6, _("Mức xếp loại"))):
            put(sheet, row, col, title, bold=True, border=True, align=CENTER)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        sheet.merge_cells(start_row=row, start_column=6, end_row=row, end_column=WIDTH)
        row += 1
        for number, name, level in report.organisation_list:
            put(sheet, row, 1, number, border=True, align=CENTER)
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
            put(sheet, row, 2, name, border=True)
            sheet.merge_cells(start_row=row, start_column=6, end_row=row, end_column=WIDTH)
            put(sheet, row, 6, level, border=True)
            row += 1
    row += 1
    for line in report.quota_lines + report.notes:
        row = _paragraph(sheet, row, line)
    put_signatures(sheet, report.signatures, row + 1, WIDTH)
    return to_bytes(book)
