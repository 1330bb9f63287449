"""Read endpoints of /api/v1/: reference data, people, lines, scores, ratings, aggregates."""

from __future__ import annotations

import contextlib
import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import ModelLogEntry, Revision

from catalog_pages.models import CatalogVersion, CatalogVersionItem
from org.models import Agency, AgencyKind, CivilServant, JobPosition, Posting
from ratings.models import RatingCase
from ratings.models.choices import CaseKind, CaseState
from scoring.aggregates import path_tallies, subtree_tally
from scoring.models import (
    AnnualScore,
    AssignmentLine,
    CriteriaFramework,
    Period,
    PeriodScore,
    parse_period_code,
)
from scoring.services.frameworks import published_revision_ids

from . import aggregates, filters
from . import read_serializers as rs
from .authentication import is_system
from .base import DETAIL_ERRORS, READ_ERRORS, LargeListPagination, PagePagination, V1Mixin
from .errors import ErrorSerializer
from .permissions import (
    api_visible_agencies,
    api_visible_civil_servants,
    api_visible_lines,
    api_visible_rating_cases,
    api_visible_scores,
    sees_everything,
)
from .write import external_prefix

FILTERS = [DjangoFilterBackend, OrderingFilter]
REFERENCE_NOTE = gettext_lazy(
    "Dữ liệu dùng chung: mọi người dùng đã đăng nhập và mọi hệ thống tích hợp đều đọc được."
)
PERSONAL_NOTE = gettext_lazy(
    "Dữ liệu cá nhân: Sở Nội vụ xem tất cả; người được phân quyền cơ quan xem cơ quan đó và "
    "các đơn vị trực thuộc; công chức xem của chính mình; hệ thống tích hợp xem các cơ quan "
    "được cấp (mỗi lần đọc bằng mã truy cập được ghi nhật ký)."
)


def _describe(text, note):
    return format_lazy("{} {}", text, note)


def read_schema(tag, noun, detail_noun, serializer, note, detail_serializer=None):
    """``extend_schema_view`` for a list + retrieve viewset, with Vietnamese texts."""
    return extend_schema_view(
        list=extend_schema(
            tags=[tag],
            summary=format_lazy(gettext_lazy("Danh sách {noun}"), noun=noun),
            description=note,
            responses={200: serializer(many=True), **READ_ERRORS},
        ),
        retrieve=extend_schema(
            tags=[tag],
            summary=format_lazy(gettext_lazy("Chi tiết {noun}"), noun=detail_noun),
            description=note,
            responses={200: detail_serializer or serializer, **DETAIL_ERRORS},
        ),
    )


# --------------------------------------------------------------------------- reference data


@read_schema(
    "reference",
    gettext_lazy("cơ quan, đơn vị"),
    gettext_lazy("một cơ quan, đơn vị"),
    rs.AgencySerializer,
    REFERENCE_NOTE,
)
class AgencyViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = rs.AgencySerializer
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
    rs.JobPositionSerializer,
    REFERENCE_NOTE,
)
class JobPositionViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = rs.JobPositionSerializer
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_class = filters.JobPositionFilter
    ordering_fields = ["code", "name", "group"]
    ordering = ["group", "code"]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    queryset = JobPosition.objects.all()


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
    rs.CatalogSerializer,
    _describe(
        gettext_lazy("Chỉ các phiên bản đã phê duyệt (bất biến); không có bản nháp."),
        REFERENCE_NOTE,
    ),
)
class CatalogViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = rs.CatalogSerializer
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
    rs.CatalogVersionSummarySerializer,
    REFERENCE_NOTE,
    detail_serializer=rs.CatalogVersionDetailSerializer,
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
            items = CatalogVersionItem.objects.prefetch_related("job_positions").order_by(
                "sort_order", "id"
            )
            queryset = queryset.prefetch_related(Prefetch("items", items))
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return rs.CatalogVersionDetailSerializer
        return rs.CatalogVersionSummarySerializer


@read_schema(
    "catalogs",
    gettext_lazy("sản phẩm/công việc của các phiên bản danh mục"),
    gettext_lazy("một sản phẩm/công việc"),
    rs.CatalogItemSerializer,
    REFERENCE_NOTE,
)
class CatalogItemViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = rs.CatalogItemSerializer
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_class = filters.CatalogItemFilter
    ordering_fields = ["code", "complexity_group", "coefficient"]
    ordering = ["version_id", "sort_order", "id"]
    queryset = CatalogVersionItem.objects.prefetch_related("job_positions")


# --------------------------------------------------------------------------- frameworks


def _published_revisions(framework) -> list[dict]:
    """Revisions of ``framework`` that were published (or are live), newest first."""
    revisions = Revision.objects.filter(pk__in=published_revision_ids(framework)).order_by(
        "-created_at", "-id"
    )
    return [
        {"id": r.pk, "created_at": r.created_at, "is_live": r.pk == framework.live_revision_id}
        for r in revisions
    ]


def framework_data(framework, with_rules: bool) -> dict:
    content = framework.live_revision.content
    data = {
        "id": framework.pk,
        "code": content.get("code", framework.code),
        "name": content.get("name", framework.name),
        "period_type": content.get("period_type", framework.period_type),
        "applies_to": content.get("applies_to", framework.applies_to),
        "description": content.get("description", "") or "",
        "legal_basis": content.get("legal_basis", "") or "",
        "live_version": {
            "id": framework.live_revision.pk,
            "created_at": framework.live_revision.created_at,
            "is_live": True,
        },
        "versions": _published_revisions(framework),
    }
    if with_rules:
        data["rules"] = content.get("rules")
    return data


@read_schema(
    "frameworks",
    gettext_lazy("khung tiêu chí đánh giá đang áp dụng"),
    gettext_lazy("một khung tiêu chí, kèm quy tắc của phiên bản đang áp dụng"),
    rs.FrameworkSerializer,
    _describe(
        gettext_lazy(
            "Chỉ khung đã công bố, theo nội dung của phiên bản đang áp dụng; không bao giờ "
            "trả bản nháp."
        ),
        REFERENCE_NOTE,
    ),
    detail_serializer=rs.FrameworkDetailSerializer,
)
class FrameworkViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = PagePagination
    queryset = CriteriaFramework.objects.filter(live=True, live_revision__isnull=False)

    def get_queryset(self):
        return super().get_queryset().select_related("live_revision").order_by("name", "id")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return rs.FrameworkDetailSerializer
        return rs.FrameworkSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = [framework_data(framework, with_rules=False) for framework in page]
        return self.get_paginated_response(rs.FrameworkSerializer(data, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        data = framework_data(self.get_object(), with_rules=True)
        return Response(rs.FrameworkDetailSerializer(data).data)


class FrameworkRevisionView(V1Mixin, APIView):
    """GET /api/v1/framework-versions/{id}/ — the rules of one published framework revision."""

    @extend_schema(
        operation_id="framework_versions_retrieve",
        tags=["frameworks"],
        summary=gettext_lazy("Nội dung một phiên bản đã công bố của khung tiêu chí"),
        description=_describe(
            gettext_lazy(
                "Dùng để đối chiếu kết quả đã lưu: mỗi kết quả ghi id phiên bản khung đã dùng "
                "(framework_revision). Chỉ trả phiên bản đã công bố, đang áp dụng hoặc đã được "
                "dùng để tính điểm."
            ),
            REFERENCE_NOTE,
        ),
        responses={200: rs.FrameworkRevisionSerializer, **DETAIL_ERRORS},
    )
    def get(self, request, pk: int):
        content_type = ContentType.objects.get_for_model(CriteriaFramework)
        revision = Revision.objects.filter(pk=pk, content_type=content_type).first()
        if revision is None:
            raise exceptions.NotFound()
        framework = CriteriaFramework.objects.filter(pk=revision.object_id).first()
        published = framework is not None and (
            framework.live_revision_id == revision.pk
            or ModelLogEntry.objects.filter(
                content_type=content_type, action="wagtail.publish", revision_id=revision.pk
            ).exists()
            or PeriodScore.objects.filter(framework_revision_id=revision.pk).exists()
            or AnnualScore.objects.filter(framework_revision_id=revision.pk).exists()
        )
        if not published:
            raise exceptions.NotFound()
        content = revision.content
        return Response(
            rs.FrameworkRevisionSerializer(
                {
                    "id": revision.pk,
                    "created_at": revision.created_at,
                    "is_live": framework.live_revision_id == revision.pk,
                    "framework": framework.pk,
                    "code": content.get("code", framework.code),
                    "name": content.get("name", framework.name),
                    "period_type": content.get("period_type", framework.period_type),
                    "rules": content.get("rules"),
                }
            ).data
        )


@read_schema(
    "reference",
    gettext_lazy("kỳ đánh giá"),
    gettext_lazy("một kỳ đánh giá"),
    rs.PeriodSerializer,
    REFERENCE_NOTE,
)
class PeriodViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = rs.PeriodSerializer
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_class = filters.PeriodFilter
    ordering_fields = ["start_date", "end_date", "kind"]
    ordering = ["-start_date", "kind"]
    queryset = Period.objects.all()


# --------------------------------------------------------------------------- people


@read_schema(
    "people",
    gettext_lazy("công chức"),
    gettext_lazy("một công chức (theo mã số công chức)"),
    rs.CivilServantSerializer,
    PERSONAL_NOTE,
)
class CivilServantViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = rs.CivilServantSerializer
    pagination_class = PagePagination
    filter_backends = FILTERS
    filterset_class = filters.CivilServantFilter
    ordering_fields = ["full_name", "official_id", "id"]
    ordering = ["full_name", "official_id"]
    lookup_field = "official_id"
    lookup_value_regex = "[^/]+"
    access_log_type = "civil_servant"
    queryset = CivilServant.objects.none()  # replaced per request (row-level access)

    def get_queryset(self):
        postings = Posting.objects.select_related("agency", "job_position").order_by(
            "-start_date", "-id"
        )
        return api_visible_civil_servants(self.request.user).prefetch_related(
            Prefetch("postings", postings)
        )


@read_schema(
    "results",
    gettext_lazy("dòng giao việc và kết quả thực hiện"),
    gettext_lazy("một dòng giao việc"),
    rs.AssignmentLineSerializer,
    PERSONAL_NOTE,
)
class AssignmentLineViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = rs.AssignmentLineSerializer
    pagination_class = LargeListPagination
    filter_backends = FILTERS
    filterset_class = filters.AssignmentLineFilter
    ordering_fields = ["id", "updated_at", "deadline"]
    access_log_type = "assignment_line"
    queryset = AssignmentLine.objects.none()

    def get_queryset(self):
        queryset = AssignmentLine.objects.select_related("civil_servant", "period", "unit", "item")
        return api_visible_lines(self.request.user, queryset)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = getattr(self.request, "user", None)
        if is_system(user):
            context["own_prefix"] = external_prefix(user.system)
        return context


@read_schema(
    "results",
    gettext_lazy("kết quả chấm điểm theo kỳ"),
    gettext_lazy("một kết quả chấm điểm theo kỳ, kèm diễn giải"),
    rs.PeriodScoreSerializer,
    PERSONAL_NOTE,
)
class PeriodScoreViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = rs.PeriodScoreSerializer
    pagination_class = LargeListPagination
    filter_backends = FILTERS
    filterset_class = filters.PeriodScoreFilter
    ordering_fields = ["id", "total", "computed_at"]
    access_log_type = "period_score"
    queryset = PeriodScore.objects.none()

    def get_queryset(self):
        queryset = PeriodScore.objects.select_related("civil_servant", "period", "agency")
        return api_visible_scores(self.request.user, queryset)


@read_schema(
    "results",
    gettext_lazy("kết quả theo dõi, đánh giá năm"),
    gettext_lazy("một kết quả năm, kèm diễn giải"),
    rs.AnnualScoreSerializer,
    PERSONAL_NOTE,
)
class AnnualScoreViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = rs.AnnualScoreSerializer
    pagination_class = LargeListPagination
    filter_backends = FILTERS
    filterset_class = filters.AnnualScoreFilter
    ordering_fields = ["id", "score", "computed_at"]
    access_log_type = "annual_score"
    queryset = AnnualScore.objects.none()

    def get_queryset(self):
        queryset = AnnualScore.objects.select_related("civil_servant", "agency")
        return api_visible_scores(self.request.user, queryset)


@read_schema(
    "results",
    gettext_lazy("kết quả xếp loại chất lượng năm đã quyết định"),
    gettext_lazy("một kết quả xếp loại năm"),
    rs.AnnualRatingSerializer,
    PERSONAL_NOTE,
)
class AnnualRatingViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = rs.AnnualRatingSerializer
    pagination_class = LargeListPagination
    filter_backends = FILTERS
    filterset_class = filters.AnnualRatingFilter
    ordering_fields = ["id", "decision_date", "score"]
    access_log_type = "annual_rating"
    queryset = RatingCase.objects.none()

    def get_queryset(self):
        queryset = (
            RatingCase.objects.filter(
                kind=CaseKind.CIVIL_SERVANT,
                state__in=(CaseState.DECIDED, CaseState.NOTIFIED),
            )
            .exclude(decision_level="")
            .select_related("civil_servant", "agency")
        )
        return api_visible_rating_cases(self.request.user, queryset)


# --------------------------------------------------------------------------- aggregates


class AggregateQuerySerializer(serializers.Serializer):
    period = serializers.CharField(
        help_text=gettext_lazy("Mã kỳ: 2026-03, 2026-Q1, 2026-H1; 2026 là kết quả xếp loại năm.")
    )
    parent = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        required=False,
        help_text=gettext_lazy(
            "Mã cơ quan: trả một dòng cho mỗi đơn vị trực thuộc trực tiếp của cơ quan này."
        ),
    )
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        required=False,
        help_text=gettext_lazy("Mã cơ quan: chỉ một dòng cho cơ quan này (cả đơn vị trực thuộc)."),
    )

    def validate_period(self, value):
        try:
            return parse_period_code(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


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
        responses={200: rs.AgencyAggregateSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request):
        period, parent, agency = _query(request, allow_tree=True)
        visible = api_visible_agencies(request.user)
        if agency is not None:
            targets = visible.filter(pk=agency.pk)
        elif parent is not None:
            targets = visible.filter(parent=parent)
        else:
            targets = visible.filter(depth=1, kind__in=(AgencyKind.DEPARTMENT, AgencyKind.COMMUNE))
        targets = list(targets.order_by("path"))
        queryset, field = aggregates.scores_for(period)
        tallies = path_tallies(api_visible_scores(request.user, queryset), field)
        code = _code(period)
        rows = [
            aggregates.row(target, subtree_tally(tallies, target.path), code) for target in targets
        ]
        return Response(rs.AgencyAggregateSerializer(rows, many=True).data)


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
            200: rs.ProvinceAggregateSerializer,
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
        return Response(rs.ProvinceAggregateSerializer(data).data)
