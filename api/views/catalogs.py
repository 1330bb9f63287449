"""Product catalogs (tag ``catalogs``): per agency, their approved versions and items."""

from __future__ import annotations

import contextlib
import datetime

from rest_framework import viewsets

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy

from api import filters
from api.base import PagePagination, V1Mixin
from api.serializers.catalogs import (
    CatalogItemSerializer,
    CatalogSerializer,
    CatalogVersionDetailSerializer,
    CatalogVersionSummarySerializer,
)
from api.views.common import FILTERS, REFERENCE_NOTE, read_schema, with_note
from catalog_pages.models import CatalogVersion, CatalogVersionItem
from org.models import Agency


def _versions():
    return (
        CatalogVersion.objects.select_related("agency")
        .annotate(item_count=Count("items"))
        .order_by("-effective_from", "-number")
    )


@read_schema(
    "catalogs",
    gettext_lazy("danh mục sản phẩm/công việc theo cơ quan"),
    gettext_lazy("danh mục sản phẩm/công việc của một cơ quan"),
    CatalogSerializer,
    with_note(
        gettext_lazy("Chỉ các phiên bản đã phê duyệt (bất biến); không có bản nháp."),
        REFERENCE_NOTE,
    ),
)
class CatalogViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CatalogSerializer
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_class = filters.CatalogFilter
    ordering_fields = ["path", "code", "name"]
    ordering = ["path"]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return (
            Agency.objects.filter(pk__in=CatalogVersion.objects.values("agency_id"))
            .prefetch_related(Prefetch("catalog_versions", _versions(), to_attr="api_versions"))
            .order_by("path")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        raw = self.request.query_params.get("on") if self.request else None
        if raw:
            with contextlib.suppress(ValueError):  # the filter set reports a bad date
                context["on"] = datetime.date.fromisoformat(raw)
        return context


@read_schema(
    "catalogs",
    gettext_lazy("phiên bản danh mục"),
    gettext_lazy("một phiên bản danh mục, kèm sản phẩm/công việc"),
    CatalogVersionSummarySerializer,
    REFERENCE_NOTE,
    detail_serializer=CatalogVersionDetailSerializer,
)
class CatalogVersionViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_class = filters.CatalogVersionFilter
    ordering_fields = ["effective_from", "number", "approved_at"]
    ordering = ["agency__path", "-number"]

    def get_queryset(self):
        queryset = _versions().order_by("agency__path", "-number")
        if self.action == "retrieve":
            items = CatalogVersionItem.objects.prefetch_related(
                "job_positions", "duties__description__job_position", "duties__description__agency"
            ).order_by("sort_order", "id")
            queryset = queryset.prefetch_related(Prefetch("items", items))
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CatalogVersionDetailSerializer
        return CatalogVersionSummarySerializer


@read_schema(
    "catalogs",
    gettext_lazy("sản phẩm/công việc của các phiên bản danh mục"),
    gettext_lazy("một sản phẩm/công việc"),
    CatalogItemSerializer,
    REFERENCE_NOTE,
)
class CatalogItemViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CatalogItemSerializer
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_class = filters.CatalogItemFilter
    ordering_fields = ["code", "complexity_group", "coefficient"]
    ordering = ["version_id", "sort_order", "id"]
    queryset = CatalogVersionItem.objects.prefetch_related(
        "job_positions", "duties__description__job_position", "duties__description__agency"
    )
