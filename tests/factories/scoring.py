"""Scoring inputs and stored scores: lines, general-criteria marks, leader marks,
disqualifications, and period and annual scores written as ``scoring`` would write them (for
tests of what reads them)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from org.models import LeadershipRole, PositionGroup
from scoring.engine import DECREE_335_DEFAULT, band_for
from scoring.models import (
    AnnualScore,
    AssignmentLine,
    Disqualification,
    GeneralCriteriaMark,
    LeaderMark,
    PeriodScore,
)

__all__ = [
    "GENERAL_CODES",
    "GENERAL_MAX",
    "annual_score",
    "assignment_line",
    "contract_marks",
    "corruption_case",
    "framework_proposal",
    "general_marks",
    "leader_marks",
    "marks_summing_to",
    "period_score",
]

GENERAL_CODES = ["I.1", "I.2", "II.1", "II.2", "II.3", "II.4", "III.1", "III.2", "III.3", "III.4"]
GENERAL_MAX = {"I.1": 5, "I.2": 5, **{c: Decimal("2.5") for c in GENERAL_CODES[2:]}}


def marks_summing_to(total) -> dict[str, Decimal]:
    """Marks per sub-criterion proportional to the maxima, summing to ``total`` (of 30)."""
    ratio = Decimal(str(total)) / 30
    marks = {
        code: (Decimal(str(m)) * ratio).quantize(Decimal("0.01")) for code, m in GENERAL_MAX.items()
    }
    marks["I.1"] += Decimal(str(total)) - sum(marks.values())
    return marks


def general_marks(person, period, total=27, evaluator_total=None, appraised=True):
    """Self-marks summing to ``total``; the evaluator marks ``evaluator_total``, or the same
    marks when ``appraised`` (an unappraised self-mark leaves the period not scored under the
    default framework, review U7)."""
    own = marks_summing_to(total)
    if evaluator_total is not None:
        theirs = marks_summing_to(evaluator_total)
    else:
        theirs = dict(own) if appraised else {}
    for code, mark in own.items():
        GeneralCriteriaMark.objects.update_or_create(
            civil_servant=person,
            period=period,
            component="general",
            criterion=code,
            defaults={"self_mark": mark, "evaluator_mark": theirs.get(code)},
        )


def contract_marks(person, period, quality, compliance, effectiveness, appraised=True):
    """A contract worker's three marks (M7, component ``hop_dong``, 0–100 % each) as self-marks,
    and as the evaluator's too when ``appraised``; a mark given as ``None`` is left out."""
    for code, mark in (
        ("chat_luong", quality),
        ("chap_hanh", compliance),
        ("hieu_qua", effectiveness),
    ):
        if mark is None:
            continue
        GeneralCriteriaMark.objects.update_or_create(
            civil_servant=person,
            period=period,
            component="hop_dong",
            criterion=code,
            defaults={
                "self_mark": Decimal(str(mark)),
                "evaluator_mark": Decimal(str(mark)) if appraised else None,
            },
        )


def leader_marks(person, period, organising=100, cohesion=100):
    LeaderMark.objects.update_or_create(
        civil_servant=person,
        period=period,
        defaults={"organising": Decimal(organising), "cohesion": Decimal(cohesion)},
    )


def assignment_line(person, period, item, unit, assigned=1, completed=1, **kwargs):
    """A line of ``person`` in ``period``: ``assigned`` of catalog ``item``, ``completed``."""
    return AssignmentLine.objects.create(
        civil_servant=person,
        period=period,
        item=item,
        unit=unit,
        assigned_quantity=Decimal(str(assigned)),
        completed_quantity=Decimal(str(completed)),
        **kwargs,
    )


def corruption_case(person, year=2026, decided_on=None):
    """A conclusion that the person's unit was implicated in a corruption case (the
    leaders-only disqualifier of Decree 335 Art. 20 cl. 4 d)."""
    return Disqualification.objects.create(
        civil_servant=person,
        year=year,
        kind="unit_corruption_case",
        reference="12/KL-TTr",
        decided_on=decided_on or datetime.date(year, 11, 5),
    )


def period_score(person, period, total, agency, scored=True):
    """A stored period score as ``scoring`` would write it (only what the ratings app reads)."""
    total = Decimal(str(total))
    return PeriodScore.objects.create(
        civil_servant=person,
        period=period,
        agency=agency,
        role=LeadershipRole.STAFF,
        scored=scored,
        total=total if scored else None,
        rating=band_for(total, DECREE_335_DEFAULT) if scored else "",
        engine_version="test",
        inputs_hash=f"test-{person.pk}-{period.pk}",
        computed_at=timezone.now(),
    )


def annual_score(
    person, score, agency, role=LeadershipRole.STAFF, group=PositionGroup.PROFESSIONAL, year=2026
):
    """A stored annual score as ``scoring`` would write it (default framework, no quota)."""
    score = Decimal(str(score))
    band = band_for(score, DECREE_335_DEFAULT)
    return AnnualScore.objects.create(
        civil_servant=person,
        year=year,
        agency=agency,
        role=role,
        position_group=group,
        scored=True,
        score=score,
        score_rating=band,
        rating_before_quota=band,
        rating=band,
        periods_counted=10,
        engine_version="test",
        inputs_hash=f"test-{person.pk}-{year}",
        computed_at=timezone.now(),
    )


def framework_proposal(agency, user, name="Khung tiêu chí của cơ quan", base=None, rules=None):
    """A draft proposal of ``agency`` from the province's default framework (or ``base``),
    started as the admin's add form starts it; ``rules`` replace the copied rules."""
    from scoring.models import CriteriaFramework, FrameworkProposal
    from scoring.services import proposals

    base = base or CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    proposal = proposals.start(FrameworkProposal(agency=agency, base=base, name=name), user)
    if rules is not None:
        proposal.rules = rules
        proposal.save(update_fields=["rules"])
    return proposal
