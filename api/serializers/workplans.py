"""Response shapes of the agencies' and units' work plans, with each item's fulfilment (its
state, the quantities assigned and completed on the lines drawn from it) and the plan's
(items, completed, overdue, percent) on the day asked — computed from the items and lines the
view prefetched (``workplans.services.fulfilment.read_states``), so a page of plans costs the
same few queries whatever its size."""

from __future__ import annotations

from rest_framework import serializers

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.schema import choice_ref, describe
from workplans.models import PlanKind, PlanStatus, WorkPlan, WorkPlanItem
from workplans.services.fulfilment import ITEM_STATES, read_states


@describe(_("Một mục của kế hoạch công tác và các dòng giao việc lấy từ mục đó."))
def _line_total(source: str, help_text) -> serializers.DecimalField:
    """A read-only sum over the assignment lines drawn from an item (as the line's quantities)."""
    return serializers.DecimalField(
        source=source, max_digits=12, decimal_places=2, read_only=True, help_text=help_text
    )


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

    state = choice_ref(
        "WorkPlanItemStateEnum",
        ITEM_STATES,
        source="fulfilment_state",
        read_only=True,
        help_text=_(
            "Tình trạng của mục vào ngày hỏi: unassigned — chưa giao (chưa có dòng giao việc); "
            "ongoing — đang thực hiện; done — hoàn thành (mọi dòng lấy từ mục đã hoàn thành đủ "
            "số lượng giao); overdue — quá hạn (quá thời hạn mà chưa hoàn thành)."
        ),
    )
    assigned = _line_total(
        "assigned_total", _("Tổng số lượng giao trên các dòng giao việc lấy từ mục.")
    )
    completed = _line_total(
        "completed_total", _("Tổng số lượng đã hoàn thành trên các dòng giao việc lấy từ mục.")
    )

    class Meta:
        model = WorkPlanItem
        fields = [
            "id",
            "name",
            "owner",
            "deadline",
            "product",
            "quantity",
            "lines",
            "documents",
            "state",
            "assigned",
            "completed",
        ]


@describe(_("Kết quả thực hiện một kế hoạch công tác vào ngày hỏi."))
class WorkPlanFulfilmentSerializer(serializers.Serializer):
    items = serializers.IntegerField(help_text=_("Số mục của kế hoạch."))
    done = serializers.IntegerField(help_text=_("Số mục đã hoàn thành."))
    overdue = serializers.IntegerField(help_text=_("Số mục quá hạn mà chưa hoàn thành."))
    percent = serializers.IntegerField(
        help_text=_("Tỷ lệ mục đã hoàn thành trên tổng số mục (%, làm tròn đến số nguyên).")
    )
    as_of = serializers.DateField(help_text=_("Ngày tính (hôm nay)."))


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
    fulfilment = WorkPlanFulfilmentSerializer(
        source="fulfilment_summary",
        read_only=True,
        help_text=_(
            "Kết quả thực hiện kế hoạch vào ngày hỏi: số mục, số mục hoàn thành, quá hạn và tỷ lệ "
            "hoàn thành (như trang kế hoạch và bảng theo dõi của đơn vị)."
        ),
    )

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
            "fulfilment",
            "items",
        ]

    def to_representation(self, instance):
        # The items' states and the plan's figures, from the prefetched items and lines.
        today = self.context.setdefault("today", timezone.localdate())
        instance.fulfilment_summary = read_states(instance, today)
        return super().to_representation(instance)
