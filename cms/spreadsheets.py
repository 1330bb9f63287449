"""Spreadsheet exports that never turn a person's text into a formula (CSV/formula injection).

The one place that decides, for every workbook and CSV file the project writes.

A name typed as ``=HYPERLINK("http://…?"&A1,"Xem")`` must reach Excel as text. In xlsx, openpyxl
makes every string that starts with ``=`` a formula cell: such cells are written as text cells
instead (the value is kept exactly, no character added). In CSV, where Excel and LibreOffice
evaluate a field starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return, such a text gets
a leading apostrophe (OWASP's advice). Numbers are never touched, and neither is a text that is
just a number (``-2``, ``-2,5``): a spreadsheet reads it as that number, never as a formula.

* CSV: :func:`csv_safe` on every field.
* xlsx written in openpyxl's write-only mode: :func:`safe_cell` (or append through
  :class:`SafeSheet`).
* xlsx built as an ordinary workbook: :func:`neutralise_formulas` just before saving.
* xlsx written with XlsxWriter (``cms.xlsx.stream_book``, ``cms.xlsx.template_book``): every
  text through ``write_string`` (``cms.xlsx.write``), which never makes a formula.
* Wagtail listing exports (``?export=csv`` / ``?export=xlsx``):
  :class:`cms.listing_exports.SafeSpreadsheetExportMixin` (which also sends a long export to
  the export kit).
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
