"""Shared tasks and the related units' coordination ratings (issue 33 item 3).

``worklog_coordination``: the tasks shared with the units the user leads today, rated or
waiting. ``worklog_coordination_rate``: one task — its facts, its related units and their
ratings — with a form for each related unit the user leads; a POST rates through
``worklog.services.coordination.rate`` (the gate: only the named units' leaders, never the
person's own unit, the state seen, history, rescoring).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView

from cms import seen as cms_seen
from cms.form_errors import error_summary
from org import write_gate
from scoring.models import AssignmentLine
from worklog.access import can_view_line
from worklog.forms import CoordinationRatingForm
from worklog.models import CoordinatingUnit, WorkStatus
from worklog.services import coordination
from worklog.services.work import status_of
from worklog.views.common import WorklogPageMixin, today
from worklog.views.line import _add_errors


class CoordinationListView(WorklogPageMixin, TemplateView):
    template_name = "worklog/coordination_list.html"
    page_title = gettext_lazy("Đánh giá phối hợp")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(coordination.shared_with(self.request.user, today()))
        context.update(
            waiting=[row for row in rows if row.rating is None],
            rated=[row for row in rows if row.rating is not None],
        )
        for row in rows:
            row.unit_name = coordination.unit_label(row.agency)
        return context


def _line_for(request, pk) -> tuple[AssignmentLine, set[int]]:
    """The line, and the ids of its related units the user leads today; refused (403) to
    whoever neither reads the line nor leads one of its related units."""
    line = get_object_or_404(
        AssignmentLine.objects.select_related("item", "period", "civil_servant", "unit__parent"),
        pk=pk,
    )
    related = set(CoordinatingUnit.objects.filter(line=line).values_list("agency_id", flat=True))
    led = related & coordination.led_unit_ids(request.user, today())
    if not led and not can_view_line(request.user, line, today()):
        raise PermissionDenied
    return line, led


class CoordinationRateView(WorklogPageMixin, TemplateView):
    template_name = "worklog/coordination_rate.html"
    page_title = gettext_lazy("Đánh giá phối hợp")
    bound = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        line, led = _line_for(self.request, self.kwargs["pk"])
        rows = coordination.rows_of(line)
        for row in rows:
            row.unit_name = coordination.unit_label(row.agency)
            if row.agency_id in led:
                if self.bound is not None and self.bound.data.get("unit") == str(row.agency_id):
                    row.form = self.bound
                else:
                    row.form = CoordinationRatingForm(
                        initial={
                            "unit": row.agency_id,
                            "rating": row.rating,
                            "comment": row.comment,
                            "kpi_seen": cms_seen.token(cms_seen.snapshot(row)),
                        }
                    )
        context.update(
            line=line,
            unit_name=coordination.unit_label(line.unit),
            status_label=WorkStatus(status_of(line)).label,
            rows=rows,
            readable=can_view_line(self.request.user, line, today()),
        )
        return context

    def post(self, request, pk):
        line, _led = _line_for(request, pk)
        form = CoordinationRatingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                coordination.rate(
                    request.user,
                    line,
                    data["unit"],
                    data["rating"],
                    data["comment"],
                    seen=cms_seen.read(data.get("kpi_seen")),
                    today=today(),
                )
            except write_gate.Stale as exc:
                form.add_error(None, exc.message)
                cms_seen.refresh(form, exc.now)
            except write_gate.Refused as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, gettext("Đã ghi đánh giá phối hợp."))
                return redirect("worklog_coordination_rate", pk=line.pk)
        messages.error(request, error_summary(form))
        self.bound = form
        response = self.get(request, pk=pk)
        response.status_code = 400
        return response
