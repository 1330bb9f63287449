"""Results for HR decisions: a person's multi-year view, the list of an agency over a year
range with filters, and its Excel export. Who sees what: ``ratings.access`` (the list and the
export: ``can_list_hr_history``; a person: ``can_view_hr_history``); the rules: ``ratings.
hr_flags``; the data: ``ratings.services.hr_history``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audit import record_read
from audit.models import ReadKind
from cms import exports
from cms.admin_views import TitledAdminMixin
from org.models import CivilServant
from ratings import exports as kinds
from ratings.access import can_list_hr_history, can_view_hr_history
from ratings.hr_flags import active_rules
from ratings.listings import history_export, history_scope, history_selection, year_field
from ratings.services.half_year import person_rows, scored_years
from ratings.services.hr_export import category_label, year_text
from ratings.services.hr_history import (
    default_last_year,
    person_history,
)
from ratings.views.printing import xlsx_response
from scoring.models import CompetencyAssessment
from scoring.services.competencies import gaps as competency_gaps

PER_PAGE = 50


class HrHistoryMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_list_hr_history(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def selection(self):
        """The form, the years, the filtered rows and a text naming the scope."""
        return history_selection(self.request.user, self.request.GET)


class HrHistoryListView(HrHistoryMixin, TitledAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/hr_history_list.html"
    page_title = gettext_lazy("Kết quả nhiều năm phục vụ công tác cán bộ")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, years, rows, scope = self.selection()
        context.update(form=form, years=years, scope=scope)
        if rows is None:
            return context
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("p"))
        purpose = form.value("purpose", "")
        context["page"] = page
        context["count"] = len(rows)
        context["rows"] = [_row(history, years, purpose) for history in page.object_list]
        query = self.request.GET.copy()
        query.pop("p", None)
        context["query"] = query.urlencode()
        record_read(
            self.request,
            ReadKind.DASHBOARD,
            model="org.civilservant",
            label=str(self.page_title),
            subjects=[h.person.pk for h in page.object_list],
            count=len(page.object_list),
            agency=form.value("agency"),
        )
        return context


def _row(history, years, purpose):
    by_year = {result.year: result for result in history.years}
    latest = history.latest
    return {
        "person": history.person,
        "category": category_label(history.category),
        "agency": latest.agency_name if latest else "",
        "position": latest.position if latest else "",
        "years": [_cell(by_year.get(year)) for year in years],
        "flags": history.flags_for(purpose),
    }


def _cell(result):
    if result is None:
        return {"text": "", "decided": False}
    return {
        "text": year_text(result),
        "decided": result.decided,
        "score": result.score,
        "level": result.level,
    }


class HrHistoryExportView(HrHistoryMixin, View):
    """The listing's workbook: at once, or built in the background when it lists more people
    than ``KPI_EXPORT_INLINE_ROWS`` (``cms.exports``; the same ``history_export``)."""

    def get(self, request):
        form, years, people, _scope = history_scope(request.user, request.GET)
        if people is None:
            errors = "; ".join(
                f"{form.fields[name].label}: {' '.join(messages)}"
                for name, messages in form.errors.items()
            )
            return _bad_request(errors)

        def inline():
            content, name, read = history_export(request.user, request.GET)
            kinds.record_listing(request, **read)
            return xlsx_response(content, name)

        # The people asked for (the filters on flags only narrow them): one count.
        rows = people.count()
        params = kinds.listing_params(request, year=years[-1])
        return exports.deliver(request, kinds.HR_HISTORY, params, rows, inline)


def _bad_request(message):
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class HrPersonView(TitledAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/hr_history_person.html"
    page_title = gettext_lazy("Kết quả nhiều năm")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(CivilServant, pk=kwargs["pk"])
        if not can_view_hr_history(request.user, self.person):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.person.full_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        field = year_field(_("Năm"))
        try:
            last = field.clean(self.request.GET.get("year")) or default_last_year()
        except forms.ValidationError as error:
            context["year_error"] = " ".join(error.messages)
            last = default_last_year()
        history = person_history(self.person, last, viewer=self.request.user)
        rules = active_rules()
        context["person"] = self.person
        context["history"] = history
        context["category"] = category_label(history.category)
        context["years"] = [
            {
                "result": result,
                "text": year_text(result),
                "category": category_label(result.category),
                "flags": history.flags_raised_in(result.year, rules),
            }
            for result in reversed(history.years)
        ]
        context["previous_year"] = last - 1
        context["next_year"] = last + 1
        context["can_list"] = can_list_hr_history(self.request.user)
        # Gaps against the position's required competencies (issue 45 item 2), once assessed.
        assessed = CompetencyAssessment.objects.filter(civil_servant=self.person).exists()
        context["competency_gaps"] = (
            competency_gaps(CivilServant.objects.filter(pk=self.person.pk)) if assessed else None
        )
        # The six-month results of the years shown (issue 44, coverage M4/E2).
        shown = {item["result"].year for item in context["years"]}
        context["half_years"] = person_rows(
            self.person, [year for year in scored_years(self.person) if year in shown]
        )
        record_read(
            self.request,
            ReadKind.INSPECT,
            objects=[self.person],
            label=str(self.page_title),
        )
        return context
