"""Which milestone boards, inspections and inspection files a user may open — asked of the one
permission layer (``org.access``) with the rows of ``oversight.policy``."""

from org import access
from org.access import VIEW
from oversight.models import Inspection, Milestone


def can_see_milestones(user) -> bool:
    """The progress board: Sở Nội vụ (every agency) and the agencies' own users (their rows)."""
    return access.has_model_permission(user, Milestone, VIEW)


def visible_inspections(user):
    if not access.has_model_permission(user, Inspection, VIEW):
        return Inspection.objects.none()
    return access.visible(user, Inspection)
