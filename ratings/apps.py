from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Xếp loại chất lượng")

    def ready(self):
        # Imported here: apps.py is loaded before the app registry is ready (models, signals).
        # ``exports`` registers the long exports with ``cms.exports`` (issue 47).
        from ratings import exports, signals  # noqa: F401

        signals.connect()
