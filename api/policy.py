"""What Sở Nội vụ may do with the API's own models in the admin. Integration systems, tokens,
the access log and the outbox are Sở Nội vụ's alone (rows undeclared in ``ROW_SCOPES`` are)."""

from org.access import HOME_AFFAIRS_GROUP, HOME_AFFAIRS_ONLY

ROLE_PERMISSIONS = {
    HOME_AFFAIRS_GROUP: [
        ("api", "add_integrationsystem"),
        ("api", "change_integrationsystem"),
        ("api", "view_integrationsystem"),
        ("api", "view_integrationtoken"),
        ("api", "add_integrationtoken"),
        ("api", "change_integrationtoken"),
        ("api", "view_apiaccesslog"),
        ("api", "view_outboxrecord"),
        ("api", "view_nationaldelivery"),
    ],
}

ROW_SCOPES = {
    "api.integrationsystem": HOME_AFFAIRS_ONLY,
    "api.integrationtoken": HOME_AFFAIRS_ONLY,
    "api.apiaccesslog": HOME_AFFAIRS_ONLY,
    "api.outboxrecord": HOME_AFFAIRS_ONLY,
    "api.nationaldelivery": HOME_AFFAIRS_ONLY,
}
