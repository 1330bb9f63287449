"""How catalog rows reach the org tree. Published catalog versions are public (anyone may read
and pick their items); an assignment line's item must still belong to its unit's catalog
(``AssignmentLine.clean``). Editing catalogs goes through Wagtail page permissions
(``catalog_pages.setup``)."""

from org.access import SHARED, ExtraReach, RowScope

ROLE_PERMISSIONS = {}

ROW_SCOPES = {
    "catalog_pages.catalogversion": SHARED,
    "catalog_pages.catalogversionitem": SHARED,
    "catalog_pages.commonproduct": SHARED,
    "catalog_pages.commonproductmapping": RowScope(agency="agency"),
    # The province decisions on the common catalog are public acts; what each one changes
    # for an agency is shown per agency (``access.common_changes_agencies``).
    "catalog_pages.commoncatalogadoption": SHARED,
    "catalog_pages.adoptedcommonitem": RowScope(agency="agency"),
}

#: The name of the catalogs' extra reach (``catalog_pages.access.viewable_agencies``).
CATALOG_EDITORS = "catalog editors"
#: The reach of drafting the next catalog from last year's work (``catalog_pages.last_year``):
#: the members of an agency's catalog editor group read, for that draft only, the agency's
#: assignment lines (``workplans.policy``) and received documents (``connectors.policy``).
CATALOG_DRAFTING = "catalog drafting"

EXTRA_REACH = {
    # The members of an agency's catalog editor group (``catalog_pages.setup``) read that
    # agency's catalog versions, drafts included, wherever their grants are.
    "org.agency": [ExtraReach(CATALOG_EDITORS, rows="catalog_pages.access.editor_group_reach")],
}
