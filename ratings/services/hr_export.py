"""The multi-year results of a list of people as an Excel workbook, for planning, appointment,
training, streamlining and recognition decisions (one row per person: the years × rating, the
flags raised with their citations). Same house style as the other exports: title rows, bold
frozen header, dates dd/mm/yyyy, scores with two decimals (shown with a decimal comma by a
Vietnamese Excel), no formula from user text."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.xlsx import (
    DATE,
    DECIMAL_2,
    column_widths,
    header_row,
    table_book,
    title_row,
    to_bytes,
)
from org.models.civil_servant import PersonCategory
from ratings.hr_flags import Purpose
from ratings.services.hr_history import PersonHistory
from ratings.services.labels import level_label


def year_text(result) -> str:
    if result.decided_level:
        return str(level_label(result.decided_level))
    if result.provisional_level:
        return _("%(level)s (dự kiến, chưa quyết định)") % {
            "level": level_label(result.provisional_level)
        }
    return ""


def category_label(code: str) -> str:
    return str(PersonCategory(code).label) if code in PersonCategory.values else ""


def flag_text(flag) -> str:
    text = _("%(label)s (%(years)s): %(consequence)s") % {
        "label": flag.rule.label,
        "years": flag.years_text,
        "consequence": flag.rule.consequence,
    }
    if flag.provisional:
        text += " — " + _("có năm chưa quyết định")
    return text


def history_xlsx(
    rows: list[PersonHistory], years: list[int], *, scope: str, purpose: str = ""
) -> bytes:
    from openpyxl.styles import Alignment

    book, sheet = table_book(_("Kết quả nhiều năm"))
    title_row(sheet, _("KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG NHIỀU NĂM PHỤC VỤ CÔNG TÁC CÁN BỘ"))
    purpose_text = str(Purpose(purpose).label) if purpose in Purpose.values else _("Tất cả")
    sheet.append(
        [
            _("%(scope)s; năm %(first)s–%(last)s; mục đích: %(purpose)s; xuất ngày %(day)s")
            % {
                "scope": scope,
                "first": years[0],
                "last": years[-1],
                "purpose": purpose_text,
                "day": timezone.localdate().strftime("%d/%m/%Y"),
            }
        ]
    )
    sheet.append(
        [
            _(
                "Mức “dự kiến” là xếp loại theo điểm năm, chưa có quyết định; cảnh báo chỉ tính "
                "các năm đã có quyết định xếp loại (trừ khi cấu hình khác). Cảnh báo là căn cứ "
                "để cấp có thẩm quyền xem xét, không phải quyết định."
            )
        ]
    )
    headings = [
        _("STT"),
        _("Mã số"),
        _("Họ và tên"),
        _("Đối tượng"),
        _("Cơ quan, đơn vị"),
        _("Vị trí, chức danh"),
    ]
    for year in years:
        headings += [_("Xếp loại %(year)s") % {"year": year}, _("Điểm %(year)s") % {"year": year}]
    headings += [
        _("Ngày quyết định năm %(year)s") % {"year": years[-1]},
        _("Cảnh báo"),
        _("Căn cứ pháp lý"),
    ]
    heading_row = header_row(sheet, headings)
    for cell in sheet[heading_row]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(rows, start=1):
        latest = row.latest
        values = [
            number,
            row.person.official_id,
            row.person.full_name,
            category_label(row.category),
            latest.agency_name if latest else "",
            latest.position if latest else "",
        ]
        by_year = {result.year: result for result in row.years}
        for year in years:
            result = by_year.get(year)
            values += [year_text(result) if result else "", result.score if result else None]
        last = by_year.get(years[-1])
        flags = row.flags_for(purpose)
        values += [
            last.decision_date if last else None,
            "\n".join(flag_text(flag) for flag in flags),
            "\n".join(f"{flag.rule.label}: {flag.rule.citation}" for flag in flags),
        ]
        sheet.append(values)
        excel_row = sheet.max_row
        for index in range(len(years)):
            sheet.cell(row=excel_row, column=8 + 2 * index).number_format = DECIMAL_2
        date_column = 7 + 2 * len(years)
        sheet.cell(row=excel_row, column=date_column).number_format = DATE
        for column in (date_column + 1, date_column + 2):
            sheet.cell(row=excel_row, column=column).alignment = Alignment(
                wrap_text=True, vertical="top"
            )
    sheet.freeze_panes = sheet.cell(row=heading_row + 1, column=4)
    column_widths(sheet, [6, 14, 26, 14, 30, 24] + [22, 8] * len(years) + [14, 60, 60])
    return to_bytes(book)
