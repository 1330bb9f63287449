"""Stuck or stale work, in one report (issue 28): what the background queue holds and since
when, the scoring runs and import jobs that wait, run or lost their task, the annual and
organisation scores being recomputed, and the e-mails waiting for the relay. The health
endpoint ``/healthz/work`` (monitoring; counts and ages only, no names) and Sở Nội vụ's admin
page *Thống kê, giám sát → Công việc bị kẹt, số liệu cũ* read it.

"Stuck" has thresholds: work the sweep (``scoring.services.sweeper``, every minute) would
already have recovered if it could. An item past them means the sweep itself is not running
(no ``db_worker``) or cannot fix it; the endpoint then answers 503 so a monitor alerts.
"""

import datetime

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import jobs
from cms.models import MailStatus, OutgoingMail
from dashboards import health_checks
from scoring.models import RunStatus, ScoringRun, StaleFigure, StaleKind
from scoring.services import rescoring, sweeper

#: Older than these, an item counts as stuck.
QUEUE_WAIT = datetime.timedelta(minutes=10)
RUN_WAIT = datetime.timedelta(minutes=10)
RUN_LONG = datetime.timedelta(minutes=30)
STALE_WAIT = datetime.timedelta(minutes=15)
TASK_RUNNING_LONG = datetime.timedelta(hours=1)


#: One line of the report (the job kit's :class:`cms.jobs.HealthItem`).
Item = jobs.HealthItem


def _queue_items(now) -> list[Item]:
    if not rescoring.database_queue():
        return []
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    return [
        jobs.line(
            "queue_ready",
            _("Việc nền đang chờ máy xử lý nền"),
            DBTaskResult.objects.ready(),
            since="enqueued_at",
            now=now,
            stuck_after=QUEUE_WAIT,
            hint=_("Chờ lâu: máy xử lý nền (kpi-worker) không chạy hoặc quá tải."),
        ),
        jobs.line(
            "queue_running_long",
            _("Việc nền đang chạy quá 1 giờ"),
            running.filter(started_at__lt=now - TASK_RUNNING_LONG),
            since="started_at",
            now=now,
            # A long import or a province batch may take that long: shown, not alarmed.
            hint=_(
                "Có thể là việc của một máy xử lý nền đã dừng; việc của nó được tự xếp hàng lại."
            ),
        ),
    ]


def _run_items(now) -> list[Item]:
    # A run waiting for its retry (``rescoring.RETRY``) is counted under its own line.
    # A leaders' run held for its window (``rescoring.leaders_window``) is waiting, not retrying.
    retrying = ScoringRun.objects.filter(
        status=RunStatus.QUEUED, next_attempt_at__gt=now, leaders=False
    )
    failed = ScoringRun.objects.filter(status=RunStatus.FAILED)
    queued = ScoringRun.objects.filter(status=RunStatus.QUEUED).exclude(
        next_attempt_at__gt=now, leaders=False
    )
    orphaned = sweeper.orphaned_runs()
    running_long = ScoringRun.objects.filter(
        status=RunStatus.RUNNING, started_at__lt=now - RUN_LONG
    )
    shown = ("period", "agency")
    return [
        jobs.line(
            "runs_queued",
            _("Lượt tính điểm đang chờ"),
            queued,
            since="created_at",
            now=now,
            stuck_after=RUN_WAIT,
            hint=_("Chấm điểm → Tính điểm tự động."),
            rows=queued.select_related(*shown).order_by("created_at"),
        ),
        jobs.line(
            "runs_retrying",
            _("Lượt tính điểm bị lỗi, đang chờ tự thử lại"),
            retrying,
            since="created_at",
            now=now,  # retried by itself; the runs that gave up alarm
            hint=_(
                "Tự thử lại sau một khoảng chờ tăng dần; điểm liên quan vẫn hiện “đang tính lại”."
            ),
            rows=retrying.select_related(*shown).order_by("next_attempt_at"),
        ),
        jobs.line(
            "runs_failed",
            _("Lượt tính điểm lỗi sau nhiều lần thử"),
            failed,
            since="created_at",
            now=now,
            stuck_after=datetime.timedelta(0),
            hint=_(
                "Xem lỗi ở Chấm điểm → Tính điểm tự động và khắc phục nguyên nhân; lượt tính được "
                "tự thử lại mỗi ngày (việc hằng ngày) và khi những người đó có thay đổi mới. Cho "
                "đến khi đó điểm của họ vẫn hiện “đang tính lại”."
            ),
            rows=[
                f"{run} — {run.last_error}"
                for run in failed.select_related(*shown).order_by("created_at")[:20]
            ],
        ),
        Item(
            "runs_without_task",
            _("Lượt tính điểm mất việc nền (sẽ được xếp hàng lại)"),
            len(orphaned),
            min((run.created_at for run in orphaned), default=None),
            any(run.created_at < now - RUN_WAIT for run in orphaned),
            _("Lượt tính chờ mà không có việc nền; lần quét kế tiếp xếp hàng lại."),
            rows=orphaned[:20],
        ),
        jobs.line(
            "runs_running_long",
            _("Lượt tính điểm đang tính quá 30 phút"),
            running_long,
            since="started_at",
            now=now,
            stuck_after=datetime.timedelta(0),
            hint=_("Nếu máy xử lý nền đã dừng, lượt tính được tự xếp hàng lại khi máy chạy lại."),
            rows=running_long.select_related(*shown),
        ),
    ]


def _stale_items(now) -> list[Item]:
    items = []
    for kind, label in StaleKind.choices:  # the choices of StaleFigure.kind
        marks = StaleFigure.objects.filter(kind=kind)
        oldest = marks.aggregate(at=Min("since"))["at"]
        items.append(
            Item(
                f"stale_{kind}",
                _("Đang tính lại: %(what)s") % {"what": label},
                marks.values("year", "subject_id").distinct().count(),
                oldest,
                oldest is not None and oldest < now - STALE_WAIT,
                _(
                    "Tự tính lại trong ít phút; quyết định xếp loại và xuất dữ liệu chờ đến "
                    "khi xong."
                ),
            )
        )
    return items


def _mail_items(now) -> list[Item]:
    return [
        jobs.line(
            "mail_pending",
            _("Thư chờ gửi lại (máy chủ thư không nhận)"),
            OutgoingMail.objects.filter(status=MailStatus.PENDING, attempts__gte=1),
            since="created_at",
            now=now,  # retried by itself; failed ones alarm
            hint=_("Kiểm tra dịch vụ chuyển thư (nullmailer) của máy chủ."),
        ),
        jobs.line(
            "mail_failed",
            _("Thư không gửi được sau nhiều lần thử"),
            OutgoingMail.objects.filter(status=MailStatus.FAILED),
            since="created_at",
            now=now,
            stuck_after=datetime.timedelta(0),
            hint=_("Thư đã bỏ sau nhiều lần thử: báo người nhận bằng cách khác."),
        ),
    ]


def report(now=None) -> list[Item]:
    now = now or timezone.now()
    return (
        _queue_items(now)
        + _run_items(now)
        + _stale_items(now)
        + _mail_items(now)
        + jobs.health_items(now)  # every other kind registers its lines with the job kit
    )


def health(now=None) -> dict:
    """The health endpoint's body: the system's parts (``checks``: database, cache, storages,
    worker; ``dashboards.health_checks``), per item its count, the age of its oldest entry in
    seconds and whether it is stuck; ``status`` "ok", "stuck" or "error" (a part failing)."""
    now = now or timezone.now()
    items = report(now)
    checks = health_checks.run(now)
    failing = "error" in checks.values()
    return {
        "status": "error" if failing else "stuck" if any(item.stuck for item in items) else "ok",
        "checked_at": now.isoformat(),
        "checks": checks,
        "items": {
            item.key: {
                "count": item.count,
                "oldest_age_seconds": item.age_seconds(now),
                "stuck": item.stuck,
            }
            for item in items
        },
    }
