"""What each built-in role may do with Excel imports: agency admins import their agency's
results and marks; Sở Nội vụ everything. Which jobs a user sees is ``importers.access``."""

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP, RowScope

_IMPORT = [("importers", "import_excel"), ("importers", "view_importjob")]

ROLE_PERMISSIONS = {HOME_AFFAIRS_GROUP: _IMPORT, AGENCY_ADMIN_GROUP: _IMPORT}

ROW_SCOPES = {"importers.importjob": RowScope(agency="agency")}
