"""Leader criteria d (unit results), đ (organising capacity), e (cohesion) — Art. 15.

* d is computed from the period ratings of the civil servants the leader manages:
  the highest level (100 %) if every one of them is at ``min_rating`` ("completed") or
  better, the lowest level (50 %) otherwise. A head passes everyone in the agency/unit; a
  deputy passes only the people in their charge (the scope is simply the list given).
  People not scored that period (``None``) are skipped (the framework's d ``unscored``,
  default ``skip``), or counted as not meeting d (``not_met``; legal review U-A); nobody
  counted → 100 %.
* đ and e are marks chosen by the evaluator from the framework levels (100 / 50).
* Under d's ``plan_fulfilment`` = ``ratio`` (Đắk Lắk §III.3: evaluation rests on the agency's
  monthly, quarterly and annual work plans) d is the highest level × the share of the items
  of the unit's approved plans of the period that are completed (:func:`unit_results_from_plan`),
  rounded half-up to 2 places; with no plan item the subordinates' rule applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .constants import RATINGS, rating_rank
from .decimals import HUNDRED, engine_context, fmt2
from .defaults import DECREE_335_DEFAULT
from .errors import ScoringInputError
from .framework.rules import FrameworkRules
from .steps import step
from .types import PlanFulfilment, UnitResultsResult


def _rating_of(item: Any) -> str | None:
    if item is None or isinstance(item, str):
        return item
    return getattr(item, "rating", None)


def unit_results_percent(
    subordinates: Mapping[str, Any] | Iterable[Any],
    rules: FrameworkRules = DECREE_335_DEFAULT,
) -> UnitResultsResult:
    """Criterion d from subordinates' ratings.

    ``subordinates`` is a mapping id → rating, or an iterable of ratings; a rating is a
    rating code, ``None`` (not scored, skipped) or any object with a ``rating`` attribute
    (e.g. a :class:`PeriodResult`). List items are identified by their index.
    """
    if isinstance(subordinates, Mapping):
        pairs = [(str(key), _rating_of(value)) for key, value in subordinates.items()]
    else:
        pairs = [(str(i), _rating_of(value)) for i, value in enumerate(subordinates)]
    bad = {
        f"subordinates[{key}]": "Mức xếp loại không hợp lệ."
        for key, rating in pairs
        if rating is not None and rating not in RATINGS
    }
    if bad:
        raise ScoringInputError(bad)
    criterion = rules.leader_criterion("d")
    min_rating = criterion.min_rating or "completed"
    if criterion.unscored == "not_met":
        # Legal review U-A: a subordinate left "not scored" counts as not meeting d.
        counted = pairs
    else:
        counted = [(key, rating) for key, rating in pairs if rating is not None]
    not_met = tuple(
        key
        for key, rating in counted
        if rating is None or rating_rank(rating) < rating_rank(min_rating)
    )
    percents = criterion.allowed_percents
    percent = min(percents) if not_met else max(percents)
    explanation = (
        step(
            "unit_results",
            counted=len(counted),
            skipped=len(pairs) - len(counted),
            not_met=list(not_met),
            min_rating=min_rating,
            percent=fmt2(percent),
        ),
    )
    return UnitResultsResult(
        percent=percent,
        counted=len(counted),
        skipped=len(pairs) - len(counted),
        not_met=not_met,
        explanation=explanation,
    )


def plan_fulfilment_on(rules: FrameworkRules) -> bool:
    """Whether the framework takes criterion d from the unit's work plans."""
    try:
        return rules.leader_criterion("d").plan_fulfilment == "ratio"
    except KeyError:
        return False


def unit_results_from_plan(
    plan: PlanFulfilment | None, rules: FrameworkRules = DECREE_335_DEFAULT
) -> UnitResultsResult | None:
    """Criterion d from the unit's plan fulfilment (``plan_fulfilment`` = ``ratio``): the
    highest level × done / total, half-up to 2 places. ``None`` when the option is off or the
    unit has no plan item in the period (the caller then uses :func:`unit_results_percent`)."""
    if not plan_fulfilment_on(rules) or plan is None or plan.total <= 0:
        return None
    if not 0 <= plan.done <= plan.total:
        raise ScoringInputError({"plan.done": "Số mục hoàn thành không hợp lệ."})
    top = max(rules.leader_criterion("d").allowed_percents)
    cent = Decimal("0.01")
    with engine_context():
        ratio = Decimal(plan.done) / Decimal(plan.total)
        percent = (top * ratio).quantize(cent, rounding=ROUND_HALF_UP)
        share = (HUNDRED * ratio).quantize(cent, rounding=ROUND_HALF_UP)
    explanation = (
        step(
            "unit_results_plan",
            plans=list(plan.plans),
            done=plan.done,
            total=plan.total,
            share=fmt2(share),
            max_percent=fmt2(top),
            percent=fmt2(percent),
        ),
    )
    return UnitResultsResult(
        percent=percent, counted=plan.total, skipped=0, not_met=(), explanation=explanation
    )
