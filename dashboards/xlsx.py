"""Any dashboard table as an Excel workbook (openpyxl): title, frozen header, widths, note."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cms.spreadsheets import neutralise_formulas

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if value is None or isinstance(value, (int, float, Decimal, datetime.date)):
        return value
    return str(value)


def table_workbook(table, heading: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.slug[:31]
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([table.title])
    sheet.append([str(c.label) for c in table.columns])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_cell(row.get(c.key)) for c in table.columns])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for index, column in enumerate(table.columns, start=1):
        longest = max(
            [len(str(column.label))]
            + [len(str(row.get(column.key) or "")) for row in table.rows[:500]]
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, longest + 2))
        if column.numeric:
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = "dd/mm/yyyy hh:mm"
    if table.note:
        sheet.append([])
        sheet.append([table.note])
    buffer = io.BytesIO()
    neutralise_formulas(book)
    book.save(buffer)
    return buffer.getvalue()
