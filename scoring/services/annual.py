"""Annual scores (Decree 335 Arts. 20–21): the mean over the time actually worked.

* A person's periods are taken wherever they were scored, so a transfer keeps the months of the
  old agency (Art. 21 [confirmed]: the old agency sends its monthly or quarterly results; the
  new agency rates).
* Every period type counts (month, quarter, half-year, year). The engine gives each scored
  period the months it stands for — its months in which the person held a posting, minus the
  months a shorter scored period already stands for — so a transfer between a monthly and a
  quarterly agency loses no month and counts none twice (legal review W6). Periods "not
  scored" claim no month: an unscored July never drops a scored Q3.
* The mean is weighted by those months or plain, and a minimum worked time may apply: the
  framework's ``annual.weighting`` and ``annual.min_months`` (docs/scoring.md §4).
* A leaders-only disqualifier (Art. 20 cl. 4 d) applies when the person held a leader role at
  any time in the year (``annual.leader_role``; legal review U5), not only on 31 December.
* The stored row keeps its basis: ``explanation["inputs"]`` lists every period of the year
  with its status, the months it counted for and its weight, the options used, the months
  worked and the leader roles of the year.
* The rating agency is the one of the posting that governs on 31 December (or the last posting
  of the year); its framework's live revision rates the score, unless the person's latest
  scored period used another revision, which then applies (the bands the person was scored
  under).
* Disqualifications of the year force "not completed"; then the excellent quota is applied per
  group — the framework's ``quota.group_by`` (default: the agency whose head rates) ×
  job-position group, the same groups as the decision guard (``scoring.services.quota_groups``).
  Ties at the cut are flagged, never broken.
"""

import datetime
import functools
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from org.models import Posting
from scoring.engine import (
    ENGINE_VERSION,
    AnnualPeriod,
    AnnualResult,
    FrameworkRules,
    QuotaMember,
    QuotaResult,
    ScoringInputError,
    apply_quota,
    score_annual,
)
from scoring.engine.annual import period_months
from scoring.engine.constants import MONTHS_PER_PERIOD, QUOTA_GROUPINGS
from scoring.models import (
    AnnualScore,
    AppliesTo,
    CriteriaFramework,
    Disqualification,
    PeriodKind,
    PeriodScore,
    StaleKind,
    is_recognised,
    recognised_paths,
)
from scoring.services import freshness
from scoring.services.fingerprint import annual_inputs_hash
from scoring.services.frameworks import FrameworkResolver, live_framework, revision_rules
from scoring.services.org_snapshot import load_agencies
from scoring.services.period_batch import gc_paused
from scoring.services.postings import PostingRow, overlapping, pick_governing, posting_rows
from scoring.services.quota_groups import QuotaGrouper
from scoring.services.scope import CategoryScope
from scoring.services.store import field_defaults, upsert_annual_scores

ROW_DEFAULTS = field_defaults(AnnualScore)


@dataclass
class YearReport:
    year: int
    people: int = 0
    written: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    #: person id → {field: Vietnamese message}: people whose year could not be computed (e.g. a
    #: stored period total above the framework's maximum); nothing is written for them.
    errors: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PeriodRow:
    """One stored period score of the year (any period type)."""

    score_id: int
    kind: str
    number: int
    end_date: datetime.date
    scored: bool
    total: Decimal | None
    framework_revision_id: int | None
    framework_id: int | None
    #: The period, not the stored row's id: the basis must come out the same when every
    #: score is rebuilt from the inputs (new ids). Set from ``kind`` and ``number``.
    ref: str = ""

    def __post_init__(self):
        if not self.ref:
            object.__setattr__(self, "ref", _period_ref(self.kind, self.number))


@dataclass(frozen=True)
class YearData:
    """What the year's scores are computed from, loaded once for the province (or subtree)."""

    year: int
    postings: dict[int, list[PostingRow]]  # person → postings overlapping the year
    governing: dict[int, PostingRow]  # person → the posting governing on 31 December
    agencies: dict
    periods: dict[int, list[PeriodRow]]  # person → stored period scores, by date
    disqualifiers: dict[int, list[str]]  # person → disqualification kinds of the year
    stored_hashes: dict[int, str]  # person → inputs_hash of their stored annual score


@dataclass(frozen=True)
class RatingFramework:
    """The framework revision that rates a person's year."""

    revision_id: int | None
    framework_id: int | None
    rules: FrameworkRules


@dataclass(frozen=True)
class PersonYear:
    """One person's year, rated before the excellent quota."""

    person: int
    posting: PostingRow
    framework: RatingFramework
    basis: dict  # the stored ``explanation["inputs"]``
    disqualifiers: list[str]
    period_score_ids: list[int]  # in the order of ``basis["periods"]``
    result: AnnualResult


def _period_rows(year: int, people) -> dict[int, list[PeriodRow]]:
    """Every stored period score of ``year`` (all period types), per person, by date."""
    rows = PeriodScore.objects.filter(period__year=year)
    if people is not None:
        rows = rows.filter(civil_servant_id__in=people)
    result = defaultdict(list)
    for person, *values in rows.values_list(
        "civil_servant_id",
        "id",
        "period__kind",
        "period__number",
        "period__end_date",
        "scored",
        "total",
        "framework_revision_id",
        "framework_id",
    ).order_by("period__start_date", "period__end_date", "period__kind"):
        result[person].append(PeriodRow(*values, _period_ref(values[1], values[2])))
    return result


@functools.lru_cache(maxsize=16)
def _month_bounds(year: int) -> tuple[tuple[int, datetime.date, datetime.date], ...]:
    """``(month, first day, last day)`` of each month of ``year``."""
    bounds = []
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        last = (
            datetime.date(year, 12, 31)
            if month == 12
            else datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
        )
        bounds.append((month, first, last))
    return tuple(bounds)


def posted_months(postings: list[PostingRow], year: int) -> set[int]:
    """Months of ``year`` in which the person held a posting for at least one day."""
    spans = [(r.start_date, r.end_date) for r in postings]
    if len(spans) == 1:
        start, end = spans[0]
        return {
            month
            for month, first, last in _month_bounds(year)
            if start <= last and (end is None or end >= first)
        }
    return {
        month
        for month, first, last in _month_bounds(year)
        if any(start <= last and (end is None or end >= first) for start, end in spans)
    }


def annual_periods(rows: list[PeriodRow], worked: set[int]) -> list[AnnualPeriod]:
    """The engine's view of the stored period scores: a period stands for its months in post;
    when none of its months is (postings edited since it was scored), for all of them."""
    periods = []
    for row in rows:
        months = period_months(row.kind, row.number)
        in_post = tuple(m for m in months if m in worked)
        periods.append(
            AnnualPeriod(
                row.kind,
                row.number,
                row.total if row.scored else None,
                # All months in post reads exactly like none given (the whole period).
                worked_months=None if in_post == months else (in_post or None),
                ref=row.ref,
            )
        )
    return periods


@functools.lru_cache(maxsize=64)
def _period_ref(kind: str, number: int) -> str:
    return f"{kind}:{number}"


def leader_in_year(
    postings: list[PostingRow], governing: PostingRow, rules: FrameworkRules
) -> tuple[bool, list[str]]:
    """Whether the leaders-only disqualifiers (Art. 20 cl. 4 d) apply to the person's year, and
    the leader roles held in it. ``annual.leader_role``: ``any_time_in_year`` (default) — a
    leader role in any posting of the year, concurrent posts included; ``year_end`` — the role
    of the posting governing on 31 December."""
    roles = sorted({r.role for r in postings if rules.is_leader_role(r.role)})
    if rules.annual.leader_role.value == "year_end":
        return rules.is_leader_role(governing.role), roles
    return bool(roles), roles


def year_postings(person_id: int, year: int) -> list[PostingRow]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return posting_rows(Posting.objects.filter(overlapping(start, end), civil_servant_id=person_id))


def annual_is_leader(annual: AnnualScore, rules: FrameworkRules) -> bool:
    """For a stored annual score (the rating case's ceiling): whether the leaders-only
    disqualifiers apply, read from the postings of the year now (like the disqualifications)."""
    postings = year_postings(annual.civil_servant_id, annual.year)
    start, end = datetime.date(annual.year, 1, 1), datetime.date(annual.year, 12, 31)
    governing = pick_governing(postings, start, end)
    if governing is None:
        return rules.is_leader_role(annual.role)
    return leader_in_year(postings, governing, rules)[0]


def _latest_scored(rows: list[PeriodRow]) -> PeriodRow | None:
    """The latest scored period (by end date; the shortest of those ending together)."""
    scored = [r for r in rows if r.scored]
    if not scored:
        return None
    return max(scored, key=lambda r: (r.end_date, -MONTHS_PER_PERIOD[r.kind]))


def _inputs(result, rows: list[PeriodRow], rules, is_leader, leader_roles) -> dict:
    """The stored basis of an annual score (Art. 21): what it was computed from."""
    by_ref = {r.ref: r for r in rows}
    return {
        "weighting": result.weighting,
        "min_months": result.min_months,
        "months_worked": result.months_worked,
        "not_scored_reason": result.not_scored_reason,
        "leader_role": rules.annual.leader_role.value,
        "is_leader": is_leader,
        "leader_roles": leader_roles,
        "periods": [
            {
                "kind": p["kind"],
                "number": p["number"],
                "end_date": by_ref[p["ref"]].end_date.isoformat(),
                "total": p["total"],
                "status": p["status"],
                "months": p["months"],
                "weight": p["weight"],
            }
            for p in result.periods
        ],
    }


def _quota_steps(quota, person: int, rating: str | None) -> list[dict]:
    """The quota steps that concern ``person`` (only candidates for excellent)."""
    if quota is None or rating != "excellent":
        return []
    me = str(person)
    return [
        s
        for s in quota.explanation
        if s["code"] == "quota_cap" or s.get("id") == me or me in s.get("ids", ())
    ]


def _quota_summary(quota, person: int) -> dict | None:
    """The group's quota figures (not every member's id) for one person's explanation."""
    if quota is None:
        return None
    return {
        "ratio": f"{quota.ratio}",
        "candidates": quota.candidates,
        "good_before": quota.good_before,
        "allowed": quota.allowed,
        "good_after": quota.good_after,
        "kept": str(person) in quota.kept,
        "demoted": str(person) in quota.demoted,
        "tied_at_cut": str(person) in quota.tied_at_cut,
    }


def score_year(year: int, agency=None, *, people: Iterable[int] | None = None) -> YearReport:
    """Annual scores and ratings of ``year`` for the province (or ``agency``'s subtree), in
    this process (docs/architecture.md "Batches in one process").

    ``people``: only these people's years are out of date (the stale marks of one change).
    Their quota groups are recomputed whole — every person who shares a group with them under
    any grouping option, closed over (:func:`affected_people`) — and nobody else: the same
    rows as a province-wide run would write, at the cost of the groups touched."""
    with gc_paused():
        return _score_year(year, agency, people)


def _score_year(year: int, agency, people=None) -> YearReport:
    """Collect → rate each person → apply the quota per group → write what changed."""
    started = time.perf_counter()
    report = YearReport(year=year)
    # The stale marks this run clears, read before the inputs (scoring.services.freshness):
    # a change committed while it runs keeps its mark for the next run.
    people_q = None
    if agency is not None:
        people_q = Posting.objects.filter(
            overlapping(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
            agency__path__startswith=agency.path,
        ).values("civil_servant_id")
    marked = None if people is None else sorted(set(people))
    taken = (
        freshness.take(StaleKind.ANNUAL, year, people_q)
        if marked is None
        else freshness.take_people(StaleKind.ANNUAL, year, marked)
    )
    data = _collect(year, agency, marked)
    jobs = _jobs(data)
    people = _rate_people(data, jobs, report)
    quotas = _apply_quotas(
        [_quota_entry(job, *_rated(people[job[0]])) for job in jobs if job[0] in people], data
    )
    rows = _changed_rows(people, quotas, data, report)
    upsert_annual_scores(rows)
    report.people = len(people)
    freshness.clear(taken)
    report.written = len(rows)
    report.seconds = time.perf_counter() - started
    return report


#: Above this share of the governed people, a targeted run reads the whole province instead
#: (one query per kind of input beats thousands of ids in ``IN`` lists).
TARGETED_SHARE = Decimal("0.5")
#: Ids per ``IN (…)`` list when reading a targeted run's inputs (SQLite's variable limit).
ID_CHUNK = 900


def quota_modes_in_use(year: int) -> tuple[str, ...]:
    """The grouping options (``quota.group_by``) a person's year of ``year`` can be rated
    under: those of the revisions its stored period scores used and of every live
    individual framework (the two sources ``_Frameworks.of`` takes a person's rules from)."""
    revisions = set(
        PeriodScore.objects.filter(period__year=year)
        .exclude(framework_revision_id=None)
        .values_list("framework_revision_id", flat=True)
        .order_by()  # the model's ordering would defeat DISTINCT
        .distinct()
    )
    rules = [revision_rules(revision) for revision in sorted(revisions)]
    for framework in CriteriaFramework.objects.filter(
        live=True, applies_to__in=[AppliesTo.CIVIL_SERVANT, AppliesTo.PUBLIC_EMPLOYEE]
    ).select_related("live_revision"):
        resolved = live_framework(framework)
        rules.append(resolved.rules if resolved else None)
    modes = {getattr(getattr(rule, "quota", None), "group_by", None) for rule in rules if rule} - {
        None
    }
    return tuple(sorted(mode.value for mode in modes)) or QUOTA_GROUPINGS


def affected_people(
    marked: Iterable[int], governing: dict[int, PostingRow], agencies: dict, year: int
) -> set[int]:
    """The people whose annual rows a change to ``marked`` people's inputs may alter: the
    marked themselves and, closed over, everyone who shares a quota group with one of them —
    by their posting governing now or by the one their stored annual score was rated under
    (a person who moved leaves a group whose quota changes). The group is taken under every
    grouping option in use that year (:func:`quota_modes_in_use`; usually one), so the
    closure holds whichever of them a person's framework revision uses: a superset of every
    real group touched, never a part of one."""
    grouper = QuotaGrouper(agencies=agencies)
    modes = quota_modes_in_use(year)

    def keys(agency_id, role, position_group):
        return {
            (mode, grouper.agency_of(agency_id, role, mode), position_group or "") for mode in modes
        }

    members = defaultdict(set)  # group key → people
    keys_of = defaultdict(set)  # person → group keys
    for person, posting in governing.items():
        if posting is None:
            continue
        for key in keys(posting.agency_id, posting.role, posting.position_group):
            members[key].add(person)
            keys_of[person].add(key)
    marked = set(marked)
    ids = sorted(marked)
    for start in range(0, len(ids), ID_CHUNK):
        for person, agency_id, role, position_group in AnnualScore.objects.filter(
            year=year, civil_servant_id__in=ids[start : start + ID_CHUNK]
        ).values_list("civil_servant_id", "agency_id", "role", "position_group"):
            if agency_id in agencies:
                keys_of[person] |= keys(agency_id, role, position_group)
    affected, queue, seen = set(marked), list(marked), set()
    while queue:
        for key in keys_of.get(queue.pop(), ()):
            if key in seen:
                continue
            seen.add(key)
            fresh = members[key] - affected
            affected |= fresh
            queue.extend(fresh)
    return affected


def _chunked(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + ID_CHUNK] for start in range(0, len(ids), ID_CHUNK)]


def _collect(year: int, agency, marked: list[int] | None = None) -> YearData:
    """The postings of the year and the one governing each person, the stored period scores,
    the disqualifications and the stored hashes — of the province, or of ``agency``'s
    subtree, or of the people :func:`affected_people` by a change to ``marked`` people."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    postings = Posting.objects.filter(overlapping(start, end))
    people_q = None
    if agency is not None:
        people_q = postings.filter(agency__path__startswith=agency.path).values("civil_servant_id")
        postings = postings.filter(civil_servant_id__in=people_q)
    by_person: dict[int, list[PostingRow]] = defaultdict(list)
    for row in posting_rows(postings):
        by_person[row.person_id].append(row)
    agencies = load_agencies()
    governing = {p: pick_governing(rows, start, end) for p, rows in by_person.items()}
    if marked is not None:
        affected = affected_people(marked, governing, agencies, year)
        if len(affected) <= TARGETED_SHARE * len(governing):
            by_person = {p: rows for p, rows in by_person.items() if p in affected}
            governing = {p: g for p, g in governing.items() if p in affected}
            return _collect_for(year, sorted(affected), agencies, by_person, governing)
    scope = CategoryScope(agencies)  # categories scored and in the quota (docs/scope.md)
    governing = {p: g for p, g in governing.items() if g is not None and scope.evaluated(g)}
    if agency is not None:
        governing = {
            p: g for p, g in governing.items() if agencies[g.agency_id].path.startswith(agency.path)
        }
    disqualifiers = defaultdict(list)
    dq_rows = Disqualification.objects.filter(year=year)
    if people_q is not None:
        dq_rows = dq_rows.filter(civil_servant_id__in=people_q)
    for person, kind in dq_rows.values_list("civil_servant_id", "kind").order_by("id"):
        disqualifiers[person].append(kind)
    stored = dict(
        AnnualScore.objects.filter(year=year)
        .filter(Q(civil_servant_id__in=people_q) if people_q is not None else Q())
        .values_list("civil_servant_id", "inputs_hash")
    )
    return YearData(
        year=year,
        postings=by_person,
        governing=governing,
        agencies=agencies,
        periods=_period_rows(year, people_q),
        disqualifiers=disqualifiers,
        stored_hashes=stored,
    )


def _collect_for(
    year: int, people: list[int], agencies: dict, by_person: dict, governing: dict
) -> YearData:
    """:func:`_collect` for a targeted run: the inputs of ``people`` only, read by id."""
    scope = CategoryScope(agencies)
    governing = {p: g for p, g in governing.items() if g is not None and scope.evaluated(g)}
    disqualifiers = defaultdict(list)
    stored: dict[int, str] = {}
    periods: dict[int, list[PeriodRow]] = defaultdict(list)
    for chunk in _chunked(people):
        for person, kind in (
            Disqualification.objects.filter(year=year, civil_servant_id__in=chunk)
            .values_list("civil_servant_id", "kind")
            .order_by("id")
        ):
            disqualifiers[person].append(kind)
        stored.update(
            AnnualScore.objects.filter(year=year, civil_servant_id__in=chunk).values_list(
                "civil_servant_id", "inputs_hash"
            )
        )
        periods.update(_period_rows(year, chunk))
    return YearData(
        year=year,
        postings=by_person,
        governing=governing,
        agencies=agencies,
        periods=periods,
        disqualifiers=disqualifiers,
        stored_hashes=stored,
    )


class _Frameworks:
    """The framework that rates a year: the revision of the person's latest scored period
    (the bands they were scored under), else the live revision in force for the governing
    agency on 31 December. Revisions are read once per batch."""

    def __init__(self, data: YearData):
        self.data = data
        self.resolver = FrameworkResolver()
        self.by_revision: dict = {}

    def of(self, rows: list[PeriodRow], posting: PostingRow) -> RatingFramework | None:
        latest = _latest_scored(rows)
        if latest is not None and latest.framework_revision_id:
            revision_id = latest.framework_revision_id
            if revision_id not in self.by_revision:
                self.by_revision[revision_id] = revision_rules(revision_id)
            return RatingFramework(revision_id, latest.framework_id, self.by_revision[revision_id])
        year_end = datetime.date(self.data.year, 12, 31)
        path = self.data.agencies[posting.agency_id].path
        resolved = self.resolver.resolve(path, PeriodKind.MONTH, year_end, posting.category)
        if resolved is None:
            return None
        return RatingFramework(resolved.revision_id, resolved.framework_id, resolved.rules)


def _jobs(data: YearData) -> list[tuple]:
    """``(person, governing posting, period rows, framework)`` of each governed person with a
    framework (a person without one is skipped). Resolving frameworks reads the database, so
    it happens here, before the rating (which reads none)."""
    frameworks = _Frameworks(data)
    jobs = []
    for person, posting in data.governing.items():
        rows = data.periods.get(person, [])
        framework = frameworks.of(rows, posting)
        if framework is not None:
            jobs.append((person, posting, rows, framework))
    return jobs


def _rate_people(data: YearData, jobs: list[tuple], report: YearReport) -> dict[int, PersonYear]:
    """Each job's year through the engine (before the quota); a person whose inputs the
    engine refuses is reported in ``report.errors``."""
    people = {}
    for job in jobs:
        try:
            people[job[0]] = _rate_person(data, *job)
        except ScoringInputError as exc:
            # Only a framework accepted before the bounds check can store such a period total;
            # one person's bad row never stops the province's annual batch.
            report.errors[job[0]] = dict(exc.errors)
    return people


def _rate_person(
    data: YearData,
    person: int,
    posting: PostingRow,
    rows: list[PeriodRow],
    framework: RatingFramework,
) -> PersonYear:
    """Raises ``ScoringInputError`` when the engine refuses a stored period total."""
    rules = framework.rules
    known = {d.code for d in rules.disqualifiers}
    codes = [c for c in data.disqualifiers.get(person, []) if c in known]
    postings = data.postings[person]
    is_leader, leader_roles = leader_in_year(postings, posting, rules)
    result = score_annual(
        annual_periods(rows, posted_months(postings, data.year)),
        rules,
        disqualifiers=codes,
        is_leader=is_leader,
    )
    score_ids = {r.ref: r.score_id for r in rows}
    return PersonYear(
        person=person,
        posting=posting,
        framework=framework,
        basis=_inputs(result, rows, rules, is_leader, leader_roles),
        disqualifiers=codes,
        period_score_ids=[score_ids[p["ref"]] for p in result.periods],
        result=result,
    )


@dataclass(frozen=True)
class QuotaEntry:
    """What the excellent quota needs of one person's rated year."""

    person: int
    posting: PostingRow
    rules: FrameworkRules
    scored: bool
    score: Decimal | None
    rating: str | None


def _rated(entry: PersonYear) -> tuple:
    """What a rated year gives the quota: ``(scored, score, rating)`` (small enough to send
    from a worker)."""
    return entry.result.scored, entry.result.score, entry.result.rating


def _quota_entry(job: tuple, scored: bool, score, rating) -> QuotaEntry:
    person, posting, _rows, framework = job
    return QuotaEntry(person, posting, framework.rules, scored, score, rating)


def _apply_quotas(entries: list[QuotaEntry], data: YearData) -> dict[int, QuotaResult]:
    """The excellent quota per group (one definition for this and the decision guard,
    ``scoring.services.quota_groups``): person → their group's quota result."""
    grouper = QuotaGrouper(agencies=data.agencies)
    groups = defaultdict(list)
    scope = CategoryScope(data.agencies)  # only the categories in the quota (docs/scope.md)
    for entry in entries:
        if entry.scored and scope.in_quota(entry.posting):
            posting = entry.posting
            key = grouper.group_of(
                posting.agency_id, posting.role, posting.position_group, entry.rules
            )
            groups[key].append(entry)
    # Agencies recognised for outstanding achievements this year (and their units) may rate
    # up to the framework's outstanding_ratio excellent (Decree 335 Art. 20 cl. 5(b)).
    recognised = recognised_paths(data.year)
    quota_of = {}
    for key, members in groups.items():
        quota = apply_quota(
            [QuotaMember(str(m.person), m.score, m.rating) for m in members],
            members[0].rules,
            outstanding=is_recognised(grouper.path(key), recognised),
        )
        for member in members:
            quota_of[member.person] = quota
    return quota_of


def _changed_rows(
    people: dict[int, PersonYear],
    quotas: dict[int, QuotaResult],
    data: YearData,
    report: YearReport,
) -> list[dict]:
    """The rows to write: every person whose hash differs from their stored one."""
    now = timezone.now()
    rows = []
    for person, entry in people.items():
        quota = quotas.get(person)
        result = entry.result
        final = quota.final_ratings.get(str(person), result.rating) if quota else result.rating
        needs_decision = bool(quota and str(person) in quota.tied_at_cut)
        digest = annual_inputs_hash(
            framework_revision_id=entry.framework.revision_id,
            agency_id=entry.posting.agency_id,
            role=entry.posting.role,
            position_group=entry.posting.position_group,
            basis=entry.basis,
            disqualifiers=entry.disqualifiers,
            rating=final,
            needs_decision=needs_decision,
            quota_figures=(
                (str(quota.ratio), quota.candidates, quota.good_before, quota.allowed)
                if quota
                else None
            ),
        )
        if data.stored_hashes.get(person) == digest:
            report.unchanged += 1
            continue
        rows.append(_row(entry, quota, final, needs_decision, digest, data.year, now))
    return rows


def _row(entry: PersonYear, quota, final, needs_decision, digest, year, now) -> dict:
    person, posting, result = entry.person, entry.posting, entry.result
    steps = list(result.explanation) + _quota_steps(quota, person, result.rating)
    return {
        **ROW_DEFAULTS,
        "civil_servant_id": person,
        "year": year,
        "agency_id": posting.agency_id,
        "role": posting.role,
        "position_group": posting.position_group or "",
        "scored": result.scored,
        "score": result.score,
        "score_rating": result.score_rating or "",
        "rating_before_quota": result.rating or "",
        "rating": final or "",
        "quota_needs_decision": needs_decision,
        "disqualifiers_applied": list(result.disqualifiers_applied),
        "periods_counted": result.periods_counted,
        "periods_skipped": result.periods_skipped,
        "months_worked": result.months_worked,
        # In the order of ``inputs["periods"]`` (the explain page joins them).
        "period_score_ids": entry.period_score_ids,
        "framework_id": entry.framework.framework_id,
        "framework_revision_id": entry.framework.revision_id,
        "engine_version": ENGINE_VERSION,
        "inputs_hash": digest,
        "computed_at": now,
        "explanation": {
            "steps": steps,
            "quota": _quota_summary(quota, person),
            "inputs": entry.basis,
        },
    }
