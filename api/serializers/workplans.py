"""Response shapes of the agencies' and units' work plans, with each item's fulfilment."""

from __future__ import annotations

from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from api.schema import choice_ref, describe
from workplans.models import PlanKind, PlanStatus, WorkPlan, WorkPlanItem


@describe(_("Một mục của kế hoạch công tác và các dòng giao việc lấy từ mục đó."))
class WorkPlanItemSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(
        source="owner.official_id",
        allow_null=True,
        default=None,
        help_text=_("Mã số công chức người thực hiện; null nếu chưa giao cho ai."),
    )
    product = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=_("id sản phẩm trong phiên bản danh mục (catalog-items); null nếu không có."),
    )
    lines = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text=_("id các dòng giao việc lấy từ mục này (assignment-lines)."),
    )
    documents = serializers.ListField(
        child=serializers.CharField(),
        source="matched_documents",
        read_only=True,
        help_text=_(
            "Số, ký hiệu các văn bản giao việc nhận từ phần mềm quản lý văn bản đã được khớp với "
            "mục này; dòng giao việc của chúng nằm trong lines."
        ),
    )

    class Meta:
        model = WorkPlanItem
        fields = ["id", "name", "owner", "deadline", "product", "quantity", "lines", "documents"]


@describe(_("Một kế hoạch công tác tháng, quý hoặc năm của cơ quan, đơn vị."))
class WorkPlanSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", help_text=_("Mã cơ quan, đơn vị."))
    kind = choice_ref(
        "WorkPlanKindEnum",
        PlanKind.choices,
        help_text=_("month — tháng; quarter — quý; year — năm."),
    )
    status = choice_ref(
        "WorkPlanStatusEnum",
        PlanStatus.choices,
        help_text=_("draft — đang soạn; submitted — đã trình; approved — đã phê duyệt."),
    )
    items = WorkPlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = WorkPlan
        fields = [
            "id",
            "agency",
            "kind",
            "year",
            "number",
            "title",
            "status",
            "approved_at",
            "items",
        ]
