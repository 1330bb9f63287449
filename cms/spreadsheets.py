"""Spreadsheet exports that never turn a person's text into a formula (CSV/formula injection).

The one place that decides, for every workbook and CSV file the project writes.

A name typed as ``=HYPERLINK("http://…?"&A1,"Xem")`` must reach Excel as text. In xlsx, openpyxl
makes every string that starts with ``=`` a formula cell: such cells are written as text cells
instead (the value is kept exactly, no character added). In CSV, where Excel and LibreOffice
evaluate a field starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return, such a text gets
a leading apostrophe (OWASP's advice). Numbers are never touched, and neither is a text that is
just a number (``-2``, ``-2,5``): a spreadsheet reads it as that number, never as a formula.

* CSV: :func:`csv_safe` on every field.
* xlsx written in write-only mode: :func:`safe_cell` (or append through :class:`SafeSheet`).
* xlsx built as an ordinary workbook: :func:`neutralise_formulas` just before saving.
* Wagtail listing exports (``?export=csv`` / ``?export=xlsx``): :class:`SafeSpreadsheetExportMixin`.
"""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def is_formula_like(value) -> bool:
    """True for a text a spreadsheet program could evaluate as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not PLAIN_NUMBER.fullmatch(value)
    )


def csv_safe(value):
    """A CSV field that spreadsheet programs will not evaluate."""
    if is_formula_like(value):
        return "'" + value
    return value


def safe_cell(sheet, value):
    """For write-only worksheets: ``value`` as a text cell if openpyxl would make it a formula
    (a string starting with ``=``); anything else unchanged (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell  # openpyxl only when a workbook is written

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
        self._sheet.append([safe_cell(self._sheet, value) for value in row])

    def __getattr__(self, name):
        return getattr(self._sheet, name)


class SafeSpreadsheetExportMixin:
    """For Wagtail listing views with ``list_export``: the CSV and XLSX exports keep every text
    as text. Put it before Wagtail's view class::

        class IndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView): ...

    CSV fields go through :func:`csv_safe`; XLSX cells that openpyxl would make formulas are
    written as text (Wagtail 7.4 does the same; kept here so an upgrade cannot lose it).
    """

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: csv_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format=date_format):
            if cell.data_type == "f":
                cell.data_type = "s"
            yield cell


def _safe_index_view():
    from wagtail.admin.views import generic

    from cms.listing import ShownValuesMixin

    return type(
        "SafeIndexView",
        (ShownValuesMixin, SafeSpreadsheetExportMixin, generic.IndexView),
        {"__module__": __name__, "__doc__": "Wagtail's model listing with escaped exports."},
    )


#: Wagtail's model listing with exports that keep text as text: every ``ModelViewSet`` of the
#: project that exports (``list_export``) uses it or a subclass.
SafeIndexView = _safe_index_view()
