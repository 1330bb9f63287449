"""Civil servants (tag ``people``)."""

from __future__ import annotations

from rest_framework import viewsets

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from api import filters
from api.base import PagePagination, ScopedQuerysetMixin, V1Mixin
from api.serializers.people import CivilServantSerializer
from api.views.common import FILTERS, PERSONAL_NOTE, read_schema
from org.models import CivilServant, Posting


@read_schema(
    "people",
    gettext_lazy("công chức"),
    gettext_lazy("một công chức (theo mã số công chức)"),
    CivilServantSerializer,
    PERSONAL_NOTE,
)
class CivilServantViewSet(ScopedQuerysetMixin, V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CivilServantSerializer
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_class = filters.CivilServantFilter
    ordering_fields = ["full_name", "official_id", "id"]
    ordering = ["full_name", "official_id"]
    lookup_field = "official_id"
    lookup_value_regex = "[^/]+"
    access_log_type = "civil_servant"
    queryset = CivilServant.objects.prefetch_related(
        Prefetch(
            "postings",
            Posting.objects.select_related("agency", "job_position").order_by("-start_date", "-id"),
        )
    )
