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

from importers.models import ImportJob, ImportStatus
from importers.tasks import fail_job

logger = logging.getLogger(__name__)
STALE_PARSING = datetime.timedelta(minutes=10)


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


def _unlocked(job_id: int) -> bool:
    """Whether no transaction holds the job's row (PostgreSQL: NOWAIT; SQLite has one writer
    and runs tasks in-process, so there a job is never orphaned this way)."""
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic():
            ImportJob.objects.select_for_update(nowait=True).filter(pk=job_id).first()
        return True
    except DatabaseError:
        return False


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
        if _unlocked(job.pk):
            fail_job(
                job.pk,
                _(
                    "Việc ghi dữ liệu bị gián đoạn (máy xử lý nền dừng đột ngột); không có dữ liệu "
                    "nào được ghi. Hãy tải lại tệp và xác nhận lại."
                ),
            )
            _mark_task_failed(job.task_id)
            ended.append(job.pk)
    running = set(tasks)
    stale = timezone.now() - STALE_PARSING
    for job in ImportJob.objects.filter(status=ImportStatus.PARSING, updated_at__lt=stale):
        if job.task_id in running:
            fail_job(
                job.pk,
                _("Việc kiểm tra tệp bị gián đoạn (máy xử lý nền dừng đột ngột). Hãy tải lại tệp."),
            )
            _mark_task_failed(job.task_id)
            ended.append(job.pk)
    if ended:
        logger.warning("Import jobs left running by a stopped worker, now failed: %s", ended)
    return ended
