from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectorsConfig(AppConfig):
    name = "connectors"
    verbose_name = _("Kết nối phần mềm quản lý văn bản")

    def ready(self):
        # Imported here, once the app registry is ready (apps.py loads before the models):
        # Django's documented place for connecting signals and registering with other apps.
        from cms import jobs
        from connectors import signals  # noqa: F401 - connects the receivers
        from connectors.schedule import health_items, pull_due_sources

        jobs.register_check("connectors", pull_due_sources)
        jobs.register_health("connectors", health_items)
