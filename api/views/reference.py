"""Reference data (tag ``reference``): agencies, job positions, periods."""

from __future__ import annotations

import contextlib
import datetime

from rest_framework import viewsets

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy

from api import filters
from api.base import PagePagination, V1Mixin
from api.serializers.reference import AgencySerializer, JobPositionSerializer, PeriodSerializer
from api.views.common import FILTERS, REFERENCE_NOTE, read_schema
from api.views.job_descriptions import described_versions
from org.models import Agency, JobDescription, JobPosition
from scoring.models import Period


@read_schema(
    "reference",
    gettext_lazy("cơ quan, đơn vị"),
    gettext_lazy("một cơ quan, đơn vị"),
    AgencySerializer,
    REFERENCE_NOTE,
)
class AgencyViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AgencySerializer
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_class = filters.AgencyFilter
    ordering_fields = ["path", "code", "name", "depth"]
    ordering = ["path"]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    queryset = Agency.objects.select_related("parent").prefetch_related(
        Prefetch("children", queryset=Agency.objects.only("id", "parent_id").order_by("path"))
    )


@read_schema(
    "reference",
    gettext_lazy("vị trí việc làm"),
    gettext_lazy("một vị trí việc làm"),
    JobPositionSerializer,
    REFERENCE_NOTE,
)
class JobPositionViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = JobPositionSerializer
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_class = filters.JobPositionFilter
    ordering_fields = ["code", "name", "group"]
    ordering = ["group", "code"]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def _day(self) -> datetime.date:
        raw = self.request.query_params.get("on") if self.request else None
        if raw:
            with contextlib.suppress(ValueError):  # the filter set reports a bad date
                return datetime.date.fromisoformat(raw)
        return timezone.localdate()

    def get_queryset(self):
        # The province's common description (an agency's own one is listed under
        # /job-descriptions/ with its agency).
        in_force = described_versions(
            JobDescription.objects.in_force_on(self._day()).filter(agency__isnull=True)
        )
        return JobPosition.objects.prefetch_related(
            Prefetch("descriptions", queryset=in_force, to_attr="api_in_force")
        )


@read_schema(
    "reference",
    gettext_lazy("kỳ đánh giá"),
    gettext_lazy("một kỳ đánh giá"),
    PeriodSerializer,
    REFERENCE_NOTE,
)
class PeriodViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PeriodSerializer
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_class = filters.PeriodFilter
    ordering_fields = ["start_date", "end_date", "kind"]
    ordering = ["-start_date", "kind"]
    queryset = Period.objects.all()
