"""Scoring a whole period — the province or one agency subtree — in the right order.

1. Load everything in a few queries (postings, lines, exemptions, marks, stored scores).
2. Order people so that criterion d always sees fresh results: staff first, then deputies, then
   heads, sub-units before their parents (``scoring_order`` of the agency tree), and — whatever
   the authority rules say — every leader after all the people their d is computed from.
3. Hash each person's inputs; an unchanged hash skips the person entirely (no engine call, no
   write). Compute the rest with the engine, level by level.
4. Upsert the new or changed rows in one ``bulk_create(update_conflicts=True)``.

A closed or locked period is refused unless ``force`` is given; even then unchanged inputs are
skipped, so forcing only recomputes what really changed (e.g. a corrected input).
"""

import functools
import time
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.collection import collection_paused
from org.models import Posting
from scoring.engine import scoring_order
from scoring.models import PeriodKind, PeriodScore, RunStatus, ScoringRun
from scoring.services.frameworks import FrameworkResolver
from scoring.services.loading import (
    load_general_marks,
    load_items,
    load_leader_marks,
    load_lines,
    load_stored,
)
from scoring.services.org_snapshot import ROLE_RANK, OrgSnapshot
from scoring.services.postings import overlapping
from scoring.services.scope import CategoryScope
from scoring.services.scorer import PeriodData, build_row, outcome_of, prepare
from scoring.services.store import row_adapter, upsert_period_scores

SCORABLE_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER)


@dataclass
class BatchReport:
    period: str
    scope: str = ""
    refused: bool = False
    people: int = 0
    written: int = 0
    unchanged: int = 0
    not_scored: int = 0
    with_errors: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    errors: dict[int, dict] = field(default_factory=dict)
    #: The people the batch scored (their inputs compared, changed rows written).
    scored: list[int] = field(default_factory=list, repr=False)


class _Clock:
    def __init__(self, timings: dict[str, float]):
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


def order_levels(people: list[int], snapshot: OrgSnapshot, subordinates=None) -> list[list[int]]:
    """People grouped so that every leader comes after the people their d depends on
    (``subordinates``: ``snapshot.subordinates`` or a memo of it)."""
    subordinates = subordinates or snapshot.subordinates
    in_batch = set(people)
    parents = {pk: agency.parent_id for pk, agency in snapshot.agencies.items()}
    agency_rank = {pk: i for i, pk in enumerate(scoring_order(parents))}
    level: dict[int, int] = {}
    visiting: set[int] = set()

    def level_of(person: int) -> int:
        if person in level:
            return level[person]
        if person in visiting:  # a cycle in custom authority rules: break it here
            return 0
        visiting.add(person)
        deps = [p for p in subordinates(person) if p in in_batch]
        level[person] = 1 + max((level_of(p) for p in deps), default=-1)
        visiting.discard(person)
        return level[person]

    def sort_key(person: int):
        posting = snapshot.governing[person]
        return (ROLE_RANK.get(posting.role, 0), agency_rank.get(posting.agency_id, 0), person)

    grouped: dict[int, list[int]] = {}
    for person in people:
        grouped.setdefault(level_of(person), []).append(person)
    return [sorted(grouped[k], key=sort_key) for k in sorted(grouped)]


def _load(period, snapshot: OrgSnapshot, agency, only: list[int] | None = None) -> PeriodData:
    """The scope's inputs; with ``only`` (the people scored), the marks of those people alone
    (the lines and stored ratings of everyone: the charges of leaders count them)."""
    restrict = None
    if agency is not None:
        restrict = Posting.objects.filter(
            overlapping(period.start_date, period.end_date), agency__path__startswith=agency.path
        ).values("civil_servant_id")
    marked = restrict if only is None else only
    return PeriodData(
        period=period,
        resolver=FrameworkResolver(),
        agency_paths={pk: a.path for pk, a in snapshot.agencies.items()},
        lines=load_lines(period, restrict),
        items=load_items(period, restrict),
        marks=load_general_marks(period, marked),
        leader_marks=load_leader_marks(period, marked),
        stored=load_stored(period),
        transfers=snapshot.named_transfers(),
    )


def _without_empty_future_rows(rows: list, stored: dict) -> list:
    """A period that has not begun gets no "not scored" row for a person who has none yet
    (issue 28, UX review C11: the dashboards opened on an empty future month); a row already
    stored is still kept up to date, and a person with a score is written."""
    names = [f.attname for f in PeriodScore._meta.concrete_fields if not f.primary_key]
    person, scored = names.index("civil_servant_id"), names.index("scored")
    return [row for row in rows if row[scored] or row[person] in stored]


def _owed_runs(period) -> list[int]:
    """The period's runs still owing scores (queued or failed, not a period close's final
    run), read before the batch reads any input."""
    return list(
        ScoringRun.objects.filter(
            period=period, status__in=(RunStatus.QUEUED, RunStatus.FAILED), final=False
        ).values_list("pk", flat=True)
    )


def _settle_runs(ids: list[int]) -> None:
    """A province-wide batch computed everyone of the period (leaders above included) from
    inputs read after these runs were requested: they owe nothing more, so the figures they
    held as "being recomputed" are current (issue 42). A run a worker took meanwhile is left
    to finish."""
    if not ids:
        return
    ScoringRun.objects.filter(pk__in=ids, status__in=(RunStatus.QUEUED, RunStatus.FAILED)).update(
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        next_attempt_at=None,
        message=_("Đã tính trong lượt tính cả kỳ cho toàn tỉnh."),
    )


def score_period(period, agency=None, *, force: bool = False, only=None) -> BatchReport:
    """Score and store ``period`` for the province (or ``agency`` and its subtree), in this
    process (docs/architecture.md "Batches in one process").

    ``only`` (ids): score just these people of the scope, from the same one reading of it — a
    leaders' run (``scoring.services.rescoring``): a head's a, b, c and d count everyone in
    their subtree (Decree 335 Art. 15), so the chairman alone reads the province; their
    leaders together read it once. The figures are those of the whole batch and of one by one
    (``tests/scoring/test_rescoring.py``)."""
    with collection_paused():
        return _score_period(period, agency, force=force, only=only)


def _score_period(period, agency, *, force: bool, only=None) -> BatchReport:
    started = time.perf_counter()
    report = BatchReport(period=period.label, scope=agency.name if agency else "")
    if period.kind not in SCORABLE_KINDS:
        raise ValueError(f"period kind {period.kind} is not scored directly")
    if period.is_final and not force:
        report.refused = True
        return report
    clock = _Clock(report.timings)
    # The runs this batch answers: a province-wide batch reads every input after they were
    # committed (their ids are read before any input), so it settles them (see _settle_runs).
    owed = _owed_runs(period) if agency is None and only is None else []
    wanted = None if only is None else {int(p) for p in only}
    snapshot = OrgSnapshot.load(period, [agency.path] if agency is not None else None)
    scope = CategoryScope(snapshot.agencies)  # categories this software scores (docs/scope.md)
    people = sorted(
        person
        for person, posting in snapshot.governing.items()
        if (agency is None or snapshot.agency_path(posting.agency_id).startswith(agency.path))
        and scope.evaluated(posting)
        # A bloc whose lead body closed the period keeps its final scores, as a closed period.
        and (force or not period.closed_for(snapshot.agency_path(posting.agency_id)))
        and (wanted is None or person in wanted)
    )
    data = _load(period, snapshot, agency, people if wanted is not None else None)
    ratings = {person: stored.rating or None for person, stored in data.stored.items()}
    # Each person's charge is found once: for their level and for their score.
    subordinates = functools.cache(snapshot.subordinates)
    levels = order_levels(people, snapshot, subordinates)
    clock.lap("load")
    now = timezone.now()
    adapt_row = row_adapter(PeriodScore)

    def score_one(person: int) -> tuple:
        """One person, from loaded data to the stored row's column values (JSON as text):
        ``(person, rating, row, scored, input errors)``, ``row`` ``None`` when the inputs are
        unchanged; touches no database."""
        subs = subordinates(person)
        prepared = prepare(
            data, person, snapshot.governing[person], {p: ratings.get(p) for p in subs}
        )
        stored = data.stored.get(person)
        if stored is not None and stored.inputs_hash == prepared.inputs_hash:
            return person, None, None, False, None
        outcome = outcome_of(prepared, data.items)
        row = build_row(period, prepared, outcome, data.items, now)
        return (
            person,
            outcome.rating or None,
            adapt_row(row),
            outcome.scored,
            outcome.errors,
        )

    rows = []
    for level in levels:
        # Criterion d of the next level reads this level's ratings, so levels run in order.
        for person, rating, values, scored, errors in map(score_one, level):
            if values is None:
                report.unchanged += 1
                continue
            ratings[person] = rating
            rows.append(values)
            report.not_scored += not scored and not errors
            if errors:
                report.errors[person] = errors
        clock.lap("prepare")
    if period.start_date > timezone.localdate():
        rows = _without_empty_future_rows(rows, data.stored)
    upsert_period_scores(
        rows, adapted=True, years={period.pk: period.year}, stored=data.stored.keys()
    )
    _settle_runs(owed)
    clock.lap("store")
    report.people = len(people)
    report.scored = people
    report.written = len(rows)
    report.with_errors = len(report.errors)
    report.seconds = time.perf_counter() - started
    return report
