from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        # Imported here, once the app registry is ready (apps.py loads before the models):
        # Django's documented place for connecting signals and registering with other apps.
        from . import (
            schema,  # noqa: F401  (registers the OpenAPI extensions)
            signals,
        )

        signals.connect()

        from cms import jobs

        from .national_export import health_items, send_due

        jobs.register_check("national_outbox", send_due)
        jobs.register_health("national_outbox", health_items)
