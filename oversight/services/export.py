"""The progress board as an Excel workbook: dates as dates (dd/mm/yyyy), text kept as text."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cms.spreadsheets import SafeSheet
from cms.xlsx import DATE, XLSX, column_widths, header_row, table_book, title_row, to_bytes

__all__ = ["XLSX", "board_workbook"]
LATE_COLOUR = "FDE2E1"  # a late milestone's row, light red


def board_workbook(sections, year: int) -> bytes:
    from openpyxl.styles import PatternFill  # openpyxl only when a workbook is built

    late_fill = PatternFill("solid", fgColor=LATE_COLOUR)
    book, raw = table_book(_("Tiến độ"))
    sheet = SafeSheet(raw)
    title_row(raw, _("Tiến độ thực hiện kế hoạch năm %(year)d") % {"year": year})
    header = [
        _("Mốc"),
        _("Hạn"),
        _("Căn cứ"),
        _("Mã cơ quan"),
        _("Cơ quan"),
        _("Tình trạng"),
        _("Trễ hạn"),
        _("Ngày nộp"),
        _("Ngày thẩm định"),
        _("Người thẩm định"),
        _("Ngày phê duyệt"),
        _("Quyết định"),
    ]
    header_row(raw, header, freeze=True)
    for section in sections:
        milestone = section["milestone"]
        for status in section["statuses"]:
            sheet.append(
                [
                    milestone.name,
                    milestone.due_date,
                    milestone.source,
                    status.agency.code,
                    status.agency.name,
                    status.label,
                    _("Có") if status.late else _("Không"),
                    status.submitted_on,
                    status.appraised_on,
                    status.appraised_by,
                    status.approved_on,
                    status.decision_ref,
                ]
            )
            row = raw.max_row
            for column in (2, 8, 9, 11):
                raw.cell(row=row, column=column).number_format = DATE
            if status.late:
                for cell in raw[row]:
                    cell.fill = late_fill
    column_widths(raw, (40, 12, 20, 12, 40, 30, 9, 12, 14, 24, 14, 18))
    return to_bytes(book)
