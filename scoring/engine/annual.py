"""Annual score and rating — Decree 335, Arts. 20–21.

annual score = mean of the (rounded) totals of the periods actually scored; periods "not
scored" (nothing assigned, leave, absence) are skipped. The mean is rounded ROUND_HALF_UP
to 2 decimals, banded on the rounded value, then disqualifiers force "not_completed".
The excellent quota is applied afterwards, per group (:func:`~scoring.engine.apply_quota`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from .bands import rate
from .decimals import ZERO, engine_context, fmt2, round2
from .defaults import DECREE_335_DEFAULT
from .framework import FrameworkRules
from .steps import step
from .types import AnnualResult, PeriodResult, Step
from .validation import Errors


def score_annual(
    periods: Sequence[PeriodResult | Decimal | int | str | float | None],
    rules: FrameworkRules = DECREE_335_DEFAULT,
    *,
    disqualifiers: Iterable[str] = (),
    is_leader: bool = False,
) -> AnnualResult:
    """Annual result from period results or period totals (``None`` = not scored)."""
    errors = Errors()
    totals: list[Decimal | None] = []
    for i, item in enumerate(periods):
        if isinstance(item, PeriodResult):
            totals.append(item.total if item.scored else None)
        elif item is None:
            totals.append(None)
        else:
            totals.append(errors.number(item, f"periods[{i}]", maximum=rules.total_max))
    errors.raise_if_any()

    steps: list[Step] = []
    counted = [t for t in totals if t is not None]
    for i, total in enumerate(totals):
        if total is None:
            steps.append(step("annual_period_skipped", period=i))
        else:
            steps.append(step("annual_period", period=i, total=fmt2(total)))
    disqualifiers = list(disqualifiers)
    if not counted:
        steps.append(step("annual_not_scored", reason="no_scored_periods"))
        # Validate disqualifier codes even when there is nothing to rate.
        rate(ZERO, rules, disqualifiers=disqualifiers, is_leader=is_leader)
        return AnnualResult(
            scored=False,
            score=None,
            score_rating=None,
            rating=None,
            periods_counted=0,
            periods_skipped=len(totals),
            disqualifiers_applied=(),
            exact=None,
            explanation=tuple(steps),
        )
    with engine_context():
        total_sum = sum(counted, ZERO)
        mean = total_sum / len(counted)
    rounded = round2(mean)
    steps.append(step("annual_mean", count=len(counted), sum=fmt2(total_sum), score=fmt2(rounded)))
    rating = rate(rounded, rules, disqualifiers=disqualifiers, is_leader=is_leader)
    steps.extend(rating.explanation)
    return AnnualResult(
        scored=True,
        score=rounded,
        score_rating=rating.score_rating,
        rating=rating.rating,
        periods_counted=len(counted),
        periods_skipped=len(totals) - len(counted),
        disqualifiers_applied=rating.disqualifiers_applied,
        exact=mean,
        explanation=tuple(steps),
    )
