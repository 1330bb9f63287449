"""What Sở Nội vụ sees of the dashboards' own admin: the outgoing e-mails and their attempts
(``dashboards.mail_views``), Sở Nội vụ's alone like the stuck-work page that counts them."""

from org.access import HOME_AFFAIRS_GROUP, HOME_AFFAIRS_ONLY

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: [("cms", "view_outgoingmail")],
}

ROW_SCOPES = {
    "cms.outgoingmail": HOME_AFFAIRS_ONLY,
}
