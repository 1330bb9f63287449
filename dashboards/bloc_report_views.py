"""The bloc report page and its .xlsx download (``dashboards.bloc_report``): the appraisers of
a bloc's lead body read their own bloc's, Sở Nội vụ every bloc's."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cms.admin_views import TitledAdminMixin
from dashboards import bloc_desk, bloc_report
from dashboards.upward.figures import LEVELS
from dashboards.xlsx import XLSX
from ratings.models import RatingCase
from scoring.models import Rating


def _years() -> list[int]:
    years = set(RatingCase.objects.values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


class BlocReportView(TitledAdminMixin, TemplateView):
    template_name = "dashboards/bloc_report.html"
    page_title = _("Báo cáo khối gửi Ban Thường vụ Tỉnh ủy")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.leads = list(bloc_report.readable_leads(request.user))
        if not self.leads:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        raw = request.GET.get("khoi", "").strip()
        if raw:
            # Only a bloc the user reads (another bloc's number answers as unknown).
            found = [lead for lead in self.leads if str(lead.pk) == raw]
            if not found:
                raise Http404
            self.lead = found[0]
        else:
            self.lead = self.leads[0]
        years = _years()
        raw_year = request.GET.get("year", "")
        self.years = years
        self.year = int(raw_year) if raw_year.isdigit() and int(raw_year) in years else years[0]
        self.report = bloc_report.build(self.lead, self.year)
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(bloc_report.report_xlsx(self.report), content_type=XLSX)
            name = f"bao-cao-khoi-{self.lead.root.code.lower()}-{self.year}"
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = dict(Rating.choices)
        context.update(
            leads=self.leads,
            lead=self.lead,
            years=self.years,
            year=self.year,
            report=self.report,
            desk=bloc_desk.build(self.lead, self.request.user),
            level_headings=[str(labels[level]) for level in LEVELS],
        )
        return context
