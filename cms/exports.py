"""Long downloads as background jobs (issue 47): the export kit.

A download of more rows than ``KPI_EXPORT_INLINE_ROWS`` (default 300) is not built inside the
request. The view asks :func:`deliver` with the number of rows the person asked for and a
function that answers the download at once; below the threshold that function is called, as
before; above it an :class:`~cms.models.ExportJob` is created (who asked, the kind, its
parameters, the reach they had) and a task builds the file in the background, calling **the
same builder** the inline path calls (an :class:`ExportKind` registered by the app at import
time names it). The person lands on the job's page (``cms.export_views``), which shows the
progress ("Đang tạo tệp: 120/850 dòng"), refreshes itself, and offers the file once it is
ready; a failed build says why in Vietnamese and can be tried again from the page.

Only the person who asked opens the page and the file, and only while they reach the same rows:
the kind's own access check (the one its inline view applies) and the fingerprint of their reach
(:func:`scope_key`, from the one row-scope registry ``org.access``, registered at start-up) are
asked again at each door.

Lost work is found by the periodic sweep (``cms.jobs``): a job queued whose task is gone is
queued again; a job running that has not moved for ``STALE`` is tried again, up to
``MAX_ATTEMPTS`` times, then failed with a message. Finished files are deleted after
``KPI_EXPORT_KEEP_DAYS``.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet
from django_tasks import task

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import jobs, xlsx
from cms.models import LIVE_JOB_STATUSES, ExportJob, JobStatus

logger = logging.getLogger(__name__)

#: A running job whose progress has not moved for this long has no live worker behind it.
STALE = datetime.timedelta(minutes=15)
#: A queued job whose task should have been queued this long ago has lost it.
ENQUEUE_GRACE = datetime.timedelta(seconds=30)
#: A build is tried this many times (a worker that died counts) before the job fails.
MAX_ATTEMPTS = 3
#: The progress is written at most every this many rows.
PROGRESS_EVERY = 50

#: ``progress(done)``: the builder says how many rows it has written.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportKind:
    """One kind of download the kit may build in the background.

    ``build(params, progress)`` returns the file's bytes — the same builder the view's inline
    path calls; ``allowed(user, params)`` is the inline view's own access check (asked again when
    the page or the file is opened); ``title(params)`` names the file on the page and
    ``file_name(params)`` on the download. ``sealed``: the file holds secrets (activation codes),
    so it is stored encrypted. ``attachment=False``: shown in the browser (a printable page)."""

    name: str
    title: Callable[[dict], str]
    build: Callable[[dict, Progress], bytes]
    allowed: Callable[[Any, dict], bool]
    file_name: Callable[[dict], str]
    #: The file's type, or ``content_type(params)`` when it depends on what was asked.
    content_type: str | Callable[[dict], str] = xlsx.XLSX
    attachment: bool = True
    sealed: bool = False
    #: ``record(request, params)``: what the inline path writes to the read log, written when
    #: the finished file is downloaded. What only the build knows (the people a filtered listing
    #: ended up with) the builder notes in ``params[READ]``; the kit keeps it with the job.
    record: Callable[[Any, dict], None] | None = None
    #: Up to how many rows this kind is built inside the request, when it differs from the
    #: kit's ``KPI_EXPORT_INLINE_ROWS`` (an importer's template is built many times faster a row
    #: than a listing: ``KPI_TEMPLATE_INLINE_ROWS``).
    inline_rows: Callable[[], int] | None = None


#: The key of ``params`` where a builder notes what the download's read log needs.
READ = "read"


KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    KINDS[kind.name] = kind
    return kind


def inline_rows() -> int:
    """Up to this many rows a download is built inside the request (``KPI_EXPORT_INLINE_ROWS``)."""
    return int(getattr(settings, "KPI_EXPORT_INLINE_ROWS", 300))


# --- the reach the person had when asking ---------------------------------------------------

_SCOPE_KEYS: list[Callable[[Any], str]] = []


def set_scope_key(compute: Callable[[Any], str]) -> None:
    """Registered by ``org`` at start-up: a fingerprint of the rows a user reaches."""
    _SCOPE_KEYS[:] = [compute]


def scope_key(user) -> str:
    return _SCOPE_KEYS[0](user)[:64] if _SCOPE_KEYS else ""


def may_open(user, job: ExportJob) -> bool:
    """Only who asked, while the kind's check still lets them and they reach the same rows."""
    kind = KINDS.get(job.kind)
    if kind is None or not user.is_authenticated or job.requested_by_id != user.pk:
        return False
    return scope_key(user) == job.scope and bool(kind.allowed(user, job.params))


# --- asking ------------------------------------------------------------------------------------


def deliver(
    request, kind_name: str, params: dict, rows: int, inline: Callable[[], HttpResponse]
) -> HttpResponse:
    """The download at once (``inline()``) up to ``inline_rows()`` rows, else a background job
    and its page. ``params`` is JSON: ids and codes, what ``build`` needs to do it again."""
    threshold = KINDS[kind_name].inline_rows
    if rows <= (threshold() if threshold is not None else inline_rows()):
        return inline()
    job = start(request.user, kind_name, params, rows)
    return redirect("cms_export_job", job.pk)


def start(user, kind_name: str, params: dict, rows: int) -> ExportJob:
    kind = KINDS[kind_name]
    job = ExportJob.objects.create(
        requested_by=user,
        kind=kind_name,
        params=params,
        title=str(kind.title(params))[:255],
        scope=scope_key(user),
        rows_total=rows,
    )
    enqueue(job)
    return job


def enqueue(job: ExportJob) -> None:
    """Queue the build; a failed enqueue leaves the job queued, and the sweep tries again."""
    try:
        result = build_export.enqueue(job.pk)
    except Exception:
        logger.exception("Export job %s could not be queued", job.pk)
        return
    ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def retry(job: ExportJob) -> bool:
    """A failed job, tried again from its page (the attempts start over)."""
    updated = ExportJob.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
        status=JobStatus.QUEUED, attempts=0, rows_done=0, updated_at=timezone.now()
    )
    if updated:
        enqueue(job)
    return bool(updated)


# --- building ----------------------------------------------------------------------------------


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"kpi-export-files:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class _Progress:
    """The builder's ``progress(done)``: written to the job at most every ``PROGRESS_EVERY``
    rows; the last count said is the file's rows (the count asked before the build may be an
    upper bound, e.g. a listing whose filters are applied while it is built)."""

    def __init__(self, job_id: int, attempt: int):
        self.job_id, self.attempt = job_id, attempt
        self.written = 0
        self.said: int | None = None

    def __call__(self, done: int) -> None:
        self.said = done
        if done - self.written < PROGRESS_EVERY:
            return
        self.written = done
        ExportJob.objects.filter(pk=self.job_id, attempts=self.attempt).update(
            rows_done=done, updated_at=timezone.now()
        )


def run(job_id: int) -> str:
    """The task's body: claim the job, build its file with the kind's builder, store it. Never
    raises: an error fails the job with a Vietnamese message (details in the log)."""
    claimed = ExportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        rows_done=0,
        started_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not claimed:
        return "skipped"
    job = ExportJob.objects.get(pk=job_id)
    attempt = job.attempts
    mine = ExportJob.objects.filter(pk=job_id, attempts=attempt, status=JobStatus.RUNNING)
    kind = KINDS.get(job.kind)
    try:
        if kind is None:
            raise LookupError(f"unknown export kind {job.kind!r}")
        progress = _Progress(job_id, attempt)
        content = kind.build(job.params, progress)
        if kind.sealed:
            content = _fernet().encrypt(content)
        name = kind.file_name(job.params)
        job.file.save(f"{job.pk}-{name}", ContentFile(content), save=False)
    except Exception as error:
        logger.exception("Export job %s (%s) failed", job_id, job.kind)
        mine.update(
            status=JobStatus.FAILED,
            last_error=ExportJob.error_text(error),
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        return JobStatus.FAILED
    if not mine.update(
        status=JobStatus.DONE,
        params=job.params,  # with what the builder noted for the read log (READ)
        file=job.file.name,
        file_name=name[:255],
        rows_total=job.rows_total if progress.said is None else progress.said,
        rows_done=job.rows_total if progress.said is None else progress.said,
        last_error="",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    ):
        job.file.delete(save=False)  # another attempt took the job over meanwhile
        return "superseded"
    return JobStatus.DONE


@task()
def build_export(job_id: int) -> str:
    return run(job_id)


def file_content(job: ExportJob) -> bytes:
    """The finished file's bytes (decrypted when the kind seals it)."""
    with job.file.open("rb") as stored:
        content = stored.read()
    return _fernet().decrypt(content) if KINDS[job.kind].sealed else content


def download(request, job: ExportJob) -> HttpResponse:
    """The finished file, after the caller's ``may_open`` check; the read is logged as the
    inline path logs it."""
    kind = KINDS[job.kind]
    if kind.record is not None:
        kind.record(request, job.params)
    content_type = kind.content_type
    if callable(content_type):
        content_type = content_type(job.params)
    response = HttpResponse(file_content(job), content_type=content_type)
    disposition = "attachment" if kind.attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{job.file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def error_message(job: ExportJob) -> str:
    """What the page says of a failed job (the error itself is in the log and ``last_error``)."""
    if job.attempts >= MAX_ATTEMPTS and job.last_error.startswith("WorkerStopped"):
        return _(
            "Máy xử lý nền dừng nhiều lần khi đang tạo tệp này. Hãy thử lại; nếu vẫn không được, "
            "báo quản trị hệ thống."
        )
    return _("Lỗi hệ thống khi tạo tệp; quản trị viên đã được ghi nhận. Hãy thử lại sau.")


# --- the sweep (cms.jobs) -------------------------------------------------------------------


def sweep_exports(now: datetime.datetime | None = None) -> dict:
    """Requeue queued jobs whose task was lost; try again (or fail) running jobs that stopped
    moving; delete finished files past ``KPI_EXPORT_KEEP_DAYS``."""
    now = now or timezone.now()
    requeued: list[int] = []
    queued = list(
        ExportJob.objects.filter(status=JobStatus.QUEUED, updated_at__lt=now - ENQUEUE_GRACE)
    )
    live = jobs.queued_task_ids([job.task_id for job in queued])
    for job in queued:
        if not job.task_id or job.task_id not in live:
            enqueue(job)
            requeued.append(job.pk)
    for job in ExportJob.objects.filter(status=JobStatus.RUNNING, updated_at__lt=now - STALE):
        stopped = ExportJob.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts
        )
        if job.attempts >= MAX_ATTEMPTS:
            stopped.update(
                status=JobStatus.FAILED,
                last_error=f"WorkerStopped: no progress for {STALE}",
                finished_at=now,
                updated_at=now,
            )
        elif stopped.update(status=JobStatus.QUEUED, updated_at=now):
            enqueue(job)
            requeued.append(job.pk)
    if requeued:
        logger.warning("Export jobs whose task was lost or stopped, queued again: %s", requeued)
    return {"requeued": requeued, "purged": purge_old_files(now)}


#: A live export not moved for this long is stuck: the sweep (every minute) would already have
#: queued it again or given it up (:data:`STALE`), so the sweep itself is not running.
HEALTH_WAIT = STALE + datetime.timedelta(minutes=5)


def health_items(now: datetime.datetime) -> list[jobs.HealthItem]:
    """``/healthz/work``'s lines for the downloads built in the background
    (``cms.jobs.register_health``): those waiting or being built, stuck once none moved for
    :data:`HEALTH_WAIT`; those given up in the last day (the person asking sees the failure
    on their page and can ask again; the line tells the operator it happened)."""
    live = ExportJob.objects.filter(status__in=LIVE_JOB_STATUSES)
    return [
        jobs.line(
            "exports_live",
            _("Tệp xuất chạy nền đang chờ hoặc đang tạo"),
            live,
            since="updated_at",
            now=now,
            stuck_after=HEALTH_WAIT,
            hint=_("Nếu máy xử lý nền đã dừng, tệp được tự xếp hàng lại khi máy chạy lại."),
            rows=live.order_by("updated_at"),
        ),
        jobs.line(
            "exports_failed",
            _("Tệp xuất không tạo được (24 giờ qua)"),
            ExportJob.objects.filter(
                status=JobStatus.FAILED, finished_at__gte=now - datetime.timedelta(days=1)
            ),
            since="finished_at",
            now=now,  # the person sees it and asks again; the log has the error
            hint=_("Xem nhật ký lỗi của máy chủ; người yêu cầu có thể yêu cầu lại."),
        ),
    ]


def purge_days() -> int:
    """Finished files are deleted this many days after they were built."""
    return int(getattr(settings, "KPI_EXPORT_KEEP_DAYS", 7))


def purge_old_files(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    keep = datetime.timedelta(days=purge_days())
    purged = 0
    for job in ExportJob.objects.filter(finished_at__lt=now - keep).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        purged += 1
    return purged


def live_export_tasks() -> list[str]:
    """Task ids of export jobs queued or running (the sweep leaves their task rows alone)."""
    return list(
        ExportJob.objects.filter(status__in=LIVE_JOB_STATUSES).values_list("task_id", flat=True)
    )
