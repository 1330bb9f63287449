"""Scoring demo for the province of Thanh An: January–March 2026, then scored.

For every demo civil servant whose agency has a catalog version in force (agencies without one
are skipped), each month gets a few assignment lines from that catalog with a realistic spread:
most work done on time, some late, some failing a quality review (each event is a deduction
row, one of them exempted for a certified objective cause), general-criteria marks (self and
evaluator) and, for leaders, marks đ and e. One person is disciplined in 2026, and one unit is
strong enough to exceed the 20 % excellent quota. January and February are closed; March is
open. Everything is then scored (months, then the year).

Idempotent: rows are keyed on fixed external ids / natural keys and generated from a fixed
seed, so a second run finds everything in place, writes nothing and rescores nothing.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from catalog_pages.models import CatalogVersion
from demo.bodies_demo import is_body_person
from org.models import LeadershipRole, Posting
from scoring.engine import DECREE_335_DEFAULT
from scoring.models import (
    AssignmentLine,
    Deduction,
    DeductionKind,
    Disqualification,
    GeneralCriteriaMark,
    LeaderMark,
    LineSource,
    Period,
    PeriodKind,
    PeriodStatus,
)
from scoring.services import score_period, score_year
from scoring.services.scope import CategoryScope

SEED = 3352026
YEAR = 2026
MONTHS = (1, 2, 3)
CLOSED_MONTHS = (1, 2)
PREFIX = "demo-"
EXEMPTION_REASON = (
    "Văn bản hướng dẫn của Bộ Nội vụ thay đổi sau khi giao việc; Trưởng phòng xác nhận nguyên "
    "nhân khách quan (Biên bản số 07/BB-TCCB)."
)
DISCIPLINE = {
    "kind": "discipline_reprimand_or_heavier",
    "reference": "15/QĐ-KL",
    "decided_on": datetime.date(2026, 2, 10),
    "note": "Khiển trách do vi phạm quy chế làm việc (dữ liệu mẫu).",
}
GENERAL = [(c.code, c.max_points) for c in DECREE_335_DEFAULT.component("general").criteria]


@dataclass
class ScoringDemoSummary:
    periods: list[str] = field(default_factory=list)
    people: int = 0
    skipped_agencies: list[str] = field(default_factory=list)
    lines_created: int = 0
    scores_written: int = 0
    annual_written: int = 0


def _people(start, end):
    """(person, posting, owning agency) for everyone posted in the quarter, by official id."""
    postings = (
        Posting.objects.filter(start_date__lte=end, is_concurrent=False)
        .exclude(end_date__lt=start)
        .select_related("civil_servant", "agency")
        .order_by("civil_servant__official_id", "-start_date")
    )
    seen, result = set(), []
    for posting in postings:
        if posting.civil_servant_id in seen:
            continue
        seen.add(posting.civil_servant_id)
        result.append((posting.civil_servant, posting, posting.agency.owning_agency))
    return result


def _profile(rng: random.Random, strong: bool) -> dict:
    """How a person works this quarter: completion, lateness, review failures, marks."""
    if strong:
        return {"done": 1.0, "late": 0.0, "fail": 0.0, "marks": Decimal("0.98")}
    return {
        "done": rng.choice([1.0, 1.0, 0.95, 0.9, 0.8, 0.6]),
        "late": rng.choice([0.0, 0.05, 0.1, 0.2, 0.35]),
        "fail": rng.choice([0.0, 0.0, 0.05, 0.1, 0.25]),
        "marks": Decimal(rng.choice(["0.95", "0.9", "0.85", "0.8", "0.7"])),
    }


def _lines_for(rng, person, posting, period, items, profile):
    count = rng.randint(4, 7)
    lines = []
    for n, item in enumerate(rng.sample(items, min(count, len(items))), start=1):
        big = item.coefficient >= 10
        assigned = rng.randint(1, 2) if big else rng.randint(2, 8)
        completed = assigned if rng.random() < profile["done"] else max(0, assigned - 1)
        failed = 1 if completed and rng.random() < profile["fail"] else 0
        delays = 1 if completed and rng.random() < profile["late"] else 0
        deadline = period.start_date + datetime.timedelta(days=rng.randint(10, 27))
        lines.append(
            AssignmentLine(
                civil_servant=person,
                period=period,
                item=item,
                unit=posting.agency,
                assigned_quantity=Decimal(assigned),
                completed_quantity=Decimal(completed),
                deadline=deadline,
                completed_on=(
                    deadline + datetime.timedelta(days=3 if delays else -1) if completed else None
                ),
                failed_reviews=failed,
                delays=delays,
                # Per product (Art. 14 b, c): the event is on product 1.
                failed_by_product=[failed] if failed else [],
                delays_by_product=[delays] if delays else [],
                source=LineSource.MANUAL,
                external_id=f"{PREFIX}{person.official_id}-{period.code}-{n}",
                note="Dữ liệu mẫu",
            )
        )
    return lines


def _marks_for(rng, person, period, profile, leader: bool):
    marks = []
    for code, maximum in GENERAL:
        own = (maximum * profile["marks"]).quantize(Decimal("0.25"))
        evaluator = own if rng.random() < 0.7 else max(Decimal(0), own - Decimal("0.25"))
        marks.append(
            GeneralCriteriaMark(
                civil_servant=person,
                period=period,
                component="general",
                criterion=code,
                self_mark=min(own, maximum),
                evaluator_mark=min(evaluator, maximum),
            )
        )
    leader_mark = None
    if leader:
        leader_mark = LeaderMark(
            civil_servant=person,
            period=period,
            organising=Decimal(100 if rng.random() < 0.8 else 50),
            cohesion=Decimal(100 if rng.random() < 0.9 else 50),
        )
    return marks, leader_mark


def _deductions_for(lines, exempt_first: bool) -> list[Deduction]:
    rows, exempted = [], not exempt_first
    for line in lines:
        for kind, count in (
            (DeductionKind.REVIEW, line.failed_reviews),
            (DeductionKind.DELAY, line.delays),
        ):
            for _ in range(count):
                exempt = kind == DeductionKind.REVIEW and not exempted
                exempted = exempted or exempt
                rows.append(
                    Deduction(
                        line=line,
                        kind=kind,
                        occurred_at=timezone.make_aware(
                            datetime.datetime.combine(line.deadline, datetime.time(16))
                        ),
                        note="Dữ liệu mẫu",
                        first_product=1,
                        exempt=exempt,
                        exempt_reason=EXEMPTION_REASON if exempt else "",
                        exempt_at=timezone.now() if exempt else None,
                    )
                )
    return rows


def _strong_unit(people) -> int | None:
    """The unit with the most staff: everyone there performs excellently (quota demo)."""
    counts: dict[int, int] = {}
    for _person, posting, _owner in people:
        if posting.agency.kind == "unit":
            counts[posting.agency_id] = counts.get(posting.agency_id, 0) + 1
    return max(sorted(counts), key=lambda pk: counts[pk]) if counts else None


@transaction.atomic
def _fill_month(period, people, catalogs, rng, strong_unit, summary) -> None:
    existing = set(
        AssignmentLine.objects.filter(period=period, external_id__startswith=PREFIX).values_list(
            "civil_servant_id", flat=True
        )
    )
    lines, marks, leader_marks = [], [], []
    exempt_pending = not Deduction.objects.filter(
        exempt=True, exempt_reason=EXEMPTION_REASON
    ).exists()
    for person, posting, owner in people:
        items = catalogs.get(owner.pk if owner else None)
        profile = _profile(rng, strong=posting.agency_id == strong_unit)
        person_lines = _lines_for(rng, person, posting, period, items or [], profile)
        person_marks, leader_mark = _marks_for(
            rng, person, period, profile, posting.role != LeadershipRole.STAFF
        )
        if not items or person.pk in existing:
            continue  # random draws above keep the sequence identical on every run
        lines += person_lines
        marks += person_marks
        if leader_mark is not None:
            leader_marks.append(leader_mark)
    AssignmentLine.objects.bulk_create(lines)
    deductions = _deductions_for(lines, exempt_first=exempt_pending)
    Deduction.objects.bulk_create(deductions)
    GeneralCriteriaMark.objects.bulk_create(marks, ignore_conflicts=True)
    LeaderMark.objects.bulk_create(leader_marks, ignore_conflicts=True)
    summary.lines_created += len(lines)


def load_scoring_demo() -> ScoringDemoSummary:
    summary = ScoringDemoSummary()
    rng = random.Random(SEED)
    start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 3, 31)
    people = _people(start, end)
    owners = {owner.pk: owner for _p, _posting, owner in people if owner is not None}
    catalogs = {}
    for owner in sorted(owners.values(), key=lambda a: a.code):
        version = CatalogVersion.objects.in_force(owner, end)
        if version is None:
            summary.skipped_agencies.append(owner.code)
            continue
        catalogs[owner.pk] = list(version.items.order_by("sort_order"))
    scope = CategoryScope()  # who this software scores (docs/scope.md §2)
    summary.people = sum(
        1
        for _p, posting, owner in people
        if owner and owner.pk in catalogs and scope.evaluated(posting)
    )
    # The bodies' people (demo.bodies_demo) draw from a stream of their own, after everyone
    # else: the state administration keeps the figures it had before the bodies existed.
    # A contract worker whose department did not switch them on gets no line (the Excel and
    # API doors refuse them, docs/scope.md §2).
    bodies = [p for p in people if is_body_person(p[0].official_id) and scope.evaluated(p[1])]
    people = [p for p in people if not is_body_person(p[0].official_id)]
    bodies_rng = random.Random(SEED + 1)
    strong_unit = _strong_unit([p for p in people if p[2] and p[2].pk in catalogs])
    _discipline(people, catalogs, strong_unit)
    for month in MONTHS:
        period = Period.for_date(datetime.date(YEAR, month, 1), PeriodKind.MONTH, create=True)
        summary.periods.append(period.code)
        missing = _has_missing(period, people + bodies, catalogs)
        target = PeriodStatus.CLOSED if month in CLOSED_MONTHS else PeriodStatus.OPEN
        if missing and period.status != PeriodStatus.OPEN:
            period.status = PeriodStatus.OPEN
            period.save()
        _fill_month(period, people, catalogs, rng, strong_unit, summary)
        _fill_month(period, bodies, catalogs, bodies_rng, None, summary)
        if period.status == PeriodStatus.OPEN:
            summary.scores_written += score_period(period).written
        if period.status != target:
            period.status = target
            period.save()
    summary.annual_written = score_year(YEAR).written
    return summary


def _has_missing(period, people, catalogs) -> bool:
    expected = {p.pk for p, _posting, owner in people if owner and owner.pk in catalogs}
    present = set(
        AssignmentLine.objects.filter(period=period, external_id__startswith=PREFIX).values_list(
            "civil_servant_id", flat=True
        )
    )
    return bool(expected - present)


def _discipline(people, catalogs, strong_unit) -> None:
    """The first staff member outside the strong unit is reprimanded in 2026."""
    for person, posting, owner in people:
        if (
            owner is not None
            and owner.pk in catalogs
            and posting.role == LeadershipRole.STAFF
            and posting.agency_id != strong_unit
        ):
            Disqualification.objects.get_or_create(
                civil_servant=person,
                year=YEAR,
                kind=DISCIPLINE["kind"],
                defaults={k: v for k, v in DISCIPLINE.items() if k != "kind"},
            )
            return
