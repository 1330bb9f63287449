"""Read endpoints of the work plans (kế hoạch công tác): the rows of the caller's reach."""

from __future__ import annotations

from rest_framework import viewsets

from django.utils.translation import gettext_lazy

from api.base import PagePagination, ScopedQuerysetMixin, V1Mixin
from api.serializers.workplans import WorkPlanSerializer
from api.views.common import FILTERS, read_schema
from workplans.models import WorkPlan

NOTE = gettext_lazy(
    "Sở Nội vụ xem tất cả; người được phân quyền cơ quan xem kế hoạch của cơ quan đó và các đơn "
    "vị trực thuộc; hệ thống tích hợp xem các cơ quan được cấp."
)


@read_schema(
    "reference",
    gettext_lazy("kế hoạch công tác"),
    gettext_lazy("một kế hoạch công tác, với các mục"),
    WorkPlanSerializer,
    NOTE,
)
class WorkPlanViewSet(ScopedQuerysetMixin, V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = WorkPlanSerializer
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_fields = ["year", "kind", "status"]
    ordering_fields = ["year", "id"]
    ordering = ["-year", "id"]
    queryset = WorkPlan.objects.select_related("agency").prefetch_related(
        "items__owner", "items__lines", "items__matched_packages__package"
    )
