"""Streaming (write-only) openpyxl workbooks for exports: bold headers, frozen header row."""

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from cms import xlsx
from cms.spreadsheets import SafeSheet

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=13)


class ExportBook:
    def __init__(self):
        self.workbook = xlsx.stream_book()

    def sheet(self, title: str, heading: str, headers: list[str], widths: list[int] | None = None):
        sheet = self.workbook.create_sheet(title[:31])
        for index, width in enumerate(widths or [], start=1):
            from openpyxl.utils import get_column_letter

            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A3"
        title_cell = WriteOnlyCell(sheet, heading)
        title_cell.font = TITLE_FONT
        sheet.append([title_cell])
        cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, header)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cells.append(cell)
        sheet.append(cells)
        return SafeSheet(sheet)

    def bytes(self) -> bytes:
        return xlsx.stream_bytes(self.workbook)


def number(value):
    """Decimals as floats (Excel has no decimal type); None stays empty."""
    return None if value is None else float(value)
