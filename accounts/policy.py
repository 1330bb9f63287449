"""Who reads the account events (``AccountEvent``: sign-ins, failures, resets, enrolments,
linking, role changes), and how their rows reach the org tree (``org.access``): through the
person whose sign-in the event is about. Sở Nội vụ reads them all; an agency admin reads those
of the people their agencies hold whose sign-ins they administer (``accounts.roles``,
narrowed further by ``accounts.viewsets``); everyone reads their own on their account page."""

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP, RowScope

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: [("accounts", "view_accountevent")],
    AGENCY_ADMIN_GROUP: [("accounts", "view_accountevent")],
}

ROW_SCOPES = {
    "accounts.accountevent": RowScope(person="user__civil_servant"),
}
