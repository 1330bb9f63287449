"""Query and response shapes of the six-month results (H1/H2; ``ratings.services.half_year``;
issue 44 item 3, Gia Lai plan §IV.4.1.a, §V.1.d)."""

from __future__ import annotations

from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from api.schema import describe
from api.serializers.common import rating_field

MIN_YEAR, MAX_YEAR = 2000, 2100


class HalfYearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text=_("Năm (mặc định: năm hiện tại)."),
    )
    half = serializers.ChoiceField(
        required=False,
        choices=[1, 2],
        error_messages={
            "invalid_choice": _("“half” phải là 1 (6 tháng đầu năm) hoặc 2 (6 tháng cuối năm).")
        },
        help_text=_("1 — 6 tháng đầu năm; 2 — 6 tháng cuối năm; bỏ trống: cả hai."),
    )
    agency = serializers.CharField(
        required=False,
        help_text=_(
            "Mã cơ quan, đơn vị (hoặc mã gốc của một khối): người có quá trình công tác trong "
            "cây của cơ quan này trong năm."
        ),
    )


@describe(_("Kết quả một kỳ 6 tháng: bình quân các kỳ đã chấm trong 6 tháng, tính như điểm năm."))
class HalfYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    half = serializers.IntegerField(help_text=_("1 — 6 tháng đầu năm; 2 — 6 tháng cuối năm."))
    label = serializers.CharField()
    agency = serializers.CharField(
        allow_blank=True,
        source="agency_name",
        help_text=_("Cơ quan, đơn vị của vị trí công tác quyết định kỳ 6 tháng."),
    )
    score = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text=_("Điểm 6 tháng; null khi chưa có điểm hoặc khi đang tính lại."),
    )
    level = rating_field(help_text=_("Mức theo điểm 6 tháng; rỗng khi không có điểm."))
    months_worked = serializers.IntegerField(source="months")
    periods_counted = serializers.IntegerField(source="periods")
    recomputing_since = serializers.DateTimeField(
        allow_null=True,
        help_text=_(
            "Thời điểm số liệu đầu vào thay đổi khi một kỳ trong 6 tháng đang được chấm lại "
            "(null khi điểm đã theo kịp số liệu). Khi có giá trị, score là null: hãy đọc lại "
            "sau ít phút."
        ),
    )


@describe(_("Kết quả 6 tháng của một người."))
class HalfYearPersonSerializer(serializers.Serializer):
    official_id = serializers.CharField(source="person.official_id")
    full_name = serializers.CharField(source="person.full_name")
    halves = HalfYearSerializer(many=True)
