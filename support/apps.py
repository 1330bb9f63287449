from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Vướng mắc, kiến nghị và hỗ trợ")

    def ready(self):
        # Imported here, once the app registry is ready (apps.py loads before the models):
        # Django's documented place for connecting signals and registering with other apps.
        from cms import backlinks
        from support.services import requests_behind

        backlinks.register(requests_behind)
