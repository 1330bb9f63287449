"""Document sources and what they deliver: Sở Nội vụ reaches every source; an agency's admin
configures the sources of the agencies in their reach and clears their mapping queue
(coverage M3). The watched folder's path on the server is Sở Nội vụ's to set (a path is a
server's file, not an agency's). Rows reach the org tree through their source's agency
(docs/connectors.md §6)."""

from catalog_pages.access import drafting_reach
from catalog_pages.policy import CATALOG_DRAFTING
from org.access import (
    AGENCY_ADMIN_GROUP,
    HOME_AFFAIRS_GROUP,
    HOME_AFFAIRS_ONLY,
    ExtraReach,
    RowScope,
)

_CONFIGURE = [
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
    # a received task matched to an item of an approved work plan (connectors.plan_matching)
    ("connectors", "add_planitemmatch"),
    ("connectors", "change_planitemmatch"),
    ("connectors", "view_planitemmatch"),
]

ROLE_PERMISSIONS = {HOME_AFFAIRS_GROUP: _CONFIGURE, AGENCY_ADMIN_GROUP: _CONFIGURE}

ROW_SCOPES = {
    "connectors.source": RowScope(agency="agency", home_affairs_fields=("folder",)),
    "connectors.tasktypemapping": RowScope(agency="source__agency"),
    "connectors.personmapping": RowScope(agency="source__agency", person="civil_servant"),
    "connectors.run": RowScope(agency="source__agency"),
    "connectors.package": RowScope(agency="source__agency"),
    "connectors.acceptedsignature": HOME_AFFAIRS_ONLY,
    "connectors.planitemmatch": RowScope(agency="package__source__agency"),
}

#: The catalog editors of an agency read its received documents for drafting its next catalog
#: from last year's work (``catalog_pages.last_year``, ``connectors.wagtail_hooks``).
EXTRA_REACH = {
    "connectors.package": [
        ExtraReach(CATALOG_DRAFTING, rows="connectors.policy.catalog_drafting_packages")
    ]
}


def catalog_drafting_packages(user, **_context):
    return drafting_reach(user, "source__agency")
