"""The per-rules plan of period scoring and the validation's fast path (issue 34)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    NGHE_AN_FOUR_GROUPS,
    LeaderMarks,
    Line,
    PeriodInput,
    ScoringInputError,
    score_period,
)
from scoring.engine.decimals import fmt_min2
from scoring.engine.framework.rules import Choice, RoundingRule
from scoring.engine.plan import period_plan
from scoring.engine.validation import plainly_valid_input

GENERAL = {
    "I.1": D(5),
    "I.2": D(4),
    **{f"II.{i}": D("2.5") for i in range(1, 5)},
    **{f"III.{i}": D(2) for i in range(1, 5)},
}
LINES = (Line(coefficient=D(2), assigned=D(3), completed=D(3), failed_reviews=1, delays=0),)


def staff(**changes) -> PeriodInput:
    return dataclasses.replace(
        PeriodInput(role="staff", lines=LINES, marks={"general": dict(GENERAL)}), **changes
    )


def head(**changes) -> PeriodInput:
    return staff(**{"role": "head", "leader": LeaderMarks(D(100), D(50), D(100)), **changes})


def test_plainly_valid_input_is_taken_for_the_batch_s_inputs():
    plan = period_plan(DECREE_335_DEFAULT)
    assert plainly_valid_input(staff(), plan)
    assert plainly_valid_input(head(), plan)
    assert plainly_valid_input(staff(marks={"general": D("27.5")}), plan)


@pytest.mark.parametrize(
    "inp",
    [
        staff(role="boss"),
        staff(marks={"general": {**GENERAL, "I.1": D(6)}}),  # above its maximum
        staff(marks={"general": {**GENERAL, "I.1": D(-1)}}),
        staff(marks={"general": {**GENERAL, "I.1": D("NaN")}}),
        staff(marks={"general": {**GENERAL, "I.1": "5"}}),  # valid, but not a Decimal
        staff(marks={"general": {k: v for k, v in GENERAL.items() if k != "I.1"}}),
        staff(marks={"general": {**GENERAL, "Z.9": D(1)}}),
        staff(marks={"general": D(31)}),
        staff(marks={"general": dict(GENERAL), "other": {}}),
        staff(marks={}),
        staff(lines=(Line(coefficient=D(0), assigned=D(1), completed=D(1)),)),
        staff(
            lines=(
                Line(coefficient=D(1), assigned=D(1), completed=D(1), delays=1, exempt_delays=2),
            )
        ),
        staff(
            lines=(
                Line(
                    coefficient=D(1),
                    assigned=D(1),
                    completed=D(1),
                    failed_reviews=1,
                    failed_by_product=(1,),
                ),
            )
        ),
        head(leader=None),
        head(leader=LeaderMarks(D(70), D(100), D(100))),
        head(leader=LeaderMarks(100, 100, 100)),
    ],
)
def test_anything_unusual_goes_through_the_full_validation(inp):
    assert not plainly_valid_input(inp, period_plan(DECREE_335_DEFAULT))


def test_a_position_group_is_needed_where_the_weights_depend_on_it():
    nghe_an = period_plan(NGHE_AN_FOUR_GROUPS)
    marks = {
        "satisfaction": {"S.1": D(5), "S.2": D(4)},
        "coordination": {"C.1": D(5), "C.2": D(5)},
        "discipline": {"K.1": D(3), "K.2": D(5)},
    }
    inp = PeriodInput(role="staff", lines=LINES, marks=marks, position_group="support")
    assert plainly_valid_input(inp, nghe_an)
    for group in (None, "x"):
        unusual = dataclasses.replace(inp, position_group=group)
        assert not plainly_valid_input(unusual, nghe_an)
        with pytest.raises(ScoringInputError) as caught:
            score_period(unusual, NGHE_AN_FOUR_GROUPS)
        assert "position_group" in caught.value.errors


def test_one_plan_per_rules_object():
    once = dataclasses.replace(DECREE_335_DEFAULT, rounding=RoundingRule(steps=Choice("once")))
    assert period_plan(DECREE_335_DEFAULT) is period_plan(DECREE_335_DEFAULT)
    assert period_plan(once) is not period_plan(DECREE_335_DEFAULT)
    assert period_plan(once).each_figure is False
    assert period_plan(DECREE_335_DEFAULT).each_figure is True


def test_alternating_rules_objects_each_keep_their_rounding():
    """Rounding per printed figure vs once: the plans do not leak into each other."""
    one_place = dataclasses.replace(
        DECREE_335_DEFAULT,
        rounding=RoundingRule(places=dataclasses.replace(RoundingRule().places, value=D(1))),
    )
    inp = staff(marks={"general": D("27.75")})
    first = score_period(inp, DECREE_335_DEFAULT)
    second = score_period(inp, one_place)
    again = score_period(inp, DECREE_335_DEFAULT)
    assert first.component_points["general"] == D("27.75")
    assert second.component_points["general"] == D("27.8")
    assert again == first


def test_fmt_min2_of_equal_values_and_of_zero():
    assert fmt_min2(D("1.5")) == fmt_min2(D("1.50")) == "1.50"
    assert fmt_min2(D("0.375")) == "0.375"
    assert fmt_min2(D("-0")) == "-0.00"  # the sign of zero is never taken from a cache
    assert fmt_min2(D("0")) == "0.00"
    assert fmt_min2(D("-0")) == "-0.00"
