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
text, never as a formula) and saves.

Long files are written with XlsxWriter, about twice as fast as openpyxl and row by row:

* **Long exports** (Form 01 of an agency, the province's summary, the blocs' report, the
  support requests): :func:`stream_book` and its :class:`StreamSheet` ``append`` rows in
  order; :func:`stream_bytes` makes the file. Each row leaves memory when the next is written.
* **Import templates** (tens of thousands of pre-filled, styled, validated rows: an agency's
  Form 01 marks): :func:`template_book`, the book's structure locked
  (``importers.builders.base``; issue 48: 11 s → 5 s for 79,000 rows).

Both write every cell with :func:`write`: a text always as text (``write_string``: never a
formula or a link), numbers as numbers, dates as dates shown ``dd/mm/yyyy``.

No module outside this one creates an openpyxl or XlsxWriter ``Workbook``
(``tests/test_architecture.py``).

Numbers stay numbers, formatted with :data:`INTEGER`, :data:`DECIMAL_2`, dates with
:data:`DATE` / :data:`DATETIME` (``dd/mm/yyyy``): Excel shows the decimal separator of the
reader's system — a comma on a Vietnamese one.
"""

from __future__ import annotations

import datetime
import functools
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cms.spreadsheets import neutralise_formulas

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
        {"in_memory": True, **NO_GUESSING},
    )


# XlsxWriter: the templates and the long exports ------------------------------------------

#: The most characters a cell holds in Excel (a longer text is cut, ending in "…").
CELL_TEXT_LIMIT = 32_767

#: XlsxWriter guesses nothing: a text is a text (never a formula, a link or a number).
NO_GUESSING = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def write(sheet, row: int, column: int, value, cell_format=None, date_format=None) -> None:
    """One cell of an XlsxWriter sheet (0-based), by its value's type: text always as text
    (``write_string``: a name starting with ``=`` stays a name), numbers as numbers, dates as
    dates (in ``cell_format``, else ``date_format``); ``None`` and an empty text are a blank
    cell, written only when it carries a format; a text longer than a cell holds is cut to
    :data:`CELL_TEXT_LIMIT` characters ending in "…" (XlsxWriter would cut it silently)."""
    kind = type(value)
    if kind is str and value:
        if len(value) > CELL_TEXT_LIMIT:  # Excel's limit: cut where the reader sees it was cut
            value = value[: CELL_TEXT_LIMIT - 1] + "…"
        sheet.write_string(row, column, value, cell_format)
    elif value is None or value == "":
        if cell_format is not None:
            sheet.write_blank(row, column, None, cell_format)
    elif kind is int or kind is float:
        sheet.write_number(row, column, value, cell_format)
    elif kind is bool:
        sheet.write_boolean(row, column, value, cell_format)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, column, float(value), cell_format)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, column, value, cell_format or date_format)
    else:
        write(sheet, row, column, str(value), cell_format, date_format)


class Formats:
    """A workbook's cell formats, one per set of properties (XlsxWriter keeps every format it
    is given: one per cell would make the styles part grow with the rows)."""

    def __init__(self, book) -> None:
        self.book = book
        self._made: dict[tuple, Any] = {}

    @property
    def date(self):
        """A date shown ``dd/mm/yyyy``."""
        return self(num_format=DATE)

    def __call__(self, **properties):
        key = tuple(sorted(properties.items()))
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self.book.add_format(properties)
        return made


class StreamSheet:
    """A sheet of a :class:`StreamBook`: rows appended in order, each cell by its value's type
    (:func:`write`), a date shown ``dd/mm/yyyy``."""

    def __init__(self, book: StreamBook, sheet) -> None:
        self.book, self.sheet = book, sheet
        self.rows = 0  # rows written so far (the next one's 0-based index)
        self.date_format = book.formats.date

    def append(self, values, cell_format=None) -> None:
        sheet, row, date_format = self.sheet, self.rows, self.date_format
        for column, value in enumerate(values):
            write(sheet, row, column, value, cell_format, date_format)
        self.rows += 1

    def widths(self, widths: Sequence[float], first: int = 0) -> None:
        for column, width in enumerate(widths, start=first):
            self.sheet.set_column(column, column, width)

    def freeze(self, rows: int) -> None:
        """The first ``rows`` rows stay in view when scrolling."""
        self.sheet.freeze_panes(rows, 0)


class StreamBook:
    """A long export (Form 01 of an agency, the province's summary, a listing) written with
    XlsxWriter row by row: each row leaves memory when the next one is written
    (``constant_memory``), the file is made by :meth:`bytes`."""

    def __init__(self) -> None:
        import xlsxwriter  # when a workbook is written, not when the app starts

        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"constant_memory": True, **NO_GUESSING})
        self.formats = Formats(self.book)

    def sheet(self, title: str) -> StreamSheet:
        """A new sheet named ``title`` (cut to Excel's 31 characters)."""
        return StreamSheet(self, self.book.add_worksheet(str(title)[:31]))

    def bytes(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def stream_book() -> StreamBook:
    """A long export's workbook: sheets from :func:`stream_sheet`, the file from
    :func:`stream_bytes`."""
    return StreamBook()


def stream_sheet(book: StreamBook, title: str) -> StreamSheet:
    """A new sheet of a :func:`stream_book` named ``title`` (cut to 31 characters)."""
    return book.sheet(title)


def stream_bytes(book: StreamBook) -> bytes:
    """The saved workbook."""
    return book.bytes()


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
