from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Xếp loại chất lượng")

    def ready(self):
        from ratings import signals

        signals.connect()
