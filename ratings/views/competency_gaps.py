"""HR's listing "Khoảng cách năng lực" (issue 45 item 2; Đắk Lắk plan §I.1: results as the basis of
training and planning): each person whose latest assessed level of a competency their position
requires is below that level, filtered by agency or unit and competency, and its Excel file.
Who: as the multi-year HR list (``ratings.access.can_list_hr_history``); whose rows: the people
``ratings.access.hr_history_people`` reads (the row-scope registry)."""

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
from ratings.listings import gaps_export, gaps_people, gaps_selection
from ratings.views.printing import xlsx_response

PER_PAGE = 50


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
