from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    name = "importers"
    verbose_name = _("Nhập, xuất Excel")

    def ready(self):
        # Imported here: apps.py is loaded before the app registry is ready (models, signals).
        from cms import jobs
        from importers.exports import background  # noqa: F401 (registers the long exports)
        from importers.recovery import health_items, sweep_imports

        jobs.register_check("imports", sweep_imports)
        jobs.register_live_tasks("imports", _running_import_tasks)
        jobs.register_health("imports", health_items)

        from importers.models import ImportJob, ImportStatus

        jobs.register_kind(
            jobs.JobKind("imports", ImportJob._meta.verbose_name, ImportJob, url=_import_job_url)
        )

        from scoring.services import freshness

        # An import being committed writes lines and queues their run: the annual refresh
        # waits for it (``freshness.waits_for_upstream``).
        freshness.register_upstream(
            "imports", lambda: ImportJob.objects.filter(status=ImportStatus.COMMITTING).exists()
        )


def _import_job_url(job, user) -> str | None:
    # Imported here: apps.py is loaded before the app registry is ready (models, signals).
    from django.urls import reverse

    from importers.access import can_view_job  # see above: apps.py loads first

    return reverse("importers_job", args=[job.pk]) if can_view_job(user, job) else None


def _running_import_tasks() -> list[str]:
    # Imported here: apps.py is loaded before the app registry is ready (models, signals).
    from importers.models import RUNNING_STATUSES, ImportJob

    return list(
        ImportJob.objects.filter(status__in=RUNNING_STATUSES).values_list("task_id", flat=True)
    )
