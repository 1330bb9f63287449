"""A leader's board per unit: people × status, overdue first, then the open lines."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail import hooks

from org.models import Agency
from worklog.services.tracking import board, board_units, can_open_board, default_board_unit
from worklog.views.common import WorklogPageMixin, evaluated_ids, marks_period, today

#: Apps above the worklog add sections to a unit's board (``workplans``: plan fulfilment).
BOARD_SECTIONS_HOOK = "worklog_board_sections"


class BoardView(WorklogPageMixin, TemplateView):
    template_name = "worklog/board.html"
    page_title = gettext_lazy("Theo dõi giao việc của đơn vị")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = today()
        units = board_units(self.request.user, day)
        unit_id = self.request.GET.get("unit")
        if unit_id:
            unit = get_object_or_404(Agency, pk=unit_id)
            if not can_open_board(self.request.user, unit, day):
                raise PermissionDenied
        elif units:
            unit = default_board_unit(units)
        else:
            raise PermissionDenied
        params = self.request.GET
        context.update(
            units=units,
            unit=unit,
            today=day,
            awaiting_review=params.get("cho") == "nghiem-thu",
            **board(
                self.request.user,
                unit,
                day,
                params.get("p"),
                params.get("lp"),
                awaiting_review=params.get("cho") == "nghiem-thu",
            ),
        )
        # Each person the viewer evaluates links to their Form 01 of the open period.
        period = marks_period(day)
        marked = evaluated_ids(self.request.user, period, day) if period else set()
        for item in context["people"]:
            item.marks_period = period if item.person.pk in marked else None
        # Sections apps above the worklog add about the unit (its work plans' fulfilment,
        # ``workplans``): each hook takes (request, unit, day) and returns HTML fragments.
        context["sections"] = [
            section
            for add in hooks.get_hooks(BOARD_SECTIONS_HOOK)
            for section in add(self.request, unit, day)
        ]
        return context
