"""Running the engine over many inputs.

``compute_one`` runs one ``PeriodInput``; the outcome keeps what is stored: the rounded
numbers, the rating and the explanation steps without the per-line steps (inputs arrive with
their lines pre-merged, see ``scoring.services.merge``; the explain page rebuilds per-line
steps from the stored line snapshot). Input errors become an outcome
with ``errors`` instead of an exception, so one bad row never stops a province-wide batch.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from scoring.engine import (
    FrameworkRules,
    PeriodInput,
    ScoringInputError,
    period_excellent_check,
    score_period,
)

LINE_STEPS = frozenset({"line", "line_quality", "line_timeliness"})
#: Types of step parameters that are never a dict (``ordered`` has nothing to do).
_NOT_DICTS = frozenset({str, int, float, bool, type(None), list, tuple})


@dataclass
class Outcome:
    scored: bool = False
    criteria: dict[str, Decimal] = field(default_factory=dict)
    task_percent: Decimal | None = None
    task_points: Decimal | None = None
    component_points: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    rating: str = ""
    steps: list[dict] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    #: Under ``individual.excellent_conditions`` = ``qd366`` (M4): the period's assigned
    #: lines, those on time and those exceeded (QĐ 366 Art. 11), stored with the score for
    #: the annual step; ``None`` otherwise.
    excellent_counts: list[int] | None = None


def compute_one(inp: PeriodInput, rules: FrameworkRules) -> Outcome:
    try:
        result = score_period(inp, rules, line_steps=False)
    except ScoringInputError as exc:
        return Outcome(errors=dict(exc.errors))
    check = period_excellent_check(inp, rules) if result.scored else None
    return Outcome(
        scored=result.scored,
        criteria=dict(result.criteria),
        task_percent=result.task_percent,
        task_points=result.task_points,
        component_points=dict(result.component_points),
        total=result.total,
        rating=result.rating or "",
        steps=[ordered(s) for s in result.explanation],
        excellent_counts=(None if check is None else [check.lines, check.on_time, check.exceeded]),
    )


def ordered(step: dict) -> dict:
    """Dict-valued parameters as ``[key, value]`` pairs: PostgreSQL's jsonb does not keep
    object key order, and "27 + 55.42" must not come back as "55.42 + 27"."""
    if _NOT_DICTS.issuperset(map(type, step.values())):
        return step  # the usual step: no dict-valued parameter (one pass in C)
    for value in step.values():
        if isinstance(value, dict):
            break
    else:
        return step
    return {
        key: [[k, v] for k, v in value.items()] if isinstance(value, dict) else value
        for key, value in step.items()
    }
