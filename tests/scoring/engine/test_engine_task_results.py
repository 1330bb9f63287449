"""a, b, c from product lines: conversion, deductions, exemptions, cap, not-scored periods."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    Line,
    PeriodInput,
    ScoringInputError,
    compute_task_results,
    line_value,
    score_period,
)


def test_line_value_each_event_costs_25_percent_of_one_product():
    # coefficient 2, completed 1, one failed review: 2 - 0.25 * 2 = 1.5
    assert line_value(D(1), D(2), 1, 0, D("0.25")) == D("1.5")
    # three products, one failed review: 6 - 0.5 = 5.5 (only ONE product loses 25 %)
    assert line_value(D(3), D(2), 1, 0, D("0.25")) == D("5.5")
    # exemptions cancel events
    assert line_value(D(1), D(2), 2, 2, D("0.25")) == D(2)
    # floored at zero
    assert line_value(D(1), D(1), 9, 0, D("0.25")) == 0


def test_line_quality_explanation_step():
    result = compute_task_results(
        [Line(coefficient=2, assigned=1, completed=1, failed_reviews=1, ref="R1")],
        DECREE_335_DEFAULT,
    )
    step = next(s for s in result.explanation if s["code"] == "line_quality")
    assert step == {
        "code": "line_quality",
        "line": 0,
        "ref": "R1",
        "coefficient": "2",
        "completed": "1",
        "failed": 1,
        "exempt": 0,
        "counted": 1,
        "deduction": "0.25",
        "value": "1.50",
    }


def test_late_but_completed_product_still_counts_in_timeliness():
    result = compute_task_results([Line(1, 4, 4, delays=1)], DECREE_335_DEFAULT)
    assert result.timeliness == D("93.75")  # (4 - 0.25) / 4


def test_delays_are_events_two_delays_cost_50_percent():
    result = compute_task_results([Line(1, 2, 2, delays=2)], DECREE_335_DEFAULT)
    assert result.timeliness == D(75)


def test_exempt_delays_cancel_the_deduction():
    result = compute_task_results([Line(1, 2, 2, delays=2, exempt_delays=1)], DECREE_335_DEFAULT)
    assert result.timeliness == D("87.5")


def test_uncompleted_products_count_nowhere_but_the_denominator():
    result = compute_task_results([Line(1, 4, 2)], DECREE_335_DEFAULT)
    assert (result.quantity, result.quality, result.timeliness) == (D(50), D(50), D(50))


def test_over_delivery_is_capped_at_100():
    result = score_period(PeriodInput(lines=(Line(1, 2, 3),), marks={"general": 30}))
    assert result.criteria == {"a": D("100.00"), "b": D("100.00"), "c": D("100.00")}
    assert result.total == D("100.00")
    step = next(s for s in result.explanation if s["code"] == "criterion_percent")
    assert step["capped"] is True and step["uncapped"] == "150.00" and step["percent"] == "100.00"


def test_cap_is_a_framework_parameter():
    method = DECREE_335_DEFAULT.task_method
    uncapped = dataclasses.replace(
        DECREE_335_DEFAULT, task_method=dataclasses.replace(method, cap_percent=None)
    )
    result = compute_task_results([Line(1, 2, 3)], uncapped)
    assert result.quantity == D(150)
    capped_120 = dataclasses.replace(
        DECREE_335_DEFAULT,
        task_method=dataclasses.replace(
            method, cap_percent=dataclasses.replace(method.cap_percent, value=D(120))
        ),
    )
    assert compute_task_results([Line(1, 2, 3)], capped_120).quantity == D(120)


def test_review_deduction_is_a_framework_parameter():
    method = DECREE_335_DEFAULT.task_method
    rules = dataclasses.replace(
        DECREE_335_DEFAULT,
        task_method=dataclasses.replace(
            method,
            review_deduction=dataclasses.replace(method.review_deduction, value=D("0.5")),
        ),
    )
    assert compute_task_results([Line(1, 2, 2, failed_reviews=1)], rules).quality == D(75)


def test_unassigned_extra_work_counts_in_the_numerator():
    result = compute_task_results([Line(1, 2, 1), Line(1, 0, 1)], DECREE_335_DEFAULT)
    assert result.quantity == D(100)


class TestNotScored:
    def test_no_lines(self):
        result = score_period(PeriodInput(lines=(), marks={"general": 30}))
        assert not result.scored
        assert result.total is None and result.rating is None and result.task_points is None
        assert result.criteria == {}
        assert result.explanation[-1] == {"code": "period_not_scored", "reason": "nothing_assigned"}

    def test_only_zero_assigned_lines(self):
        result = score_period(PeriodInput(lines=(Line(2, 0, 0),), marks={"general": 30}))
        assert not result.scored

    def test_inputs_are_still_validated(self):
        with pytest.raises(ScoringInputError) as exc:
            score_period(PeriodInput(lines=(Line(2, 0, 0),), marks={"general": 31}))
        assert "marks.general" in exc.value.errors


class TestValidation:
    def test_exempt_greater_than_failed(self):
        with pytest.raises(ScoringInputError) as exc:
            compute_task_results(
                [Line(1, 1, 1), Line(1, 1, 1), Line(1, 1, 1, failed_reviews=1, exempt_reviews=2)],
                DECREE_335_DEFAULT,
            )
        assert list(exc.value.errors) == ["lines[2].exempt_reviews"]
        assert "không được lớn hơn" in exc.value.errors["lines[2].exempt_reviews"]

    def test_exempt_delays_greater_than_delays(self):
        with pytest.raises(ScoringInputError) as exc:
            compute_task_results([Line(1, 1, 1, exempt_delays=1)], DECREE_335_DEFAULT)
        assert list(exc.value.errors) == ["lines[0].exempt_delays"]

    def test_all_bad_fields_are_listed(self):
        bad = Line(coefficient=0, assigned=-1, completed="abc", failed_reviews=1.5, delays=-2)
        with pytest.raises(ScoringInputError) as exc:
            compute_task_results([Line(1, 1, 1), bad], DECREE_335_DEFAULT)
        assert set(exc.value.errors) == {
            "lines[1].coefficient",
            "lines[1].assigned",
            "lines[1].completed",
            "lines[1].failed_reviews",
            "lines[1].delays",
        }
        assert exc.value.errors["lines[1].assigned"] == "Không được là số âm."
        assert exc.value.errors["lines[1].completed"] == "Phải là một số."

    @pytest.mark.parametrize("value", [None, True, "NaN", "Infinity", [1], "1,5"])
    def test_non_numeric_values(self, value):
        with pytest.raises(ScoringInputError) as exc:
            compute_task_results([Line(1, value, 1)], DECREE_335_DEFAULT)
        assert "lines[0].assigned" in exc.value.errors

    def test_numbers_may_be_int_str_float_or_decimal(self):
        lines = [Line("1.5", 2.0, D(2), failed_reviews="1"), Line(0.1, 10, 10)]
        result = compute_task_results(lines, DECREE_335_DEFAULT)
        assert result.assigned_converted == D("4.0")
        assert result.quality == D("90.625")  # (3 - 0.375 + 1) / 4
