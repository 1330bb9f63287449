"""Results (tag ``results``): assignment lines, period and annual scores, decided ratings."""

from __future__ import annotations

from rest_framework import viewsets

from django.utils.translation import gettext_lazy

from api import filters
from api.authentication import is_system
from api.base import LargeListPagination, V1Mixin
from api.permissions import (
    api_visible_lines,
    api_visible_quarterly,
    api_visible_rating_cases,
    api_visible_scores,
)
from api.serializers.results import (
    AnnualRatingSerializer,
    AnnualScoreSerializer,
    AssignmentLineSerializer,
    PeriodScoreSerializer,
    QuarterlyAssessmentSerializer,
)
from api.views.common import FILTERS, PERSONAL_NOTE, read_schema
from api.write import external_prefix
from org_scoring.models import QuarterlyAssessment
from ratings.models import RatingCase
from ratings.models.choices import CaseKind, CaseState
from scoring.models import AnnualScore, AssignmentLine, PeriodScore


@read_schema(
    "results",
    gettext_lazy("dòng giao việc và kết quả thực hiện"),
    gettext_lazy("một dòng giao việc"),
    AssignmentLineSerializer,
    PERSONAL_NOTE,
)
class AssignmentLineViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AssignmentLineSerializer
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
    PeriodScoreSerializer,
    PERSONAL_NOTE,
)
class PeriodScoreViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PeriodScoreSerializer
    pagination_class = LargeListPagination
    filter_backends = FILTERS
    filterset_class = filters.PeriodScoreFilter
    ordering_fields = ["id", "total", "computed_at"]
    access_log_type = "period_score"
    queryset = PeriodScore.objects.none()

    def get_queryset(self):
        queryset = PeriodScore.objects.select_related(
            "civil_servant", "period", "agency", "posting"
        )
        return api_visible_scores(self.request.user, queryset)


@read_schema(
    "results",
    gettext_lazy("kết quả theo dõi, đánh giá năm"),
    gettext_lazy("một kết quả năm, kèm diễn giải"),
    AnnualScoreSerializer,
    PERSONAL_NOTE,
)
class AnnualScoreViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AnnualScoreSerializer
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
    AnnualRatingSerializer,
    PERSONAL_NOTE,
)
class AnnualRatingViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AnnualRatingSerializer
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


@read_schema(
    "results",
    gettext_lazy("kết quả đánh giá quý của sở, ngành, UBND xã, phường đã xác nhận"),
    gettext_lazy("một kết quả đánh giá quý"),
    QuarterlyAssessmentSerializer,
    gettext_lazy("Chỉ các quý Chủ tịch UBND tỉnh đã xác nhận; theo phạm vi cơ quan của người gọi."),
)
class QuarterlyAssessmentViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = QuarterlyAssessmentSerializer
    pagination_class = LargeListPagination
    filter_backends = FILTERS
    filterset_class = filters.QuarterlyAssessmentFilter
    ordering_fields = ["id", "year", "quarter", "score"]
    queryset = QuarterlyAssessment.objects.none()

    def get_queryset(self):
        queryset = QuarterlyAssessment.objects.select_related("agency").order_by(
            "year", "quarter", "agency__path"
        )
        return api_visible_quarterly(self.request.user, queryset)
