"""Who reads support requests: the people of the agency that raised one (through the agency
subtree, like every row), the person who raised it, the appraisers of the bloc's lead body
(their reach is their bloc) and Sở Nội vụ, who reads them all.
Writing goes through ``support.services`` only (no model permission edits a request)."""

from org.access import (
    AGENCY_ADMIN_GROUP,
    BLOC_APPRAISER_GROUP,
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
    # The appraisers of a bloc's lead body answer their bloc's requests (support.services).
    BLOC_APPRAISER_GROUP: model_permissions("support", ("view",), MODELS),
    UNIT_LEADER_GROUP: model_permissions("support", ("add", "view"), MODELS),
    CIVIL_SERVANT_GROUP: model_permissions("support", ("add", "view"), MODELS),
}

ROW_SCOPES = {
    "support.supportrequest": RowScope(person="person", agency="agency"),
    "support.supportattachment": RowScope(person="request__person", agency="request__agency"),
    "support.supportrequestlog": RowScope(person="request__person", agency="request__agency"),
}
