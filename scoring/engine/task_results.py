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
    fmt_min2,
    fmt_plain,
    to_count,
    to_decimal,
)
from .framework.rules import FrameworkRules
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


def _event_value(
    completed: Decimal,
    coefficient: Decimal,
    events: int,
    exempt: int,
    breakdown: Sequence[Any] | None,
    deduction: Decimal,
) -> tuple[Decimal, list[dict[str, Any]] | None]:
    if breakdown is None:
        return line_value(completed, coefficient, events, exempt, deduction), None
    return products_value(completed, coefficient, [to_count(e) for e in breakdown], deduction)


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
    method = rules.task_method
    review_rate = method.review_deduction.value
    delay_rate = method.delay_deduction.value
    over_delivery = method.over_delivery.value
    steps: list[Step] = []
    results: list[LineResult] = []
    with engine_context():
        for i, line in enumerate(lines):
            coefficient = to_decimal(line.coefficient)
            assigned = to_decimal(line.assigned)
            reported = to_decimal(line.completed)
            completed = counted_completed(assigned, reported, over_delivery)
            failed, exempt = to_count(line.failed_reviews), to_count(line.exempt_reviews)
            delays, exempt_delays = to_count(line.delays), to_count(line.exempt_delays)
            quality, quality_products = _event_value(
                completed, coefficient, failed, exempt, line.failed_by_product, review_rate
            )
            timeliness, timeliness_products = _event_value(
                completed, coefficient, delays, exempt_delays, line.delays_by_product, delay_rate
            )
            result = LineResult(
                index=i,
                ref=line.ref,
                assigned_converted=assigned * coefficient,
                completed_converted=completed * coefficient,
                quality_value=quality,
                timeliness_value=timeliness,
                counted_failed_reviews=failed - exempt,
                counted_delays=delays - exempt_delays,
            )
            results.append(result)
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
                    assigned_converted=fmt_min2(result.assigned_converted),
                    completed_converted=fmt_min2(result.completed_converted),
                )
            )
            steps.append(
                step(
                    "line_quality",
                    **common,
                    completed=fmt_plain(completed),
                    failed=failed,
                    exempt=exempt,
                    counted=result.counted_failed_reviews,
                    deduction=fmt_plain(review_rate),
                    value=fmt_min2(result.quality_value),
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
                    counted=result.counted_delays,
                    deduction=fmt_plain(delay_rate),
                    value=fmt_min2(result.timeliness_value),
                    **({} if timeliness_products is None else {"products": timeliness_products}),
                )
            )

        assigned_total = sum((r.assigned_converted for r in results), ZERO)
        completed_total = sum((r.completed_converted for r in results), ZERO)
        quality_total = sum((r.quality_value for r in results), ZERO)
        timeliness_total = sum((r.timeliness_value for r in results), ZERO)
        steps.append(
            step(
                "converted_totals",
                assigned=fmt_min2(assigned_total),
                completed=fmt_min2(completed_total),
                quality=fmt_min2(quality_total),
                timeliness=fmt_min2(timeliness_total),
            )
        )
        if assigned_total == 0:
            steps.append(step("period_not_scored", reason="nothing_assigned"))
            return TaskResults(
                scored=False,
                assigned_converted=assigned_total,
                completed_converted=completed_total,
                quality_converted=quality_total,
                timeliness_converted=timeliness_total,
                quantity=None,
                quality=None,
                timeliness=None,
                lines=tuple(results),
                explanation=tuple(steps),
            )

        cap = method.cap_percent.value if method.cap_percent is not None else None
        percents: dict[str, Decimal] = {}
        for code, numerator in (
            ("a", completed_total),
            ("b", quality_total),
            ("c", timeliness_total),
        ):
            raw = numerator * HUNDRED / assigned_total
            capped = cap is not None and raw > cap
            percents[code] = raw if cap is None else min(raw, cap)
            steps.append(
                step(
                    "criterion_percent",
                    criterion=code,
                    numerator=fmt_min2(numerator),
                    denominator=fmt_min2(assigned_total),
                    uncapped=fmt2(raw),
                    percent=fmt2(percents[code]),
                    capped=capped,
                    cap=None if cap is None else fmt_plain(cap),
                )
            )
    return TaskResults(
        scored=True,
        assigned_converted=assigned_total,
        completed_converted=completed_total,
        quality_converted=quality_total,
        timeliness_converted=timeliness_total,
        quantity=percents["a"],
        quality=percents["b"],
        timeliness=percents["c"],
        lines=tuple(results),
        explanation=tuple(steps),
    )
