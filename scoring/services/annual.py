"""Annual scores (Decree 335 Arts. 20–21): the mean of the periods actually worked.

* A person's periods are taken wherever they were scored, so a transfer keeps the months of the
  old agency (Art. 21: the old agency sends its monthly results; the new agency rates).
* Months are used; a quarter counts only when none of its months has a monthly score (an
  agency that scored quarterly). Periods "not scored" are skipped by the engine.
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
    QuotaMember,
    ScoringInputError,
    apply_quota,
    score_annual,
)
from scoring.models import AnnualScore, Disqualification, PeriodKind, PeriodScore
from scoring.services.frameworks import FrameworkResolver, revision_rules
from scoring.services.org_snapshot import load_agencies
from scoring.services.period_batch import gc_paused
from scoring.services.postings import overlapping, pick_governing, posting_rows
from scoring.services.quota_groups import QuotaGrouper
from scoring.services.store import field_defaults, upsert_annual_scores

QUARTER_OF_MONTH = {m: (m - 1) // 3 + 1 for m in range(1, 13)}
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


def _period_rows(year: int, people) -> dict[int, list[tuple]]:
    rows = PeriodScore.objects.filter(
        period__year=year, period__kind__in=[PeriodKind.MONTH, PeriodKind.QUARTER]
    )
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
    ).order_by("period__start_date", "period__kind"):
        result[values[0]].append(values[1:])
    return result


def _counted(rows: list[tuple]) -> list[tuple]:
    """Months, plus quarters none of whose months has a monthly score."""
    months = {(QUARTER_OF_MONTH[r[2]]) for r in rows if r[1] == PeriodKind.MONTH}
    return [r for r in rows if r[1] == PeriodKind.MONTH or r[2] not in months]


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
        rows = _counted(periods.get(person, []))
        scored_rows = [r for r in rows if r[4]]
        if scored_rows and scored_rows[-1][6]:
            revision_id, framework_id = scored_rows[-1][6], scored_rows[-1][7]
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
        is_leader = rules.is_leader_role(posting.role)
        try:
            result = score_annual(
                [r[5] if r[4] else None for r in rows],
                rules,
                disqualifiers=codes,
                is_leader=is_leader,
            )
        except ScoringInputError as exc:
            # Only a framework accepted before the bounds check can store such a period total;
            # one person's bad row never stops the province's annual batch.
            report.errors[person] = dict(exc.errors)
            continue
        results[person] = (posting, rows, rules, revision_id, framework_id, codes, result)

    # One quota group definition for this and the decision guard (scoring.services.quota_groups).
    grouper = QuotaGrouper(agencies=agencies)
    groups = defaultdict(list)
    for person, (posting, _rows, rules, *_rest, result) in results.items():
        if result.scored:
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
            [QuotaMember(str(p), results[p][6].score, results[p][6].rating) for p in members],
            rules,
            outstanding=is_recognised(grouper.path(key), recognised),
        )
        for person in members:
            quota_of[person] = quota

    now = timezone.now()
    new_rows = []
    for person, entry in results.items():
        posting, rows, _rules, revision_id, framework_id, codes, result = entry
        quota = quota_of.get(person)
        final = quota.final_ratings.get(str(person), result.rating) if quota else result.rating
        needs_decision = bool(quota and str(person) in quota.tied_at_cut)
        digest = _digest(
            ENGINE_VERSION,
            revision_id,
            posting.agency_id,
            posting.role,
            posting.position_group,
            [(r[0], str(r[5]), r[4]) for r in rows],
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
                "period_score_ids": [r[0] for r in rows],
                "framework_id": framework_id,
                "framework_revision_id": revision_id,
                "engine_version": ENGINE_VERSION,
                "inputs_hash": digest,
                "computed_at": now,
                "explanation": {"steps": steps, "quota": _quota_summary(quota, person)},
            }
        )
    upsert_annual_scores(new_rows)
    report.people = len(results)
    report.written = len(new_rows)
    report.seconds = time.perf_counter() - started
    return report
