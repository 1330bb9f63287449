"""The related units' ratings of coordination on shared tasks as the mark of sub-criteria
(issue 33 item 3; Nghệ An plan §I.2, §III.2.1: "năng lực phối hợp" is one of the four indicator
groups, measured, not only marked by the evaluator).

A task (an assignment line) may be shared with other units (đơn vị phối hợp); the leader of
each such unit rates, once per task, how the person who carried it coordinated (5 very good …
1 poor). The framework's ``coordination`` rule
(:class:`~scoring.engine.framework.rules.CoordinationRule`) says which marked sub-criteria are
fed (``criteria``), what each level is worth (``level_percents``, default 5 → 100 %, 4 → 75 %,
3 → 50 %, 2 → 25 %, 1 → 0 %), the fewest ratings that count (``min_ratings``, default 2
[inferred]), what happens below it (``below_min``: the evaluator's mark stands [default] or
the full mark) and the ratings' share of the mark (``weight``, default 1)::

    percent      = Σ ratings × percent(level) / number of ratings
    rating mark  = percent × criterion max / 100
    mark         = weight × rating mark + (1 - weight) × evaluator's mark

The ratings are given by named units in their official capacity, so the explanation names the
units that rated (below the minimum too: the person sees who has rated so far). Pure: Decimal
only, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from .decimals import ZERO, engine_context, fmt2, fmt_plain
from .feedback import below_minimum, blend_marks, criterion_max
from .framework.rules import FrameworkRules
from .steps import step
from .types import Step


def ratings_percent(rules: FrameworkRules, ratings: Iterable[tuple[str, str]]) -> Decimal | None:
    """The mean percent of ``ratings`` (``(unit, level)`` pairs); ``None`` with no rating."""
    levels = rules.coordination.level_percents
    counted = [levels[str(level)] for _unit, level in ratings if str(level) in levels]
    if not counted:
        return None
    with engine_context():
        return sum(counted, ZERO) / Decimal(len(counted))


def feed_coordination(
    rules: FrameworkRules,
    marks: Mapping[str, Mapping[str, object]],
    ratings: Iterable[tuple[str, str]] | None,
) -> tuple[dict[str, dict[str, object]], tuple[str, ...], list[Step]]:
    """``(marks, fed, steps)``: the marks with the fed sub-criteria replaced, the qualified codes
    whose mark now comes from the ratings (no longer "awaiting the evaluator"), and the
    explanation line. Nothing changes when the framework feeds no sub-criterion.

    ``ratings``: the person's ratings in the period, one ``(unit name, level "5"…"1")`` per
    related unit and shared task."""
    rule = rules.coordination
    result = {component: dict(values) for component, values in marks.items()}
    codes = [code for code in rule.criteria if criterion_max(rules, code) is not None]
    if not codes:
        return result, (), []
    counted = [(str(unit), str(level)) for unit, level in ratings or () if str(level) in
               rule.level_percents]  # fmt: skip
    units = sorted({unit for unit, _level in counted})
    minimum = int(rule.min_ratings.value)
    if len(counted) < minimum or not counted:
        fed = below_minimum(rules, result, codes, rule.below_min.value)
        return (
            result,
            fed,
            [
                step(
                    "coordination_below_min",
                    criteria=codes,
                    min_ratings=minimum,
                    ratings=len(counted),
                    units=units,
                    reading=rule.below_min.value,
                )
            ],
        )
    percent = ratings_percent(rules, counted) or ZERO
    weight = rule.weight.value
    fed_marks = blend_marks(rules, result, codes, percent, weight)
    return (
        result,
        tuple(codes),
        [
            step(
                "coordination_feed",
                ratings=len(counted),
                units=units,
                percent=fmt2(percent),
                weight=fmt_plain(weight),
                marks=fed_marks,
            )
        ],
    )
