"""Task results a (quantity), b (quality), c (timeliness) — Decree 335, Art. 14.

For each line with coefficient k, assigned n, completed m::

    assigned converted   = n * k
    completed converted  = m * k
    quality value        = max(0, m * k - review_deduction * k * (failed - exempt))
    timeliness value     = max(0, m * k - delay_deduction * k * (delays - exempt_delays))

and over all lines (A = Σ assigned converted)::

    a = Σ completed converted / A * 100      b = Σ quality value / A * 100
    c = Σ timeliness value / A * 100         each capped at cap_percent (default 100)

Over-delivery (framework ``task_method.over_delivery``, [inferred], review U1): by default
(``pooled``) completed > assigned and unplanned lines (assigned = 0) add to every numerator and
the cap applies to a, b, c after the deductions (C05: 100/100/100; C06: the deductions are
masked). ``cap_each_line`` counts at most the assigned quantity of each line before the
deductions (C05: 50; C06: b = c = 87.5); ``assigned_only`` leaves out lines with nothing
assigned (C05: 50; C06 unchanged).

A = 0 → the period is not scored (``TaskResults.scored`` is False).

Per product (Decree 335 Art. 14 b, c [confirmed]: "mỗi lần … bị trừ 25% số điểm của sản
phẩm đó"): when a line gives its counted events product by product (``Line.failed_by_product``
/ ``delays_by_product``), each product ``p`` (completed share ``s_p`` ∈ [0, 1]) is worth
``max(0, s_p·k - rate·k·e_p)``, so the floor is per product: the failures of one product never
reduce another's, and a product not completed (``s_p = 0``) loses nothing more. Products
without events keep ``s_p·k``. Without a breakdown the counted events are spread over the
completed products, which is exactly the line formula above.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .decimals import (
    HUNDRED,
    ONE,
    ZERO,
    engine_context,
    fmt2,
    fmt2_fresh,
    fmt_min2,
    fmt_plain,
    to_count,
    to_decimal,
)
from .framework.rules import FrameworkRules
from .plan import PeriodPlan, period_plan
from .steps import step
from .types import Line, LineResult, Step, TaskResults
from .validation import Errors, check_lines


def line_value(
    completed: Decimal, coefficient: Decimal, events: int, exempt: int, deduction: Decimal
) -> Decimal:
    """Converted value of a line after the per-event deduction, floored at 0.

    Each counted event (failed review or delay not exempted) removes ``deduction`` of the
    converted value of *one* product (``coefficient``).
    """
    with engine_context():
        counted = events - exempt
        return max(ZERO, completed * coefficient - deduction * coefficient * counted)


def product_share(completed: Decimal, index: int) -> Decimal:
    """How much of product ``index + 1`` is completed: 1, 0, or the fraction of the last."""
    return min(ONE, max(ZERO, completed - index))


def products_value(
    completed: Decimal,
    coefficient: Decimal,
    counted_by_product: Sequence[int],
    deduction: Decimal,
) -> tuple[Decimal, list[dict[str, Any]]]:
    """Converted value of a line whose counted events are given per product, each product
    floored at 0 on its own (Art. 14 b, c [confirmed]), and one explanation entry per product
    with events: product number, events, completed share and value."""
    with engine_context():
        listed = min(max(completed, ZERO), Decimal(len(counted_by_product)))
        value = (completed - listed) * coefficient
        details = []
        for index, events in enumerate(counted_by_product):
            share = product_share(completed, index)
            product = max(ZERO, share * coefficient - deduction * coefficient * events)
            value += product
            if events:
                details.append(
                    {
                        "product": index + 1,
                        "events": events,
                        "share": fmt_plain(share),
                        "value": fmt_min2(product),
                    }
                )
        return value, details


def counted_completed(assigned: Decimal, completed: Decimal, over_delivery: str) -> Decimal:
    """Completed products that count (framework ``task_method.over_delivery``, Art. 14,
    [inferred]): all of them (``pooled``), at most the assigned quantity (``cap_each_line``:
    the cap is applied to the line before the deductions), or none on a line with nothing
    assigned (``assigned_only``)."""
    if over_delivery == "cap_each_line":
        return min(completed, max(assigned, ZERO))
    if over_delivery == "assigned_only" and assigned == 0:
        return ZERO
    return completed


def compute_task_results(lines: Sequence[Line], rules: FrameworkRules) -> TaskResults:
    """Compute a, b, c for a set of lines; raises ScoringInputError on bad input."""
    errors = Errors()
    check_lines(lines, errors)
    errors.raise_if_any()
    return compute_unchecked(lines, rules)


def compute_unchecked(
    lines: Sequence[Line], rules: FrameworkRules, *, line_steps: bool = True
) -> TaskResults:
    """Like :func:`compute_task_results` for lines already validated by the caller.

    ``line_steps=False`` leaves out the three explanation steps of each line ("line",
    "line_quality", "line_timeliness") for a caller that does not keep them (the batch stores
    the lines themselves and the explain page re-runs the engine on them); every number and
    every other step is the same."""
    steps: list[Step] = []
    with engine_context():
        tally = tally_lines(lines, period_plan(rules), steps, line_steps=line_steps)
    return TaskResults(
        scored=tally.scored,
        assigned_converted=tally.assigned,
        completed_converted=tally.completed,
        quality_converted=tally.quality,
        timeliness_converted=tally.timeliness,
        quantity=tally.percents["a"] if tally.scored else None,
        quality=tally.percents["b"] if tally.scored else None,
        timeliness=tally.percents["c"] if tally.scored else None,
        lines=tuple(tally.lines),
        explanation=tuple(steps),
    )


def _count(value: object) -> int:
    """:func:`~scoring.engine.decimals.to_count`, an int as it is."""
    return value if type(value) is int else to_count(value)


class Tally:
    """The sums of :func:`tally_lines` (exact), a, b, c when scored, and the line results."""

    __slots__ = ("assigned", "completed", "lines", "percents", "quality", "scored", "timeliness")

    def __init__(
        self,
        assigned: Decimal,
        completed: Decimal,
        quality: Decimal,
        timeliness: Decimal,
        percents: dict[str, Decimal],
        lines: list[LineResult],
    ) -> None:
        self.scored = bool(percents)
        self.assigned = assigned
        self.completed = completed
        self.quality = quality
        self.timeliness = timeliness
        self.percents = percents
        self.lines = lines


def tally_lines(
    lines: Sequence[Line],
    plan: PeriodPlan,
    steps: list[Step],
    *,
    line_steps: bool = True,
    keep_lines: bool = True,
) -> Tally:
    """a, b, c of validated lines, their explanation steps appended to ``steps``; run in the
    engine's context (:func:`~scoring.engine.decimals.engine_context`). ``keep_lines=False``
    leaves out the :class:`LineResult` of each line (``Tally.lines`` is then empty)."""
    review_rate = plan.review_rate
    delay_rate = plan.delay_rate
    over_delivery = plan.over_delivery
    pooled = over_delivery == "pooled"
    results: list[LineResult] = []
    # Σ in line order from 0, as ``sum(…, ZERO)`` adds them.
    assigned_total = completed_total = quality_total = timeliness_total = ZERO
    for i, line in enumerate(lines):
        coefficient = to_decimal(line.coefficient)
        assigned = to_decimal(line.assigned)
        reported = to_decimal(line.completed)
        completed = reported if pooled else counted_completed(assigned, reported, over_delivery)
        failed = _count(line.failed_reviews)
        exempt = _count(line.exempt_reviews)
        delays = _count(line.delays)
        exempt_delays = _count(line.exempt_delays)
        quality_products: list[dict[str, Any]] | None
        timeliness_products: list[dict[str, Any]] | None
        if line.failed_by_product is None:  # line_value, in the context already entered
            quality = max(
                ZERO, completed * coefficient - review_rate * coefficient * (failed - exempt)
            )
            quality_products = None
        else:
            quality, quality_products = products_value(
                completed, coefficient, [to_count(e) for e in line.failed_by_product], review_rate
            )
        if line.delays_by_product is None:
            timeliness = max(
                ZERO, completed * coefficient - delay_rate * coefficient * (delays - exempt_delays)
            )
            timeliness_products = None
        else:
            timeliness, timeliness_products = products_value(
                completed, coefficient, [to_count(e) for e in line.delays_by_product], delay_rate
            )
        assigned_converted = assigned * coefficient
        completed_converted = completed * coefficient
        assigned_total += assigned_converted
        completed_total += completed_converted
        quality_total += quality
        timeliness_total += timeliness
        if keep_lines:
            results.append(
                LineResult(
                    index=i,
                    ref=line.ref,
                    assigned_converted=assigned_converted,
                    completed_converted=completed_converted,
                    quality_value=quality,
                    timeliness_value=timeliness,
                    counted_failed_reviews=failed - exempt,
                    counted_delays=delays - exempt_delays,
                )
            )
        if completed == reported and not line_steps:
            continue
        common = {"line": i, "ref": line.ref, "coefficient": fmt_plain(coefficient)}
        if completed != reported:
            steps.append(
                step(
                    "line_capped",
                    **common,
                    rule=over_delivery,
                    completed=fmt_plain(reported),
                    counted=fmt_plain(completed),
                )
            )
        if not line_steps:
            continue
        steps.append(
            step(
                "line",
                **common,
                assigned=fmt_plain(assigned),
                completed=fmt_plain(completed),
                assigned_converted=fmt_min2(assigned_converted),
                completed_converted=fmt_min2(completed_converted),
            )
        )
        steps.append(
            step(
                "line_quality",
                **common,
                completed=fmt_plain(completed),
                failed=failed,
                exempt=exempt,
                counted=failed - exempt,
                deduction=fmt_plain(review_rate),
                value=fmt_min2(quality),
                **({} if quality_products is None else {"products": quality_products}),
            )
        )
        steps.append(
            step(
                "line_timeliness",
                **common,
                completed=fmt_plain(completed),
                delays=delays,
                exempt=exempt_delays,
                counted=delays - exempt_delays,
                deduction=fmt_plain(delay_rate),
                value=fmt_min2(timeliness),
                **({} if timeliness_products is None else {"products": timeliness_products}),
            )
        )

    denominator = fmt_min2(assigned_total)
    steps.append(
        {
            "code": "converted_totals",
            "assigned": denominator,
            "completed": fmt_min2(completed_total),
            "quality": fmt_min2(quality_total),
            "timeliness": fmt_min2(timeliness_total),
        }
    )
    percents: dict[str, Decimal] = {}
    if assigned_total == 0:
        steps.append({"code": "period_not_scored", "reason": "nothing_assigned"})
        return Tally(
            assigned_total, completed_total, quality_total, timeliness_total, percents, results
        )
    cap = plan.cap
    cap_text = None if cap is None else fmt_plain(cap)
    for code, numerator in (
        ("a", completed_total),
        ("b", quality_total),
        ("c", timeliness_total),
    ):
        raw = numerator * HUNDRED / assigned_total
        capped = cap is not None and raw > cap
        percent = raw if cap is None else min(raw, cap)
        percents[code] = percent
        uncapped = fmt2_fresh(raw)
        steps.append(
            {
                "code": "criterion_percent",
                "criterion": code,
                "numerator": fmt_min2(numerator),
                "denominator": denominator,
                "uncapped": uncapped,
                "percent": uncapped if percent is raw else fmt2(percent),
                "capped": capped,
                "cap": cap_text,
            }
        )
    return Tally(
        assigned_total, completed_total, quality_total, timeliness_total, percents, results
    )
