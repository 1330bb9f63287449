from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    name = "importers"
    verbose_name = _("Nhập, xuất Excel")

    def ready(self):
        from importers.recovery import sweep_imports
        from scoring.services.sweeper import register

        register("imports", sweep_imports)
