"""Long exports (``cms.xlsx.stream_book``, XlsxWriter): a bold title, bold headers on a blue
fill, the rows below them frozen; numbers stay numbers, dates show ``dd/mm/yyyy``, texts stay
texts."""

from cms import xlsx

HEADER_FILL = "#DDEBF7"


class ExportBook:
    def __init__(self):
        self.workbook = xlsx.stream_book()

    def sheet(self, title: str, heading: str, headers: list[str], widths: list[int] | None = None):
        sheet = xlsx.stream_sheet(self.workbook, title)
        sheet.widths(widths or [])
        sheet.freeze(2)
        formats = self.workbook.formats
        sheet.append([heading], formats(bold=True, font_size=13))
        sheet.append(
            [str(header) for header in headers],
            formats(bold=True, bg_color=HEADER_FILL, pattern=1, text_wrap=True, valign="vcenter"),
        )
        return sheet

    def bytes(self) -> bytes:
        return xlsx.stream_bytes(self.workbook)


def number(value):
    """Decimals as floats (Excel has no decimal type); None stays empty."""
    return None if value is None else float(value)
