"""Query and response shapes of the results for HR decisions (multi-year ratings and flags,
``ratings.services.hr_history``; docs/hr-decisions.md)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from api.schema import describe
from api.serializers.common import rating_field
from org.models.civil_servant import PersonCategory
from ratings.hr_flags import Purpose, all_rules

MIN_YEAR, MAX_YEAR = 2000, 2100


class HrHistoryQuerySerializer(serializers.Serializer):
    agency = serializers.CharField(
        required=False, help_text=_("Mã cơ quan: người có quá trình công tác trong cơ quan này.")
    )
    year = serializers.IntegerField(
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text=_("Năm cuối của khoảng (mặc định: năm gần nhất có hồ sơ xếp loại)."),
    )
    years = serializers.IntegerField(
        required=False, min_value=1, max_value=10, help_text=_("Số năm (mặc định 5).")
    )
    flag = serializers.ChoiceField(
        required=False, choices=[], help_text=_("Chỉ người có cảnh báo này.")
    )
    category = serializers.ChoiceField(
        required=False,
        choices=PersonCategory.values,
        help_text=_("Đối tượng của năm gần nhất."),
    )
    purpose = serializers.ChoiceField(
        required=False,
        choices=Purpose.values,
        help_text=_("Chỉ người có cảnh báo phục vụ mục đích này; chỉ trả các cảnh báo đó."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flag"].choices = [rule.code for rule in all_rules() if rule.enabled]


@describe(_("Kết quả một năm: mức đã quyết định, hoặc mức dự kiến theo điểm năm."))
class HrYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    level = rating_field(
        help_text=_(
            "Mức đã quyết định; nếu chưa có, mức dự kiến theo điểm năm; null nếu không có."
        ),
        allow_null=True,
        source="level_or_none",
    )
    decided = serializers.BooleanField(help_text=_("Đã có quyết định xếp loại."))
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    decision_ref = serializers.CharField(allow_blank=True)
    decision_date = serializers.DateField(allow_null=True)
    category = serializers.CharField(
        allow_blank=True,
        help_text=_("Đối tượng trong năm: cadre, civil_servant, public_employee, contract_worker."),
    )
    agency = serializers.CharField(allow_blank=True, source="agency_name")
    position = serializers.CharField(allow_blank=True)


@describe(_("Một cảnh báo theo quy định: điều kiện, các năm, căn cứ pháp lý."))
class HrFlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(source="rule.label")
    consequence = serializers.CharField(source="rule.consequence")
    years = serializers.ListField(child=serializers.IntegerField())
    provisional = serializers.BooleanField(help_text=_("Có năm chưa quyết định được tính."))
    purposes = serializers.ListField(child=serializers.CharField(), source="rule.purposes")
    citation = serializers.CharField(source="rule.citation")


@describe(_("Kết quả nhiều năm của một người và các cảnh báo phục vụ công tác cán bộ."))
class HrPersonSerializer(serializers.Serializer):
    official_id = serializers.CharField(source="person.official_id")
    full_name = serializers.CharField(source="person.full_name")
    category = serializers.CharField(allow_blank=True)
    years = HrYearSerializer(many=True)
    flags = serializers.SerializerMethodField()

    @extend_schema_field(HrFlagSerializer(many=True))
    def get_flags(self, history):
        flags = history.flags_for(self.context.get("purpose", ""))
        return HrFlagSerializer(flags, many=True).data
