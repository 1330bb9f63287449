"""Query and response shapes of the aggregates of stored scores."""

from __future__ import annotations

from rest_framework import serializers

from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from api.schema import describe
from org.models import Agency
from scoring.models import parse_period_code


class AggregateQuerySerializer(serializers.Serializer):
    period = serializers.CharField(
        help_text=gettext_lazy("Mã kỳ: 2026-03, 2026-Q1, 2026-H1; 2026 là kết quả xếp loại năm.")
    )
    parent = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        required=False,
        help_text=gettext_lazy(
            "Mã cơ quan: trả một dòng cho mỗi đơn vị trực thuộc trực tiếp của cơ quan này."
        ),
    )
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        required=False,
        help_text=gettext_lazy("Mã cơ quan: chỉ một dòng cho cơ quan này (cả đơn vị trực thuộc)."),
    )

    def validate_period(self, value):
        try:
            return parse_period_code(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


@describe(_("Số người theo từng mức xếp loại."))
class BandCountsSerializer(serializers.Serializer):
    excellent = serializers.IntegerField(help_text=_("Hoàn thành xuất sắc nhiệm vụ."))
    good = serializers.IntegerField(help_text=_("Hoàn thành tốt nhiệm vụ."))
    completed = serializers.IntegerField(help_text=_("Hoàn thành nhiệm vụ."))
    not_completed = serializers.IntegerField(help_text=_("Không hoàn thành nhiệm vụ."))


@describe(_("Tổng hợp kết quả của một cơ quan, đơn vị (cả các đơn vị trực thuộc) trong một kỳ."))
class AgencyAggregateSerializer(serializers.Serializer):
    agency = serializers.CharField(help_text=_("Mã cơ quan, đơn vị."))
    agency_id = serializers.IntegerField()
    agency_name = serializers.CharField()
    kind = serializers.CharField()
    period = serializers.CharField(help_text=_("Mã kỳ; với năm (2026) là kết quả xếp loại năm."))
    rated = serializers.IntegerField(help_text=_("Số công chức được xếp mức."))
    counts = BandCountsSerializer()
    mean_score = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text=_("Điểm bình quân, làm tròn 2 chữ số; null khi không có ai."),
    )


@describe(_("Tổng hợp kết quả toàn tỉnh trong một kỳ."))
class ProvinceAggregateSerializer(AgencyAggregateSerializer):
    agencies = AgencyAggregateSerializer(
        many=True, help_text=_("Từng sở, ban, ngành và UBND xã, phường.")
    )
