"""Derived figures follow their inputs: dependency marks and the job that drains them
(issue 28; legal review D2, reliability review H1/M4).

A period score feeds the person's annual score of that year; an organisation's tasks, marks,
shortcomings, conclusions and its sub-units' decisions feed its organisation score and the
scores of the agencies above it. Whatever changes such an input writes a
:class:`~scoring.models.StaleFigure` row **in the same transaction** (the period-score store,
``scoring.signals``, ``org_scoring.signals``), so a change never commits without the mark that
says what it made stale; and once it commits, a background job is queued
(:func:`schedule_refresh`) that recomputes, bottom-up, whatever is marked: the annual scores of
each marked year (``score_year`` for the marked people's whole quota groups — a group may span
agencies — or the whole province when a mark is for everyone) and then the organisation
scores (``org_scoring`` registers its drain here, being an app above this one). Recomputing
compares fingerprints, so it is idempotent: running it again writes nothing. The annual step
compares each person's sources fingerprint (``AnnualScore.sources_hash``: the inputs as read,
before the engine) with the stored one and computes only the people whose sources moved, with
their quota groups; the fingerprint is taken from the same rows as the figures, so a row
computed from inputs that changed meanwhile never matches them afterwards.

Each drain first reads the marks it will clear, then reads the inputs, then deletes exactly
those marks: a change committed while it runs keeps its mark (and queued its own job), so
nothing is ever cleared without having been computed.

When the enqueue itself fails (a database hiccup, a dead request), the marks stay: the sweeper
(``scoring.services.sweeper``, run by every worker every minute and by the daily job) queues the
job again. While a mark exists the stored figure is shown "đang tính lại" with the time its
inputs changed (:func:`annual_stale_since`, :func:`organisation_stale_since`), and a decision
or an export that would use it refuses with :func:`annual_refusal`.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable

from django_tasks import task

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.models import StaleFigure, StaleKind

logger = logging.getLogger(__name__)

_local = threading.local()

#: name → drain of an app above scoring (``org_scoring``): returns a summary dict.
DRAINS: dict[str, Callable[[], dict]] = {}


def register_drain(name: str, drain: Callable[[], dict]) -> None:
    DRAINS[name] = drain


# --- marking -------------------------------------------------------------------------------


def mark(kind: str, pairs: Iterable[tuple[int | None, int]], reason: str = "") -> int:
    """Mark the figures ``(subject id or None, year)`` of ``kind`` stale, in the current
    transaction; the refresh is queued once it commits. Returns the number of marks.

    One ``INSERT … SELECT`` per year, whatever the number of subjects (a month's batch marks
    the year of every person it wrote): the subjects travel as one array parameter
    (PostgreSQL ``unnest``, SQLite ``json_each``), in the order of their ids."""
    years: dict[int, set[int | None]] = {}
    for subject, year in pairs:
        years.setdefault(year, set()).add(subject)
    if not years:
        return 0
    now = timezone.now()
    written = 0
    with transaction.atomic(savepoint=False):  # all the years' marks, or none
        for year in sorted(years):
            subjects = sorted(years[year], key=lambda subject: subject or 0)
            _insert_marks(kind, year, subjects, now, reason[:255])
            written += len(subjects)
    schedule_refresh()
    return written


def _insert_marks(kind: str, year: int, subjects: list[int | None], since, reason: str) -> None:
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    fields = {f.name: f.column for f in StaleFigure._meta.concrete_fields}
    columns = ", ".join(
        quote(fields[name]) for name in ("kind", "year", "subject_id", "since", "reason")
    )
    array: list[int | None] | str
    if connection.vendor == "postgresql":
        source = "unnest(%s::integer[]) WITH ORDINALITY AS s(id, n)"
        subject, order, array = "s.id", "s.n", subjects
    else:
        source = "json_each(%s) AS s"
        subject, order, array = "s.value", "s.key", json.dumps(subjects)
    # Identifiers from the model's meta, quoted; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(StaleFigure._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT %s, %s, {subject}, %s, %s FROM {source} ORDER BY {order}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [kind, year, connection.ops.adapt_datetimefield_value(since), reason, array],
        )


def mark_annual(pairs: Iterable[tuple[int, int]], reason: str = "") -> int:
    """``(person id, year)`` pairs whose annual score no longer matches its inputs."""
    return mark(StaleKind.ANNUAL, pairs, reason)


def mark_organisation(pairs: Iterable[tuple[int | None, int]], reason: str = "") -> int:
    """``(agency id, year)`` pairs whose organisation score (and those above) is stale."""
    return mark(StaleKind.ORGANISATION, pairs, reason)


def schedule_refresh() -> None:
    """Queue the refresh once the current transaction commits (at once outside one); one
    callback per transaction."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        enqueue_refresh()
        return
    callback = getattr(_local, "callback", None)
    if callback is not None and any(item[1] is callback for item in connection.run_on_commit):
        return

    def flush():
        if getattr(_local, "callback", None) is flush:
            _local.callback = None
        enqueue_refresh()

    _local.callback = flush
    transaction.on_commit(flush)


def _database_queue() -> bool:
    return refresh_derived_task.get_backend().__class__.__module__.startswith("django_tasks_db")


def refresh_waiting() -> bool:
    """Whether a refresh is already waiting in the database queue (so another is not
    queued)."""
    if not _database_queue():
        return False
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=refresh_derived_task.module_path
    ).exists()


def enqueue_refresh() -> bool:
    """Queue the refresh unless one is waiting; a failure is logged and left to the sweeper
    (the marks stay). True when queued (or run, in-process)."""
    if getattr(_local, "draining", False):
        return False  # the running drain takes the new marks in its next round
    try:
        if refresh_waiting():
            return False
        refresh_derived_task.enqueue()
        return True
    except Exception:
        logger.exception("The refresh of stale annual/organisation scores could not be queued")
        return False


# --- reading -------------------------------------------------------------------------------


def _subject(subject_id: int | None) -> Q:
    return Q(subject_id=subject_id) | Q(subject_id=None)


def stale_since(kind: str, subject_id: int, year: int):
    """When the inputs of the figure changed, if it is stale; else ``None``."""
    return (
        StaleFigure.objects.filter(_subject(subject_id), kind=kind, year=year)
        .aggregate(since=Min("since"))
        .get("since")
    )


def annual_stale_since(person_id: int, year: int):
    return stale_since(StaleKind.ANNUAL, person_id, year)


def organisation_stale_since(agency_id: int, year: int):
    return stale_since(StaleKind.ORGANISATION, agency_id, year)


def stale_annual_people(year: int, people=None) -> dict[int | None, object]:
    """person id (``None``: everyone) → since, for the stale annual scores of ``year``
    (restricted to ``people``, ids or a subquery, when given)."""
    rows = StaleFigure.objects.filter(kind=StaleKind.ANNUAL, year=year)
    if people is not None:
        rows = rows.filter(Q(subject_id__in=people) | Q(subject_id=None))
    return dict(
        rows.values("subject_id").annotate(since=Min("since")).values_list("subject_id", "since")
    )


def label(since) -> str:
    """The words shown beside a stale figure."""
    return _("Đang tính lại (dữ liệu đầu vào thay đổi lúc %(at)s)") % {
        "at": timezone.localtime(since).strftime("%d/%m/%Y %H:%M")
    }


def annual_refusal(person_id: int, year: int, what: str | None = None) -> str | None:
    """The reason an action that would use the person's annual score must wait, or None."""
    since = annual_stale_since(person_id, year)
    if since is None:
        return None
    return _(
        "Điểm năm %(year)d đang được tính lại vì dữ liệu đầu vào đã thay đổi lúc %(at)s; "
        "%(what)s chưa thực hiện được với số liệu cũ. Hệ thống tự tính lại trong ít phút, "
        "hãy thử lại sau."
    ) % {
        "year": year,
        "at": timezone.localtime(since).strftime("%d/%m/%Y %H:%M"),
        "what": what or _("thao tác này"),
    }


def organisation_refusal(agency_id: int, year: int, what: str | None = None) -> str | None:
    since = organisation_stale_since(agency_id, year)
    if since is None:
        return None
    return _(
        "Điểm của tổ chức năm %(year)d đang được tính lại vì dữ liệu đầu vào đã thay đổi lúc "
        "%(at)s; %(what)s chưa thực hiện được với số liệu cũ. Hệ thống tự tính lại trong ít "
        "phút, hãy thử lại sau."
    ) % {
        "year": year,
        "at": timezone.localtime(since).strftime("%d/%m/%Y %H:%M"),
        "what": what or _("thao tác này"),
    }


# --- draining ------------------------------------------------------------------------------


def take(kind: str, year: int, subjects=None) -> list[int]:
    """The ids of the marks a drain will clear, read BEFORE it reads the inputs."""
    rows = StaleFigure.objects.filter(kind=kind, year=year)
    if subjects is not None:
        rows = rows.filter(subject_id__in=subjects)
    return list(rows.values_list("id", flat=True))


def take_people(kind: str, year: int, people: list[int]) -> list[int]:
    """:func:`take` for the marks of these people (ids, in chunks of SQLite's limit)."""
    ids: list[int] = []
    for start in range(0, len(people), 900):
        ids += StaleFigure.objects.filter(
            kind=kind, year=year, subject_id__in=people[start : start + 900]
        ).values_list("id", flat=True)
    return ids


def marked_people(kind: str, year: int) -> list[int] | None:
    """The people whose figures of ``year`` are marked, or ``None`` when a mark is for
    everyone (the daily reconciliation, a framework change)."""
    subjects = set(
        StaleFigure.objects.filter(kind=kind, year=year).values_list("subject_id", flat=True)
    )
    if None in subjects:
        return None
    return sorted(subject for subject in subjects if subject is not None)


def clear(ids: list[int]) -> None:
    for start in range(0, len(ids), 900):
        StaleFigure.objects.filter(pk__in=ids[start : start + 900]).delete()


def stale_years(kind: str) -> list[int]:
    return sorted(set(StaleFigure.objects.filter(kind=kind).values_list("year", flat=True)))


def refresh_derived(rounds: int = 5) -> dict:
    """Recompute every marked figure, bottom-up: annual scores (by year), then the drains
    registered by the apps above (organisation scores). Marks added meanwhile are taken in a
    next round (up to ``rounds``; the rest is left to the next job)."""
    from scoring.services.annual import score_year

    summary: dict = {}
    previous = getattr(_local, "draining", False)
    _local.draining = True
    try:
        for _round in range(rounds):
            years = stale_years(StaleKind.ANNUAL)
            for year in years:
                # Only the groups of the people marked (their whole quota groups), unless a
                # mark is for everyone: one change costs its groups, not the province.
                people = marked_people(StaleKind.ANNUAL, year)
                report = score_year(year, people=people)
                summary[f"annual:{year}"] = summary.get(f"annual:{year}", 0) + report.written
            drained = False
            for name, drain in DRAINS.items():
                result = drain()
                drained = drained or bool(result)
                for key, value in result.items():
                    summary[f"{name}:{key}"] = summary.get(f"{name}:{key}", 0) + value
            if not years and not drained:
                break
    finally:
        _local.draining = previous
    return summary


@task()
def refresh_derived_task() -> dict:
    """The task worker's entry point: bring every stale annual and organisation score up to
    date."""
    return refresh_derived()
