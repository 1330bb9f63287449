"""Aggregates of stored scores (tag ``aggregates``): per agency and for the province."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api import aggregates
from api.base import READ_ERRORS, V1Mixin
from api.errors import ErrorSerializer
from api.permissions import sees_everything
from api.serializers.aggregates import (
    AgencyAggregateSerializer,
    AggregateQuerySerializer,
    ProvinceAggregateSerializer,
)
from org import access
from org.models import Agency, AgencyKind
from scoring.aggregates import path_tallies, subtree_tally
from scoring.models import Period

AGGREGATE_PARAMETERS = [
    OpenApiParameter(
        "period",
        str,
        required=True,
        description=gettext_lazy("Mã kỳ: 2026-03, 2026-Q1, 2026-H1; 2026 là kết quả năm."),
    ),
]


def _query(request, *, allow_tree: bool):
    serializer = AggregateQuerySerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    if not allow_tree:
        return data["period"], None, None
    return data["period"], data.get("parent"), data.get("agency")


def _code(period: tuple) -> str:
    kind, year, number = period
    return Period(kind=kind, year=year, number=number).code


class AgencyAggregatesView(V1Mixin, APIView):
    """GET /api/v1/aggregates/agencies/ — counts per rating band and mean score per agency."""

    @extend_schema(
        operation_id="aggregates_agencies",
        tags=["aggregates"],
        summary=gettext_lazy("Tổng hợp theo cơ quan, đơn vị trong một kỳ"),
        description=gettext_lazy(
            "Mỗi dòng là một cơ quan, đơn vị (tính cả mọi đơn vị trực thuộc): số công chức "
            "theo từng mức xếp loại và điểm bình quân. Mặc định là các sở, ban, ngành và UBND "
            "xã, phường; parent cho các đơn vị trực thuộc của một cơ quan; agency cho một cơ "
            "quan. Chỉ gồm các cơ quan người gọi được xem, và chỉ tính các kết quả người gọi "
            "được xem."
        ),
        parameters=[
            *AGGREGATE_PARAMETERS,
            OpenApiParameter(
                "parent", str, description=gettext_lazy("Mã cơ quan cấp trên (tuỳ chọn).")
            ),
            OpenApiParameter("agency", str, description=gettext_lazy("Mã cơ quan (tuỳ chọn).")),
        ],
        responses={200: AgencyAggregateSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request):
        period, parent, agency = _query(request, allow_tree=True)
        visible = access.visible(request.user, Agency)
        if agency is not None:
            chosen = visible.filter(pk=agency.pk)
        elif parent is not None:
            chosen = visible.filter(parent=parent)
        else:
            chosen = visible.filter(depth=1, kind__in=(AgencyKind.DEPARTMENT, AgencyKind.COMMUNE))
        targets = list(chosen.order_by("path"))
        queryset, field = aggregates.scores_for(period)
        tallies = path_tallies(access.visible(request.user, queryset), field)
        code = _code(period)
        rows = [
            aggregates.row(target, subtree_tally(tallies, target.path), code) for target in targets
        ]
        return Response(AgencyAggregateSerializer(rows, many=True).data)


class ProvinceAggregateView(V1Mixin, APIView):
    """GET /api/v1/aggregates/province/ — the whole province in one period."""

    @extend_schema(
        operation_id="aggregates_province",
        tags=["aggregates"],
        summary=gettext_lazy("Tổng hợp toàn tỉnh trong một kỳ"),
        description=gettext_lazy(
            "Số công chức theo từng mức xếp loại và điểm bình quân của toàn tỉnh, kèm từng "
            "sở, ban, ngành và UBND xã, phường. Chỉ Sở Nội vụ và hệ thống được cấp phạm vi toàn "
            "tỉnh."
        ),
        parameters=AGGREGATE_PARAMETERS,
        responses={
            200: ProvinceAggregateSerializer,
            **READ_ERRORS,
            404: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("Chưa có UBND tỉnh trong cây tổ chức.")
            ),
        },
    )
    def get(self, request):
        if not sees_everything(request.user):
            raise exceptions.PermissionDenied(
                _("Chỉ Sở Nội vụ hoặc hệ thống có phạm vi toàn tỉnh xem được số liệu toàn tỉnh.")
            )
        period, _parent, _agency = _query(request, allow_tree=False)
        province = Agency.objects.filter(parent__isnull=True).order_by("id").first()
        if province is None:
            raise exceptions.NotFound()
        queryset, field = aggregates.scores_for(period)
        tallies = path_tallies(queryset, field)
        code = _code(period)
        data = aggregates.row(province, subtree_tally(tallies, province.path), code)
        tops = Agency.objects.filter(
            Q(depth=1) & Q(kind__in=(AgencyKind.DEPARTMENT, AgencyKind.COMMUNE))
        ).order_by("path")
        data["agencies"] = [
            aggregates.row(top, subtree_tally(tallies, top.path), code) for top in tops
        ]
        return Response(ProvinceAggregateSerializer(data).data)
