"""Who drafts, approves and reads work plans. Drafting is the ``change`` permission on a plan
of one's own subtree (a unit's leaders their unit's, the agency's admin any of the agency);
approving is the head of the owning agency's (``workplans.services.flow``); Sở Nội vụ reaches
every plan. An approved plan is frozen for everyone."""

from org.access import (
    AGENCY_ADMIN_GROUP,
    HOME_AFFAIRS_GROUP,
    UNIT_LEADER_GROUP,
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
