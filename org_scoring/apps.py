from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgScoringConfig(AppConfig):
    name = "org_scoring"
    verbose_name = _("Đánh giá, xếp loại tổ chức")

    def ready(self):
        from org_scoring import signals
        from org_scoring.services import freshness
        from scoring.services.freshness import register_drain

        signals.connect()
        register_drain("organisation", freshness.drain)
