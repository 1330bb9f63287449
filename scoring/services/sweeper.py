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

from django_tasks import task

from django.db.models import Q
from django.utils import timezone

from cms import jobs, mail
from scoring.models import RunStatus, ScoringRun, StaleFigure
from scoring.services import freshness, rescoring

logger = logging.getLogger(__name__)

#: A queued run younger than this may still be on its way into the queue.
ENQUEUE_GRACE = datetime.timedelta(seconds=30)
#: The start-up sweep's priority: ahead of any backlog.
STARTING_PRIORITY = 100
#: How often a worker sweeps by itself.
SWEEP_EVERY = datetime.timedelta(minutes=1)


def orphaned_runs(grace: datetime.timedelta = ENQUEUE_GRACE):
    """Queued runs whose task is missing, finished or failed."""
    now = timezone.now()
    queued = list(
        ScoringRun.objects.filter(status=RunStatus.QUEUED, created_at__lt=now - grace)
        # a retry waits its delay
        .filter(Q(next_attempt_at=None) | Q(next_attempt_at__lt=now - grace))
        .order_by("id")
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


#: A task row "running" this long whose work no longer waits on it was left by a worker that
#: died (review L7): it is closed as failed. Past ``TASK_ABANDONED`` every running row is.
TASK_STALE = datetime.timedelta(minutes=30)
TASK_ABANDONED = datetime.timedelta(hours=6)


def _live_scoring_tasks() -> list[str]:
    """Task ids of scoring runs queued or running."""
    return list(
        ScoringRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).values_list(
            "task_id", flat=True
        )
    )


jobs.register_live_tasks("scoring_runs", _live_scoring_tasks)


def _work_waiting_on_tasks() -> set[str]:
    """Task ids that live work still points at: scoring runs queued or running, and what the
    other apps registered (import jobs running, account batches running — ``cms.jobs``)."""
    return jobs.waited_on_task_ids()


def close_dead_task_rows(now=None) -> int:
    """Task rows a killed worker left "running" for ever (review L7), closed as failed with
    why; the work itself was queued again by the other checks of the sweep."""
    if not rescoring.database_queue():
        return 0
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from django.db.models import Q

    now = now or timezone.now()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    candidates = running.filter(
        Q(started_at__lt=now - TASK_STALE)
        | Q(started_at__isnull=True, enqueued_at__lt=now - TASK_STALE)
    )
    waiting = _work_waiting_on_tasks()
    dead = [
        row.pk
        for row in candidates.only("id", "started_at")
        if str(row.pk) not in waiting or (row.started_at and row.started_at < now - TASK_ABANDONED)
    ]
    if not dead:
        return 0
    closed = DBTaskResult.objects.filter(pk__in=dead, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="builtins.SystemExit",
        traceback="The worker running this task stopped; closed by the sweep "
        "(its work, if any, was queued again).",
    )
    if closed:
        logger.warning("Task rows left running by a stopped worker, closed: %d", closed)
    return closed


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
        report["dead_tasks"] = close_dead_task_rows()
    except Exception:
        logger.exception("Closing dead task rows failed")
        report["dead_tasks"] = "error"
    try:
        report["mail"] = mail.retry_pending()
    except Exception:
        logger.exception("Retrying queued e-mails failed")
        report["mail"] = "error"
    for name, check in jobs.CHECKS.items():
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


def announce_start() -> None:
    """A worker that starts queues a sweep ahead of everything waiting (highest priority): it
    runs within seconds even behind a backlog, and its queued row tells ``/healthz/work`` the
    worker is starting rather than down (``dashboards.health_checks``, review L3)."""
    if rescoring.database_queue():
        sweep_task.using(priority=STARTING_PRIORITY).enqueue()


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
