"""The one workbook kit: every .xlsx the project writes is built from these pieces.

Two shapes of workbook:

* **Tables** (dashboards, exports, payroll, oversight board, catalog): :func:`table_book` gives a
  workbook and its one sheet; :func:`title_row` puts a bold title, :func:`header_row` the bold
  column headings (and freezes the panes below them), :func:`column_widths` sets the widths.
* **Printed forms** (Form 01/02, the reports owed upward): :func:`print_sheet` is an A4 sheet
  fitted to the page; :func:`put` writes one cell in Times New Roman, :func:`put_signatures`
  the signature blocks.

Both end with :func:`to_bytes`, which turns every formula-looking text into text
(``cms.spreadsheets.neutralise_formulas``: a person's ``=HYPERLINK(…)`` reaches Excel as
text, never as a formula) and saves. Write-only workbooks (very long exports:
:func:`stream_book`) append through the ``cms.spreadsheets.SafeSheet`` of
:func:`stream_sheet` instead and end with :func:`stream_bytes`; the import templates start
from :func:`empty_book` and add their own sheets.

The import templates (tens of thousands of pre-filled, styled, validated rows: an agency's Form 01
marks) are written with XlsxWriter through :func:`template_book`, which writes a large sheet about
three times faster than openpyxl (issue 48: 11 s → under 4 s for 6,000 people's Form 01 marks);
every text goes in with ``write_string`` (never a formula or a link) and the book's structure is
locked.

No module outside this one creates an openpyxl ``Workbook`` (``tests/test_architecture.py``).

Numbers stay numbers, formatted with :data:`INTEGER`, :data:`DECIMAL_2`, dates with
:data:`DATE` / :data:`DATETIME` (``dd/mm/yyyy``): Excel shows the decimal separator of the
reader's system — a comma on a Vietnamese one.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from cms.spreadsheets import SafeSheet, neutralise_formulas

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# openpyxl is imported by the functions below, when a workbook is built: a web worker that only
# routes URLs does not load it (tests/importers/test_structure.py).

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

INTEGER = "0"
DECIMAL_2 = "0.00"
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"

FONT = "Times New Roman"

#: Alignments of a printed form's cell, for :func:`put` (names, so that openpyxl is imported only
#: when a form is built).
WRAP = "wrap"
CENTER = "center"


@functools.cache
def _styles() -> dict[str, Any]:
    """The border and alignments of printed forms, built on first use."""
    from openpyxl.styles import Alignment, Border, Side

    thin = Side(style="thin")
    return {
        "box": Border(left=thin, right=thin, top=thin, bottom=thin),
        WRAP: Alignment(wrap_text=True, vertical="top"),
        CENTER: Alignment(horizontal="center", vertical="center", wrap_text=True),
    }


# Tables ------------------------------------------------------------------------------------


def table_book(title: str) -> tuple[Workbook, Worksheet]:
    """A workbook with one sheet named ``title`` (cut to Excel's 31 characters)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]
    return book, sheet


def empty_book() -> Workbook:
    """A workbook without a sheet (the import templates add theirs, in their order)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return book


def stream_book() -> Workbook:
    """A write-only workbook (a very long export): rows go through :func:`stream_sheet`."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


@functools.cache
def _locked_book():
    import xlsxwriter

    class LockedBook(xlsxwriter.Workbook):
        # XlsxWriter has no call for ``<workbookProtection lockStructure="1"/>``; the element
        # comes right before ``<bookViews>`` in the schema (ECMA-376 CT_Workbook). The version
        # is pinned; tests/importers/test_templates.py reads the flag back.
        def _write_book_views(self) -> None:
            self._xml_empty_tag("workbookProtection", [("lockStructure", 1)])
            super()._write_book_views()

    return LockedBook


def template_book(buffer: io.BytesIO):
    """An XlsxWriter workbook writing to ``buffer`` whose structure is locked (sheets cannot be
    renamed, moved, deleted or unhidden), for the import templates (``importers.builders.base``).
    Texts are never read as formulas, links or numbers: ``write_string`` is used for them, and
    the options below turn the guessing off for any other call too."""
    return _locked_book()(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )


def stream_sheet(book: Workbook, title: str):
    """A new sheet of a :func:`stream_book` named ``title`` (cut to 31 characters), whose
    ``append`` keeps formula-looking text as text (``SafeSheet``)."""
    return SafeSheet(book.create_sheet(str(title)[:31]))


def stream_bytes(book: Workbook) -> bytes:
    """The saved write-only workbook (its cells were made safe as they were appended)."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def title_row(sheet: Worksheet, text, size: int = 13) -> int:
    """Appends ``text`` as a bold title row; returns its row number."""
    from openpyxl.styles import Font

    sheet.append([text])
    row = sheet.max_row
    sheet.cell(row=row, column=1).font = Font(bold=True, size=size)
    return row


def header_row(sheet: Worksheet, labels: Iterable, *, freeze: bool = False) -> int:
    """Appends the column headings in bold (as text); with ``freeze`` the rows above and this one
    stay in view when scrolling. Returns the heading row's number."""
    from openpyxl.styles import Font

    sheet.append([str(label) for label in labels])
    row = sheet.max_row
    for cell in sheet[row]:
        cell.font = Font(bold=True)
    if freeze:
        sheet.freeze_panes = f"A{row + 1}"  # a coordinate: sheet.cell() would create the row
    return row


def column_widths(sheet: Worksheet, widths: Sequence[float], first: int = 1) -> None:
    """Sets the widths of the columns from ``first`` (1 = A) on, in Excel's character units."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=first):
        sheet.column_dimensions[get_column_letter(index)].width = width


# Printed forms -----------------------------------------------------------------------------


def print_sheet(title: str, orientation: str = "portrait") -> tuple[Workbook, Worksheet]:
    """A one-sheet workbook printed on A4, fitted to the page width, left margin 30 mm
    (Decree 30/2020/NĐ-CP layout of administrative documents)."""
    book, sheet = table_book(title)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = orientation
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = 1.18  # 30 mm
    sheet.page_margins.right = 0.59
    return book, sheet


def put(
    sheet,
    row,
    col,
    value,
    bold=False,
    size=12,
    align=WRAP,
    border=False,
    italic=False,
    underline=None,
):
    """One cell of a printed form, in Times New Roman; ``align`` is :data:`WRAP`,
    :data:`CENTER` or an openpyxl ``Alignment``."""
    from openpyxl.styles import Font

    cell = sheet.cell(row=row, column=col, value=value)
    cell.font = Font(name=FONT, size=size, bold=bold, italic=italic, underline=underline)
    cell.alignment = _styles()[align] if isinstance(align, str) else align
    if border:
        cell.border = _styles()["box"]
    return cell


def put_signatures(sheet, signatures, start: int, width: int, *, right: bool = False) -> int:
    """Up to two signature blocks side by side (each has ``title``, ``note``, ``name`` and,
    when given, a ``date`` line above the title), with room to sign; ``right``: one block in
    the right half (a form signed part by part); returns the row after them."""
    half = max(2, width // 2)
    spans = [(half + 1, width)] if right else [(1, half), (half + 1, width)]
    dated = any(getattr(signature, "date", "") for signature in signatures)
    for (first, last), signature in zip(spans, signatures, strict=False):
        lines = [(getattr(signature, "date", ""), False, True)] if dated else []
        for offset, (value, bold, italic) in enumerate(
            (
                *lines,
                (signature.title, True, False),
                (signature.note, False, True),
                ("", False, False),
                ("", False, False),
                (signature.name, True, False),
            )
        ):
            sheet.merge_cells(
                start_row=start + offset,
                start_column=first,
                end_row=start + offset,
                end_column=last,
            )
            put(sheet, start + offset, first, value, bold=bold, italic=italic, align=CENTER)
    return start + 5 + (1 if dated else 0)


# Both --------------------------------------------------------------------------------------


def to_bytes(book: Workbook) -> bytes:
    """The saved workbook, every formula-looking text kept as text."""
    buffer = io.BytesIO()
    neutralise_formulas(book)
    book.save(buffer)
    return buffer.getvalue()
