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
import hashlib
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from org.models import Posting
from scoring.engine import (
    ENGINE_VERSION,
    AnnualPeriod,
    FrameworkRules,
    QuotaMember,
    ScoringInputError,
    apply_quota,
    score_annual,
)
from scoring.engine.annual import period_months
from scoring.engine.constants import MONTHS_PER_PERIOD
from scoring.models import AnnualScore, Disqualification, PeriodKind, PeriodScore
from scoring.services.frameworks import FrameworkResolver, revision_rules
from scoring.services.org_snapshot import load_agencies
from scoring.services.period_batch import gc_paused
from scoring.services.postings import PostingRow, overlapping, pick_governing, posting_rows
from scoring.services.quota_groups import QuotaGrouper
from scoring.services.scope import CategoryScope
from scoring.services.store import field_defaults, upsert_annual_scores

ROW_DEFAULTS = field_defaults(AnnualScore)
#: Changes when the annual basis changes meaning, so stored rows are rewritten once.
BASIS_VERSION = "time-worked-1"


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


def _period_rows(year: int, people) -> dict[int, list[tuple]]:
    """Every stored period score of ``year`` (all period types), per person:
    (id, kind, number, end_date, scored, total, framework_revision_id, framework_id)."""
    rows = PeriodScore.objects.filter(period__year=year)
    if people is not None:
        rows = rows.filter(civil_servant_id__in=people)
    result = defaultdict(list)
    for values in rows.values_list(
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
        result[values[0]].append(values[1:])
    return result


def posted_months(postings: list[PostingRow], year: int) -> set[int]:
    """Months of ``year`` in which the person held a posting for at least one day."""
    months = set()
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        last = (
            datetime.date(year, 12, 31)
            if month == 12
            else datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
        )
        if any(
            r.start_date <= last and (r.end_date is None or r.end_date >= first) for r in postings
        ):
            months.add(month)
    return months


def annual_periods(rows: list[tuple], worked: set[int]) -> list[AnnualPeriod]:
    """The engine's view of the stored period scores: a period stands for its months in post;
    when none of its months is (postings edited since it was scored), for all of them."""
    periods = []
    for row in rows:
        _score_id, kind, number, _end, scored, total = row[:6]
        in_post = tuple(m for m in period_months(kind, number) if m in worked)
        periods.append(
            AnnualPeriod(
                kind,
                number,
                total if scored else None,
                worked_months=in_post or None,
                # The period, not the stored row's id: the basis must come out the same when
                # every score is rebuilt from the inputs (new ids).
                ref=_period_ref(kind, number),
            )
        )
    return periods


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


def _latest_scored(rows: list[tuple]) -> tuple | None:
    """The latest scored period (by end date; the shortest of those ending together)."""
    scored = [r for r in rows if r[4]]
    if not scored:
        return None
    return max(scored, key=lambda r: (r[3], -MONTHS_PER_PERIOD[r[1]]))


def _inputs(result, rows, rules, is_leader, leader_roles) -> dict:
    """The stored basis of an annual score (Art. 21): what it was computed from."""
    by_ref = {_period_ref(r[1], r[2]): r for r in rows}
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
                "end_date": by_ref[p["ref"]][3].isoformat(),
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


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def score_year(year: int, agency=None) -> YearReport:
    """Annual scores and ratings of ``year`` for the province (or ``agency``'s subtree)."""
    with gc_paused():
        return _score_year(year, agency)


def _score_year(year: int, agency) -> YearReport:
    started = time.perf_counter()
    report = YearReport(year=year)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    postings = Posting.objects.filter(overlapping(start, end))
    people_q = None
    if agency is not None:
        people_q = postings.filter(agency__path__startswith=agency.path).values("civil_servant_id")
        postings = postings.filter(civil_servant_id__in=people_q)
    by_person = defaultdict(list)
    for row in posting_rows(postings):
        by_person[row.person_id].append(row)
    agencies = load_agencies()
    governing = {p: pick_governing(rows, start, end) for p, rows in by_person.items()}
    scope = CategoryScope(agencies)  # categories scored and in the quota (docs/scope.md)
    governing = {p: g for p, g in governing.items() if g is not None and scope.evaluated(g)}
    if agency is not None:
        governing = {
            p: g for p, g in governing.items() if agencies[g.agency_id].path.startswith(agency.path)
        }
    periods = _period_rows(year, people_q)
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
    resolver = FrameworkResolver()
    rules_by_revision: dict = {}
    results = {}
    for person, posting in governing.items():
        rows = periods.get(person, [])
        latest = _latest_scored(rows)
        if latest is not None and latest[6]:
            revision_id, framework_id = latest[6], latest[7]
            if revision_id not in rules_by_revision:
                rules_by_revision[revision_id] = revision_rules(revision_id)
            rules = rules_by_revision[revision_id]
        else:
            resolved = resolver.resolve(agencies[posting.agency_id].path, PeriodKind.MONTH, end)
            if resolved is None:
                continue
            revision_id, framework_id, rules = (
                resolved.revision_id,
                resolved.framework_id,
                resolved.rules,
            )
        known = {d.code for d in rules.disqualifiers}
        codes = [c for c in disqualifiers.get(person, []) if c in known]
        is_leader, leader_roles = leader_in_year(by_person[person], posting, rules)
        try:
            result = score_annual(
                annual_periods(rows, posted_months(by_person[person], year)),
                rules,
                disqualifiers=codes,
                is_leader=is_leader,
            )
        except ScoringInputError as exc:
            # Only a framework accepted before the bounds check can store such a period total;
            # one person's bad row never stops the province's annual batch.
            report.errors[person] = dict(exc.errors)
            continue
        inputs = _inputs(result, rows, rules, is_leader, leader_roles)
        ids = {_period_ref(r[1], r[2]): r[0] for r in rows}
        score_ids = [ids[p["ref"]] for p in result.periods]
        results[person] = (
            posting,
            inputs,
            rules,
            revision_id,
            framework_id,
            codes,
            score_ids,
            result,
        )

    # One quota group definition for this and the decision guard (scoring.services.quota_groups).
    grouper = QuotaGrouper(agencies=agencies)
    groups = defaultdict(list)
    for person, (posting, _basis, rules, *_rest, result) in results.items():
        if result.scored and scope.in_quota(posting):
            key = grouper.group_of(posting.agency_id, posting.role, posting.position_group, rules)
            groups[key].append(person)
    quota_of = {}
    # Agencies recognised for outstanding achievements this year (and their units) may rate
    # up to the framework's outstanding_ratio excellent (Decree 335 Art. 20 cl. 5(b)).
    from org_scoring.models import is_recognised, recognised_paths

    recognised = recognised_paths(year)
    for key, members in groups.items():
        rules = results[members[0]][2]
        quota = apply_quota(
            [QuotaMember(str(p), results[p][-1].score, results[p][-1].rating) for p in members],
            rules,
            outstanding=is_recognised(grouper.path(key), recognised),
        )
        for person in members:
            quota_of[person] = quota

    now = timezone.now()
    new_rows = []
    for person, entry in results.items():
        posting, inputs, _rules, revision_id, framework_id, codes, score_ids, result = entry
        quota = quota_of.get(person)
        final = quota.final_ratings.get(str(person), result.rating) if quota else result.rating
        needs_decision = bool(quota and str(person) in quota.tied_at_cut)
        digest = _digest(
            ENGINE_VERSION,
            revision_id,
            posting.agency_id,
            posting.role,
            posting.position_group,
            BASIS_VERSION,
            inputs,
            codes,
            final,
            needs_decision,
            # The group's quota figures are in the stored explanation: when they move (another
            # member's score, a recognition), the row is rewritten even if its rating stays.
            (str(quota.ratio), quota.candidates, quota.good_before, quota.allowed)
            if quota
            else None,
        )
        if stored.get(person) == digest:
            report.unchanged += 1
            continue
        steps = list(result.explanation) + _quota_steps(quota, person, result.rating)
        new_rows.append(
            {
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
                "period_score_ids": score_ids,
                "framework_id": framework_id,
                "framework_revision_id": revision_id,
                "engine_version": ENGINE_VERSION,
                "inputs_hash": digest,
                "computed_at": now,
                "explanation": {
                    "steps": steps,
                    "quota": _quota_summary(quota, person),
                    "inputs": inputs,
                },
            }
        )
    upsert_annual_scores(new_rows)
    report.people = len(results)
    report.written = len(new_rows)
    report.seconds = time.perf_counter() - started
    return report
