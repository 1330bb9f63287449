"""Sources, mappings, the review queue and the run log are Sở Nội vụ's (docs/connectors.md)."""

from org.access import HOME_AFFAIRS_GROUP, HOME_AFFAIRS_ONLY

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: [
        ("connectors", "add_source"),
        ("connectors", "change_source"),
        ("connectors", "view_source"),
        ("connectors", "add_tasktypemapping"),
        ("connectors", "change_tasktypemapping"),
        ("connectors", "delete_tasktypemapping"),
        ("connectors", "view_tasktypemapping"),
        ("connectors", "add_personmapping"),
        ("connectors", "change_personmapping"),
        ("connectors", "delete_personmapping"),
        ("connectors", "view_personmapping"),
        ("connectors", "view_run"),
        ("connectors", "view_package"),
    ],
}

ROW_SCOPES = {
    "connectors.source": HOME_AFFAIRS_ONLY,
    "connectors.tasktypemapping": HOME_AFFAIRS_ONLY,
    "connectors.personmapping": HOME_AFFAIRS_ONLY,
    "connectors.run": HOME_AFFAIRS_ONLY,
    "connectors.package": HOME_AFFAIRS_ONLY,
}
