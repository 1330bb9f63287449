"""Annual score: mean of scored periods, rounding, not-scored periods."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from scoring.engine import Line, PeriodInput, ScoringInputError, score_annual, score_period


def test_not_scored_periods_are_skipped():
    worked = score_period(PeriodInput(lines=(Line(1, 1, 1),), marks={"general": 25}))
    leave = score_period(PeriodInput(lines=(), marks={"general": 25}))
    result = score_annual([worked, leave, None, 85])
    assert result.periods_counted == 2 and result.periods_skipped == 2
    assert result.score == D("90.00")  # (95 + 85) / 2
    assert [s["code"] for s in result.explanation[:4]] == [
        "annual_period",
        "annual_period_skipped",
        "annual_period_skipped",
        "annual_period",
    ]


def test_no_scored_period_means_not_rated():
    result = score_annual([None, None])
    assert not result.scored
    assert result.score is None and result.rating is None


def test_mean_is_rounded_half_up():
    result = score_annual(["89.99", "90.00"])  # 89.995
    assert result.score == D("90.00")
    assert result.rating == "excellent"
    assert result.exact == D("89.995")


def test_mean_of_repeating_value():
    assert score_annual([70, 70, 71]).score == D("70.33")


def test_invalid_period_totals():
    with pytest.raises(ScoringInputError) as exc:
        score_annual([90, "abc", 101, -1])
    assert set(exc.value.errors) == {"periods[1]", "periods[2]", "periods[3]"}


def test_degradation_conclusion_forces_not_completed():
    result = score_annual([95], disqualifiers=["degradation_concluded"])
    assert result.rating == "not_completed"


def test_leader_only_disqualifier():
    staff = score_annual([95], disqualifiers=["unit_corruption_case"])
    leader = score_annual([95], disqualifiers=["unit_corruption_case"], is_leader=True)
    assert (staff.rating, leader.rating) == ("excellent", "not_completed")
