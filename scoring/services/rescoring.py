"""Scores follow their inputs without anyone opening a shell.

Whatever changes a score input — an Excel import confirmed, a line accepted or returned, marks
saved on Form 01 or in the admin, a deduction exempted, a posting changed — calls
:func:`request_rescore` (the importers and services directly; ORM saves through the signals in
``scoring.signals``). Requests made inside one transaction are gathered and, once it commits,
become one :class:`~scoring.models.ScoringRun` per period and scope, run by the task worker
(``scoring.tasks.run_scoring_task``): the people concerned are rescored (their leaders' criterion
d follows through the cascade of ``score_person``), or a whole agency subtree with the batch of
``score_period`` (an import). A request while a run of the same period and scope is still
waiting joins it instead of queueing another. Nothing happens for a closed or locked period
(its scores were made final when it was closed) or a period kind that is not scored directly.

The operator's commands (``score_period``, ``score_year``) stay for batch work.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
import time

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from org.models import CivilServant
from scoring.models import Period, PeriodScore, RunStatus, ScoringRun
from scoring.services.period_batch import SCORABLE_KINDS, score_period
from scoring.services.person import score_person
from scoring.services.postings import governing_row

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


def request_rescore(period, *, agency=None, people=(), reason: str, user=None) -> None:
    """Ask for ``people`` (ids) — or, with none, the whole of ``agency`` — to be rescored in
    ``period`` once the current transaction commits (at once outside a transaction)."""
    if period is None or getattr(_local, "paused", False):
        return
    period_id = period if isinstance(period, int) else period.pk
    agency_id = agency if agency is None or isinstance(agency, int) else agency.pk
    people = {int(person) for person in people}
    if agency_id is None and not people:
        return
    connection = transaction.get_connection()
    pending = _pending(connection) if connection.in_atomic_block else {}
    key = (period_id, None if people else agency_id)
    wanted = pending.setdefault(key, _Wanted(reason, user))
    wanted.people |= people
    if not connection.in_atomic_block:
        _create_runs(pending)


class _Wanted:
    """What one transaction asked for one period and scope (no people: the whole agency)."""

    def __init__(self, reason: str, user):
        self.people: set[int] = set()
        self.reason = reason
        self.user = user if getattr(user, "is_authenticated", False) else None


def _pending(connection) -> dict:
    """This transaction's gathered requests; a fresh set when the last one was committed or
    rolled back (its on-commit callback is then no longer registered)."""
    callback = getattr(_local, "callback", None)
    registered = callback is not None and any(
        item[1] is callback for item in connection.run_on_commit
    )
    if not registered:
        pending: dict = {}

        def flush():
            if getattr(_local, "callback", None) is flush:
                _local.callback = None  # the next transaction gathers anew
            _create_runs(pending)

        _local.callback, _local.pending = flush, pending
        transaction.on_commit(flush)
    return _local.pending


def _create_runs(pending: dict) -> None:
    created = []
    for (period_id, agency_id), wanted in list(pending.items()):
        period = Period.objects.filter(pk=period_id).first()
        if period is None or not _scorable(period):
            continue
        if wanted.people:
            by_agency: dict[int | None, list[int]] = {}
            for person in sorted(wanted.people):
                by_agency.setdefault(_agency_of(person, period), []).append(person)
            scopes = list(by_agency.items())
        else:
            scopes = [(agency_id, [])]
        for scope_agency, people in scopes:
            run = _queue(period, scope_agency, people, wanted)
            if run is not None:
                created.append(run.pk)
    pending.clear()
    for run_id in created:
        try:
            run_scoring_task.enqueue(run_id)
        except Exception:  # the run stays queued; the next request or the daily job takes it
            logger.exception("Scoring run %s could not be enqueued", run_id)


def _queue(period, agency_id: int | None, people: list[int], wanted) -> ScoringRun | None:
    """Join a waiting run of the same period and agency, or queue a new one (returned)."""
    with transaction.atomic():
        waiting = (
            ScoringRun.objects.select_for_update()
            .filter(period=period, agency_id=agency_id, status=RunStatus.QUEUED)
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
            return None
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


def _agency_of(person_id: int, period) -> int | None:
    row = governing_row(person_id, period.start_date, period.end_date)
    return row.agency_id if row is not None else None


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
    try:
        with transaction.atomic():
            scoring_run = (
                ScoringRun.objects.select_for_update(of=("self",))
                .select_related("period", "agency")
                .get(pk=run_id)
            )
            return _carry_out(scoring_run)
    except Exception:
        logger.exception("Scoring run %s failed", run_id)
        scoring_run = ScoringRun.objects.get(pk=run_id)
        return _finish(
            scoring_run,
            RunStatus.FAILED,
            message=_("Lỗi hệ thống khi tính điểm; quản trị viên đã được ghi nhận."),
        )


def _carry_out(scoring_run) -> str:
    period = scoring_run.period
    if period.is_final:
        return _finish(
            scoring_run, RunStatus.SKIPPED, message=_("Kỳ đã khóa sổ: điểm không tính lại.")
        )
    if scoring_run.people:
        before = _computed(period, scoring_run.people)
        for person in CivilServant.objects.filter(pk__in=scoring_run.people):
            score_person(person, period)
        after = _computed(period, scoring_run.people)
        written = sum(1 for pk, when in after.items() if before.get(pk) != when)
        errors = PeriodScore.objects.filter(
            period=period, civil_servant_id__in=scoring_run.people
        ).exclude(input_errors={})
        return _finish(
            scoring_run,
            RunStatus.DONE,
            people=len(scoring_run.people),
            written=written,
            with_errors=errors.count(),
        )
    report = score_period(period, scoring_run.agency)
    return _finish(
        scoring_run,
        RunStatus.DONE,
        people=report.people,
        written=report.written,
        with_errors=report.with_errors,
    )


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
    for run_id in ended:
        run_scoring_task.enqueue(run_id)
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
    scoring_run.save()
    return status


@task()
def run_scoring_task(run_id: int) -> str:
    """The task worker's entry point for a queued run."""
    return run(run_id)
