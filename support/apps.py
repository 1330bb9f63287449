from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Vướng mắc, kiến nghị và hỗ trợ")

    def ready(self):
        from cms import backlinks
        from support.services import requests_behind

        backlinks.register(requests_behind)
