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

        jobs.register_kind(
            jobs.JobKind(
                "scoring_runs",
                ScoringRun._meta.verbose_name,
                ScoringRun,
                url=_scoring_run_url,
                related=("period",),
                retry=_retry_scoring_run,
                may_retry=_may_retry_scoring_runs,
            )
        )


def _scoring_run_url(run, user) -> str:
    from django.contrib.admin.utils import quote
    from django.urls import reverse

    return reverse("wagtailsnippets_scoring_scoringrun:inspect", args=[quote(run.pk)])


def _may_retry_scoring_runs(user) -> bool:
    """Sở Nội vụ asks for a failed scoring run again (the run's figures are province data)."""
    from org.access import is_home_affairs

    return is_home_affairs(user)


def _retry_scoring_run(user, run) -> bool:
    from scoring.services.rescoring import retry_failed

    return bool(retry_failed([run.pk], asked_by=user))
