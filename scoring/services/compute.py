"""Running the engine over many inputs, optionally in several processes.

``compute_one`` runs one ``PeriodInput``; the outcome keeps what is stored: the rounded
numbers, the rating and the explanation steps without the per-line steps (inputs arrive with
their lines pre-merged, see ``scoring.services.merge``; the explain page rebuilds per-line
steps from the stored line snapshot). Input errors become an outcome
with ``errors`` instead of an exception, so one bad row never stops a province-wide batch.

``fork_map`` runs a function over many items in forked worker processes (``workers > 1``,
Linux): the items and the loaded data are inherited rather than pickled, only the results
travel back; the workers never touch the database.
"""

import multiprocessing
from dataclasses import dataclass, field
from decimal import Decimal

from scoring.engine import FrameworkRules, PeriodInput, ScoringInputError, score_period

LINE_STEPS = frozenset({"line", "line_quality", "line_timeliness"})
POOL_THRESHOLD = 2000


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


def compute_one(inp: PeriodInput, rules: FrameworkRules) -> Outcome:
    try:
        result = score_period(inp, rules)
    except ScoringInputError as exc:
        return Outcome(errors=dict(exc.errors))
    return Outcome(
        scored=result.scored,
        criteria=dict(result.criteria),
        task_percent=result.task_percent,
        task_points=result.task_points,
        component_points=dict(result.component_points),
        total=result.total,
        rating=result.rating or "",
        steps=[ordered(s) for s in result.explanation if s["code"] not in LINE_STEPS],
    )


def ordered(step: dict) -> dict:
    """Dict-valued parameters as ``[key, value]`` pairs: PostgreSQL's jsonb does not keep
    object key order, and "27 + 55.42" must not come back as "55.42 + 27"."""
    if not any(isinstance(value, dict) for value in step.values()):
        return step
    return {
        key: [[k, v] for k, v in value.items()] if isinstance(value, dict) else value
        for key, value in step.items()
    }


# Set just before forking; read by the workers (inherited, never pickled).
_TASK: tuple = ()


def _run_slice(bounds: tuple[int, int]) -> list:
    func, items = _TASK
    start, stop = bounds
    return [func(item) for item in items[start:stop]]


def fork_map(func, items: list, workers: int = 1, threshold: int | None = None) -> list:
    """``[func(item) for item in items]``, in ``workers`` forked processes when there are at
    least ``threshold`` (default ``POOL_THRESHOLD``) items (Linux). ``func`` and ``items`` are
    inherited by the fork, so either may be anything (a closure, model rows); only the results
    travel back, pickled.
    ``func`` must not touch the database (the forked processes share the parent's
    connection)."""
    if (
        workers <= 1
        or len(items) < (POOL_THRESHOLD if threshold is None else threshold)
        or "fork" not in (multiprocessing.get_all_start_methods())
    ):
        return [func(item) for item in items]
    global _TASK
    _TASK = (func, items)
    try:
        size = -(-len(items) // (workers * 4))
        slices = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_run_slice, slices)
    finally:
        _TASK = ()
    return [result for part in parts for result in part]
