from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgScoringConfig(AppConfig):
    name = "org_scoring"
    verbose_name = _("Đánh giá, xếp loại tổ chức")

    def ready(self):
        # Imported here: apps.py is loaded before the app registry is ready (models, signals).
        from org_scoring import signals
        from org_scoring.services import freshness
        from scoring.models import StaleKind
        from scoring.services.freshness import (
            ORGANISATION_SOURCES,
            register_dependent,
            register_drain,
        )

        signals.connect()
        register_drain("organisation", freshness.drain)
        # The dependency map (legal review F4): annual scores → organisation score (M2).
        register_dependent(StaleKind.ANNUAL, freshness.staff_annual_changed)
        ORGANISATION_SOURCES["staff"] = freshness.staff_pending_since
