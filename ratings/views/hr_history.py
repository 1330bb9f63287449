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
from org.access import visible_agencies
from org.models import CivilServant
from org.models.civil_servant import PersonCategory
from ratings.access import can_list_hr_history, can_view_hr_history, hr_history_people
from ratings.hr_flags import Purpose, active_rules, history_years
from ratings.services.half_year import person_rows, scored_years
from ratings.services.hr_export import category_label, history_xlsx, year_text
from ratings.services.hr_history import (
    default_last_year,
    filter_histories,
    histories,
    people_in,
    people_posted,
    person_history,
    window,
)
from ratings.views.printing import xlsx_response
from scoring.models import CompetencyAssessment
from scoring.services.competencies import gaps as competency_gaps

MIN_YEAR, MAX_YEAR = 2000, 2100
PER_PAGE = 50


def _year_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "invalid": _("“%(field)s” phải là một năm, ví dụ 2026.") % {"field": label},
            "min_value": _("“%(field)s” không được trước năm %(year)s.")
            % {"field": label, "year": MIN_YEAR},
            "max_value": _("“%(field)s” không được sau năm %(year)s.")
            % {"field": label, "year": MAX_YEAR},
        },
    )


class HistoryFilterForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan, đơn vị"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Tất cả trong phạm vi của tôi"),
    )
    year = forms.IntegerField(label=gettext_lazy("Đến năm"), required=False)
    years = forms.IntegerField(label=gettext_lazy("Số năm"), required=False)
    flag = forms.ChoiceField(label=gettext_lazy("Cảnh báo"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Đối tượng"), required=False)
    purpose = forms.ChoiceField(label=gettext_lazy("Mục đích sử dụng"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = visible_agencies(user).order_by("path")
        self.fields["year"] = _year_field(_("Đến năm"))
        self.fields["years"] = forms.IntegerField(
            label=_("Số năm"),
            required=False,
            min_value=1,
            max_value=10,
            error_messages={
                "invalid": _("“Số năm” phải là số nguyên từ 1 đến 10."),
                "min_value": _("“Số năm” phải là số nguyên từ 1 đến 10."),
                "max_value": _("“Số năm” phải là số nguyên từ 1 đến 10."),
            },
        )
        everyone = [("", _("Tất cả"))]
        self.fields["flag"].choices = everyone + [(r.code, r.label) for r in active_rules()]
        self.fields["category"].choices = everyone + list(PersonCategory.choices)
        self.fields["purpose"].choices = everyone + list(Purpose.choices)

    def value(self, name, default=None):
        if not self.is_bound or not self.is_valid():
            return default
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


def history_scope(user, query):
    """The form, the years, the people ``user`` reaches that ``query`` asks for (before the
    filters on flags, category and purpose; ``None`` when the form has errors) and a text naming
    the scope."""
    form = HistoryFilterForm(query or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, [], None, ""
    last = form.value("year") or default_last_year()
    years = window(last, form.value("years") or history_years())
    agency = form.value("agency")
    people = hr_history_people(user)
    if agency is not None:
        people = people.filter(pk__in=people_in(agency, years[0], years[-1]).values("pk"))
        scope = agency.name
    else:
        people = people.filter(pk__in=people_posted(years[0], years[-1]).values("pk"))
        scope = _("Toàn bộ phạm vi được giao")
    return form, years, people, scope


def history_selection(user, query):
    """The form, the years, the filtered rows (``None`` when the form has errors) and a text
    naming the scope."""
    form, years, people, scope = history_scope(user, query)
    if people is None:
        return form, years, None, scope
    rows = filter_histories(
        histories(people, years[-1], len(years), viewer=user),
        flag=form.value("flag", ""),
        category=form.value("category", ""),
        purpose=form.value("purpose", ""),
    )
    return form, years, rows, scope


def history_export(user, query, progress=None) -> tuple[bytes, str, dict]:
    """The multi-year workbook of ``query`` as ``user`` reaches it, its name and what the read
    log keeps of it — the one builder of the download at once and of the background job
    (``ratings.exports``, issue 47). The form is valid (the view answered its errors)."""
    form, years, rows, scope = history_selection(user, query)
    if rows is None:
        raise ValueError(f"invalid multi-year selection: {form.errors.as_json()}")
    if progress is not None:
        progress(len(rows))
    content = history_xlsx(rows, years, scope=scope, purpose=form.value("purpose", ""))
    agency = form.value("agency")
    read = {
        "label": _("Kết quả nhiều năm: %(scope)s") % {"scope": scope},
        "subjects": [history.person.pk for history in rows],
        "agency": agency.pk if agency is not None else None,
    }
    return content, f"ket-qua-nhieu-nam-{years[0]}-{years[-1]}.xlsx", read


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
        from ratings import exports as kinds

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
        field = _year_field(_("Năm"))
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
