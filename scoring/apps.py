from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Chấm điểm")

    def ready(self):
        # Imported here: apps.py is loaded before the app registry is ready (models, signals).
        from scoring import signals

        signals.connect()

        from cms import jobs
        from scoring.models import ScoringRun
        from scoring.services.rescoring import may_retry, retry_run

        jobs.register_kind(
            jobs.JobKind(
                "scoring_runs",
                ScoringRun._meta.verbose_name,
                ScoringRun,
                url=_scoring_run_url,
                related=("period",),
                retry=retry_run,
                may_retry=may_retry,
            )
        )


def _scoring_run_url(run, user) -> str:
    from django.contrib.admin.utils import quote
    from django.urls import reverse

    return reverse("wagtailsnippets_scoring_scoringrun:inspect", args=[quote(run.pk)])
