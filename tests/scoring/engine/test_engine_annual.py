"""Annual score: mean of scored periods, rounding, not-scored periods, time actually worked."""

from __future__ import annotations

import copy
from decimal import Decimal as D

import pytest

from scoring.engine import (
    AnnualPeriod,
    Line,
    PeriodInput,
    ScoringInputError,
    framework_problems,
    parse_framework,
    score_annual,
    score_period,
)
from scoring.engine.defaults import DECREE_335_DEFAULT_DATA


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


# --- Time actually worked (Decree 335 Art. 21 [confirmed]; legal review W6, U4, C14) -------


def _months(total, numbers):
    return [AnnualPeriod("month", n, total) for n in numbers]


def _rules(**annual):
    data = copy.deepcopy(DECREE_335_DEFAULT_DATA)
    data["annual"].update(annual)
    rules = parse_framework(data)
    assert framework_problems(rules) == []
    return rules


PLAIN = {"weighting": {"value": "periods"}}


def _counted(result):
    return {
        (p["kind"], p["number"]): p["months"] for p in result.periods if p["status"] == "counted"
    }


def test_w6_transfer_on_1_august_keeps_q3_for_august_and_september_art21():
    """W6, Art. 21 [confirmed]: monthly Jan–Jul at 95, then a quarterly agency: Q3 = Q4 = 60.
    Q3 counts for August and September (July is a scored month), so no worked month is lost
    and July is not counted twice."""
    periods = [
        *_months(95, range(1, 8)),
        AnnualPeriod("quarter", 3, 60),
        AnnualPeriod("quarter", 4, 60),
    ]
    weighted = score_annual(periods)  # default: weighted by the months each period covers
    assert _counted(weighted)[("quarter", 3)] == [8, 9]
    assert _counted(weighted)[("quarter", 4)] == [10, 11, 12]
    assert weighted.months_worked == 12
    assert weighted.score == D("80.42")  # (7 × 95 + 2 × 60 + 3 × 60) / 12
    assert weighted.rating == "good"
    plain = score_annual(periods, _rules(**PLAIN))
    assert plain.score == D("87.22") and plain.rating == "good"  # the review's "Q3 counted"


def test_w6_an_unscored_july_does_not_drop_q3_art21():
    """W6, Art. 21: a July row "not scored" must not drop the scored Q3, which then counts
    for July, August and September."""
    periods = [
        *_months(95, range(1, 7)),
        AnnualPeriod("month", 7, None),
        AnnualPeriod("quarter", 3, 60),
        AnnualPeriod("quarter", 4, 60),
    ]
    result = score_annual(periods)
    assert _counted(result)[("quarter", 3)] == [7, 8, 9]
    assert [p["status"] for p in result.periods if p["kind"] == "month" and p["number"] == 7] == [
        "not_scored"
    ]
    assert result.score == D("77.50")  # (6 × 95 + 6 × 60) / 12
    assert score_annual(periods, _rules(**PLAIN)).score == D("86.25")  # (6 × 95 + 2 × 60) / 8


def test_w6_transfer_on_1_march_quarterly_to_monthly_keeps_january_and_february_art21():
    """W6, Art. 21: quarterly Q1 = 60 at the old agency, then monthly from March at 95: Q1
    counts for January and February."""
    periods = [AnnualPeriod("quarter", 1, 60), *_months(95, range(3, 13))]
    result = score_annual(periods)
    assert _counted(result)[("quarter", 1)] == [1, 2]
    assert result.score == D("89.17") and result.rating == "good"  # (2 × 60 + 10 × 95) / 12
    plain = score_annual(periods, _rules(**PLAIN))
    assert plain.score == D("91.82") and plain.rating == "excellent"  # (60 + 10 × 95) / 11


def test_c14_weighted_and_plain_means_are_framework_options_art21():
    """U4 / C14, Art. 21 (weighting [unknown] in the notes): 6 months at 92 and 2 quarters at
    85 give 88.50 (good) weighted by months — the default — and 90.25 (excellent) plain."""
    periods = [
        *_months(92, range(1, 7)),
        AnnualPeriod("quarter", 3, 85),
        AnnualPeriod("quarter", 4, 85),
    ]
    weighted = score_annual(periods)
    assert (weighted.score, weighted.rating) == (D("88.50"), "good")
    assert weighted.weighting == "months"
    assert [s["code"] for s in weighted.explanation if s["code"].startswith("annual_")][-1] == (
        "annual_weighted_mean"
    )
    plain = score_annual(periods, _rules(**PLAIN))
    assert (plain.score, plain.rating) == (D("90.25"), "excellent")
    assert plain.weighting == "periods"


def test_a_quarter_whose_months_are_all_scored_is_not_counted_twice_art21():
    """Art. 21: months scored at one agency and the same quarter scored at another: the months
    count, the quarter is shown as covered (no month counted twice)."""
    periods = [*_months(90, (1, 2, 3)), AnnualPeriod("quarter", 1, 50)]
    result = score_annual(periods)
    assert result.score == D("90.00") and result.months_worked == 3
    covered = [p for p in result.periods if p["kind"] == "quarter"]
    assert covered[0]["status"] == "covered" and covered[0]["weight"] == 0
    assert "annual_period_covered" in [s["code"] for s in result.explanation]


def test_half_year_and_year_periods_count_for_their_uncovered_months_art21():
    """Art. 21 / glossary (kỳ: tháng, quý, 6 tháng, năm): half-year and year periods count."""
    periods = [*_months(80, range(1, 7)), AnnualPeriod("half_year", 2, 92)]
    result = score_annual(periods)
    assert _counted(result)[("half_year", 2)] == [7, 8, 9, 10, 11, 12]
    assert result.score == D("86.00")
    year_only = score_annual([AnnualPeriod("year", 1, 77)])
    assert year_only.score == D("77.00") and year_only.months_worked == 12


def test_worked_months_limit_what_a_period_covers_art21():
    """Art. 21 (time actually worked): a quarter scored for someone posted from August covers
    August and September only."""
    result = score_annual([AnnualPeriod("quarter", 3, 80, worked_months=(8, 9))])
    assert _counted(result)[("quarter", 3)] == [8, 9] and result.months_worked == 2


def test_below_the_minimum_worked_time_no_annual_score_is_formed_art21():
    """U4 / C13 (minimum [unknown]; Decree 90 used 6 months): with ``annual.min_months`` = 6,
    3 months worked form no annual score, and the reason is stated (not a silent drop)."""
    rules = _rules(min_months={"value": "6"})
    short = score_annual(_months(95, (1, 2, 3)), rules)
    assert not short.scored and short.score is None and short.rating is None
    assert short.months_worked == 3 and short.not_scored_reason == "min_months"
    last = short.explanation[-1]
    assert last == {
        "code": "annual_not_scored",
        "reason": "min_months",
        "months": 3,
        "min_months": 6,
    }
    assert score_annual(_months(95, range(1, 7)), rules).scored


def test_no_minimum_worked_time_by_default_c13_art21():
    """C13 / Art. 21 [confirmed]: people on leave are rated on the time actually worked; the
    default has no minimum (``annual.min_months`` = 0), so 3 months give a rating."""
    result = score_annual([AnnualPeriod("month", n, t) for n, t in ((1, 95), (2, 92), (3, 91))])
    assert result.scored and result.score == D("92.67") and result.rating == "excellent"
    assert result.not_scored_reason == ""


@pytest.mark.parametrize(
    ("annual", "path"),
    [
        ({"weighting": {"value": "days"}}, "framework.annual.weighting.value"),
        ({"min_months": {"value": "13"}}, "framework.annual.min_months"),
        ({"min_months": {"value": "2.5"}}, "framework.annual.min_months"),
        ({"leader_role": {"value": "never"}}, "framework.annual.leader_role.value"),
    ],
)
def test_annual_options_are_validated(annual, path):
    data = copy.deepcopy(DECREE_335_DEFAULT_DATA)
    data["annual"].update(annual)
    problems = framework_problems(parse_framework(data))
    assert any(p.startswith(path) for p in problems), problems


def test_bad_calendar_periods_are_input_errors():
    with pytest.raises(ScoringInputError) as exc:
        score_annual([AnnualPeriod("month", 13, 90), AnnualPeriod("week", 1, 90)])
    assert set(exc.value.errors) == {"periods[0]", "periods[1]"}
