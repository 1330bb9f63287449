from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Đôn đốc, kiểm tra công tác đánh giá")

    def ready(self):
        # Imported here: apps.py is loaded before the app registry is ready (models, signals).
        # ``exports`` registers the progress board's export with ``cms.exports`` (issue 47).
        from oversight import exports  # noqa: F401
