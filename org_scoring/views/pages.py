"""The agencies of a year with their stored scores, and one agency-year explained, with a
"tính lại" (recompute) button. Access is checked on every URL through ``org_scoring.access``.

The agency-year page shows what the apps above this one add through the
``org_scoring_agency_year_context`` hook (``fn(agency, year) -> dict`` of template context):
``ratings`` adds the agency's rating case of the year (``case``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail import hooks

from cms.admin_views import TitledAdminMixin
from org.access import granted_agencies, is_home_affairs
from org.models import Agency
from org_scoring.access import can_recompute, can_view, can_view_agency, scoring_agencies
from org_scoring.models import OrganisationScore, OrganisationTask
from org_scoring.services import score_agency, score_organisations
from org_scoring.services.page import agency_year_context, year_rows
from scoring.explain import num

#: The hook through which apps above ``org_scoring`` add to the agency-year page's context.
AGENCY_YEAR_CONTEXT_HOOK = "org_scoring_agency_year_context"


def _year(request) -> int:
    value = request.GET.get("year") or request.POST.get("year") or ""
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    latest = OrganisationTask.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year


def _report_message(request, report):
    messages.success(
        request,
        _(
            "Đã tính lại năm %(year)d: %(agencies)d cơ quan, đơn vị; ghi %(written)d kết quả, "
            "%(unchanged)d không đổi."
        )
        % {
            "year": report.year,
            "agencies": report.agencies,
            "written": report.written,
            "unchanged": report.unchanged,
        },
    )


class OrganisationIndexView(TitledAdminMixin, TemplateView):
    template_name = "org_scoring/index.html"
    page_title = gettext_lazy("Kết quả đánh giá tổ chức")
    header_icon = "list-ol"

    def dispatch(self, request, *args, **kwargs):
        if not can_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        years = sorted(
            {
                *OrganisationTask.objects.values_list("year", flat=True).distinct(),
                *OrganisationScore.objects.values_list("year", flat=True).distinct(),
                year,
            },
            reverse=True,
        )
        context.update(
            year=year,
            years=years,
            rows=year_rows(scoring_agencies(self.request.user), year),
            can_recompute=self.request.user.has_perm("org_scoring.change_organisationtask"),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("org_scoring.change_organisationtask"):
            raise PermissionDenied
        year = _year(request)
        roots = [None] if is_home_affairs(request.user) else list(granted_agencies(request.user))
        for root in roots:
            _report_message(request, score_organisations(year, root))
        return redirect(f"{reverse('org_scoring_index')}?year={year}")


class AgencyYearView(TitledAdminMixin, TemplateView):
    template_name = "org_scoring/agency_year.html"
    page_title = gettext_lazy("Đánh giá, xếp loại tổ chức")
    header_icon = "list-ol"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.agency = get_object_or_404(Agency, pk=kwargs["agency"])
        self.year = kwargs["year"]

    def dispatch(self, request, *args, **kwargs):
        if not can_view_agency(request.user, self.agency):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.agency.name} · {self.year}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": f"{reverse('org_scoring_index')}?year={self.year}",
                "label": _("Kết quả đánh giá tổ chức"),
            },
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(agency_year_context(self.agency, self.year))
        context["can_recompute"] = can_recompute(self.request.user, self.agency)
        for contribute in hooks.get_hooks(AGENCY_YEAR_CONTEXT_HOOK):
            context.update(contribute(self.agency, self.year))
        return context

    def post(self, request, *args, **kwargs):
        if not can_recompute(request.user, self.agency):
            raise PermissionDenied
        score = score_agency(self.agency, self.year)
        if score is not None and score.scored:
            messages.success(
                request,
                _("Đã tính lại: %(agency)s, năm %(year)d — %(score)s điểm.")
                % {"agency": self.agency.name, "year": self.year, "score": num(score.score)},
            )
        else:
            messages.warning(
                request,
                _("Đã tính lại: %(agency)s chưa đủ dữ liệu để chấm điểm năm %(year)d.")
                % {"agency": self.agency.name, "year": self.year},
            )
        return redirect("org_scoring_agency_year", agency=self.agency.pk, year=self.year)
