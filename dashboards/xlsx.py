"""Any dashboard table as an Excel workbook (``cms.xlsx``): title, frozen header, widths, note."""

import datetime
from decimal import Decimal

from django.utils import timezone

from cms.xlsx import DATETIME, XLSX, header_row, table_book, title_row, to_bytes

__all__ = ["XLSX", "table_workbook"]


def _cell(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if value is None or isinstance(value, (int, float, Decimal, datetime.date)):
        return value
    return str(value)


def table_workbook(table, heading: str) -> bytes:
    from openpyxl.utils import get_column_letter

    book, sheet = table_book(table.slug)
    title_row(sheet, heading)
    sheet.append([table.title])
    heading_row = header_row(sheet, [c.label for c in table.columns], freeze=True)
    for row in table.rows:
        sheet.append([_cell(row.get(c.key)) for c in table.columns])
    for index, column in enumerate(table.columns, start=1):
        longest = max(
            [len(str(column.label))]
            + [len(str(row.get(column.key) or "")) for row in table.rows[:500]]
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, longest + 2))
        if column.numeric:
            for (cell,) in sheet.iter_rows(min_row=heading_row + 1, min_col=index, max_col=index):
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = DATETIME
    if table.note:
        sheet.append([])
        sheet.append([table.note])
    return to_bytes(book)
