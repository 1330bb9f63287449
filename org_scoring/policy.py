"""What each built-in role may do with organisation scoring (Sở Nội vụ everything; an agency
admin enters the inputs of the agencies granted to them and sees their scores; unit leaders
and civil servants nothing), and how the rows reach the org tree: through their agency."""

from org.access import (
    AGENCY_ADMIN_GROUP,
    HOME_AFFAIRS_GROUP,
    HOME_AFFAIRS_ONLY,
    PROVINCE_OFFICE_GROUP,
    RowScope,
    model_permissions,
)
from org.policy import ADMIN_ACCESS
from org_scoring.access import organisation_input_guard

INPUTS = ("organisationtask", "organisationgeneralmark", "organisationshortcoming")
READ_ONLY = ("organisationdisqualification", "organisationscore")
#: The quarterly assessment (docs/organisation-scoring.md §9): the Office of the province
#: People's Committee enters the province-assigned tasks, also after the window (marked late);
#: the chairman confirms as the head of the province (``org_scoring.access``), no permission.
QUARTER_TASKS = ("provincetask",)
QUARTER_RESULTS = ("quarterlyassessment",)
QUARTER_SETTINGS = ("quarterwindow", "quarterlyrule")
LATE_ENTRY = ("org_scoring", "enter_late_provincetask")

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: [
        *model_permissions(
            "org_scoring",
            ("add", "change", "delete", "view"),
            (*INPUTS, *READ_ONLY, *QUARTER_TASKS, *QUARTER_SETTINGS),
        ),
        *model_permissions("org_scoring", ("view",), QUARTER_RESULTS),
        LATE_ENTRY,
    ],
    PROVINCE_OFFICE_GROUP: [
        ADMIN_ACCESS,
        *model_permissions("org_scoring", ("add", "change", "delete", "view"), QUARTER_TASKS),
        *model_permissions("org_scoring", ("view",), QUARTER_RESULTS),
        LATE_ENTRY,
    ],
    AGENCY_ADMIN_GROUP: [
        *model_permissions("org_scoring", ("add", "change", "delete", "view"), INPUTS),
        *model_permissions("org_scoring", ("view",), READ_ONLY),
    ],
}

ROW_SCOPES = {
    **{f"org_scoring.{model}": RowScope(agency="agency") for model in (*INPUTS, *READ_ONLY)},
    # The Office's and the chairman's reach is the whole province (``org_scoring.access``:
    # ``quarterly_agencies``); through an agency grant, rows reach the tree as usual.
    **{
        f"org_scoring.{model}": RowScope(agency="agency")
        for model in (*QUARTER_TASKS, *QUARTER_RESULTS)
    },
    **{f"org_scoring.{model}": HOME_AFFAIRS_ONLY for model in QUARTER_SETTINGS},
}

#: What an agency may not do even to its own rows: remove or move what Sở Nội vụ (or the parent
#: agency) appraised or certified (``org_scoring.access.organisation_input_guard``).
WRITE_GUARDS = {f"org_scoring.{model}": organisation_input_guard for model in INPUTS}

#: The one write service of these inputs, called by every admin door (``org.admin_scope``).
WRITE_SERVICES = {f"org_scoring.{model}": "org_scoring.services.writes" for model in INPUTS}
