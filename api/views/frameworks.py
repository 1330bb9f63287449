"""Criteria frameworks (tag ``frameworks``): those in force and their published versions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy

from wagtail.models import ModelLogEntry, Revision

from api.base import DETAIL_ERRORS, PagePagination, V1Mixin
from api.serializers.frameworks import (
    FrameworkDetailSerializer,
    FrameworkRevisionSerializer,
    FrameworkSerializer,
)
from api.views.common import REFERENCE_NOTE, read_schema, with_note
from scoring.models import AnnualScore, CriteriaFramework, PeriodScore, ProposalStatus
from scoring.services.frameworks import published_revision_ids


def _published_revisions(framework) -> list[dict]:
    """Revisions of ``framework`` that were published (or are live), newest first."""
    revisions = Revision.objects.filter(pk__in=published_revision_ids(framework)).order_by(
        "-created_at", "-id"
    )
    return [
        {"id": r.pk, "created_at": r.created_at, "is_live": r.pk == framework.live_revision_id}
        for r in revisions
    ]


def _approval(framework) -> dict | None:
    """The approval of an agency's own framework (docs/scoring.md §13.7); None otherwise."""
    proposal = getattr(framework, "proposal", None)
    if proposal is None:
        return None
    return {
        "agency": proposal.agency.code,
        "scope": proposal.scope,
        "decision_number": proposal.decision_number,
        "decision_date": proposal.decision_date,
        "effective_from": proposal.effective_from,
    }


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
        "approval": _approval(framework),
    }
    if with_rules:
        data["rules"] = content.get("rules")
    return data


@read_schema(
    "frameworks",
    gettext_lazy("khung tiêu chí đánh giá đang áp dụng"),
    gettext_lazy("một khung tiêu chí, kèm quy tắc của phiên bản đang áp dụng"),
    FrameworkSerializer,
    with_note(
        gettext_lazy(
            "Chỉ khung đã công bố, theo nội dung của phiên bản đang áp dụng; không bao giờ "
            "trả bản nháp."
        ),
        REFERENCE_NOTE,
    ),
    detail_serializer=FrameworkDetailSerializer,
)
class FrameworkViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = PagePagination
    # An agency's own framework only once its proposal is approved (docs/scoring.md §13.7).
    queryset = CriteriaFramework.objects.filter(live=True, live_revision__isnull=False).filter(
        Q(proposal__isnull=True) | Q(proposal__status=ProposalStatus.APPROVED)
    )

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("live_revision", "proposal__agency")
            .order_by("name", "id")
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return FrameworkDetailSerializer
        return FrameworkSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = [framework_data(framework, with_rules=False) for framework in page]
        return self.get_paginated_response(FrameworkSerializer(data, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        data = framework_data(self.get_object(), with_rules=True)
        return Response(FrameworkDetailSerializer(data).data)


class FrameworkRevisionView(V1Mixin, APIView):
    """GET /api/v1/framework-versions/{id}/ — the rules of one published framework revision."""

    @extend_schema(
        operation_id="framework_versions_retrieve",
        tags=["frameworks"],
        summary=gettext_lazy("Nội dung một phiên bản đã công bố của khung tiêu chí"),
        description=with_note(
            gettext_lazy(
                "Dùng để đối chiếu kết quả đã lưu: mỗi kết quả ghi id phiên bản khung đã dùng "
                "(framework_revision). Chỉ trả phiên bản đã công bố, đang áp dụng hoặc đã được "
                "dùng để tính điểm."
            ),
            REFERENCE_NOTE,
        ),
        responses={200: FrameworkRevisionSerializer, **DETAIL_ERRORS},
    )
    def get(self, request, pk: int):
        content_type = ContentType.objects.get_for_model(CriteriaFramework)
        revision = Revision.objects.filter(pk=pk, content_type=content_type).first()
        if revision is None:
            raise exceptions.NotFound()
        framework = CriteriaFramework.objects.filter(pk=revision.object_id).first()
        if framework is None or not (
            framework.live_revision_id == revision.pk
            or ModelLogEntry.objects.filter(
                content_type=content_type, action="wagtail.publish", revision_id=revision.pk
            ).exists()
            or PeriodScore.objects.filter(framework_revision_id=revision.pk).exists()
            or AnnualScore.objects.filter(framework_revision_id=revision.pk).exists()
        ):
            raise exceptions.NotFound()  # no such framework, or a revision never published
        content = revision.content
        return Response(
            FrameworkRevisionSerializer(
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
