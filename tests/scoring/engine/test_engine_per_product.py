"""Deductions and their floor per product — Decree 335 Art. 14 b, c [confirmed].

Each failed review and each delay removes 25 % of *that product's* points, floored at 0 per
product: failures of one product never reduce another's, and failures of a product that was
never completed cost nothing more (it has no points). Review 2026-11-22, W3 and W8, cases C07,
C25 and C26.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    Line,
    PeriodInput,
    ScoringInputError,
    compute_task_results,
    score_period,
)


def test_c07_one_product_failed_five_times_floors_at_that_product_art14b():
    """C07, Art. 14 b [confirmed]: a line of 2 products, one failed review 5 times. That
    product loses 100 % (floored at 0), the other keeps its points: b = 50 %."""
    line = Line(1, 2, 2, failed_reviews=5, failed_by_product=(5, 0))
    result = compute_task_results([line], DECREE_335_DEFAULT)
    assert result.quality == D(50)
    assert result.quantity == D(100)


def test_c07_product_order_does_not_matter_art14b():
    """Art. 14 b [confirmed]: the failures belong to one product whichever it is."""
    line = Line(1, 2, 2, failed_reviews=5, failed_by_product=(0, 5))
    assert compute_task_results([line], DECREE_335_DEFAULT).quality == D(50)


def test_c25_failures_of_an_unfinished_product_cost_nothing_art14b():
    """C25, Art. 14 b [confirmed]: 2 products, product 1 completed and accepted, product 2
    returned twice and not finished. Product 2 has no points to lose: b = 50 %."""
    line = Line(1, 2, 1, failed_reviews=2, failed_by_product=(0, 2))
    result = compute_task_results([line], DECREE_335_DEFAULT)
    assert result.quality == D(50)
    assert result.quantity == D(50)


def test_c26_ten_late_products_each_one_delay_art14c():
    """C26, Art. 14 c [confirmed]: 10 products, all completed after the deadline: each late
    product is one delay, c = 75.00 and the total 94.17 (general 30)."""
    line = Line(1, 10, 10, delays=10, delays_by_product=(1,) * 10)
    result = score_period(PeriodInput(lines=(line,), marks={"general": 30}), DECREE_335_DEFAULT)
    assert result.timeliness == D("75.00")
    assert result.total == D("94.17")


def test_line_level_counts_without_breakdown_keep_the_line_formula_art14():
    """Art. 14 b, c [confirmed]: counts with no per-product breakdown (older data) are spread
    over the completed products, one product at a time: the line formula, unchanged."""
    spread = Line(1, 10, 10, failed_reviews=3, delays=10)
    result = compute_task_results([spread], DECREE_335_DEFAULT)
    assert result.quality == D("92.5")
    assert result.timeliness == D(75)


def test_exempt_events_are_not_in_the_per_product_breakdown_art14():
    """Art. 14 b [confirmed] exception: the breakdown lists the counted events (exemptions
    removed); the line's totals still show every event."""
    line = Line(1, 2, 2, failed_reviews=6, exempt_reviews=1, failed_by_product=(5, 0))
    assert compute_task_results([line], DECREE_335_DEFAULT).quality == D(50)


def test_partial_last_product_is_floored_at_its_own_share_art14b():
    """Art. 14 b [confirmed]: completed 1.5 → product 2 is half a product; 3 failures on it
    remove at most its half."""
    line = Line(2, 2, D("1.5"), failed_reviews=3, failed_by_product=(0, 3))
    result = compute_task_results([line], DECREE_335_DEFAULT)
    assert result.quality_converted == D(2)  # product 1: 2, product 2: max(0, 1 - 1.5)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (Line(1, 2, 2, failed_reviews=4, failed_by_product=(5, 0)), "failed_by_product"),
        (Line(1, 2, 2, delays=1, delays_by_product=(1, 1)), "delays_by_product"),
        (Line(1, 2, 2, failed_reviews=1, failed_by_product=(-1, 2)), "failed_by_product"),
        (Line(1, 2, 2, failed_reviews=1, failed_by_product="1"), "failed_by_product"),
    ],
)
def test_a_breakdown_must_match_the_line_art14(line, field):
    """Art. 14 b, c: the breakdown sums to the counted events and holds non-negative whole
    numbers."""
    with pytest.raises(ScoringInputError) as caught:
        compute_task_results([line], DECREE_335_DEFAULT)
    assert any(path.startswith(f"lines[0].{field}") for path in caught.value.errors)


def test_score_preview_takes_the_per_product_breakdown_art14b():
    """C25 through the preview payload (the API's live preview), Art. 14 b [confirmed]."""
    from scoring.engine import score_preview

    result = score_preview(
        {
            "role": "staff",
            "general": 30,
            "lines": [
                {
                    "coefficient": 1,
                    "assigned": 2,
                    "completed": 1,
                    "failed_reviews": 2,
                    "failed_by_product": [0, 2],
                }
            ],
        }
    )
    assert result["quality"] == "50.00"
