"""Background tasks (django-tasks): parse/validate an upload, and commit a confirmed one.

Both take only the job id (JSON-serialisable, as a database worker needs) and record everything
on the ImportJob, which the page polls through a small JSON endpoint. They never raise: an
unexpected error marks the job ``failed`` with a Vietnamese message (details in the log), so a
bad file cannot crash the worker or leave the page waiting forever.
"""

import contextlib
import logging
import os
import shutil
import tempfile

from django_tasks import task

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import history
from importers import pipeline
from importers.issues import WARNING, Issue
from importers.models import ImportJob, ImportStatus
from importers.reading.errors import UnreadableFile

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def local_copy(field_file):
    """A filesystem path for the stored upload (a temporary copy for remote storages)."""
    try:
        local = field_file.path
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    try:
        with os.fdopen(handle, "wb") as target, field_file.open("rb") as source:
            shutil.copyfileobj(source, target)
        yield path
    finally:
        os.unlink(path)


def expected_for(job: ImportJob) -> pipeline.Expected:
    return pipeline.Expected(
        kind=job.kind or None,
        agency=job.agency,
        period_code=job.period_code or None,
        blank_clears=job.blank_clears,
    )


def _progress(job_id: int):
    def update(percent: int, message: str) -> None:
        ImportJob.objects.filter(pk=job_id).update(
            progress=percent, progress_message=message[:255], updated_at=timezone.now()
        )

    return update


#: The first key of the session-level advisory lock a validating worker holds for its job
#: (PostgreSQL): the second key is the job id.
VALIDATION_LOCK = 28_002


@contextlib.contextmanager
def validation_lease(job_id: int):
    """Held by the worker while it validates ``job_id``: on PostgreSQL a session-level advisory
    lock, which the server releases the moment the worker's connection dies (killed, out of
    memory), so a sweep can tell a live validation from a dead one at once instead of after
    minutes of silence. SQLite: nothing (one process; silence decides)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [VALIDATION_LOCK, job_id])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [VALIDATION_LOCK, job_id])


def fail_job(job_id: int, message: str) -> None:
    """Mark the job failed with one Vietnamese message (nothing was written)."""
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED,
        progress=100,
        progress_message="",
        finished_at=timezone.now(),
        error_count=1,
        issues=[
            {
                "message": message,
                "sheet": None,
                "row": None,
                "column": None,
                "header": "",
                "severity": "error",
            }
        ],
    )


def run_validation(job_id: int) -> str:
    # The lease is held from before the job says "parsing" until it stops saying so: a sweep
    # that finds it free knows the worker died (importers.recovery.end_dead_validations).
    with validation_lease(job_id):
        return _run_validation(job_id)


def _run_validation(job_id: int) -> str:
    updated = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.PARSING,
        progress=1,
        progress_message=_("Đang bắt đầu"),
        started_at=timezone.now(),
    )
    if not updated:
        return "skipped"
    job = ImportJob.objects.select_related("agency", "uploaded_by").get(pk=job_id)
    try:
        with local_copy(job.file) as path:
            analysis = pipeline.analyse(
                path, expected_for(job), user=job.uploaded_by, progress=_progress(job_id)
            )
    except UnreadableFile as exc:  # storage-level problems
        fail_job(job_id, exc.message)
        return "failed"
    except Exception:
        logger.exception("Import job %s: validation failed", job_id)
        fail_job(
            job_id, _("Lỗi hệ thống khi đọc tệp; quản trị viên đã được ghi nhận. Hãy thử lại sau.")
        )
        return "failed"
    job.refresh_from_db()
    if job.status != ImportStatus.PARSING:  # cancelled meanwhile
        return job.status
    pipeline.apply_analysis(job, analysis)
    if analysis.unreadable:
        job.status = ImportStatus.UNREADABLE
    elif analysis.errors:
        job.status = ImportStatus.INVALID
    else:
        job.status = ImportStatus.PREVIEW
        _same_file_again(job, analysis)
    job.progress, job.progress_message, job.finished_at = 100, "", timezone.now()
    job.save()
    logger.info(
        "Import job %s (%s, agency %s): checked, %s; %d errors, %d warnings",
        job.pk,
        job.kind,
        job.agency_id,
        job.status,
        job.error_count,
        job.warning_count,
    )
    return job.status


def _when(job: ImportJob) -> str:
    return timezone.localtime(job.committed_at or job.created_at).strftime("%d/%m/%Y %H:%M")


def duplicate_message(previous: ImportJob) -> str:
    """The same file as a committed job, and the stored rows still hold what it holds."""
    return _(
        "Tệp này giống hệt tệp đã nhập ở lần #%(id)d (%(when)s); dữ liệu đang lưu khớp với "
        "tệp, không có gì thay đổi."
    ) % {"id": previous.pk, "when": _when(previous)}


def restore_message(previous: ImportJob) -> str:
    """The same file as a committed job, but the stored rows were changed since."""
    return _(
        "Tệp này giống hệt tệp đã nhập ở lần #%(id)d (%(when)s), nhưng dữ liệu đang lưu đã khác "
        "tệp (đã được sửa sau lần nhập đó). Bản xem trước dưới đây cho thấy những gì tệp sẽ đặt "
        "lại; xác nhận để ghi lại đúng như tệp."
    ) % {"id": previous.pk, "when": _when(previous)}


def _same_file_again(job: ImportJob, analysis) -> None:
    """A file identical to a committed one: a duplicate only when the stored rows still hold
    what it holds; otherwise a preview of what it would restore, saying so (review 2026-11-23,
    importers F9)."""
    previous = job.duplicate_of
    if previous is None:
        return
    counts = analysis.counts
    if not (counts.new or counts.changed or counts.removed):
        job.status = ImportStatus.DUPLICATE
        job.issues = [Issue(duplicate_message(previous), severity=WARNING).as_dict()]
        job.warning_count, job.changes = 1, []
        return
    job.issues = [Issue(restore_message(previous), severity=WARNING).as_dict(), *job.issues]
    job.warning_count += 1


def run_commit(job_id: int) -> str:
    job = ImportJob.objects.select_related("agency", "committed_by").get(pk=job_id)
    if job.status != ImportStatus.COMMITTING:
        return "skipped"
    previous_allowed = job.allowed_removals
    previewed_rows = job.scope_rows or {}
    try:
        with (
            local_copy(job.file) as path,
            history.acting(job.committed_by, _("Nhập Excel, lần nhập số %(id)d") % {"id": job.pk}),
        ):
            analysis, committed = pipeline.commit(
                path,
                expected_for(job),
                user=job.committed_by,
                job=job,
                allowed_removals=job.allowed_removals,
                # The confirmation page made the user tick the renames of the preview when
                # there were more than a few (importers.views.JobConfirmView).
                allowed_renames=job.rows_renamed,
            )
    except pipeline.NotCommitting:
        return "skipped"  # cancelled before the commit began: nothing written
    except Exception:
        logger.exception("Import job %s: commit failed", job_id)
        fail_job(
            job_id,
            _("Lỗi hệ thống khi ghi dữ liệu; không có dữ liệu nào bị thay đổi. Hãy thử lại sau."),
        )
        return "failed"
    if committed is None:
        # Something changed since the preview (e.g. a person left): nothing was written.
        with transaction.atomic():
            job.refresh_from_db()
            pipeline.apply_analysis(job, analysis)
            if analysis.stale:
                # The stored rows changed between the preview and this commit (a leader's
                # review, another import): back to the preview, now computed on what is stored.
                job.status = ImportStatus.PREVIEW
                job.allowed_removals = 0
                stale = pipeline.stale_issues(previewed_rows, analysis)
                job.warning_count += len(stale)
                job.issues = [issue.as_dict() for issue in stale] + list(job.issues)
            elif analysis.blocked_removals:
                # More rows would now be deleted than the user agreed to: back to the preview,
                # where the new list must be confirmed again.
                job.status = ImportStatus.PREVIEW
                job.allowed_removals = 0
                job.warning_count += 1
                job.issues = [
                    Issue(
                        _(
                            "Từ lúc xem trước, số dòng sẽ bị xoá đã thành %(count)d (bạn đã đồng "
                            "ý %(agreed)d); chưa có dữ liệu nào được ghi. Hãy xem lại danh sách "
                            "và xác nhận lần nữa."
                        )
                        % {"count": analysis.blocked_removals, "agreed": previous_allowed},
                        severity=WARNING,
                    ).as_dict(),
                    *job.issues,
                ]
            elif analysis.blocked_renames:
                job.status = ImportStatus.PREVIEW
                job.warning_count += 1
                job.issues = [
                    Issue(
                        _(
                            "Từ lúc xem trước, số người bị đổi họ tên đã thành %(count)d; chưa "
                            "có dữ liệu nào được ghi. Hãy xem lại danh sách và xác nhận lần nữa."
                        )
                        % {"count": analysis.blocked_renames},
                        severity=WARNING,
                    ).as_dict(),
                    *job.issues,
                ]
            else:
                job.status = (
                    ImportStatus.UNREADABLE if analysis.unreadable else ImportStatus.INVALID
                )
            job.progress, job.progress_message, job.finished_at = 100, "", timezone.now()
            job.save()
        logger.info("Import job %s: not committed, back to %s", job.pk, job.status)
        return job.status
    logger.info(
        "Import job %s (%s, agency %s): committed, %s",
        job.pk,
        job.kind,
        job.agency_id,
        committed.status,
    )
    return committed.status


@task()
def validate_import(job_id: int) -> str:
    return run_validation(job_id)


@task()
def commit_import(job_id: int) -> str:
    return run_commit(job_id)


def queued_in_database() -> bool:
    """Whether tasks go to django-tasks-db's queue (production): then a task queued inside a
    transaction commits, or not, with it."""
    return commit_import.get_backend().__class__.__module__.startswith("django_tasks_db")


def enqueue_validation(job: ImportJob) -> None:
    result = validate_import.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def enqueue_commit(job: ImportJob) -> None:
    result = commit_import.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
