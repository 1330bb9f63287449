"""Who may do what with milestones and inspections, and how their rows reach the org tree.

* Milestones (the plan's dates) are reference data every admin user reads; only Sở Nội vụ sets
  them, records an agency's progress by hand and records inspections.
* An agency's progress records and its inspections (with their findings and files) are read by
  the agency's own users (agency admin; a unit leader reaches only their unit, so not the
  agency's inspections) and by Sở Nội vụ; the civil servant role reads none.
* The appraisers of a bloc's lead body read and record the progress of their bloc's agencies,
  and record the inspections of their bloc's agencies (review 2026-11-25, coverage A8, H2:
  Nghệ An §IV.1.2 puts "kiểm tra, giám sát" under Ban Tổ chức Tỉnh ủy for the Party bloc).
"""

from org.access import (
    AGENCY_ADMIN_GROUP,
    BLOC_APPRAISER_GROUP,
    HOME_AFFAIRS_GROUP,
    SHARED,
    UNIT_LEADER_GROUP,
    RowScope,
    model_permissions,
)

MODELS = ("milestone", "milestonerecord", "inspection")

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: model_permissions("oversight", ("add", "change", "delete", "view"), MODELS),
    AGENCY_ADMIN_GROUP: model_permissions("oversight", ("view",), MODELS),
    UNIT_LEADER_GROUP: model_permissions("oversight", ("view",), ("milestone", "inspection")),
    # The lead body of a bloc follows its bloc's milestones, records its agencies' progress by
    # hand and inspects them (the rows of its bloc only: ``org.blocs``).
    BLOC_APPRAISER_GROUP: [
        *model_permissions("oversight", ("view",), MODELS),
        *model_permissions("oversight", ("add", "change"), ("milestonerecord", "inspection")),
    ],
}

ROW_SCOPES = {
    "oversight.milestone": SHARED,
    "oversight.milestonerecord": RowScope(agency="agency"),
    "oversight.inspection": RowScope(agency="agency"),
    "oversight.inspectionfinding": RowScope(agency="inspection__agency"),
    "oversight.inspectionattachment": RowScope(agency="inspection__agency"),
}
