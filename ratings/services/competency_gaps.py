"""A person's gaps against the competency levels their position requires, for HR (training,
planning — Đắk Lắk plan §I.1; issue 45 item 2): the listing "Khoảng cách năng lực" and its
Excel file. The data: ``scoring.services.competencies.gaps`` (the latest assessment of each
competency, where the assessed level is below the required one)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.xlsx import column_widths, header_row, table_book, title_row, to_bytes


def gaps_xlsx(rows, *, scope: str) -> bytes:
    book, sheet = table_book(_("Khoảng cách năng lực"))
    title_row(sheet, _("KHOẢNG CÁCH NĂNG LỰC SO VỚI YÊU CẦU CỦA VỊ TRÍ VIỆC LÀM"))
    sheet.append(
        [
            _("%(scope)s; xuất ngày %(day)s")
            % {"scope": scope, "day": timezone.localdate().strftime("%d/%m/%Y")}
        ]
    )
    sheet.append(
        [
            _(
                "Mỗi dòng là một năng lực mà lần đánh giá gần nhất trên Mẫu 01 thấp hơn cấp độ "
                "bản mô tả công việc yêu cầu: căn cứ để đào tạo, bồi dưỡng, quy hoạch (Kế hoạch "
                "của UBND tỉnh Đắk Lắk, mục I.1)."
            )
        ]
    )
    header_row(
        sheet,
        [
            _("Họ và tên"),
            _("Số hiệu công chức"),
            _("Cơ quan, đơn vị"),
            _("Mã năng lực"),
            _("Năng lực"),
            _("Cấp độ yêu cầu"),
            _("Cấp độ đánh giá"),
            _("Thiếu (cấp độ)"),
            _("Kỳ đánh giá"),
        ],
        freeze=True,
    )
    for gap in rows:
        sheet.append(
            [
                gap.person_name,
                gap.official_id,
                gap.agency_name,
                gap.competency_code,
                gap.competency_name,
                gap.required,
                gap.assessed,
                gap.shortfall,
                gap.period_label,
            ]
        )
    column_widths(sheet, [28, 16, 30, 14, 36, 14, 14, 12, 16])
    return to_bytes(book)
