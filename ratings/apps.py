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

        # The case list's "Lập hồ sơ" runs in the background (ratings.tasks): one of the job
        # kit's kinds.
        from cms import jobs
        from ratings.models import CaseOpening
        from ratings.tasks import (
            describe,
            health_items,
            live_tasks,
            may_retry,
            opening_url,
            retry,
            sweep_openings,
        )

        jobs.register_check("case_openings", sweep_openings)
        jobs.register_live_tasks("case_openings", live_tasks)
        jobs.register_health("case_openings", health_items)
        jobs.register_kind(
            jobs.JobKind(
                "case_openings",
                CaseOpening._meta.verbose_name,
                CaseOpening,
                url=opening_url,
                describe=describe,
                retry=retry,
                may_retry=may_retry,
            )
        )
