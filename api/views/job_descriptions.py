"""The competency dictionary and the approved job descriptions (tag ``reference``).

Only approved versions (and those a newer version superseded) are served: drafts and versions
waiting for approval stay in the admin (docs/api.md)."""

from __future__ import annotations

from rest_framework import viewsets

from django.utils.translation import gettext_lazy

from api import filters
from api.base import PagePagination, V1Mixin
from api.serializers.job_descriptions import (
    CompetencySerializer,
    JobDescriptionDetailSerializer,
    JobDescriptionSummarySerializer,
)
from api.views.common import FILTERS, REFERENCE_NOTE, read_schema, with_note
from org.models import Competency, JobDescription


def described_versions(queryset=None):
    """Approved versions with everything their detail shows, in a fixed number of queries."""
    queryset = JobDescription.objects.approved() if queryset is None else queryset
    return queryset.select_related("job_position", "agency").prefetch_related(
        "tasks", "requirements", "competencies__competency__levels"
    )


@read_schema(
    "reference",
    gettext_lazy("năng lực của khung năng lực"),
    gettext_lazy("một năng lực, với các cấp độ"),
    CompetencySerializer,
    REFERENCE_NOTE,
)
class CompetencyViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CompetencySerializer
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_class = filters.CompetencyFilter
    ordering_fields = ["code", "name", "kind"]
    ordering = ["kind", "code"]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    queryset = Competency.objects.prefetch_related("levels")


@read_schema(
    "reference",
    gettext_lazy("phiên bản bản mô tả công việc"),
    gettext_lazy("một phiên bản bản mô tả công việc, kèm nhiệm vụ và năng lực"),
    JobDescriptionSummarySerializer,
    with_note(
        gettext_lazy("Chỉ các phiên bản đã phê duyệt (bất biến); không có bản đang soạn."),
        REFERENCE_NOTE,
    ),
    detail_serializer=JobDescriptionDetailSerializer,
)
class JobDescriptionViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_class = filters.JobDescriptionFilter
    ordering_fields = ["effective_from", "number"]
    ordering = ["job_position__code", "-number"]

    def get_queryset(self):
        if self.action == "retrieve":
            return described_versions()
        return JobDescription.objects.approved().select_related("job_position", "agency")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return JobDescriptionDetailSerializer
        return JobDescriptionSummarySerializer
