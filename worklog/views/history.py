"""A person's lines per period, with the score preview of the period so far."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from org.models import CivilServant
from scoring.models import AssignmentLine, Period
from worklog.access import visible_people
from worklog.services.preview import period_preview
from worklog.services.tracking import build_rows
from worklog.views.common import WorklogPageMixin, marks_period, may_enter_marks, today


class HistoryView(WorklogPageMixin, TemplateView):
    template_name = "worklog/history.html"
    page_title = gettext_lazy("Kết quả thực hiện theo kỳ")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = today()
        person = get_object_or_404(CivilServant, pk=self.kwargs["pk"])
        if not visible_people(self.request.user, day).filter(pk=person.pk).exists():
            raise PermissionDenied
        periods = list(
            Period.objects.filter(assignment_lines__civil_servant=person)
            .distinct()
            .order_by("-start_date")
        )
        selected = None
        if self.request.GET.get("period"):
            selected = get_object_or_404(Period, pk=self.request.GET["period"])
        elif periods:
            current = [p for p in periods if p.start_date <= day <= p.end_date]
            selected = current[0] if current else periods[0]
        marks = marks_period(day)
        if marks is not None and not may_enter_marks(self.request.user, person, marks, day):
            marks = None
        context.update(
            person=person, periods=periods, period=selected, today=day, marks_period=marks
        )
        if selected is not None:
            lines = AssignmentLine.objects.filter(civil_servant=person, period=selected)
            context["rows"] = build_rows(
                lines.select_related("work", "item", "period", "civil_servant", "unit"), day
            )
            context["preview"] = period_preview(person, selected, day)
        return context
