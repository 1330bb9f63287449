from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: What Sở Nội vụ may do with the API's own models in the admin (row reach is org.access).
HOME_AFFAIRS_PERMISSIONS = [
    ("api", "add_integrationsystem"),
    ("api", "change_integrationsystem"),
    ("api", "view_integrationsystem"),
    ("api", "view_integrationtoken"),
    ("api", "add_integrationtoken"),
    ("api", "change_integrationtoken"),
    ("api", "view_apiaccesslog"),
    ("api", "view_outboxrecord"),
]


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from org.access import HOME_AFFAIRS_GROUP
        from org.roles import EXTRA_ROLE_PERMISSIONS

        from . import (
            schema,  # noqa: F401  (registers the OpenAPI extensions)
            signals,
        )

        signals.connect()
        wanted = EXTRA_ROLE_PERMISSIONS.setdefault(HOME_AFFAIRS_GROUP, [])
        wanted.extend(p for p in HOME_AFFAIRS_PERMISSIONS if p not in wanted)
