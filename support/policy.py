"""Who reads support requests: the people of the agency that raised one (through the agency
subtree, like every row), the person who raised it, and Sở Nội vụ, who answers them all.
Writing goes through ``support.services`` only (no model permission edits a request)."""

from org.access import (
    AGENCY_ADMIN_GROUP,
    CIVIL_SERVANT_GROUP,
    HOME_AFFAIRS_GROUP,
    UNIT_LEADER_GROUP,
    RowScope,
    model_permissions,
)

MODELS = ("supportrequest", "supportattachment")

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: [
        *model_permissions("support", ("add", "change", "view"), MODELS),
        ("support", "change_supportsettings"),
    ],
    AGENCY_ADMIN_GROUP: model_permissions("support", ("add", "view"), MODELS),
    UNIT_LEADER_GROUP: model_permissions("support", ("add", "view"), MODELS),
    CIVIL_SERVANT_GROUP: model_permissions("support", ("add", "view"), MODELS),
}

ROW_SCOPES = {
    "support.supportrequest": RowScope(person="person", agency="agency"),
    "support.supportattachment": RowScope(person="request__person", agency="request__agency"),
    "support.supportrequestlog": RowScope(person="request__person", agency="request__agency"),
}
