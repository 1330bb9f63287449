"""Background work that always finishes (issue 28; reliability review H1, H2, M2, M3, L2).

:func:`sweep` finds what a lost enqueue, a killed request or a killed worker left behind and
queues it again or ends it with a message:

* scoring runs "queued" whose task is missing or finished (``ScoringRun.task_id``): queued
  again (a failed enqueue used to leave them queued for ever, swallowing every later request
  of the agency and month);
* scoring runs "running" with no live worker: back to the queue (``recover_interrupted_runs``);
* stale annual and organisation scores with no refresh waiting: the refresh is queued;
* e-mails the relay refused, sent again (``cms.mail.retry_pending``);
* the apps above register their own checks (:func:`register`): the import jobs.

It is run by every ``db_worker`` when it starts and then every ``SWEEP_EVERY`` by itself (a
task that queues its next run), and by ``manage.py sweep_background_work`` (the daily job). It is
idempotent: a second sweep finds nothing.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django_tasks import task

from django.utils import timezone

from cms import mail
from scoring.models import RunStatus, ScoringRun, StaleFigure
from scoring.services import freshness, rescoring

logger = logging.getLogger(__name__)

#: A queued run younger than this may still be on its way into the queue.
ENQUEUE_GRACE = datetime.timedelta(seconds=30)
#: How often a worker sweeps by itself.
SWEEP_EVERY = datetime.timedelta(minutes=1)

CHECKS: dict[str, Callable[[], object]] = {}


def register(name: str, check: Callable[[], object]) -> None:
    CHECKS[name] = check


def orphaned_runs(grace: datetime.timedelta = ENQUEUE_GRACE):
    """Queued runs whose task is missing, finished or failed."""
    queued = list(
        ScoringRun.objects.filter(
            status=RunStatus.QUEUED, requested_at__lt=timezone.now() - grace
        ).order_by("id")
    )
    live = rescoring.live_task_ids([run.task_id for run in queued])
    return [run for run in queued if run.task_id not in live]


def requeue_orphaned_runs(grace: datetime.timedelta = ENQUEUE_GRACE) -> list[int]:
    requeued = []
    for scoring_run in orphaned_runs(grace):
        if rescoring.enqueue_run(scoring_run.pk):
            requeued.append(scoring_run.pk)
    if requeued:
        logger.warning("Scoring runs queued with no task, queued again: %s", requeued)
    return requeued


def sweep() -> dict:
    """One pass; returns what it did."""
    report: dict = {
        "runs_requeued": requeue_orphaned_runs(),
        "runs_recovered": rescoring.recover_interrupted_runs(),
    }
    report["refresh"] = False
    if StaleFigure.objects.exists() and not freshness.refresh_waiting():
        report["refresh"] = freshness.enqueue_refresh()
    try:
        report["mail"] = mail.retry_pending()
    except Exception:
        logger.exception("Retrying queued e-mails failed")
        report["mail"] = "error"
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception:
            logger.exception("Sweep check %s failed", name)
            report[name] = "error"
    return report


def schedule_next_sweep() -> None:
    """Queue the next sweep ``SWEEP_EVERY`` from now, unless one is already waiting (database
    queue only: in-process there is no worker to come back)."""
    if not rescoring.database_queue():
        return
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=sweep_task.module_path
    ).exists()
    if not waiting:
        sweep_task.using(run_after=timezone.now() + SWEEP_EVERY).enqueue()


@task()
def sweep_task() -> dict:
    """The worker's periodic sweep: sweeps, then queues the next one."""
    try:
        report = sweep()
    finally:
        schedule_next_sweep()
    return {key: value for key, value in report.items() if key != "refresh"} | {
        "refresh": bool(report.get("refresh"))
    }
