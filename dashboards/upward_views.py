"""The annual reports owed upward (``dashboards.upward``): a page to choose the report, the
printable A4 page and the .xlsx download. Sở Nội vụ only (``org.access.is_home_affairs``); the
reports name agencies, never a person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cms.admin_views import TitledAdminMixin
from dashboards.upward import documents
from dashboards.upward.figures import compute
from dashboards.upward.xlsx import report_xlsx
from dashboards.xlsx import XLSX
from org.access import is_home_affairs
from org.models import AGENCY_KINDS, Agency
from ratings.models import RatingCase


def can_use_upward_reports(user) -> bool:
    return user is not None and user.is_authenticated and is_home_affairs(user)


if TYPE_CHECKING:
    from django.views import View as _ViewBase
else:
    _ViewBase = object


class HomeAffairsOnly(_ViewBase):
    def dispatch(self, request, *args, **kwargs):
        if not can_use_upward_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _years() -> list[int]:
    years = set(RatingCase.objects.values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def _scope(request) -> Agency | None:
    raw = request.GET.get("agency", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(Agency, pk=int(raw))


class UpwardReportsView(HomeAffairsOnly, TitledAdminMixin, TemplateView):
    template_name = "dashboards/upward/index.html"
    page_title = _("Báo cáo kết quả xếp loại gửi cấp trên")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = _years()
        raw = self.request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and int(raw) in years else years[0]
        scope = _scope(self.request)
        figures = compute(year, scope)
        context.update(
            years=years,
            year=year,
            scope=scope,
            agencies=Agency.objects.filter(kind__in=AGENCY_KINDS).order_by("path"),
            figures=figures,
            reports=[(kind, documents.kind_label(kind)) for kind in documents.KINDS],
            query=f"?agency={scope.pk}" if scope else "",
        )
        return context


class UpwardReportView(HomeAffairsOnly, TemplateView):
    """``?format=xlsx`` downloads the workbook; otherwise the printable page."""

    template_name = "dashboards/upward/print.html"

    def get(self, request, *args, **kwargs):
        kind = kwargs["kind"]
        if kind not in documents.KINDS:
            raise Http404
        report = documents.build(kind, compute(kwargs["year"], _scope(request)))
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(report_xlsx(report), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{report.file_name}.xlsx"'
            return response
        return self.render_to_response(
            self.get_context_data(
                report=report,
                tables=documents.shown_tables(report),
                levels=documents.level_headings(),
            )
        )
