"""The read log and the change history are Sở Nội vụ's only: the read log through its view
permission (granted to that group alone), the change history page (``audit.views``) through
``org.access.is_home_affairs``; the historical tables themselves get no model permission."""

from org.access import HOME_AFFAIRS_GROUP, HOME_AFFAIRS_ONLY

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: [("audit", "view_personaldataread")],
}

ROW_SCOPES = {
    "audit.personaldataread": HOME_AFFAIRS_ONLY,
}
