"""Response shapes of the criteria frameworks and their published versions."""

from __future__ import annotations

from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from api.schema import describe


@describe(_("Một phiên bản đã công bố của khung tiêu chí."))
class FrameworkVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("id phiên bản (revision)."))
    created_at = serializers.DateTimeField(help_text=_("Thời điểm tạo phiên bản."))
    is_live = serializers.BooleanField(help_text=_("Là phiên bản đang áp dụng."))


@describe(
    _(
        "Quyết định phê duyệt khung tiêu chí do cơ quan đề xuất (chỉ khung đã phê duyệt được "
        "công bố)."
    )
)
class FrameworkApprovalSerializer(serializers.Serializer):
    agency = serializers.CharField(help_text=_("Mã cơ quan đề xuất."))
    scope = serializers.ChoiceField(
        choices=["individual", "organisation"],
        help_text=_(
            "individual: tiêu chí đánh giá công chức của cơ quan; organisation: tiêu chí đánh "
            "giá chính cơ quan (nhiệm vụ trọng tâm và hệ số, trong rules.organisation.key_tasks)."
        ),
    )
    decision_number = serializers.CharField(help_text=_("Số quyết định phê duyệt."))
    decision_date = serializers.DateField(help_text=_("Ngày quyết định."))
    effective_from = serializers.DateField(help_text=_("Áp dụng từ ngày (không áp dụng hồi tố)."))


@describe(
    _(
        "Khung tiêu chí đánh giá, theo phiên bản đang áp dụng (không bao giờ trả bản nháp). "
        "rules chỉ có khi xem chi tiết."
    )
)
class FrameworkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    period_type = serializers.CharField(help_text=_("Kỳ chấm điểm: month hoặc quarter."))
    applies_to = serializers.CharField(help_text=_("civil_servant hoặc organisation."))
    description = serializers.CharField(allow_blank=True)
    legal_basis = serializers.CharField(allow_blank=True)
    live_version = FrameworkVersionSerializer(help_text=_("Phiên bản đang áp dụng."))
    versions = FrameworkVersionSerializer(
        many=True, help_text=_("Các phiên bản đã công bố, mới nhất trước.")
    )
    approval = FrameworkApprovalSerializer(
        allow_null=True,
        help_text=_("Khung do cơ quan đề xuất: quyết định phê duyệt; null với khung của tỉnh."),
    )


@describe(_("Khung tiêu chí cùng nội dung quy tắc của phiên bản đang áp dụng."))
class FrameworkDetailSerializer(FrameworkSerializer):
    rules = serializers.JSONField(help_text=_("Nội dung quy tắc chấm điểm (JSON)."))


@describe(_("Nội dung một phiên bản đã công bố của khung tiêu chí."))
class FrameworkRevisionSerializer(FrameworkVersionSerializer):
    framework = serializers.IntegerField(help_text=_("id khung tiêu chí."))
    code = serializers.CharField()
    name = serializers.CharField()
    period_type = serializers.CharField()
    rules = serializers.JSONField(help_text=_("Nội dung quy tắc chấm điểm (JSON)."))
