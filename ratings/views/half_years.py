"""Six-month results of the people a user reaches (issue 44 item 3; coverage M4/E2): leaders
their unit's people, an agency's HR its agency's, Sở Nội vụ the whole province — filterable by
agency or unit, bloc, year and half — with its xlsx export. Who may list: whoever reaches people
besides themselves (``ratings.access.can_list_hr_history``); which rows: the row-scope registry
(``ratings.access.hr_history_people`` = ``org.access.visible_civil_servants``); the figures:
``ratings.services.half_year``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audit import record_read
from audit.models import ReadKind
from cms import exports
from cms.admin_views import TitledAdminMixin
from ratings import exports as kinds
from ratings.access import can_list_hr_history
from ratings.listings import half_year_export, half_year_selection
from ratings.services.half_year import half_label, rows_for
from ratings.views.printing import xlsx_response

PER_PAGE = 50


class HalfYearMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_list_hr_history(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def selection(self):
        """The form, the year, the half, the people (in reach, ordered) and the scope's name;
        people ``None`` when the form has errors."""
        return half_year_selection(self.request.user, self.request.GET)


class HalfYearListView(HalfYearMixin, TitledAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/half_years.html"
    page_title = gettext_lazy("Kết quả đánh giá 6 tháng")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, year, half, people, scope = self.selection()
        context.update(form=form, year=year, half_text=half_label(half), scope=scope)
        if people is None:
            return context
        page = Paginator(people, PER_PAGE).get_page(self.request.GET.get("p"))
        context["page"] = page
        context["count"] = page.paginator.count
        context["rows"] = rows_for(page.object_list, year, half)
        query = self.request.GET.copy()
        query.pop("p", None)
        context["query"] = query.urlencode()
        record_read(
            self.request,
            ReadKind.DASHBOARD,
            model="org.civilservant",
            label=str(self.page_title),
            subjects=[person.pk for person in page.object_list],
            count=len(page.object_list),
            agency=form.value("agency"),
        )
        return context


class HalfYearExportView(HalfYearMixin, View):
    """The listing's workbook: at once, or built in the background when it lists more people
    than ``KPI_EXPORT_INLINE_ROWS`` (``cms.exports``; the same ``half_year_export``)."""

    def get(self, request):
        form, year, _half, people, _scope = self.selection()
        if people is None:
            errors = "; ".join(
                f"{form.fields[name].label}: {' '.join(messages)}"
                for name, messages in form.errors.items()
            )
            return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")

        def inline():
            content, name, read = half_year_export(request.user, request.GET)
            kinds.record_listing(request, **read)
            return xlsx_response(content, name)

        params = kinds.listing_params(request, year=year)
        return exports.deliver(request, kinds.HALF_YEARS, params, people.count(), inline)
