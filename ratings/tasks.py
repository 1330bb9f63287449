"""Opening the year's rating cases in the background (the case list's "Lập hồ sơ").

A whole province's cases take longer than a request may: about 7 ms a case, so 20,000 people
are over two minutes and 100,000 about twelve, while production's gunicorn ends a request after
60 s (``deploy/systemd/kpi-web.service``). The form writes a :class:`CaseOpening` and the
background worker opens the cases (``ratings.services.cases.open_cases``, idempotent: a job
that stopped is run again and keeps what was opened). The job is one of the job kit's kinds:
its progress and result on the case list, its line on *Việc chạy nền* and ``/healthz/work``,
the sweep queueing again one whose task was lost or whose worker stopped, the one retry policy
(``cms.retry``) for one that failed."""

from __future__ import annotations

import datetime
import logging

from django_tasks import task

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cms import jobs
from cms.models import JobStatus
from cms.retry import RetryPolicy
from org.models import Agency
from ratings.access import can_manage_cases
from ratings.models import CaseOpening, RatingCase
from ratings.services.cases import open_cases, opening_scope

logger = logging.getLogger(__name__)

#: A job's retries (``cms.retry``): opening again is harmless, so a failure is tried again.
POLICY = RetryPolicy(max_attempts=5)
#: A queued job whose task is not in the queue this long after its last change is queued again.
ENQUEUE_GRACE = datetime.timedelta(seconds=30)
#: A running job that has not reported progress for this long (it does every 500 people,
#: a few seconds) lost its worker: the sweep queues it again.
STALE = datetime.timedelta(minutes=15)
#: A live job unchanged for this long is stuck on ``/healthz/work`` (the sweep, every minute,
#: would have queued it again: the sweep itself is not running).
HEALTH_WAIT = STALE + datetime.timedelta(minutes=5)


class AlreadyOpening(Exception):
    """The person already has a job of the same year waiting or running."""

    def __init__(self, job: CaseOpening):
        super().__init__(job.pk)
        self.job = job


def start_opening(user, year: int, roots: list[Agency | None]) -> CaseOpening:
    """The form's request: the job written and queued once the request's transaction commits.
    ``roots`` are the agencies whose subtrees are opened, ``[None]`` the whole province.
    A second request of the same person for the same year while one is live is refused
    (:class:`AlreadyOpening`): the cases it counts as created are the person's since its first
    attempt began."""
    whole = roots == [None]
    agencies = [root for root in roots if root is not None]
    with transaction.atomic():
        live = (
            CaseOpening.objects.select_for_update()
            .filter(requested_by=user, year=year, status__in=CaseOpening.LIVE_STATUSES)
            .first()
        )
        if live is not None:
            raise AlreadyOpening(live)
        job = CaseOpening.objects.create(
            requested_by=user,
            year=year,
            whole_province=whole,
            root_ids=[agency.pk for agency in agencies],
            scope_label=(_("toàn tỉnh") if whole else ", ".join(a.name for a in agencies)[:255]),
        )
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    """Queue the job's task; a failed enqueue leaves it queued, and the sweep tries again."""
    try:
        result = open_cases_task.enqueue(job_id)
    except Exception:
        logger.exception("Case opening %s could not be queued", job_id)
        return
    CaseOpening.objects.filter(pk=job_id, status__in=CaseOpening.LIVE_STATUSES).update(
        task_id=str(result.id)[:64]
    )


def run_opening(job_id: int) -> str:
    """The task's body: claim the job, open the cases of every root, keep the counts. Never
    raises: a failure is tried again by the retry policy, then shown as failed."""
    now = timezone.now()
    claimed = CaseOpening.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=Coalesce(F("started_at"), Value(now)),  # the first attempt's, kept
        next_attempt_at=None,
        done=0,
        updated_at=now,
    )
    if not claimed:
        return "skipped"
    job = CaseOpening.objects.select_related("requested_by").get(pk=job_id)
    mine = CaseOpening.objects.filter(pk=job_id, attempts=job.attempts, status=JobStatus.RUNNING)
    try:
        roots: list[Agency | None] = (
            [None]
            if job.whole_province
            else list(Agency.objects.filter(pk__in=job.root_ids).order_by("path"))
        )
        sizes = []
        for root in roots:
            annuals, agencies = opening_scope(job.year, root)
            sizes.append(annuals.count() + agencies.count())
        mine.update(total=sum(sizes), updated_at=timezone.now())
        seen, skipped, before = 0, 0, 0
        for root, size in zip(roots, sizes, strict=True):
            report = open_cases(
                job.year,
                root,
                user=job.requested_by,
                progress=lambda n, base=before: mine.update(
                    done=base + n, updated_at=timezone.now()
                ),
            )
            seen += len(report.created) + report.existing
            skipped += len(report.skipped)
            before += size
        # Created by this job, whatever attempt opened them: the person's cases of the year
        # since its first attempt began (one live job a person and year, see start_opening),
        # both times by the worker's clock.
        created = RatingCase.objects.filter(
            year=job.year, created_by=job.requested_by, created_at__gte=job.started_at
        ).count()
    except Exception as error:
        logger.exception("Case opening %s failed", job_id)
        now = timezone.now()
        again = POLICY.next_attempt(job.attempts, now)  # the claim counted this attempt
        mine.update(
            status=JobStatus.QUEUED if again else JobStatus.FAILED,
            last_error=CaseOpening.error_text(error),
            next_attempt_at=again,
            finished_at=None if again else now,
            updated_at=now,
        )
        return JobStatus.FAILED
    mine.update(
        status=JobStatus.DONE,
        done=before,
        created_count=created,
        existing_count=max(seen - created, 0),
        skipped_count=skipped,
        last_error="",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return JobStatus.DONE


@task()
def open_cases_task(job_id: int) -> str:
    return run_opening(job_id)


def opening_url(job: CaseOpening, user) -> str | None:
    """A job's result shows on the case list of its year, for who may open cases."""
    if not can_manage_cases(user):
        return None
    return f"{reverse('ratings_cases')}?year={job.year}#open-cases"


def may_retry(user) -> bool:
    """Who may send a failed opening back to the queue: who may open cases."""
    return can_manage_cases(user)


def retry(user, job: CaseOpening) -> bool:
    """A failed job back to the queue with its attempts counted again (*Việc chạy nền*'s
    "Thử lại ngay", ``cms.jobs.JobKind.retry``)."""
    updated = CaseOpening.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
        status=JobStatus.QUEUED,
        attempts=0,
        next_attempt_at=None,
        last_error=_("Đã xếp hàng lại theo yêu cầu của %(name)s lúc %(at)s.")
        % {
            "name": user.get_full_name() or user.get_username(),
            "at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
        },
        finished_at=None,
        updated_at=timezone.now(),
    )
    if updated:
        enqueue(job.pk)
    return bool(updated)


def sweep_openings(now: datetime.datetime | None = None) -> dict:
    """The sweep's check (``cms.jobs.register_check``): a queued job due and not in the queue
    is queued again; a running job that stopped reporting is queued again (its attempt counted),
    or given up once the policy's attempts are spent."""
    now = now or timezone.now()
    requeued: list[int] = []
    if not jobs.database_queue():
        return {"requeued": requeued}
    queued = list(
        CaseOpening.objects.filter(
            status=JobStatus.QUEUED, updated_at__lt=now - ENQUEUE_GRACE
        ).exclude(next_attempt_at__gt=now)
    )
    live = jobs.queued_task_ids([job.task_id for job in queued])
    for job in queued:
        if not job.task_id or job.task_id not in live:
            enqueue(job.pk)
            requeued.append(job.pk)
    for job in CaseOpening.objects.filter(status=JobStatus.RUNNING, updated_at__lt=now - STALE):
        stopped = CaseOpening.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts
        )
        if POLICY.gives_up(job.attempts):
            stopped.update(
                status=JobStatus.FAILED,
                last_error=f"WorkerStopped: no progress for {STALE}",
                finished_at=now,
                updated_at=now,
            )
        elif stopped.update(status=JobStatus.QUEUED, next_attempt_at=None, updated_at=now):
            enqueue(job.pk)
            requeued.append(job.pk)
    if requeued:
        logger.warning("Case openings queued again: %s", requeued)
    return {"requeued": requeued}


def live_tasks() -> list[str]:
    """Task ids of the jobs waiting or running (the sweep leaves their task rows alone)."""
    return list(
        CaseOpening.objects.filter(status__in=CaseOpening.LIVE_STATUSES).values_list(
            "task_id", flat=True
        )
    )


def health_items(now: datetime.datetime) -> list[jobs.HealthItem]:
    """``/healthz/work``'s lines (``cms.jobs.register_health``): the openings waiting or
    running, stuck once one has not moved for :data:`HEALTH_WAIT`; those given up in the last
    day."""
    live = CaseOpening.objects.filter(status__in=CaseOpening.LIVE_STATUSES)
    return [
        jobs.line(
            "case_openings_live",
            _("Lượt lập hồ sơ xếp loại đang chờ hoặc đang chạy"),
            live,
            since="updated_at",
            now=now,
            stuck_after=HEALTH_WAIT,
            hint=_("Nếu máy xử lý nền đã dừng, lượt lập hồ sơ tự chạy lại khi máy chạy lại."),
            rows=live.order_by("updated_at"),
        ),
        jobs.line(
            "case_openings_failed",
            _("Lượt lập hồ sơ xếp loại không thành công (24 giờ qua)"),
            CaseOpening.objects.filter(
                status=JobStatus.FAILED, finished_at__gte=now - datetime.timedelta(days=1)
            ),
            since="finished_at",
            now=now,
            hint=_("Xem nhật ký lỗi của máy chủ; bấm “Thử lại ngay” ở trang Việc chạy nền."),
        ),
    ]


def _progress(job: CaseOpening) -> dict[str, str]:
    """How far a job went, its numbers grouped as the page shows them (1.234/100.100)."""
    return {
        "done": number_format(job.done, force_grouping=True),
        "total": number_format(job.total, force_grouping=True),
    }


def opening_result(job: CaseOpening) -> str:
    """A finished job's result, as the form's message said it when it ran in the request."""
    return _(
        "Đã tạo %(created)d hồ sơ; %(existing)d hồ sơ đã có; %(skipped)d người chưa đủ "
        "dữ liệu để xếp loại."
    ) % {
        "created": job.created_count,
        "existing": job.existing_count,
        "skipped": job.skipped_count,
    }


def opening_state(job: CaseOpening) -> str:
    """Where a job stands, in a sentence (the case list's panel)."""
    if job.status == JobStatus.DONE:
        return opening_result(job)
    if job.status == JobStatus.RUNNING:
        return _("Đang lập: đã xử lý %(done)s/%(total)s người và cơ quan, đơn vị.") % {
            **_progress(job),
        }
    if job.status == JobStatus.FAILED:
        return _(
            "Không thành công sau %(attempts)d lần thử. Hồ sơ đã lập được giữ nguyên; bấm "
            "“Lập hồ sơ” để chạy lại."
        ) % {"attempts": job.attempts}
    if job.next_attempt_at:
        return _("Lần thử trước không thành công; hệ thống tự thử lại lúc %(at)s.") % {
            "at": timezone.localtime(job.next_attempt_at).strftime("%d/%m/%Y %H:%M")
        }
    return _("Đang chờ máy xử lý nền.")


def describe(job: CaseOpening) -> str:
    """What a job is about, on *Việc chạy nền*."""
    return _("Lập hồ sơ xếp loại năm %(year)s: %(scope)s, %(done)s/%(total)s") % {
        "year": job.year,
        "scope": job.scope_label,
        **_progress(job),
    }
