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

import datetime
import json
import logging
import threading
from collections.abc import Callable, Iterable

from django_tasks import task

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.jobs import database_queue
from cms.statements import given_ids, kept_rows
from org.models import Agency, Posting
from scoring.models import AnnualScore, RunStatus, ScoringRun, StaleFigure, StaleKind
from scoring.services.postings import overlapping

logger = logging.getLogger(__name__)

_local = threading.local()

#: name → drain of an app above scoring (``org_scoring``): returns a summary dict.
DRAINS: dict[str, Callable[[], dict]] = {}


def register_drain(name: str, drain: Callable[[], dict]) -> None:
    DRAINS[name] = drain


#: ``scoring.services.annual.score_year``, which recomputes what this module marks and clears
#: the marks it took: it sits above (it imports this module), so it registers itself here when
#: it is loaded (``scoring.services`` loads it before any of its modules is used).
_annual_scorer: Callable | None = None


def register_annual_scorer(score_year: Callable) -> None:
    global _annual_scorer
    _annual_scorer = score_year


def _score_year(year: int, *, people=None):
    if _annual_scorer is None:  # pragma: no cover - scoring.services loads annual first
        raise RuntimeError("scoring.services.annual has not registered score_year")
    return _annual_scorer(year, people=people)


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


# --- the dependency map ----------------------------------------------------------------------
#
# One map of what depends on what; every write door goes through it, in its own transaction:
#
# * a **period** input (a line, a mark, a posting, a deduction…) → the period run that owes the
#   person's period score (``rescoring.request_rescore``) and, at once, the person's **annual**
#   score of that year (:func:`mark_period_changed`); a stored period score → its annual
#   score again (``store.upsert_period_scores``);
# * an **annual** score stored → the figures registered for it (:data:`DEPENDENTS`):
#   ``org_scoring`` marks the organisation score of the agency the year belongs to when the
#   framework takes its civil servants' annual ratings into account (option M2, legal
#   review F4);
# * an **organisation** input → its organisation score and those above it (``org_scoring``);
# * an agency's approved **work plans** (approved or sent back, their items, the lines drawn
#   from them; ``workplans.signals``) → its organisation score when the framework measures a
#   key task from them (``org_scoring.services.freshness.work_plans_changed``, Đắk Lắk §III.3);
# * the ceilings, quota groups, cases, exports and public snapshots read these figures through
#   :func:`annual_stale_since` / :func:`organisation_stale_since` / :func:`fresh_annual`, so
#   a mark (or a run still owed) reaches them with no mark of their own.

#: kind of a stored figure → the callbacks marking what depends on it; each receives the
#: changed rows as ``(person id, year, agency id)`` triples.
DEPENDENTS: dict[str, list[Callable]] = {StaleKind.ANNUAL: []}


def register_dependent(kind: str, callback: Callable) -> None:
    if callback not in DEPENDENTS.setdefault(kind, []):
        DEPENDENTS[kind].append(callback)


def mark_period_changed(period, *, people=(), agency=None, everyone=False, reason="") -> int:
    """A period input changed (a run is owed): mark the annual scores of ``period.year`` of
    ``people``, or of everyone posted in ``agency``'s subtree (an id) during the period, or
    of the whole province."""
    reason = reason or _("Kết quả kỳ đánh giá thay đổi")
    if people:
        return mark_annual({(int(person), period.year) for person in people}, reason)
    if everyone:
        return mark_annual([(None, period.year)], reason)  # type: ignore[list-item]
    path = Agency.objects.filter(pk=agency).values_list("path", flat=True).first()
    if path is None:
        return 0
    posted = set(
        Posting.objects.filter(
            overlapping(period.start_date, period.end_date), agency__path__startswith=path
        ).values_list("civil_servant_id", flat=True)
    )
    return mark_annual({(person, period.year) for person in posted}, reason)


def annual_changed(rows: Iterable[tuple[int, int, int | None]]) -> None:
    """Annual scores were stored (``(person id, year, agency id)``): mark what depends on
    them, in the same transaction."""
    rows = list(rows)
    if not rows:
        return
    for callback in DEPENDENTS.get(StaleKind.ANNUAL, []):
        callback(rows)


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
    flush = _Flush()
    _local.callback = flush
    transaction.on_commit(flush)


class _Flush:
    """The commit callback of :func:`schedule_refresh`: an object, not a closure, so that it is
    told apart by identity and can be pickled (the tests' demo recordings cross processes)."""

    def __call__(self) -> None:
        if getattr(_local, "callback", None) is self:
            _local.callback = None
        enqueue_refresh()


def refresh_waiting() -> bool:
    """Whether a refresh is already waiting in the database queue (so another is not
    queued)."""
    if not database_queue():
        return False
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=refresh_derived_task.module_path
    ).exists()


def enqueue_refresh(after: int | None = None) -> bool:
    """Queue the refresh (to run ``after`` seconds from now, when given) unless one is waiting;
    a failure is logged and left to the sweeper (the marks stay). True when queued (or run,
    in-process)."""
    if getattr(_local, "draining", False):
        return False  # the running drain takes the new marks in its next round
    try:
        if refresh_waiting():
            return False
        task = refresh_derived_task
        if after is not None:
            task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=after))
        task.enqueue()
        return True
    except Exception:
        logger.exception("The refresh of stale annual/organisation scores could not be queued")
        return False


# --- reading -------------------------------------------------------------------------------


def _subject(subject_id: int | None) -> Q:
    return Q(subject_id=subject_id) | Q(subject_id=None)


def stale_since(kind: str, subject_id: int, year: int):
    """When the inputs of the figure changed, if it is marked stale; else ``None``."""
    return (
        StaleFigure.objects.filter(_subject(subject_id), kind=kind, year=year)
        .aggregate(since=Min("since"))
        .get("since")
    )


# --- pending period runs: the first link of the dependency map -----------------------------
#
# A period score is owed by a scoring run (``scoring.services.rescoring``) written in the same
# transaction as the change of its inputs. Until that run has succeeded, the stored period
# score — and so the person's annual score, and what reads it — is older than its inputs, even
# when no annual mark exists yet (the refresh may have run before the period run). A run that
# failed (and is being retried, or gave up) still owes it: its people stay stale until a run
# covering them succeeds (reliability review H1).

#: The run states that still owe their period scores.
PENDING_RUNS = ("queued", "running", "failed")


def pending_run_rows(year: int, *extra: str) -> list[tuple]:
    """The runs of ``year`` that still owe their scores, oldest first: (requested at, scope
    path or None, people set, then the ``extra`` fields). A leaders' run
    (``rescoring._pass_on_leaders``) owes its named leaders only: its agency is the root of
    their tree, not a scope, so it has no path (as a run of people without an agency)."""
    rows = kept_rows(_pending_runs, tuple(extra), year=year)
    return [
        (at, None if leaders else path, {int(p) for p in (people or [])}, *rest)
        for at, path, people, leaders, *rest in rows
    ]


def _pending_runs(extra, year):
    return (
        ScoringRun.objects.filter(period__year=year, status__in=PENDING_RUNS)
        .order_by("created_at", "id")
        .values_list("created_at", "agency__path", "people", "leaders", *extra)
    )


def named_posted_within(people, agency, start, end) -> bool:
    """Whether one of ``people`` has a posting in ``agency``'s subtree between ``start`` and
    ``end``: what a run naming people without a scope (a leaders' run) owes an agency."""
    return Posting.objects.filter(
        overlapping(start, end),
        civil_servant_id__in=list(people),
        agency__path__startswith=agency.path,
    ).exists()


def _places(person_id: int, year: int) -> list[tuple[str, str]]:
    """(agency path, role) of the person's postings in ``year``."""
    import datetime

    return list(
        Posting.objects.filter(
            overlapping(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
            civil_servant_id=person_id,
        ).values_list("agency__path", "role")
    )


def _run_covers(path: str | None, people: set[int], person_id: int, places) -> bool:
    """Whether a run (scope agency ``path``, ``people``; none: the whole scope) rescored the
    person: named, posted in its scope, or a leader above its scope (the run rescores the
    leaders whose criterion d counts its people, ``rescoring.leaders_above``)."""
    if person_id in people:
        return True
    if path is None:
        return not people  # a whole-province run
    if not people and any(place.startswith(path) for place, _role in places):
        return True
    return any(role != "staff" and path.startswith(place) for place, role in places)


def pending_run_since(person_id: int, year: int):
    """When the oldest run still owing the person's period scores of ``year`` was requested,
    or ``None``."""
    runs = pending_run_rows(year)
    if not runs:
        return None
    places = _places(person_id, year)
    for at, path, people in runs:
        if _run_covers(path, people, person_id, places):
            return at
    return None


def agency_pending_run_since(agency, year: int):
    """When the oldest run still owing period scores in ``agency``'s subtree (or above it,
    whose leaders it rescores, or the whole province) was requested, or ``None``."""
    for at, path, people in pending_run_rows(year):
        if path is None and people:  # named people only (a leaders' run): where they work
            if named_posted_within(
                people, agency, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            ):
                return at
            continue
        if path is None or path.startswith(agency.path) or agency.path.startswith(path):
            return at
    return None


def _earliest(*moments):
    """The earliest of the moments given (``None`` ones left out), or ``None``."""
    known = [moment for moment in moments if moment is not None]
    return min(known) if known else None


def annual_stale_since(person_id: int, year: int):
    """When the inputs of the person's annual score of ``year`` changed, while it is older
    than them (an annual mark, or a period run that still owes one of its months); else
    ``None``."""
    return _earliest(
        stale_since(StaleKind.ANNUAL, person_id, year), pending_run_since(person_id, year)
    )


def annual_stale_map(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], object]:
    """:func:`annual_stale_since` for many ``(person id, year)`` pairs at once (a page of the
    API): ``(person, year) → since`` for those older than their inputs, in a few queries per
    year whatever the number of people."""
    import datetime

    years: dict[int, set[int]] = {}
    for person, year in pairs:
        years.setdefault(int(year), set()).add(int(person))
    found: dict[tuple[int, int], object] = {}
    for year, people in years.items():
        ids = sorted(people)
        chunks = [ids[start : start + 900] for start in range(0, len(ids), 900)]
        marks: dict = {}
        for chunk in chunks:
            marks.update(stale_annual_people(year, chunk))
        everyone = marks.get(None)
        runs = pending_run_rows(year)
        places: dict[int, list[tuple[str, str]]] = {}
        for chunk in chunks if runs else []:
            rows = Posting.objects.filter(
                overlapping(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
                civil_servant_id__in=chunk,
            ).values_list("civil_servant_id", "agency__path", "role")
            for person, path, role in rows:
                places.setdefault(person, []).append((path, role))
        for person in people:
            owed = next(
                (
                    at
                    for at, path, named in runs
                    if _run_covers(path, named, person, places.get(person, []))
                ),
                None,
            )
            since = _earliest(marks.get(person), everyone, owed)
            if since is not None:
                found[(person, year)] = since
    return found


#: app → ``(agency, year) → since or None``: what else an organisation score depends on
#: (``org_scoring`` registers its staff's annual ratings under option M2).
ORGANISATION_SOURCES: dict[str, Callable] = {}


def organisation_stale_since(agency_id: int, year: int):
    """When the inputs of the agency's organisation score of ``year`` changed, while it is
    older than them; else ``None``."""
    since = stale_since(StaleKind.ORGANISATION, agency_id, year)
    if ORGANISATION_SOURCES:
        agency = Agency.objects.filter(pk=agency_id).first()
        if agency is not None:
            for source in ORGANISATION_SOURCES.values():
                since = _earliest(since, source(agency, year))
    return since


def stale_annual_people(year: int, people=None) -> dict[int | None, datetime.datetime]:
    """person id (``None``: everyone) → since, for the annual scores of ``year`` marked stale
    (restricted to ``people``, ids or a subquery, when given). Pending period runs are not in
    it: see :func:`agency_pending_run_since`."""
    if people is None:
        return dict(_stale_annual(year, None))
    if given_ids(people):  # a statement kept per number of people
        return dict(kept_rows(_stale_annual, year=year, people=people))
    return dict(_stale_annual(year, people))


def _stale_annual(year, people):
    rows = StaleFigure.objects.filter(kind=StaleKind.ANNUAL, year=year)
    if people is not None:
        rows = rows.filter(Q(subject_id__in=people) | Q(subject_id=None))
    return rows.values("subject_id").annotate(since=Min("since")).values_list("subject_id", "since")


# --- at the moment of use ------------------------------------------------------------------


class StaleFigureError(Exception):
    """A derived figure is older than its inputs and cannot be used now. ``reason`` is the
    Vietnamese sentence to show ("… điểm đang được tính lại sau thay đổi lúc …"); ``since``
    when the inputs changed."""

    def __init__(self, reason: str, since=None):
        super().__init__(reason)
        self.reason = reason
        self.since = since


def _at(since) -> str:
    return timezone.localtime(since).strftime("%d/%m/%Y %H:%M")


def fresh_annual(person, year: int, what: str | None = None):
    """The person's annual score of ``year`` (``AnnualScore`` or ``None`` when there is none),
    equal to the recomputation of its inputs **at this moment** — the one call every use of
    an annual figure makes (a decision, a print, an export, the national record, the API).

    * Nothing changed since it was stored: returned as stored.
    * Only the year is marked (its period scores are current): recomputed on the spot — the
      person's quota groups, ``score_year(year, people=[person])``, milliseconds — and
      returned.
    * A period run still owes one of the year's months (queued, running or failed): raises
      :class:`StaleFigureError` with the reason ("… đang được tính lại sau thay đổi lúc …").
    """

    person_id = person if isinstance(person, int) else person.pk
    owed = pending_run_since(person_id, year)
    if owed is not None:
        raise StaleFigureError(_refusal_text(year, owed, what), owed)
    if stale_since(StaleKind.ANNUAL, person_id, year) is not None:
        with transaction.atomic():
            _score_year(year, people=[person_id])
        since = annual_stale_since(person_id, year)
        if since is not None:  # a change committed meanwhile
            raise StaleFigureError(_refusal_text(year, since, what), since)
    return AnnualScore.objects.filter(civil_servant_id=person_id, year=year).first()


def ensure_fresh(person, year: int, what: str | None = None) -> None:
    """Refuse (raise :class:`StaleFigureError`) unless the person's annual score of ``year``
    equals the recomputation of its inputs now, recomputing it on the spot when only the year
    is behind (:func:`fresh_annual`)."""
    fresh_annual(person, year, what)


def ensure_fresh_organisation(agency, year: int, what: str | None = None) -> None:
    """Refuse (raise :class:`StaleFigureError`) while the agency's organisation score of
    ``year`` is older than its inputs."""
    reason = organisation_refusal(agency.pk, year, what)
    if reason:
        raise StaleFigureError(reason, organisation_stale_since(agency.pk, year))


def label(since) -> str:
    """The words shown beside a stale figure."""
    return _("Đang tính lại (dữ liệu đầu vào thay đổi lúc %(at)s)") % {
        "at": timezone.localtime(since).strftime("%d/%m/%Y %H:%M")
    }


def _refusal_text(year: int, since, what: str | None) -> str:
    return _(
        "Điểm năm %(year)d đang được tính lại sau thay đổi lúc %(at)s; %(what)s chưa thực "
        "hiện được với số liệu cũ. Hệ thống tự tính lại trong ít phút, hãy thử lại sau."
    ) % {"year": year, "at": _at(since), "what": what or _("thao tác này")}


def annual_refusal(person_id: int, year: int, what: str | None = None) -> str | None:
    """The reason an action that would use the person's annual score must wait, or None."""
    since = annual_stale_since(person_id, year)
    if since is None:
        return None
    return _refusal_text(year, since, what)


def organisation_refusal(agency_id: int, year: int, what: str | None = None) -> str | None:
    since = organisation_stale_since(agency_id, year)
    if since is None:
        return None
    return _(
        "Điểm của tổ chức năm %(year)d đang được tính lại sau thay đổi lúc %(at)s; %(what)s "
        "chưa thực hiện được với số liệu cũ. Hệ thống tự tính lại trong ít phút, hãy thử lại "
        "sau."
    ) % {"year": year, "at": _at(since), "what": what or _("thao tác này")}


# --- draining ------------------------------------------------------------------------------


def take(kind: str, year: int, subjects=None) -> list[int]:
    """The ids of the marks a drain will clear, read BEFORE it reads the inputs."""
    if given_ids(subjects):
        return kept_rows(_mark_ids, kind, year=year, subjects=subjects)
    rows = StaleFigure.objects.filter(kind=kind, year=year)
    if subjects is not None:
        rows = rows.filter(subject_id__in=subjects)
    return list(rows.values_list("id", flat=True))


def _mark_ids(kind, year, subjects):
    return StaleFigure.objects.filter(kind=kind, year=year, subject_id__in=subjects).values_list(
        "id", flat=True
    )


def take_people(kind: str, year: int, people: list[int]) -> list[int]:
    """:func:`take` for the marks of these people (ids, in chunks of SQLite's limit)."""
    ids: list[int] = []
    for start in range(0, len(people), 900):
        ids += kept_rows(_mark_ids, kind, year=year, subjects=people[start : start + 900])
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
    """Delete the marks ``ids`` (taken by a run that has written their figures). One plain
    statement per 900 ids: a mark has no signals and nothing refers to it, so Django's delete
    would send the same ``DELETE … WHERE id IN (…)`` after compiling it on every call."""
    table = connection.ops.quote_name(StaleFigure._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 900):
            chunk = [int(pk) for pk in ids[start : start + 900]]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", chunk)  # noqa: S608


def stale_years(kind: str) -> list[int]:
    return sorted(set(StaleFigure.objects.filter(kind=kind).values_list("year", flat=True)))


def refresh_derived(rounds: int = 5) -> dict:
    """Recompute every marked figure, bottom-up: annual scores (by year), then the drains
    registered by the apps above (organisation scores). Marks added meanwhile are taken in a
    next round (up to ``rounds``; the rest is left to the next job)."""
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
                report = _score_year(year, people=people)
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


# --- waiting for the work that will change scores again ------------------------------------

#: name → whether work that will write period scores waits (an app above scoring registers
#: its own: ``importers``, an import being committed).
UPSTREAM: dict[str, Callable[[], bool]] = {}

#: Seconds a waiting refresh looks again whether the work it waits for is done.
RECHECK_SECONDS = 5


def register_upstream(name: str, waiting: Callable[[], bool]) -> None:
    UPSTREAM[name] = waiting


def refresh_wait() -> int:
    """``KPI_REFRESH_WAIT_SECONDS`` (default 300; 0 turns it off): how long after the oldest
    mark a refresh may still wait for the scoring runs and imports queued behind it."""
    return int(getattr(settings, "KPI_REFRESH_WAIT_SECONDS", 300))


def upstream_waiting(now=None) -> bool:
    """Whether a scoring run is running or due (queued, not held for later: a leaders' run held
    for its window or a run waiting to be tried again leaves the worker idle meanwhile, and the
    refresh uses that time), or an app's work that will write period scores waits
    (:data:`UPSTREAM`)."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now or timezone.now())
    runs = ScoringRun.objects.filter(Q(status=RunStatus.RUNNING) | Q(due, status=RunStatus.QUEUED))
    if runs.exists():
        return True
    return any(waiting() for waiting in UPSTREAM.values())


def waits_for_upstream(now=None) -> bool:
    """Whether the refresh should wait (on the database queue only): scoring work is queued
    that will move the same people's period scores again — at a month-end each agency's import
    is followed by its run and the leaders' run — and the oldest mark is younger than
    :func:`refresh_wait`. Each refresh reads what the annual step needs of the province's
    postings and quota groups, so refreshing between those runs cost the June 2026 rehearsal
    at 100,000 people about 165 s of the worker's time in the results phase alone; after them,
    one. The marks stay meanwhile: the figures read "đang tính lại" and a decision or an export
    refuses them (:func:`annual_refusal`)."""
    seconds = refresh_wait()
    if seconds <= 0 or not database_queue():
        return False
    oldest = StaleFigure.objects.aggregate(oldest=Min("since"))["oldest"]
    now = now or timezone.now()
    if oldest is None or oldest <= now - datetime.timedelta(seconds=seconds):
        return False
    return upstream_waiting(now)


@task()
def refresh_derived_task() -> dict:
    """The task worker's entry point: bring every stale annual and organisation score up to
    date — after the scoring work queued behind it (:func:`waits_for_upstream`), looked at
    again every :data:`RECHECK_SECONDS`."""
    if waits_for_upstream():
        enqueue_refresh(after=RECHECK_SECONDS)
        return {"waiting": 1}
    return refresh_derived()
