"""Scores follow their inputs without anyone opening a shell.

Whatever changes a score input — an Excel import confirmed, a line accepted or returned, marks
saved on Form 01 or in the admin, a deduction exempted, a posting changed — calls
:func:`request_rescore` (the importers and services directly; ORM saves through the signals in
``scoring.signals``). Requests made inside one transaction are gathered and, once it commits,
become one :class:`~scoring.models.ScoringRun` per period and scope, run by the task worker
(``scoring.tasks.run_scoring_task``): the people concerned are rescored, or a whole agency
subtree with the batch of ``score_period`` (an import). In the same run, bottom-up, come the
**leaders above** them (:func:`leaders_above`): the heads of their agencies and of every agency
above, and the deputies whose charge covers them — a leader's criterion d counts the ratings of
the people in their charge and their a, b, c count those people's lines (Decree 335 Art. 15
cl. 1-3; ``task_method.leader_lines``), so without them a director stayed stale until the next
full batch. They are recorded on the run (``ScoringRun.leaders_above``). A request while a run
of the same period and scope is still waiting joins it instead of queueing another. Nothing
happens for a closed or locked period (its scores were made final when it was closed) or a
period kind that is not scored directly.

The runs' period scores feed the annual scores, which follow by themselves
(``scoring.services.freshness``); a run whose enqueue was lost is found again by the sweep
(``scoring.services.sweeper``). The operator's commands (``score_period``, ``score_year``) stay
for batch work.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import math
import threading
import time
from functools import partial

from django_tasks import task

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import jobs
from cms.retry import RetryPolicy
from org.access import is_home_affairs
from org.authority import active_rules
from org.models import CivilServant, LeadershipRole, Posting
from scoring.models import Period, PeriodScore, RunStatus, ScoringRun
from scoring.services.freshness import mark_period_changed
from scoring.services.input_locks import lock_period_scoring
from scoring.services.org_snapshot import OrgSnapshot, load_agencies, load_charges
from scoring.services.period_batch import SCORABLE_KINDS, order_levels, score_period
from scoring.services.person import score_person
from scoring.services.postings import governing_rows_in, overlapping, posting_rows, rule_day

logger = logging.getLogger(__name__)

_local = threading.local()


@contextlib.contextmanager
def paused():
    """No rescoring requests inside the block — for loaders that score everything themselves
    at the end (the demo province, a restore)."""
    previous = getattr(_local, "paused", False)
    _local.paused = True
    try:
        yield
    finally:
        _local.paused = previous


def request_rescore(
    period, *, agency=None, people=(), reason: str, user=None, everyone: bool = False
) -> None:
    """Ask for ``people`` (ids) — or, with none, the whole of ``agency``; with ``everyone``,
    the whole province (a period reopened) — to be rescored in ``period``.

    Inside a transaction the :class:`ScoringRun` is written **in that transaction** (the outbox
    pattern; reliability review H1/F2c): the change and the run that owes its rescoring commit
    together, so no crash point — a worker killed right after an import's COMMIT, a request
    killed before its on-commit hook — can lose the run. Its task is queued in the same
    transaction on the database queue (django-tasks-db writes to the same database), or once it
    commits in-process; a run whose task was lost anyway is queued again by the sweep. The
    runs of one transaction are only inserted, never locked across transactions (no new lock
    order); queued runs of the same period and agency are merged when a worker takes one
    (:func:`_absorb`). Outside a transaction the run is written and queued at once."""
    if period is None or getattr(_local, "paused", False):
        return
    period_id = period if isinstance(period, int) else period.pk
    agency_id = agency if agency is None or isinstance(agency, int) else agency.pk
    people = {int(person) for person in people}
    if agency_id is None and not people and not everyone:
        return
    wanted = _Wanted(reason, user)
    wanted.people = people
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _create_runs({(period_id, None if people else agency_id): wanted})
        mark_owed_years(period_id, agency_id, people, everyone=everyone, reason=reason)
        return
    _write_in_transaction(connection, period_id, None if people else agency_id, wanted)
    # The dependency map's first link, in the change's own transaction (legal review F1):
    # the annual scores the run will move are stale from this commit on, not from the run's.
    mark_owed_years(period_id, agency_id, people, everyone=everyone, reason=reason)


def mark_owed_years(
    period_id: int, agency_id: int | None, people, *, everyone: bool = False, reason: str = ""
) -> int:
    """Mark stale the annual scores a requested run will move: its people's, or everyone
    posted in its agency's subtree during the period, or the whole province's year
    (``scoring.services.freshness.mark_period_changed``)."""
    period = (
        Period.objects.filter(pk=period_id).only("pk", "year", "start_date", "end_date").first()
    )
    if period is None:
        return 0
    if people:
        return mark_period_changed(period, people=people, reason=reason)
    if agency_id is None:
        return mark_period_changed(period, everyone=True, reason=reason) if everyone else 0
    return mark_period_changed(period, agency=agency_id, reason=reason)


class _Wanted:
    """What one request asked for one period and scope (no people: the whole agency)."""

    def __init__(self, reason: str, user):
        self.people: set[int] = set()
        self.reason = reason
        self.user = user if getattr(user, "is_authenticated", False) else None


class _TransactionRuns:
    """What the current transaction has written: period id → period (or None when it is not
    scored), (period id, person) → agency, (period id, agency id) → run id."""

    def __init__(self):
        self.periods: dict = {}
        self.agencies: dict = {}
        self.runs: dict = {}


def _state(connection) -> _TransactionRuns:
    """This transaction's memo; a fresh one when the last transaction committed or rolled
    back (its on-commit marker is then no longer registered). The memo only saves queries:
    every run it names is read again before use, so a savepoint rolled back loses nothing."""
    marker = getattr(_local, "marker", None)
    if marker is None or not any(item[1] is marker for item in connection.run_on_commit):
        state = _TransactionRuns()

        def marker():
            if getattr(_local, "marker", None) is marker:
                _local.marker = None

        _local.marker, _local.state = marker, state
        transaction.on_commit(marker)
    return _local.state


def _write_in_transaction(connection, period_id: int, agency_id: int | None, wanted) -> None:
    state = _state(connection)
    if period_id not in state.periods:
        found = Period.objects.filter(pk=period_id).first()
        state.periods[period_id] = found if found is not None and _scorable(found) else None
    period = state.periods[period_id]
    if period is None:
        return
    if wanted.people:
        unknown = [person for person in wanted.people if (period_id, person) not in state.agencies]
        for person, agency in _agencies_of(unknown, period).items():
            state.agencies[period_id, person] = agency
        by_agency: dict[int | None, list[int]] = {}
        for person in sorted(wanted.people):
            by_agency.setdefault(state.agencies[period_id, person], []).append(person)
        scopes = list(by_agency.items())
    else:
        scopes = [(agency_id, [])]
    for scope_agency, people in scopes:
        run_id = state.runs.get((period_id, scope_agency))
        stored = None
        if run_id is not None:
            stored = (
                ScoringRun.objects.filter(pk=run_id, status=RunStatus.QUEUED)
                .values_list("people", flat=True)
                .first()
            )
        if stored is None:
            scoring_run = ScoringRun.objects.create(
                period=period,
                agency_id=scope_agency,
                people=people,
                people_count=len(people),
                reason=wanted.reason[:255],
                requested_by=wanted.user,
            )
            state.runs[period_id, scope_agency] = scoring_run.pk
            if database_queue():
                enqueue_run(scoring_run.pk)  # the task row commits with the run
            else:
                transaction.on_commit(partial(enqueue_run, scoring_run.pk))
            continue
        if not stored:
            continue  # a whole-agency run already covers everyone
        merged = sorted(set(stored) | set(people)) if people else []
        if merged != sorted(stored):
            assert run_id is not None  # ``stored`` was read from it
            ScoringRun.objects.filter(pk=run_id).update(people=merged, people_count=len(merged))


def _create_runs(pending: dict) -> None:
    created = []
    for (period_id, agency_id), wanted in list(pending.items()):
        period = Period.objects.filter(pk=period_id).first()
        if period is None or not _scorable(period):
            continue
        if wanted.people:
            agencies = _agencies_of(wanted.people, period)
            by_agency: dict[int | None, list[int]] = {}
            for person in sorted(wanted.people):
                by_agency.setdefault(agencies[person], []).append(person)
            scopes = list(by_agency.items())
        else:
            scopes = [(agency_id, [])]
        for scope_agency, people in scopes:
            run = _queue(period, scope_agency, people, wanted)
            if run is not None:
                created.append(run.pk)
    pending.clear()
    for run_id in created:
        enqueue_run(run_id)


#: The job kit's (``cms.jobs``), named here for this app's callers.
database_queue = jobs.database_queue
live_task_ids = jobs.queued_task_ids


def enqueue_run(run_id: int, run_after=None) -> bool:
    """Queue the task of a queued run and remember its id on the run; a failure is logged and
    the run stays queued with no live task, which the sweeper (``scoring.services.sweeper``,
    every minute in each worker) and the next request for the same agency and month both
    detect and queue again (reliability review H1)."""
    try:
        # A savepoint: inside the requesting transaction a failed INSERT must not abort it.
        with transaction.atomic():
            queued = run_scoring_task
            if run_after is not None and database_queue():
                queued = run_scoring_task.using(run_after=run_after)
            result = queued.enqueue(run_id)
            if database_queue():
                ScoringRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
                    task_id=str(result.id)
                )
    except Exception:
        logger.exception("Scoring run %s could not be enqueued", run_id)
        return False
    return True


def _queue(period, agency_id: int | None, people: list[int], wanted) -> ScoringRun | None:
    """Join a waiting run of the same period and agency, or queue a new one (returned). A
    waiting run whose task is missing (its enqueue failed) is returned too, to be queued
    again: a dead run never swallows later requests."""
    # The same scope: that agency's runs, or the province-wide ones (no agency).
    scope = Q(agency__isnull=True) if agency_id is None else Q(agency_id=agency_id)
    with transaction.atomic():
        waiting = (
            ScoringRun.objects.select_for_update()
            .filter(scope, period=period, status=RunStatus.QUEUED, leaders=False)
            .order_by("id")
            .first()
        )
        if waiting is not None:
            # People join people; a whole-agency run already covers everyone.
            waiting.people = (
                sorted(set(waiting.people) | set(people)) if waiting.people and people else []
            )
            waiting.people_count = len(waiting.people)
            waiting.save(update_fields=["people", "people_count"])
            if waiting.task_id and waiting.task_id in live_task_ids([waiting.task_id]):
                return None
            return waiting
        return ScoringRun.objects.create(
            period=period,
            agency_id=agency_id,
            people=people,
            people_count=len(people),
            reason=wanted.reason[:255],
            requested_by=wanted.user,
        )


def _scorable(period) -> bool:
    return period.kind in SCORABLE_KINDS and not period.is_final


def _agencies_of(people, period) -> dict[int, int | None]:
    """Each person's governing agency in ``period`` (their postings read at once: a bulk write
    of 5,000 lines asked once per person before)."""
    if not people:
        return {}
    return {
        person: row.agency_id if row is not None else None
        for person, row in governing_rows_in(people, period).items()
    }


def open_periods_on(day) -> list[Period]:
    """The open, directly scored periods containing ``day`` (a posting change affects them)."""
    return [
        period
        for period in Period.objects.filter(
            start_date__lte=day, end_date__gte=day, kind__in=SCORABLE_KINDS
        )
        if not period.is_final
    ]


# --- the worker's side ----------------------------------------------------------------------


def run(run_id: int) -> str:
    """Carry out a queued run. It is claimed atomically (two workers never run it twice) and
    its row stays locked while it runs, in one transaction with the scores it writes: a worker
    killed mid-run writes nothing and leaves a row nobody holds (``recover_interrupted_runs``)."""
    claimed = ScoringRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    started = time.monotonic()
    logger.info("Scoring run %s started", run_id)
    try:
        with transaction.atomic():
            scoring_run = (
                ScoringRun.objects.select_for_update(of=("self",))
                .select_related("period", "agency")
                .get(pk=run_id)
            )
            # One run of a month at a time: its leaders read ratings other runs write.
            lock_period_scoring(scoring_run.period_id)
            _absorb(scoring_run)
            result = _carry_out(scoring_run)
        logger.info(
            "Scoring run %s ended: %s in %.1f s", run_id, result, time.monotonic() - started
        )
        return result
    except Exception as error:
        logger.exception("Scoring run %s failed", run_id)
        return _failed(run_id, error)


#: How failed runs are retried (``cms.retry``, the one policy for background work).
RETRY = RetryPolicy()

#: What :func:`run` returns for a failed attempt that will be tried again.
RETRYING = "retrying"


def _failed(run_id: int, error: Exception) -> str:
    """A failed attempt (a deadlock, a lock timeout, a bug): the run goes back to the queue
    after the policy's delay (``cms.retry.RetryPolicy``), up to its number of attempts; then
    it stays "failed" with its error, shown on ``/healthz/work`` (503) and in the admin. Until
    a run covering its people succeeds, their figures count as stale
    (``scoring.services.freshness``: a failed run still owes its scores; reliability review
    H1)."""
    scoring_run = ScoringRun.objects.get(pk=run_id)
    retry_at = scoring_run.schedule_retry(error, timezone.now(), RETRY)
    if retry_at is None:
        return _finish(
            scoring_run,
            RunStatus.FAILED,
            message=_(
                "Lỗi hệ thống khi tính điểm, đã thử %(attempts)d lần; quản trị viên đã được ghi "
                "nhận. Điểm của những người trong lượt này vẫn được coi là đang tính lại cho "
                "đến khi tính lại thành công."
            )
            % {"attempts": scoring_run.attempts},
        )
    scoring_run.status = RunStatus.QUEUED
    scoring_run.started_at = None
    scoring_run.message = _("Lần thử %(attempts)d bị lỗi; tự thử lại lúc %(at)s.") % {
        "attempts": scoring_run.attempts,
        "at": timezone.localtime(retry_at).strftime("%d/%m/%Y %H:%M"),
    }
    scoring_run.save()
    enqueue_run(run_id, run_after=retry_at)
    return RETRYING


def retry_failed(run_ids, asked_by=None) -> list[int]:
    """Runs that gave up back to the queue with their attempts counted again: the daily check
    (``sweep_background_work``), or Sở Nội vụ's "Thử lại ngay" on the listing of background
    jobs (``asked_by``: who asked, named in the run's message with the time, and logged). The
    failed runs are locked while they are sent back: two requests at once (a double click, the
    daily check beside a person) send a run back once, and a run no longer failed is left as
    it is."""
    if asked_by is None:
        message = _("Đã xếp hàng tính lại theo yêu cầu.")
    else:
        message = _("Đã xếp hàng tính lại theo yêu cầu của %(name)s lúc %(at)s.") % {
            "name": asked_by.get_full_name() or asked_by.get_username(),
            "at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
        }
    with transaction.atomic():
        ids = list(
            ScoringRun.objects.select_for_update()
            .filter(pk__in=list(run_ids), status=RunStatus.FAILED)
            .values_list("pk", flat=True)
        )
        ScoringRun.objects.filter(pk__in=ids, status=RunStatus.FAILED).update(
            status=RunStatus.QUEUED,
            attempts=0,
            next_attempt_at=None,
            started_at=None,
            message=message,
        )
    if ids and asked_by is not None:
        logger.info("Scoring runs %s queued again at the request of user %s", ids, asked_by.pk)
    for run_id in ids:
        enqueue_run(run_id)
    return ids


def may_retry(user) -> bool:
    """Who may send a failed run back from the listing of background jobs: Sở Nội vụ (the
    runs' figures are the province's)."""
    return is_home_affairs(user)


def retry_run(user, scoring_run) -> bool:
    """The listing's "Thử lại ngay" on one run (``cms.jobs.JobKind.retry``)."""
    return bool(retry_failed([scoring_run.pk], asked_by=user))


def _supersede(scoring_run) -> int:
    """A run that succeeded settles the failed runs of the same period it covers (it read
    their inputs later): they no longer owe their scores."""
    failed = ScoringRun.objects.filter(period_id=scoring_run.period_id, status=RunStatus.FAILED)
    if scoring_run.agency_id is None and not scoring_run.people:
        covered = failed
    elif not scoring_run.people:
        covered = failed.filter(agency__path__startswith=scoring_run.agency.path)
    else:
        mine = {int(p) for p in scoring_run.people}
        ids = [
            other.pk
            for other in failed.filter(agency_id=scoring_run.agency_id)
            if other.people and {int(p) for p in other.people} <= mine
        ]
        covered = failed.filter(pk__in=ids)
    return covered.update(
        status=RunStatus.DONE,
        next_attempt_at=None,
        message=_("Đã tính lại thành công trong lượt tính số %(id)d.") % {"id": scoring_run.pk},
    )


def _absorb(scoring_run) -> list[int]:
    """Merge into ``scoring_run`` the other runs queued for the same period and agency (each
    transaction writes its own; the first worker to take one carries them all out). Done in
    the run's transaction: a worker killed meanwhile leaves them queued. Runs another worker
    holds are left alone (``skip_locked``); their tasks then find them done and skip. The run
    is then requested as of the earliest of them: it owes their changes from then on (and so do
    the leaders it passes on, :func:`_pass_on_leaders`)."""
    if scoring_run.final:
        return []
    others = list(
        ScoringRun.objects.select_for_update(skip_locked=True)
        .filter(
            period_id=scoring_run.period_id,
            agency_id=scoring_run.agency_id,
            status=RunStatus.QUEUED,
            final=False,
            leaders=scoring_run.leaders,  # a leaders' run gathers the leaders passed on only
        )
        .exclude(pk=scoring_run.pk)
        .order_by("id")
    )
    if not others:
        return []
    if scoring_run.people and all(other.people for other in others):
        people = set(scoring_run.people)
        for other in others:
            people |= {int(p) for p in other.people}
        scoring_run.people = sorted(people)
    else:
        scoring_run.people = []  # one of them asked for the whole agency
    scoring_run.created_at = min([scoring_run.created_at] + [o.created_at for o in others])
    ids = [other.pk for other in others]
    ScoringRun.objects.filter(pk__in=ids).update(
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        message=_("Đã gộp vào lượt tính số %(id)d.") % {"id": scoring_run.pk},
    )
    return ids


def _snapshot(period, window, people, agencies, charges) -> OrgSnapshot:
    """The postings of ``people`` (ids or a subquery; all of theirs in the period) and every
    head, in memory."""
    return OrgSnapshot(
        period,
        agencies,
        active_rules(),
        posting_rows(Posting.objects.filter(window, civil_servant_id__in=people)),
        posting_rows(Posting.objects.filter(window, role=LeadershipRole.HEAD)),
        charges,
    )


def _chain(path: str) -> set[int]:
    return {int(part) for part in path.strip("/").split("/") if part}


def _posted_within(window, path: str):
    """The postings of the period (``window``) in the subtree at ``path``."""
    return Posting.objects.filter(window, agency__path__startswith=path)


def _bottom_up(period, window, people: list[int], charges) -> list[int]:
    """``people`` in scoring order: each leader after the people they count (a requested person
    may lead another, or lead a leader above), then those with no posting in the period."""
    snapshot = _snapshot(period, window, people, load_agencies(), charges)
    posted = sorted(p for p in people if p in snapshot.governing)
    ordered = [p for level in order_levels(posted, snapshot) for p in level]
    return ordered + [p for p in people if p not in snapshot.governing]


def leaders_above(period, people=(), *, within=None) -> list[int]:
    """The leaders whose criterion d (and a, b, c) count someone in ``people`` — or, with
    ``within`` (an agency), someone posted in its subtree — directly or through another such
    leader, in scoring order (each after the people they count). The people themselves, and
    with ``within`` everyone posted in the subtree (the batch has just scored them), are left
    out.

    The candidates are the heads and deputies of the people's agencies and of every agency
    above, and the deputies whose charge covers them (``org.DeputyCharge``); a candidate is kept
    when :meth:`OrgSnapshot.subordinates` — the one definition of "in the leader's charge",
    Decree 335 Art. 15 cl. 3 d — includes one of the people."""
    window = overlapping(period.start_date, period.end_date)
    agencies = load_agencies()
    charges = load_charges(rule_day(period))
    excluded = {int(p) for p in people}
    if within is not None:
        posted = _posted_within(window, within.path)
        # a subquery here, then the ids found in each round
        frontier_ids: QuerySet | list[int] = posted.values("civil_servant_id")
        frontier = set(posted.values_list("civil_servant_id", flat=True))
        excluded |= frontier
        paths = {a.path for a in agencies.values() if a.path.startswith(within.path)}
        chain = _chain(within.path) - {within.pk}
    else:
        frontier = set(excluded)
    found: set[int] = set()
    while frontier:
        if within is None or found:
            frontier_ids = list(frontier)
            rows = posting_rows(Posting.objects.filter(window, civil_servant_id__in=frontier_ids))
            paths = {agencies[r.agency_id].path for r in rows if r.agency_id in agencies}
            chain = set().union(*(_chain(path) for path in paths))
        deputies = [
            deputy
            for deputy, (units, named) in charges.items()
            if named & frontier or any(path.startswith(units) for path in paths)
        ]
        candidates = (
            set(
                Posting.objects.filter(window)
                .filter(
                    Q(agency_id__in=chain, role__in=[LeadershipRole.HEAD, LeadershipRole.DEPUTY])
                    | Q(civil_servant_id__in=deputies)
                )
                .values_list("civil_servant_id", flat=True)
            )
            - found
            - excluded
        )
        if not candidates:
            break
        snapshot = _snapshot(
            period,
            window,
            Posting.objects.filter(
                Q(civil_servant_id__in=frontier_ids) | Q(civil_servant_id__in=list(candidates))
            ).values("civil_servant_id"),
            agencies,
            charges,
        )
        new = {
            leader
            for leader in candidates
            if leader in snapshot.governing
            and snapshot.governing[leader].role != LeadershipRole.STAFF
            and frontier.intersection(snapshot.subordinates(leader))
        }
        found |= new
        frontier = new
    if not found:
        return []
    snapshot = _snapshot(period, window, list(found), agencies, charges)
    return [person for level in order_levels(sorted(found), snapshot) for person in level]


def _score_people(period, people: list[int]) -> int:
    """Score ``people`` one by one in the given order, without the cascade (the run already
    holds every leader concerned); the number of stored rows that changed."""
    before = _computed(period, people)
    servants = CivilServant.objects.in_bulk(people)
    for person in people:
        if person in servants:
            score_person(servants[person], period, cascade=False)
    after = _computed(period, people)
    return sum(1 for pk, when in after.items() if before.get(pk) != when)


def _carry_out(scoring_run) -> str:
    period = scoring_run.period
    if scoring_run.final:
        # The period close's final scoring (forced): recovered like any run when its worker
        # dies (reliability review M3).
        report = score_period(period, scoring_run.agency, force=True)
        return _finish(
            scoring_run,
            RunStatus.DONE,
            people=report.people,
            written=report.written,
            with_errors=report.with_errors,
        )
    if period.is_final:
        return _finish(
            scoring_run, RunStatus.SKIPPED, message=_("Kỳ đã khóa sổ: điểm không tính lại.")
        )
    if scoring_run.people:
        requested = [int(p) for p in scoring_run.people]
        above = leaders_above(period, requested)
        passed_to = _pass_on_leaders(scoring_run, above)
        if passed_to is not None:
            above = []
        window = overlapping(period.start_date, period.end_date)
        charges = load_charges(rule_day(period))
        batch = _batch_instead(scoring_run, requested, window)
        batched = set(batch.scored) if batch is not None else set()
        # The batch counts a leader's charge within the subtree: those whose charge reaches
        # outside it are scored again one by one, with the leaders above them.
        outside = (
            _outside_chain(
                period,
                scoring_run.agency,
                window,
                charges,
                among=set(requested) if scoring_run.leaders else None,
            )
            if batch is not None and scoring_run.agency is not None
            else []
        )
        everyone = [p for p in requested if p not in batched] + above
        everyone += [p for p in outside if p not in everyone]
        written = _score_people(period, _bottom_up(period, window, everyone, charges))
        written += batch.written if batch is not None else 0
        scoring_run.leaders_above = above
        errors = PeriodScore.objects.filter(
            period=period, civil_servant_id__in=requested + above
        ).exclude(input_errors={})
        return _finish(
            scoring_run,
            RunStatus.DONE,
            people=len(requested) + len(above),
            written=written,
            with_errors=errors.count(),
            message=_passed_message(passed_to),
        )
    report = score_period(period, scoring_run.agency)
    above = []
    outside = []
    window = overlapping(period.start_date, period.end_date)
    charges = load_charges(rule_day(period)) if scoring_run.agency is not None else {}
    if scoring_run.agency is not None:
        above = leaders_above(period, within=scoring_run.agency)
        outside = _outside_chain(period, scoring_run.agency, window, charges)
    passed_to = _pass_on_leaders(scoring_run, above)
    if passed_to is not None:
        above = []
    again = [p for p in outside if p not in above]
    # ``leaders_above`` gives them in scoring order; a leader whose charge reaches outside the
    # subtree may sit under one of them, so with such leaders the order is made again.
    ordered = _bottom_up(period, window, above + again, charges) if again else above
    written = _score_people(period, ordered) if ordered else 0
    scoring_run.leaders_above = above
    errors = PeriodScore.objects.filter(period=period, civil_servant_id__in=above).exclude(
        input_errors={}
    )
    return _finish(
        scoring_run,
        RunStatus.DONE,
        people=report.people + len(above),
        written=report.written + written,
        with_errors=report.with_errors + (errors.count() if above else 0),
        message=_passed_message(passed_to),
    )


#: A people run scores its agency with the batch (``score_period``) from this many people
#: on, plus one for every :data:`BATCH_SHARE` people posted in the agency's subtree.
BATCH_FROM = 4
BATCH_SHARE = 40
#: A leaders' run scores its leaders from one reading of their tree from this many leaders on.
LEADERS_BATCH_FROM = 2


def reaching_outside(period, agency, window, charges=None) -> list[int]:
    """Leaders posted in ``agency``'s subtree whose charge reaches outside it: a head or deputy
    posting in another subtree as well (a concurrent post), or a deputy whose charge
    (``org.DeputyCharge``) names units outside it or names people. The batch of a subtree
    (``score_period(period, agency)``) loads the subtree only, so it counts their charge
    within it; they are scored again by ``score_person``, which reads their whole charge,
    with the leaders above them (:func:`_outside_chain`)."""
    inside = _posted_within(window, agency.path)
    leading = [LeadershipRole.HEAD, LeadershipRole.DEPUTY]
    found = set(
        Posting.objects.filter(
            window, role__in=leading, civil_servant_id__in=inside.values("civil_servant_id")
        )
        .exclude(agency__path__startswith=agency.path)
        .values_list("civil_servant_id", flat=True)
    )
    if charges is None:
        charges = load_charges(rule_day(period))
    if charges:
        deputies = set(
            inside.filter(civil_servant_id__in=list(charges)).values_list(
                "civil_servant_id", flat=True
            )
        )
        for deputy in deputies:
            paths, named = charges[deputy]
            if named or any(not path.startswith(agency.path) for path in paths):
                found.add(deputy)
    return sorted(found)


def _outside_chain(period, agency, window, charges, among=None) -> list[int]:
    """The leaders of :func:`reaching_outside` (of ``among`` only, when given: the leaders the
    batch scored) and the leaders above them, to score after the batch of ``agency``'s
    subtree."""
    reaching = reaching_outside(period, agency, window, charges)
    if among is not None:
        reaching = [p for p in reaching if p in among]
    if not reaching:
        return []
    return reaching + [p for p in leaders_above(period, reaching) if p not in reaching]


def _batch_instead(scoring_run, requested: list[int], window):
    """The batch of the run's agency (``score_period``, its ``BatchReport``) when it costs less
    than scoring the people one by one, else ``None``. ``score_person`` prepares each person
    with its own queries (about 12 ms a person on SQLite, 26 ms on PostgreSQL at 100,000); the
    batch loads the subtree once (about 40 ms, then 0.2–0.3 ms a person) and writes only the
    rows whose inputs changed — the same rows, figure for figure, as one by one (the month-end
    check compares both). An API request or a document touching a unit's people is one such
    run. A leaders' run (its agency a tree's root) takes the batch of the tree restricted to its
    leaders (``only``) from two leaders on, or one leading most of the tree."""
    agency = scoring_run.agency
    if scoring_run.leaders:
        # A leaders' run: its leaders from one reading of their tree (``only``): a head's
        # charge is their whole subtree, so the tree's head alone reads all of it, and each
        # leader read their charge again one by one (the month-end's longest runs).
        if len(requested) < LEADERS_BATCH_FROM and not _leads_most_of(requested, agency, window):
            return None
        return score_period(scoring_run.period, agency, only=requested)
    if agency is None or len(requested) < BATCH_FROM:
        return None
    posted = _posted_within(window, agency.path).count()
    if len(requested) < BATCH_FROM + posted // BATCH_SHARE:
        return None
    return score_period(scoring_run.period, agency)


def _leads_most_of(leaders: list[int], agency, window) -> bool:
    """Whether the agencies where ``leaders`` lead (their head and deputy postings) hold at least
    half the postings of the tree (``agency``'s subtree, the province with none): a leaders'
    run of the chairman alone reads as much one by one as the batch of the tree does (June at
    100,000: 14.2 s for one leader one by one)."""
    tree = (
        _posted_within(window, agency.path)
        if agency is not None
        else Posting.objects.filter(window)
    )
    paths = set(
        Posting.objects.filter(
            window,
            civil_servant_id__in=leaders,
            role__in=[LeadershipRole.HEAD, LeadershipRole.DEPUTY],
        ).values_list("agency__path", flat=True)
    )
    if not paths:
        return False
    within = Q()
    for path in paths:
        within |= Q(agency__path__startswith=path)
    return 2 * tree.filter(within).count() >= tree.count()


def leaders_window() -> tuple[int, int]:
    """``(seconds, people)``: with nothing else waiting, a run still passes its leaders above on
    to a leaders' run held for ``KPI_LEADERS_WINDOW_SECONDS`` (default 60) when its tree has at
    least ``KPI_LEADERS_WINDOW_FROM`` people posted (default 2,000): the changes of that window
    join it, and the chairman is scored once a window instead of once a change. 0 seconds
    turns it off. Only on the database queue (its tasks can wait; in-process they cannot)."""
    return (
        int(getattr(settings, "KPI_LEADERS_WINDOW_SECONDS", 60)),
        int(getattr(settings, "KPI_LEADERS_WINDOW_FROM", 2_000)),
    )


def _window_for(period, root_path: str | None) -> int | None:
    """The seconds a new leaders' run of the tree at ``root_path`` waits when nothing else
    does, or ``None`` (scored in this run)."""
    seconds, people = leaders_window()
    if seconds <= 0 or root_path is None or not database_queue():
        return None
    window = overlapping(period.start_date, period.end_date)
    return seconds if _posted_within(window, root_path).count() >= people else None


def _pass_on_leaders(scoring_run, above: list[int]) -> tuple[int, int | None] | None:
    """The leaders above this run's people are passed on to the period's **leaders' run**
    (``ScoringRun.leaders``, one per period and tree root): joined while it waits; else queued
    behind the other runs of the period when some wait, or held for the window
    (:func:`leaders_window`) when the tree is large. Returns ``(its id, seconds held or
    None)``, or ``None`` when this run scores them itself (nothing waiting and no window, or
    this is the leaders' run).

    A leader's a, b, c and criterion d count everyone in their charge (Decree 335 Art. 15;
    ``task_method.leader_lines``): the province chairman's charge is the whole province, so
    scoring them after each run of a month-end, or after each change of a working day, costs
    as much as those runs together. Until the leaders' run has run, its leaders count as owed
    like any queued run's people (``scoring.services.freshness``), from the earliest change
    passed on."""
    if not above or scoring_run.leaders:
        return None
    # Scoped to the root of the run's tree (the leaders above lie on its chain): the screens
    # count the agencies of that tree as owed while it waits, not the whole province.
    agency = scoring_run.agency
    root_id = int(Period.bloc_key(agency)) if agency is not None else None
    reason = _("Lãnh đạo cấp trên của các lượt tính số %(id)d và tiếp theo") % {
        "id": scoring_run.pk
    }
    # The leaders owe the changes this run was asked for: "changed at" on their screens and
    # refusals is the earliest of those, not the moment they were passed on.
    since = scoring_run.created_at  # the earliest of the runs it absorbed (:func:`_absorb`)
    return _to_leaders_run(
        scoring_run.period,
        root_id,
        above,
        since=since,
        reason=reason,
        requested_by=scoring_run.requested_by,
        waiting=ScoringRun.objects.exclude(pk=scoring_run.pk),
    )


def _to_leaders_run(
    period, root_id, above, *, since, reason, requested_by, waiting=None, hold=False
) -> tuple[int, int | None] | None:
    """:func:`_pass_on_leaders` for the leaders ``above`` of a change in the tree at
    ``root_id`` (``None``: the province): the period's waiting leaders' run joined, else one
    created — behind the period's waiting runs (``waiting``, other than the caller's), or held
    for the window; ``None`` when nothing waits and no window applies, unless ``hold`` (then
    queued at once)."""
    leaders_run = (
        ScoringRun.objects.select_for_update(skip_locked=True)
        .filter(
            Q(agency__isnull=True) if root_id is None else Q(agency_id=root_id),
            period_id=period.pk,
            status=RunStatus.QUEUED,
            leaders=True,
        )
        .order_by("id")
        .first()
    )
    held = None
    if leaders_run is not None:
        # Joined while held for its window: the page says how long it still waits.
        wait, now = leaders_run.next_attempt_at, timezone.now()
        if wait is not None and wait > now:
            held = max(1, math.ceil((wait - now).total_seconds()))
        leaders_run.people = sorted({int(p) for p in leaders_run.people} | set(above))
        leaders_run.people_count = len(leaders_run.people)
        leaders_run.save(update_fields=["people", "people_count"])
    else:
        others = (waiting if waiting is not None else ScoringRun.objects).filter(
            period_id=period.pk, status=RunStatus.QUEUED, final=False, leaders=False
        )
        if not others.exists():
            held = _window_for(period, f"/{root_id}/" if root_id else None)
            if held is None and not hold:
                return None
            held = held or 0  # held: 0 = queued at once
        run_after = timezone.now() + datetime.timedelta(seconds=held) if held else None
        leaders_run = ScoringRun.objects.create(
            period_id=period.pk,
            agency_id=root_id,
            people=sorted(above),
            people_count=len(above),
            leaders=True,
            reason=reason,
            requested_by=requested_by,
            next_attempt_at=run_after,
        )
        # Queued with this run's transaction: on the database queue the task row commits with
        # it; otherwise once it commits (a lost enqueue is found again by the sweep).
        if database_queue():
            enqueue_run(leaders_run.pk, run_after=run_after)
        else:
            transaction.on_commit(partial(enqueue_run, leaders_run.pk))
    ScoringRun.objects.filter(pk=leaders_run.pk, created_at__gt=since).update(created_at=since)
    return leaders_run.pk, held


class LeadersLater:
    """For ``score_person(…, leaders_later=…)`` at a door where a person waits for the page
    (Form 01 saved, a complaint upheld): in a large tree the leaders above a person whose
    rating or lines moved are passed on to the period's leaders' run (as an import's are)
    instead of being scored before the page answers — the chairman's charge is the province
    (about 7 s at 100,000). Until it has run they count as owed (``freshness``): no decision,
    print or export carries their older figure. ``passed``: the leaders' run's ``(id, seconds
    held)`` once called; :meth:`message` says so to the person."""

    def __init__(self, period, *, user=None, reason: str = ""):
        self.period, self.user, self.reason = period, user, reason
        self.passed: tuple[int, int | None] | None = None

    def __call__(self, person_id: int, root_id: int | None) -> None:
        """Pass on the leaders above ``person_id``, whose stored score lies in the tree at
        ``root_id`` (the province with ``None``)."""
        above = leaders_above(self.period, [person_id])
        if not above:
            return
        with transaction.atomic():
            self.passed = _to_leaders_run(
                self.period,
                root_id,
                above,
                since=timezone.now(),
                reason=(self.reason or _("Lãnh đạo cấp trên của người vừa được chấm điểm"))[:255],
                requested_by=self.user,
                hold=True,
            )

    def message(self) -> str:
        """What the page says; nothing when the run has already run in-process (development's
        immediate queue: its task ran on commit, before the page answers)."""
        return _passed_message(self.passed) if database_queue() else ""


def _passed_message(passed_to: tuple[int, int | None] | None) -> str:
    if passed_to is None:
        return ""
    run_id, held = passed_to
    if held == 0:
        return _("Kết quả của lãnh đạo cấp trên đang được tính lại (lượt tính số %(id)d).") % {
            "id": run_id
        }
    if held:
        return _(
            "Lãnh đạo cấp trên được tính lại trong lượt tính số %(id)d, sau %(seconds)d giây "
            "để gộp các thay đổi tiếp theo."
        ) % {"id": run_id, "seconds": held}
    return _(
        "Lãnh đạo cấp trên được tính lại trong lượt tính số %(id)d, sau các lượt đang chờ."
    ) % {"id": run_id}


#: A run claimed less than this long ago may not hold its row lock yet.
CLAIM_GRACE = datetime.timedelta(seconds=5)


def recover_interrupted_runs(*, wait: bool = False) -> list[int]:
    """Runs left "running" by a worker that died (killed, out of memory, restarted): nothing of
    them was written (their transaction rolled back), so they go back to the queue and run
    again. Called by ``db_worker`` when it starts. On PostgreSQL a run whose row can be locked
    at once has no live worker; SQLite has one process and no such lock, every stale run is
    taken as interrupted.

    A run claimed less than ``CLAIM_GRACE`` ago is left alone, or, with ``wait`` (a worker
    starting), checked again once that time has passed: a worker restarted within seconds of
    its predecessor's death would otherwise leave the run "running" until the next restart."""
    ended = []
    cutoff = timezone.now() - CLAIM_GRACE
    runs = ScoringRun.objects.filter(status=RunStatus.RUNNING)
    if not wait:
        runs = runs.filter(started_at__lt=cutoff)
    for scoring_run in runs.order_by("id"):
        if scoring_run.started_at is not None:
            young = (scoring_run.started_at + CLAIM_GRACE - timezone.now()).total_seconds()
            if young > 0:
                time.sleep(young)
        if not _unlocked(scoring_run.pk):
            continue
        ScoringRun.objects.filter(pk=scoring_run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.QUEUED,
            started_at=None,
            message=_("Lượt tính trước bị dừng giữa chừng; đã xếp hàng tính lại."),
        )
        ended.append(scoring_run.pk)
    if ended:
        # A worker died (killed, out of memory, restarted): operators hear about it.
        logger.error(
            "Scoring runs left running by a background worker that stopped, queued again: %s",
            ended,
        )
    for run_id in ended:
        enqueue_run(run_id)
    return ended


def _unlocked(run_id: int) -> bool:
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return True
    try:
        with transaction.atomic():
            ScoringRun.objects.select_for_update(nowait=True).filter(pk=run_id).first()
        return True
    except DatabaseError:
        return False


def _computed(period, people) -> dict:
    return dict(
        PeriodScore.objects.filter(period=period, civil_servant_id__in=people).values_list(
            "civil_servant_id", "computed_at"
        )
    )


def _finish(scoring_run, status, *, people=None, written=0, with_errors=0, message="") -> str:
    scoring_run.status = status
    scoring_run.finished_at = timezone.now()
    if people is not None:
        scoring_run.people_count = people
    scoring_run.written, scoring_run.with_errors = written, with_errors
    scoring_run.message = message or scoring_run.message
    if status == RunStatus.DONE:
        scoring_run.next_attempt_at = None
    scoring_run.save()
    if status == RunStatus.DONE:
        _supersede(scoring_run)
    return status


@task()
def run_scoring_task(run_id: int) -> str:
    """The task worker's entry point for a queued run."""
    return run(run_id)
