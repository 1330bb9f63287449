from django.template.loader import render_to_string

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from catalog_pages.last_year import Evidence
from catalog_pages.policy import CATALOG_DRAFTING
from org.access import VIEW, may, visible
from scoring.models import AssignmentLine
from workplans.services.fulfilment import unit_plans
from workplans.viewsets import WorkPlanViewSet

register_snippet(WorkPlanViewSet)


@hooks.register("worklog_board_sections")
def plan_fulfilment(request, unit, day):
    """On a unit's board (``worklog``): the fulfilment of the unit's approved plans in force."""
    results = [r for r in unit_plans(unit, day) if may(request.user, VIEW, r.plan)]
    if not results:
        return []
    return [
        render_to_string(
            "workplans/includes/board_section.html", {"results": results}, request=request
        )
    ]


@hooks.register("catalog_last_year_evidence")
def lines_of_the_year(user, agency, year):
    """Last year's assignment lines of ``agency``'s subtree that the user reaches, one piece per
    catalog product used (``catalog_pages.last_year``: the next catalog drafted from them)."""
    from collections import defaultdict
    from decimal import Decimal

    from django.utils.translation import gettext as _

    lines = (
        visible(user, AssignmentLine, extra=CATALOG_DRAFTING)
        .filter(unit__path__startswith=agency.path, period__year=year)
        .select_related("item")
    )
    pieces: dict = defaultdict(lambda: None)
    for line in lines:
        item = line.item
        piece = pieces[item.uid]
        if piece is None:
            piece = pieces[item.uid] = Evidence(
                name=item.name, unit=item.output_unit, uid=item.uid, code=item.code
            )
        piece.assigned += line.assigned_quantity or Decimal(0)
        piece.completed += line.completed_quantity or Decimal(0)
        piece.lines += 1
    for piece in pieces.values():
        piece.label = _("%(n)d dòng giao việc") % {"n": piece.lines}
    return list(pieces.values())
