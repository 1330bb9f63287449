"""HR's listing "Khoảng cách năng lực" (issue 45 item 2; Đắk Lắk plan §I.1: results as the basis of
training and planning): each person whose latest assessed level of a competency their position
requires is below that level, filtered by agency or unit and competency, and its Excel file.
Who: as the multi-year HR list (``ratings.access.can_list_hr_history``); whose rows: the people
``ratings.access.hr_history_people`` reads (the row-scope registry)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audit import record_read
from audit.models import ReadKind
from cms import exports
from cms.admin_views import TitledAdminMixin
from org.access import visible_agencies
from org.models import Competency
from ratings.access import can_list_hr_history, hr_history_people
from ratings.services.competency_gaps import gaps_xlsx
from scoring.services.competencies import gaps

PER_PAGE = 50


class GapFilterForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan, đơn vị"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Tất cả trong phạm vi của tôi"),
    )
    competency = forms.ModelChoiceField(
        label=gettext_lazy("Năng lực"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Tất cả"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = visible_agencies(user).order_by("path")
        self.fields["agency"].error_messages["invalid_choice"] = _(
            "“Cơ quan, đơn vị”: hãy chọn một cơ quan, đơn vị trong danh sách."
        )
        self.fields["competency"].queryset = Competency.objects.order_by("code")
        self.fields["competency"].error_messages["invalid_choice"] = _(
            "“Năng lực”: hãy chọn một năng lực trong danh sách."
        )


def gaps_people(user, query):
    """The form, the people ``user`` reaches that ``query`` asks for (``None`` when the form
    has errors), the competency asked for and a text naming the scope."""
    form = GapFilterForm(query or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, None, None, ""
    data = form.cleaned_data if form.is_bound else {}
    agency = data.get("agency")
    competency = data.get("competency")
    people = hr_history_people(user)
    if agency is not None:
        from org.models import Posting

        people = people.filter(
            pk__in=Posting.objects.filter(agency__path__startswith=agency.path).values(
                "civil_servant_id"
            )
        )
        scope = agency.name
    else:
        scope = _("Toàn bộ phạm vi được giao")
    if competency is not None:
        scope += " · " + competency.name
    return form, people, competency, scope


def gaps_selection(user, query):
    """The form, the rows (None when the form is wrong) and a text naming the scope."""
    form, people, competency, scope = gaps_people(user, query)
    if people is None:
        return form, None, scope
    return form, gaps(people, competency=competency), scope


def gaps_export(user, query, progress=None) -> tuple[bytes, str, dict]:
    """The gaps' workbook of ``query`` as ``user`` reaches it, its name and what the read log
    keeps of it — the one builder of the download at once and of the background job
    (``ratings.exports``, issue 47). The form is valid (the view answered its errors)."""
    form, rows, scope = gaps_selection(user, query)
    if rows is None:
        raise ValueError(f"invalid competency-gap selection: {form.errors.as_json()}")
    if progress is not None:
        progress(len(rows))
    read = {
        "label": _("Khoảng cách năng lực: %(scope)s") % {"scope": scope},
        "subjects": sorted({gap.person_id for gap in rows}),
        "count": len(rows),
    }
    return gaps_xlsx(rows, scope=scope), "khoang-cach-nang-luc.xlsx", read


class GapsMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_list_hr_history(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def selection(self):
        """The form, the rows (None when the form is wrong) and a text naming the scope."""
        return gaps_selection(self.request.user, self.request.GET)


class CompetencyGapsView(GapsMixin, TitledAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ratings/competency_gaps.html"
    page_title = gettext_lazy("Khoảng cách năng lực")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, rows, scope = self.selection()
        context.update(form=form, scope=scope, rows=None)
        if rows is None:
            return context
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(page=page, rows=page.object_list, count=len(rows), query=query.urlencode())
        record_read(
            self.request,
            ReadKind.DASHBOARD,
            model="org.civilservant",
            label=str(self.page_title),
            subjects=sorted({gap.person_id for gap in page.object_list}),
            count=len(page.object_list),
        )
        return context


class CompetencyGapsExportView(GapsMixin, View):
    """The listing's workbook: at once, or built in the background when the people it reads
    are more than ``KPI_EXPORT_INLINE_ROWS`` (``cms.exports``; the same ``gaps_export``)."""

    def get(self, request):
        from ratings import exports as kinds
        from ratings.views.printing import xlsx_response

        form, people, _competency, _scope = gaps_people(request.user, request.GET)
        if people is None:
            return HttpResponseBadRequest(
                "; ".join(" ".join(messages) for messages in form.errors.values()),
                content_type="text/plain; charset=utf-8",
            )

        def inline():
            content, name, read = gaps_export(request.user, request.GET)
            kinds.record_listing(request, **read)
            return xlsx_response(content, name)

        # The people whose gaps are read (each may have several): one count.
        return exports.deliver(
            request, kinds.COMPETENCY_GAPS, kinds.listing_params(request), people.count(), inline
        )
