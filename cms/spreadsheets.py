"""Spreadsheet exports that never turn a person's text into a formula (CSV/formula injection).

A name typed as ``=HYPERLINK("http://…?"&A1,"Xem")`` must reach Excel as text. In xlsx, openpyxl
makes every string that starts with ``=`` a formula cell: those cells are turned back into text
(the value is kept exactly). In CSV, where Excel evaluates ``=``, ``+``, ``-``, ``@``, tab and
carriage return at the start of a field, such a text gets a leading apostrophe (OWASP's advice);
numbers are never touched, so a negative number stays a number.
"""

from openpyxl.cell import WriteOnlyCell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A CSV field that spreadsheet programs will not evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def text_cell(sheet, value):
    """For write-only worksheets: ``value`` as a cell that is text if it looks like a formula."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


def neutralise_formulas(workbook) -> None:
    """For ordinary (not write-only) workbooks, before saving: every formula cell becomes text.
    Our exports write no formula of their own, so any formula came from someone's data."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


class SafeSheet:
    """A write-only worksheet whose ``append`` keeps formula-looking text as text."""

    def __init__(self, sheet):
        self._sheet = sheet

    def append(self, row):
        self._sheet.append([text_cell(self._sheet, value) for value in row])

    def __getattr__(self, name):
        return getattr(self._sheet, name)


class SafeCsvExportMixin:
    """For Wagtail listing views: the CSV export escapes formula-looking text (Wagtail's own
    XLSX export already writes such cells as text)."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: csv_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )
