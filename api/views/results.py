"""Results (tag ``results``): assignment lines, period and annual scores, decided ratings."""

from __future__ import annotations

from rest_framework import viewsets

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy

from api import filters, lookup
from api.base import LargeListPagination, ScopedQuerysetMixin, V1Mixin
from api.principal import is_system
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
from ratings.policy import CASE_READERS
from scoring.models import AnnualScore, AssignmentLine, PeriodScore

#: The columns of a score's framework the score's answer never reads (the explanation names
#: the framework by its code and name): loaded with the score, they were decoded for nothing.
FRAMEWORK_UNREAD = ("framework__rules", "framework__description", "framework__legal_basis")


@read_schema(
    "results",
    gettext_lazy("dòng giao việc và kết quả thực hiện"),
    gettext_lazy("một dòng giao việc"),
    AssignmentLineSerializer,
    PERSONAL_NOTE,
)
class AssignmentLineViewSet(ScopedQuerysetMixin, V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AssignmentLineSerializer
    pagination_class = LargeListPagination
    filter_backends = FILTERS
    filterset_class = filters.AssignmentLineFilter
    ordering_fields = ["id", "updated_at", "deadline"]
    access_log_type = "assignment_line"
    queryset = AssignmentLine.objects.select_related("civil_servant", "period", "unit", "item")

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
class PeriodScoreViewSet(ScopedQuerysetMixin, V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PeriodScoreSerializer
    pagination_class = LargeListPagination
    filter_backends = FILTERS
    filterset_class = filters.PeriodScoreFilter
    ordering_fields = ["id", "total", "computed_at"]
    access_log_type = "period_score"
    # The framework too: the explanation names it (scoring.explain.render_steps) without a query;
    # only its code and name are read, so not its rules (tens of kilobytes of JSON to decode).
    queryset = PeriodScore.objects.select_related(
        "civil_servant", "period", "agency", "posting", "framework"
    ).defer(*FRAMEWORK_UNREAD)

    def list(self, request, *args, **kwargs):
        # One person's score of one period asked with a token: the statement compiled once
        # (api.lookup), the same rows and body as the ordinary path below.
        rows = lookup.lookup(self, request)
        if rows is None:
            return super().list(request, *args, **kwargs)
        self._read_rows = rows
        # The cursor paginator's body for a single page: no next, no previous; the serializer's
        # fields walked and the body encoded as DRF would (api.lookup.respond).
        return lookup.respond(self, rows)


@read_schema(
    "results",
    gettext_lazy("kết quả theo dõi, đánh giá năm"),
    gettext_lazy("một kết quả năm, kèm diễn giải"),
    AnnualScoreSerializer,
    PERSONAL_NOTE,
)
class AnnualScoreViewSet(ScopedQuerysetMixin, V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AnnualScoreSerializer
    pagination_class = LargeListPagination
    filter_backends = FILTERS
    filterset_class = filters.AnnualScoreFilter
    ordering_fields = ["id", "score", "computed_at"]
    access_log_type = "annual_score"
    queryset = AnnualScore.objects.select_related("civil_servant", "agency", "framework").defer(
        *FRAMEWORK_UNREAD
    )


@read_schema(
    "results",
    gettext_lazy("kết quả xếp loại chất lượng năm đã quyết định"),
    gettext_lazy("một kết quả xếp loại năm"),
    AnnualRatingSerializer,
    PERSONAL_NOTE,
)
class AnnualRatingViewSet(ScopedQuerysetMixin, V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AnnualRatingSerializer
    pagination_class = LargeListPagination
    filter_backends = FILTERS
    filterset_class = filters.AnnualRatingFilter
    ordering_fields = ["id", "decision_date", "score"]
    access_log_type = "annual_rating"
    # People read the cases the admin shows them; systems those of their granted subtrees.
    scope_extra = CASE_READERS
    queryset = (
        RatingCase.objects.filter(
            kind=CaseKind.CIVIL_SERVANT,
            state__in=(CaseState.DECIDED, CaseState.NOTIFIED),
        )
        .exclude(decision_level="")
        .select_related("civil_servant", "agency")
        .prefetch_related("related_opinions__body")
        # The year's score as Form 02 prints it and the national record sends it (the person's
        # current annual score), never the score the case was opened with (issue 42, F3).
        .annotate(
            current_score=Subquery(
                AnnualScore.objects.filter(
                    civil_servant_id=OuterRef("civil_servant_id"), year=OuterRef("year")
                ).values("score")[:1]
            )
        )
    )


@read_schema(
    "results",
    gettext_lazy("kết quả đánh giá quý của sở, ngành, UBND xã, phường đã xác nhận"),
    gettext_lazy("một kết quả đánh giá quý"),
    QuarterlyAssessmentSerializer,
    gettext_lazy("Chỉ các quý Chủ tịch UBND tỉnh đã xác nhận; theo phạm vi cơ quan của người gọi."),
)
class QuarterlyAssessmentViewSet(ScopedQuerysetMixin, V1Mixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = QuarterlyAssessmentSerializer
    pagination_class = LargeListPagination
    filter_backends = FILTERS
    filterset_class = filters.QuarterlyAssessmentFilter
    ordering_fields = ["id", "year", "quarter", "score"]
    queryset = (
        QuarterlyAssessment.objects.filter(confirmed_at__isnull=False)
        .select_related("agency")
        .order_by("year", "quarter", "agency__path")
    )
