"""Six-month results (issue 33 item 4; Gia Lai plan §IV.4.1.a): the annual computation over the
stored periods of one half of the year."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from scoring.engine import AnnualPeriod, score_annual
from scoring.engine.annual import half_year_periods, score_half_year


def months(*pairs):
    return [AnnualPeriod("month", n, total) for n, total in pairs]


def test_each_half_is_the_mean_of_its_own_months():
    year = months(*((n, 80) for n in range(1, 7)), *((n, 96) for n in range(7, 13)))
    first, second = score_half_year(year, 1), score_half_year(year, 2)
    assert (first.score, first.rating, first.months_worked) == (D("80.00"), "good", 6)
    assert (second.score, second.rating, second.months_worked) == (D("96.00"), "excellent", 6)
    # The year, computed the same way over all twelve months, is their weighted mean.
    assert score_annual(year).score == D("88.00")


def test_the_band_boundary_is_the_annual_one():
    # (90 × 5 + 89.94) / 6 = 89.99 → good; (90 × 6) / 6 = 90 → excellent.
    below = months(*((n, 90) for n in range(1, 6)), (6, D("89.94")))
    at = months(*((n, 90) for n in range(1, 7)))
    assert (score_half_year(below, 1).score, score_half_year(below, 1).rating) == (
        D("89.99"),
        "good",
    )
    assert score_half_year(at, 1).rating == "excellent"


def test_a_quarter_counts_for_its_months_and_the_year_period_is_left_out():
    periods = [
        AnnualPeriod("quarter", 3, 70),
        *months((10, 100), (11, 100), (12, 100)),
        AnnualPeriod("year", 1, 50),
        AnnualPeriod("month", 2, 10),
    ]
    kept = half_year_periods(periods, 2)
    assert [(p.kind, p.number) for p in kept] == [
        ("quarter", 3),
        ("month", 10),
        ("month", 11),
        ("month", 12),
    ]
    result = score_half_year(periods, 2)
    # (70 × 3 + 100 × 3) / 6 = 85.
    assert (result.score, result.months_worked) == (D("85.00"), 6)


def test_a_half_without_stored_periods_is_not_scored():
    result = score_half_year(months((1, 90)), 2)
    assert not result.scored and result.not_scored_reason == "no_scored_periods"
    with pytest.raises(ValueError):
        score_half_year(months((1, 90)), 3)
