"""The progress board as an Excel workbook: dates as dates (dd/mm/yyyy), text kept as text."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from cms.spreadsheets import SafeSheet, neutralise_formulas

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LATE_FILL = PatternFill("solid", fgColor="FDE2E1")


def board_workbook(sections, year: int) -> bytes:
    book = Workbook()
    raw = book.active
    raw.title = str(_("Tiến độ"))[:31]
    sheet = SafeSheet(raw)
    sheet.append([_("Tiến độ thực hiện kế hoạch năm %(year)d") % {"year": year}])
    raw["A1"].font = Font(bold=True, size=13)
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
    sheet.append([str(h) for h in header])
    header_row = raw.max_row
    for cell in raw[header_row]:
        cell.font = Font(bold=True)
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
                raw.cell(row=row, column=column).number_format = "dd/mm/yyyy"
            if status.late:
                for cell in raw[row]:
                    cell.fill = LATE_FILL
    raw.freeze_panes = raw.cell(row=header_row + 1, column=1)
    for index, width in enumerate((40, 12, 20, 12, 40, 30, 9, 12, 14, 24, 14, 18), start=1):
        raw.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    neutralise_formulas(book)
    book.save(buffer)
    return buffer.getvalue()
