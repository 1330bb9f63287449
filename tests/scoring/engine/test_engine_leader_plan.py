"""Criterion d from the unit's work plans (issue 45 item 3; Đắk Lắk §III.3): the framework
option ``leader_criteria[d].plan_fulfilment`` = ``ratio`` makes d = the highest level × the
share of the plan items completed. Off by default: the rules, their fingerprint and every
score are as before."""

from decimal import Decimal

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    LeaderMarks,
    Line,
    PeriodInput,
    PlanFulfilment,
    ScoringInputError,
    framework_problems,
    inputs_fingerprint,
    parse_framework,
    score_period,
    unit_results_from_plan,
)


def with_plan(mode="ratio", code="d"):
    data = DECREE_335_DEFAULT.to_dict()
    next(c for c in data["leader_criteria"] if c["code"] == code)["plan_fulfilment"] = mode
    return parse_framework(data)


PLAN = PlanFulfilment(plans=("Kế hoạch quý (quý 1/2026)",), done=3, total=5)


def test_off_by_default_the_rules_and_their_fingerprint_are_unchanged():
    data = DECREE_335_DEFAULT.to_dict()
    assert all("plan_fulfilment" not in c for c in data["leader_criteria"])
    assert parse_framework(data) == DECREE_335_DEFAULT
    assert inputs_fingerprint({}, parse_framework(data)) == inputs_fingerprint(
        {}, DECREE_335_DEFAULT
    )
    assert unit_results_from_plan(PLAN, DECREE_335_DEFAULT) is None


def test_on_d_is_the_highest_level_times_the_share_completed():
    result = unit_results_from_plan(PLAN, with_plan())
    assert result.percent == Decimal("60.00")
    (step,) = result.explanation
    assert step == {
        "code": "unit_results_plan",
        "plans": ["Kế hoạch quý (quý 1/2026)"],
        "done": 3,
        "total": 5,
        "share": "60.00",
        "max_percent": "100.00",
        "percent": "60.00",
    }
    third = unit_results_from_plan(PlanFulfilment(("K",), 1, 3), with_plan())
    assert third.percent == Decimal("33.33")


def test_no_plan_item_falls_back():
    assert unit_results_from_plan(None, with_plan()) is None
    assert unit_results_from_plan(PlanFulfilment((), 0, 0), with_plan()) is None


def test_a_count_out_of_range_is_refused():
    with pytest.raises(ScoringInputError):
        unit_results_from_plan(PlanFulfilment(("K",), 6, 5), with_plan())


def test_the_period_accepts_a_plan_share_for_d_only_when_the_option_is_on():
    inp = PeriodInput(
        role="head",
        lines=(Line(1, 1, 1),),
        marks={"general": 30},
        leader=LeaderMarks(unit_results=Decimal("60"), organising=100, cohesion=100),
    )
    result = score_period(inp, with_plan())
    assert result.scored and result.criteria["d"] == Decimal("60.00")
    with pytest.raises(ScoringInputError):
        score_period(inp, DECREE_335_DEFAULT)
    over = PeriodInput(
        role="head",
        lines=(Line(1, 1, 1),),
        marks={"general": 30},
        leader=LeaderMarks(unit_results=Decimal("100.5"), organising=100, cohesion=100),
    )
    with pytest.raises(ScoringInputError):
        score_period(over, with_plan())


def test_the_option_is_checked():
    assert framework_problems(with_plan("ratio")) == []
    assert any("plan_fulfilment" in p for p in framework_problems(with_plan("all")))
    assert any("plan_fulfilment" in p for p in framework_problems(with_plan("ratio", code="e")))
