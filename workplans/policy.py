"""Who drafts, approves and reads work plans. Drafting is the ``change`` permission on a plan
of one's own subtree (a unit's leaders their unit's, the agency's admin any of the agency);
approving is the head of the owning agency's (``workplans.services.flow``); Sở Nội vụ reaches
every plan (reads it, may help draft it) but approves no other agency's. An approved plan is
frozen for everyone."""

from catalog_pages.access import drafting_reach
from catalog_pages.policy import CATALOG_DRAFTING
from org.access import (
    AGENCY_ADMIN_GROUP,
    HOME_AFFAIRS_GROUP,
    UNIT_LEADER_GROUP,
    ExtraReach,
    RowScope,
    model_permissions,
)

PLAN_PERMISSIONS = ("add", "change", "delete", "view")

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: model_permissions("workplans", PLAN_PERMISSIONS, ("workplan",)),
    AGENCY_ADMIN_GROUP: model_permissions("workplans", PLAN_PERMISSIONS, ("workplan",)),
    UNIT_LEADER_GROUP: model_permissions("workplans", PLAN_PERMISSIONS, ("workplan",)),
}

ROW_SCOPES = {
    "workplans.workplan": RowScope(agency="agency", frozen=(("status", "approved"),)),
    # Its items are written with it, through its form.
    "workplans.workplanitem": RowScope(agency="plan__agency"),
}

#: The one write service of a plan and its items (``org.admin_scope``'s doors).
WRITE_SERVICES = {"workplans.workplan": "workplans.services.writes"}

#: The catalog editors of an agency read its assignment lines for drafting its next catalog
#: from last year's work (``catalog_pages.last_year``, ``workplans.wagtail_hooks``).
EXTRA_REACH = {
    "scoring.assignmentline": [
        ExtraReach(CATALOG_DRAFTING, rows="workplans.policy.catalog_drafting_lines")
    ]
}


def catalog_drafting_lines(user, **_context):
    return drafting_reach(user, "unit")
