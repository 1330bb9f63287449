"""Engine lines from loaded line rows, exactly pre-merged for batch speed.

The engine builds three explanation steps per line, which dominates its cost on 30-line
months. A line whose deductions cannot reach the per-line floor (completed ≥ deduction ×
counted events, for reviews and for delays — true of almost every line) contributes linearly
to every sum the engine computes::

    assigned n·k,  completed m·k,  quality m·k - r·k·c_r,  timeliness m·k - t·k·c_t

so all such lines are replaced by ONE line with coefficient ``q`` = the greatest common
divisor of their coefficients (each ``k = t·q`` with an integer ``t``) carrying
``Σ t·n`` assigned, ``Σ t·m`` completed and ``Σ t·c`` counted events (exemptions already
subtracted). Every sum, hence a, b, c, the totals and every non-line explanation step, is
exactly the same. Lines where the floor may bind are passed unchanged.

The stored explanation keeps the original lines, and the explain page re-runs the engine on
them to show each line's values (``scoring.services.explain_data``).
``tests/scoring/test_merge.py`` checks merged against unmerged results.
"""

import math
from decimal import Decimal

from scoring.engine import FrameworkRules, Line
from scoring.services.loading import (
    ASSIGNED,
    COMPLETED,
    DELAYS,
    EXEMPT_DELAYS,
    EXEMPT_REVIEWS,
    FAILED,
    ID,
    ITEM,
)

ZERO = Decimal(0)


def engine_line(row, items) -> Line:
    """One unmerged engine line for a line tuple in ``LineRow`` order."""
    return Line(
        coefficient=items[row[ITEM]].coefficient,
        assigned=Decimal(row[ASSIGNED]),
        completed=Decimal(row[COMPLETED]),
        failed_reviews=row[FAILED],
        exempt_reviews=min(row[EXEMPT_REVIEWS], row[FAILED]),
        delays=row[DELAYS],
        exempt_delays=min(row[EXEMPT_DELAYS], row[DELAYS]),
        ref=str(row[ID]),
    )


def _common_step(coefficients: list[Decimal]) -> tuple[Decimal, list[int]]:
    """(q, [t_i]) with k_i = t_i·q exactly and q as large as possible."""
    ratios = [k.as_integer_ratio() for k in coefficients]
    denominator = math.lcm(*(d for _n, d in ratios))
    scaled = [n * (denominator // d) for n, d in ratios]
    divisor = math.gcd(*scaled)
    return Decimal(divisor) / Decimal(denominator), [value // divisor for value in scaled]


def merged_lines(rows, items, rules: FrameworkRules) -> tuple[Line, ...]:
    """Engine lines for ``rows`` with the exact merging described above."""
    if any(items[row[ITEM]].coefficient <= 0 for row in rows):
        # A bad coefficient: let the engine report it on the unmerged lines.
        return tuple(engine_line(row, items) for row in rows)
    review = rules.task_method.review_deduction.value
    delay = rules.task_method.delay_deduction.value
    linear: list[tuple] = []
    kept: list[Line] = []
    for row in rows:
        completed = Decimal(row[COMPLETED])
        reviews = row[FAILED] - min(row[EXEMPT_REVIEWS], row[FAILED])
        delays = row[DELAYS] - min(row[EXEMPT_DELAYS], row[DELAYS])
        if completed >= review * reviews and completed >= delay * delays:
            coefficient = items[row[ITEM]].coefficient
            linear.append((coefficient, Decimal(row[ASSIGNED]), completed, reviews, delays))
        else:
            kept.append(engine_line(row, items))
    if not linear:
        return tuple(kept)
    step, multiples = _common_step([entry[0] for entry in linear])
    merged = Line(
        coefficient=step,
        assigned=sum((t * e[1] for t, e in zip(multiples, linear, strict=True)), ZERO),
        completed=sum((t * e[2] for t, e in zip(multiples, linear, strict=True)), ZERO),
        failed_reviews=sum(t * e[3] for t, e in zip(multiples, linear, strict=True)),
        delays=sum(t * e[4] for t, e in zip(multiples, linear, strict=True)),
    )
    return (merged, *kept)
