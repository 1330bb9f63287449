from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectorsConfig(AppConfig):
    name = "connectors"
    verbose_name = _("Kết nối phần mềm quản lý văn bản")

    def ready(self):
        from connectors import signals  # noqa: F401 - connects the receivers
        from connectors.schedule import pull_due_sources
        from scoring.services.sweeper import register

        register("connectors", pull_due_sources)
