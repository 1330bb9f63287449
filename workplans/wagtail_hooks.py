from django.template.loader import render_to_string

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from workplans.viewsets import WorkPlanViewSet

register_snippet(WorkPlanViewSet)


@hooks.register("worklog_board_sections")
def plan_fulfilment(request, unit, day):
    """On a unit's board (``worklog``): the fulfilment of the unit's approved plans in force."""
    from org.access import VIEW, may
    from workplans.services.fulfilment import unit_plans

    results = [r for r in unit_plans(unit, day) if may(request.user, VIEW, r.plan)]
    if not results:
        return []
    return [
        render_to_string(
            "workplans/includes/board_section.html", {"results": results}, request=request
        )
    ]
