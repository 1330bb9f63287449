"""The background-work registry every app plugs into (the job kit's lowest layer).

The sweeper (``scoring.services.sweeper``, run by every worker every minute and by the daily
job) goes through what is registered here, so an app with background work of its own —
account batches, import jobs, connector pulls, the national export — registers it from its
``AppConfig.ready`` without importing the sweeper's app:

* :func:`register_check` — a check run at each sweep (requeue what was lost, resume what
  stopped); it returns what it did, for the sweep's report;
* :func:`register_live_tasks` — the ids of the task rows that live work of the app still
  points at, so the sweep does not close them as left by a dead worker;
* :func:`register_health` — the lines the kind adds to ``/healthz/work`` and to Sở Nội vụ's
  page of stuck work (:class:`HealthItem`: how many wait, since when, whether that is stuck,
  where to look), so every kind of background work is watched in the same two places;
* :func:`register_kind` — a table of jobs (a model deriving from ``cms.models.BackgroundJob``):
  its name, what one job is about and the admin page of one job, for Sở Nội vụ's one listing of
  every kind of background job (*Việc chạy nền*, ``dashboards.job_views``; which rows a person
  sees there is the row-scope registry's answer, ``org.access``).

:func:`database_queue` says whether tasks go to the database queue (production) rather than
run in-process (tests, the demo); :func:`queued_task_ids` which of some task ids the queue
still holds.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Min
from django.utils import timezone
from django.utils.functional import Promise

if TYPE_CHECKING:
    from cms.models import BackgroundJob


@dataclass(frozen=True)
class JobKind:
    """One kind of background job in the listing of every kind: ``model`` derives from
    ``cms.models.BackgroundJob``; ``describe(job)`` says what the job is about (default: the
    job's own text); ``url(job, user)`` is the admin page of one job for that person, or
    ``None`` where they may not open it; ``related`` is what ``describe`` reads.

    ``retry(user, job)``, when the kind has it, sends a failed job back to the queue at once on a
    person's request (the listing's "Thử lại ngay"; the daily check retries such jobs by
    itself) and says so in the job's own message; ``may_retry(user)`` is who may ask."""

    key: str
    #: the kind's name on screen: the model's verbose name, translated when shown
    label: str | Promise | None
    model: type[BackgroundJob]
    url: Callable[[object, object], str | None]
    describe: Callable[[object], str] = str
    related: tuple[str, ...] = ()
    retry: Callable[[object, object], bool] | None = None
    may_retry: Callable[[object], bool] = lambda user: False


#: key → the kinds of job, in the order the apps registered them.
KINDS: dict[str, JobKind] = {}


def register_kind(kind: JobKind) -> None:
    KINDS[kind.key] = kind


#: name → check run by each sweep.
CHECKS: dict[str, Callable[[], object]] = {}
#: name → the task ids live work of that kind points at.
LIVE_TASKS: dict[str, Callable[[], Iterable[str]]] = {}


@dataclass
class HealthItem:
    """One line of ``/healthz/work`` and of the stuck-work page: what, how many, since when,
    whether that is stuck (the endpoint then answers 503), what to do, and some rows to show."""

    key: str
    label: str
    count: int
    oldest: datetime.datetime | None
    stuck: bool
    hint: str = ""
    rows: list = field(default_factory=list)

    def age_seconds(self, now) -> int | None:
        return None if self.oldest is None else int((now - self.oldest).total_seconds())


def line(
    key: str,
    label: str,
    waiting,
    *,
    since: str,
    now: datetime.datetime,
    hint: str = "",
    stuck_after: datetime.timedelta | None = None,
    stuck: bool | None = None,
    rows=None,
) -> HealthItem:
    """The line of a queryset of ``waiting`` work, in one query: how many, the oldest
    ``since`` (a date counts from its midnight, local time), stuck once that oldest waited
    ``stuck_after`` (``timedelta(0)``: as soon as there is one; ``None``: never) unless
    ``stuck`` says otherwise, and the first 20 of ``rows`` (a queryset or a list) to show."""
    found = waiting.aggregate(count=Count("pk"), oldest=Min(since))
    oldest = found["oldest"]
    if isinstance(oldest, datetime.date) and not isinstance(oldest, datetime.datetime):
        oldest = timezone.make_aware(datetime.datetime.combine(oldest, datetime.time.min))
    if stuck is None:
        stuck = stuck_after is not None and oldest is not None and oldest <= now - stuck_after
    return HealthItem(
        key, label, found["count"], oldest, stuck, hint, list(rows[:20]) if rows is not None else []
    )


#: name → the health lines of that kind of work at ``now``.
HEALTH: dict[str, Callable[[datetime.datetime], list[HealthItem]]] = {}


def register_health(name: str, items: Callable[[datetime.datetime], list[HealthItem]]) -> None:
    HEALTH[name] = items


def health_items(now: datetime.datetime) -> list[HealthItem]:
    """Every registered kind's lines, in the order the apps registered them."""
    return [item for items in HEALTH.values() for item in items(now)]


def register_check(name: str, check: Callable[[], object]) -> None:
    CHECKS[name] = check


def register_live_tasks(name: str, ids: Callable[[], Iterable[str]]) -> None:
    LIVE_TASKS[name] = ids


def waited_on_task_ids() -> set[str]:
    """Task ids that work of any registered kind still waits on."""
    found: set[str] = set()
    for ids in LIVE_TASKS.values():
        found.update(str(i) for i in ids() if i)
    return found


def database_queue() -> bool:
    """Whether tasks go to django-tasks-db's queue (production) rather than run in-process."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    # The backend itself, not ``default_task_backend`` (a proxy whose class is Django's).
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    return type(backend).__module__.startswith("django_tasks_db")


def queued_task_ids(ids) -> set[str]:
    """Of the task ids given, those the database queue holds READY or RUNNING (in-process
    there are none: a task has run by the time ``enqueue`` returns)."""
    ids = [i for i in ids if i]
    if not ids or not database_queue():
        return set()
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return {
        str(pk)
        for pk in DBTaskResult.objects.filter(
            pk__in=ids, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).values_list("pk", flat=True)
    }
