"""Import jobs whose worker died (killed, out of memory, machine restarted) end, instead of
saying "Đang ghi dữ liệu" for ever.

The commit of a job runs in one database transaction that locks the job's row from its first
statement (``pipeline.commit``); when a worker dies the database rolls that transaction back, so
nothing of the import is written, and releases the lock. A job that still says "committing" while
its task is "running" and its row can be locked at once has therefore no live worker behind it:
it is marked failed with a message saying nothing was written, and the user confirms the upload
again. Validation writes nothing; a job left "parsing" by a task that has been running with no
progress for ``STALE_PARSING`` is marked failed the same way. ``db_worker`` (our override of
django-tasks-db's command) runs this when it starts, so the next worker the supervisor starts
ends what its predecessor left.
"""

import datetime
import logging
import time

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import jobs
from cms.jobs import HealthItem
from importers import tasks
from importers.models import ImportJob, ImportStatus
from importers.tasks import VALIDATION_LOCK, fail_job
from scoring.services.rescoring import live_task_ids

logger = logging.getLogger(__name__)
#: A validation that has not reported progress for this long has no live worker: the
#: validation reports progress at each of its steps, the longest (reading 100,000 lines)
#: measured well under this on the test machine (docs/importers.md).
STALE_PARSING = datetime.timedelta(minutes=3)
#: A job whose task should have been queued this long ago (the confirm's request died between
#: the status switch and the enqueue, or the enqueue failed) has lost it.
ENQUEUE_GRACE = datetime.timedelta(seconds=30)


#: A task claimed less than this long ago may not have opened its transaction yet.
CLAIM_GRACE = datetime.timedelta(seconds=5)


def _running_tasks() -> dict[str, datetime.datetime]:
    """Task id → when it was claimed, for the tasks the queue says are running."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.running().values_list("id", "started_at")
    return {str(pk): started for pk, started in rows if started is not None}


def _mark_task_failed(task_id: str) -> None:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="importers.recovery.WorkerStopped",
        traceback="The worker running this task stopped before it finished.",
    )


def sqlite_writer_idle(path: str) -> bool:
    """Whether no connection holds SQLite's write lock on the database file ``path`` now (a
    ``BEGIN IMMEDIATE`` that does not wait). A commit writing holds it to its end; a worker
    killed mid-commit releases it (its journal is rolled back by the next opener)."""
    import sqlite3

    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


def _unlocked(job_id: int, claimed: datetime.datetime | None = None) -> bool:
    """Whether no transaction holds the job's row. PostgreSQL: a NOWAIT lock of the row.
    SQLite (review L2: with the database queue a worker is another process): the task was
    claimed more than ``STALE_PARSING`` ago and nobody holds the database's write lock (a
    commit that has not written yet and is wrongly ended re-reads its status under its lock
    and writes nothing). An in-memory database (tests) is never orphaned this way."""
    if connection.vendor == "sqlite":
        path = str(connection.settings_dict.get("NAME") or "")
        if not path or path == ":memory:" or "mode=memory" in path or claimed is None:
            return False
        if claimed > timezone.now() - STALE_PARSING:
            return False
        return sqlite_writer_idle(path)
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic():
            ImportJob.objects.select_for_update(nowait=True).filter(pk=job_id).first()
        return True
    except DatabaseError:
        return False


def commit_idle(job_id: int) -> bool:
    """Whether no commit is writing the job now (its row is not locked; ``pipeline.commit``
    holds the lock from its first statement to its end). SQLite: one writer, whose lock the
    caller's own write waits for, so always True."""
    if connection.vendor != "postgresql":
        return True
    return _unlocked(job_id)


def recover_interrupted_jobs(*, wait: bool = False) -> list[int]:
    """Ends the jobs left running by a dead worker; returns their ids.

    A job whose task was claimed less than ``CLAIM_GRACE`` ago is left alone, or, with
    ``wait`` (a worker starting: ``db_worker``), checked again once that time has passed — a
    worker restarted within seconds of its predecessor's death would otherwise never end it."""
    tasks = _running_tasks()
    ended = []
    for job in ImportJob.objects.filter(status=ImportStatus.COMMITTING).exclude(task_id=""):
        claimed = tasks.get(job.task_id)
        if claimed is None:
            continue
        young = (claimed + CLAIM_GRACE - timezone.now()).total_seconds()
        if young > 0:
            if not wait:
                continue
            time.sleep(young)
        if _unlocked(job.pk, claimed):
            fail_job(
                job.pk,
                _(
                    "Việc ghi dữ liệu bị gián đoạn (máy xử lý nền dừng đột ngột); không có dữ liệu "
                    "nào được ghi. Hãy tải lại tệp và xác nhận lại."
                ),
            )
            _mark_task_failed(job.task_id)
            ended.append(job.pk)
    ended += end_dead_validations()
    if ended:
        # A worker died mid-import: operators hear about it (an ERROR reaches the reporter).
        logger.error("Import jobs left running by a stopped worker, now failed: %s", ended)
    return ended


def _live_tasks(ids) -> set[str]:
    """Of the task ids given, those the database queue holds READY or RUNNING (in-process
    there are none: a task has run by the time ``enqueue`` returns)."""
    return live_task_ids(ids)


def requeue_lost_jobs(grace: datetime.timedelta = ENQUEUE_GRACE) -> list[int]:
    """Reliability review H2 (F5b): jobs "committing" or "queued" whose task is missing or
    already finished — the request died between the status switch and the enqueue, the enqueue
    failed, or ``task_id`` still names the finished validation. The user asked for the commit
    (or the validation): it is queued again. The commit checks the stored rows against the
    preview, so a late commit never overwrites a newer change (it goes back to the preview)."""
    cutoff = timezone.now() - grace
    jobs = list(
        ImportJob.objects.filter(
            status__in=[ImportStatus.COMMITTING, ImportStatus.QUEUED], updated_at__lt=cutoff
        ).order_by("id")
    )
    live = _live_tasks([job.task_id for job in jobs])
    requeued = []
    for job in jobs:
        if job.task_id and job.task_id in live:
            continue
        try:
            if job.status == ImportStatus.COMMITTING:
                tasks.enqueue_commit(job)
            else:
                tasks.enqueue_validation(job)
        except Exception:
            logger.exception("Import job %s could not be queued again", job.pk)
            continue
        requeued.append(job.pk)
    if requeued:
        logger.warning("Import jobs whose task was lost, queued again: %s", requeued)
    return requeued


def _validation_alive(job_id: int) -> bool:
    """PostgreSQL: whether a worker holds the job's validation lease."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [VALIDATION_LOCK, job_id])
        free = cursor.fetchone()[0]
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [VALIDATION_LOCK, job_id])
    return not free


def end_dead_validations() -> list[int]:
    """Reliability review M2 (F1): a job "parsing" with no live worker behind it is ended with
    a message, and the user uploads the file again. On PostgreSQL: nobody holds its validation
    lease (``importers.tasks.validation_lease``) — known within a sweep of the worker's death;
    elsewhere: no progress reported for ``STALE_PARSING``."""
    now = timezone.now()
    ended = []
    running = _running_tasks()
    for job in ImportJob.objects.filter(status=ImportStatus.PARSING).order_by("id"):
        if connection.vendor == "postgresql":
            if job.updated_at > now - CLAIM_GRACE or _validation_alive(job.pk):
                continue
        elif job.updated_at > now - STALE_PARSING:
            continue
        # Only a job still "parsing" is ended (a validation that finished meanwhile wins).
        if not ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PARSING).exists():
            continue
        fail_job(
            job.pk,
            _("Việc kiểm tra tệp bị gián đoạn (máy xử lý nền dừng đột ngột). Hãy tải lại tệp."),
        )
        if job.task_id in running:
            _mark_task_failed(job.task_id)
        ended.append(job.pk)
    if ended:
        logger.error("Import validations with no live worker, now failed: %s", ended)
    return ended


def sweep_imports() -> dict:
    """The importers' part of the periodic sweep (``scoring.services.sweeper``)."""
    return {
        "ended": recover_interrupted_jobs() + end_dead_validations(),
        "requeued": requeue_lost_jobs(),
    }


#: An import job waiting in one state longer than this is stuck (the sweep would have recovered
#: it by then).
HEALTH_WAIT = datetime.timedelta(minutes=15)


def health_items(now: datetime.datetime) -> list[HealthItem]:
    """``/healthz/work``'s lines for the Excel imports (``cms.jobs.register_health``): the jobs
    queued, being read or being written, each stuck once it waited :data:`HEALTH_WAIT`."""
    lines = []
    for status in (ImportStatus.QUEUED, ImportStatus.PARSING, ImportStatus.COMMITTING):
        waiting = ImportJob.objects.filter(status=status)
        lines.append(
            jobs.line(
                f"imports_{status}",
                _("Lần nhập Excel “%(status)s”") % {"status": status.label},
                waiting,
                since="updated_at",
                now=now,
                stuck_after=HEALTH_WAIT,
                hint=_("Nhập, xuất Excel → lần nhập. Người tải lên có thể huỷ."),
                rows=waiting.select_related("agency").order_by("updated_at"),
            )
        )
    return lines
