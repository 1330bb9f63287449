from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workplans"
    verbose_name = _("Kế hoạch công tác")

    def ready(self):
        # Imported here: apps.py is loaded before the app registry is ready (models, signals).
        from scoring.services import plan_fulfilment
        from workplans import signals
        from workplans.services.fulfilment import period_fulfilment, year_fulfilment

        # Criterion d from the unit's work plans when the framework says so (Đắk Lắk §III.3);
        # an agency's key-task criterion measured from its plans of the year (org_scoring).
        plan_fulfilment.register(period_fulfilment)
        plan_fulfilment.register_year(year_fulfilment)
        signals.connect()
