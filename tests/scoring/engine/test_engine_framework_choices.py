"""Rounding, self-marks and over-delivery as framework choices (review U1, U2, U7, U13).

Each option is [inferred]: the decree says nothing on rounding (Art. 20), on a self-mark the
evaluator has not marked (Form 01 has a separate evaluator column; Gia Lai §III.4.b), or on
products beyond the assigned quantity (Art. 14, the 100 % cap is [secondary]). Both sides of
every choice and boundary are tested; defaults are in scoring/engine/framework/rules.py and
docs/scoring.md §2 and §8.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    Choice,
    FrameworkRules,
    Line,
    MarksRule,
    Parameter,
    PeriodInput,
    RoundingRule,
    band_for,
    framework_problems,
    parse_framework,
    score_annual,
    score_period,
)


def with_rounding(steps="each_printed_figure", banding="rounded", **kwargs) -> FrameworkRules:
    rounding = RoundingRule(steps=Choice(steps), banding=Choice(banding), **kwargs)
    return dataclasses.replace(DECREE_335_DEFAULT, rounding=rounding)


def with_over_delivery(value: str) -> FrameworkRules:
    method = dataclasses.replace(DECREE_335_DEFAULT.task_method, over_delivery=Choice(value))
    return dataclasses.replace(DECREE_335_DEFAULT, task_method=method)


def c23_input() -> PeriodInput:
    """Review C23 (paper_rounding): 3 products all done, 1 delay; general 21.94."""
    return PeriodInput(lines=(Line(1, 3, 3, delays=1),), marks={"general": "21.94"})


# ----------------------------------------------------------------- rounding (U2, U13)


class TestC23PrintedFiguresAddUp:
    """Review C23 / U13: a/b/c 100 / 100 / 91.67, task % 97.22; re-added by hand."""

    def test_default_rounds_each_printed_figure_and_they_add_up(self):
        result = score_period(c23_input())
        assert DECREE_335_DEFAULT.rounding.steps.value == "each_printed_figure"
        assert [result.criteria[c] for c in "abc"] == [D("100.00"), D("100.00"), D("91.67")]
        # (100 + 100 + 91.67) / 3 = 97.2233.. -> 97.22; 97.22 x 0.7 = 68.054 -> 68.05
        assert result.task_percent == D("97.22")
        assert result.task_points == D("68.05")
        assert result.component_points["general"] == D("21.94")
        assert result.total == D("89.99") == result.task_points + D("21.94")
        assert result.rating == "good"

    def test_once_keeps_the_exact_chain_and_the_printed_figures_do_not_add_up(self):
        result = score_period(c23_input(), with_rounding("once"))
        assert result.task_percent == D("97.22")
        assert result.task_points == D("68.06")  # 97.2222.. x 0.7 = 68.0555..
        assert result.total == D("90.00") and result.rating == "excellent"
        # the paper: 97.22 x 0.7 = 68.054 -> 68.05, + 21.94 = 89.99 != 90.00
        assert (result.task_percent * D("0.7")).quantize(D("0.01")) != result.task_points

    @pytest.mark.parametrize(
        ("steps", "rating"), [("once", "good"), ("each_printed_figure", "good")]
    )
    def test_exact_banding_compares_the_unrounded_total(self, steps, rating):
        # exact total 68.0555.. + 21.94 = 89.9955.. < 90
        result = score_period(c23_input(), with_rounding(steps, "exact"))
        assert result.rating == rating
        assert result.exact["total"] < 90

    def test_explanation_records_the_rounding_used(self):
        steps = [s for s in score_period(c23_input()).explanation if s["code"] == "rounding"]
        assert steps == [
            {
                "code": "rounding",
                "places": 2,
                "mode": "half_up",
                "steps": "each_printed_figure",
                "banding": "rounded",
            }
        ]


class TestC08BandBoundaries:
    """Review C08 / U2 (Art. 20 "từ 90 điểm trở lên"): 89.995 and 69.995, both readings."""

    @pytest.mark.parametrize(
        ("score", "rounded_band", "exact_band"),
        [
            ("90", "excellent", "excellent"),
            ("89.995", "excellent", "good"),
            ("89.994", "good", "good"),
            ("70", "good", "good"),
            ("69.995", "good", "completed"),
            ("69.994", "completed", "completed"),
        ],
    )
    def test_band_for_rounded_and_exact(self, score, rounded_band, exact_band):
        assert band_for(D(score), with_rounding(banding="rounded")) == rounded_band
        assert band_for(D(score), with_rounding(banding="exact")) == exact_band

    @pytest.mark.parametrize(
        ("totals", "banding", "score", "rating"),
        [
            (["90.00", "89.99"], "rounded", "90.00", "excellent"),
            (["90.00", "89.99"], "exact", "90.00", "good"),
            (["70.00", "69.99"], "rounded", "70.00", "good"),
            (["70.00", "69.99"], "exact", "70.00", "completed"),
        ],
    )
    def test_annual_mean_89_995(self, totals, banding, score, rating):
        result = score_annual([D(t) for t in totals], with_rounding(banding=banding))
        assert (result.score, result.rating) == (D(score), rating)

    @pytest.mark.parametrize(
        ("general", "banding", "total", "rating"),
        [
            ("19.995", "rounded", "90.00", "excellent"),
            ("19.995", "exact", "90.00", "good"),
            ("19.994", "rounded", "89.99", "good"),
            ("19.994", "exact", "89.99", "good"),
        ],
    )
    def test_period_total_once(self, general, banding, total, rating):
        inp = PeriodInput(lines=(Line(1, 1, 1),), marks={"general": general})
        result = score_period(inp, with_rounding("once", banding))
        assert (result.total, result.rating) == (D(total), rating)

    @pytest.mark.parametrize(
        ("mode", "places", "expected"),
        [("half_up", 2, "90.00"), ("half_even", 2, "90.00"), ("down", 2, "89.99"),
         ("half_up", 0, "90"), ("down", 1, "89.9")],
    )  # fmt: skip
    def test_places_and_mode(self, mode, places, expected):
        rules = with_rounding(places=Parameter(D(places)), mode=Choice(mode))
        assert score_annual([D("90.00"), D("89.99")], rules).score == D(expected)


class TestRoundingValidationAndParsing:
    def test_stored_framework_without_the_keys_gets_the_defaults(self):
        data = DECREE_335_DEFAULT.to_dict()
        for key in ("rounding", "marks"):
            del data[key]
        del data["task_method"]["over_delivery"]
        rules = parse_framework(data)
        assert rules.rounding == RoundingRule()
        assert rules.marks == MarksRule()
        assert rules.task_method.over_delivery.value == "pooled"
        assert framework_problems(rules) == []

    def test_round_trip(self):
        rules = with_rounding("once", "exact")
        assert parse_framework(rules.to_dict()) == rules

    @pytest.mark.parametrize(
        ("path", "rules"),
        [
            ("framework.rounding.places", with_rounding(places=Parameter(D(3)))),
            ("framework.rounding.mode.value", with_rounding(mode=Choice("ceiling"))),
            ("framework.rounding.steps.value", with_rounding("twice")),
            ("framework.rounding.banding.value", with_rounding(banding="both")),
            ("framework.task_method.over_delivery.value", with_over_delivery("all")),
            (
                "framework.marks.self_mark_without_evaluator.value",
                dataclasses.replace(
                    DECREE_335_DEFAULT, marks=MarksRule(self_mark_without_evaluator=Choice("x"))
                ),
            ),
        ],
    )  # fmt: skip
    def test_bad_values_are_refused(self, path, rules):
        assert any(e.startswith(path) for e in framework_problems(rules)), framework_problems(rules)


# ----------------------------------------------------------------- over-delivery (U1)


def c05_input() -> PeriodInput:
    """Review C05: assigned 4 (k = 1), 2 done, plus an unplanned line of 2 done."""
    return PeriodInput(lines=(Line(1, 4, 2), Line(1, 0, 2)), marks={"general": 30})


def c06_input() -> PeriodInput:
    """Review C06: assigned 4, completed 5, 2 failed reviews and 2 delays."""
    return PeriodInput(lines=(Line(1, 4, 5, failed_reviews=2, delays=2),), marks={"general": 30})


class TestOverDelivery:
    """Art. 14 (a = completed / assigned; the 100 % cap [secondary]); option [inferred]."""

    def test_c05_pooled_default_unplanned_work_fills_the_shortfall(self):
        result = score_period(c05_input())
        assert [result.criteria[c] for c in "abc"] == [D("100.00")] * 3

    @pytest.mark.parametrize("rule", ["cap_each_line", "assigned_only"])
    def test_c05_literal_readings_give_50(self, rule):
        result = score_period(c05_input(), with_over_delivery(rule))
        assert [result.criteria[c] for c in "abc"] == [D("50.00")] * 3
        assert any(s["code"] == "line_capped" for s in result.explanation)

    def test_c06_pooled_default_over_delivery_masks_the_deductions(self):
        result = score_period(c06_input())
        assert [result.criteria[c] for c in "abc"] == [D("100.00")] * 3

    def test_c06_assigned_only_still_pools_over_delivery_on_an_assigned_line(self):
        result = score_period(c06_input(), with_over_delivery("assigned_only"))
        assert [result.criteria[c] for c in "abc"] == [D("100.00")] * 3

    def test_c06_cap_each_line_deducts_from_the_assigned_quantity(self):
        # b = c = (4 - 2 x 0.25) / 4 = 87.5 %
        result = score_period(c06_input(), with_over_delivery("cap_each_line"))
        assert [result.criteria[c] for c in "abc"] == [D("100.00"), D("87.50"), D("87.50")]

    @pytest.mark.parametrize("rule", ["pooled", "cap_each_line", "assigned_only"])
    def test_exactly_assigned_is_the_same_under_every_rule(self, rule):
        inp = PeriodInput(lines=(Line(1, 4, 4, delays=1),), marks={"general": 30})
        result = score_period(inp, with_over_delivery(rule))
        assert [result.criteria[c] for c in "abc"] == [D("100.00"), D("100.00"), D("93.75")]


# ----------------------------------------------------------------- self-marks (U7)


def self_marked_input() -> PeriodInput:
    """Review U7: a self-mark of 30/30 that no evaluator has marked."""
    return PeriodInput(
        lines=(Line(1, 1, 1),), marks={"general": 30}, unappraised_marks=("general.I.1",)
    )


class TestSelfMarkWithoutEvaluator:
    """Form 01 has a separate evaluator column; Gia Lai §III.4.b makes the appraisal count;
    option [inferred], default "not_scored"."""

    def test_default_not_scored_until_the_evaluator_marks(self):
        result = score_period(self_marked_input())
        assert DECREE_335_DEFAULT.marks.self_mark_without_evaluator.value == "not_scored"
        assert not result.scored and result.total is None and result.rating is None
        assert result.explanation[-1] == {
            "code": "period_not_scored",
            "reason": "awaiting_evaluator",
            "marks": ["general.I.1"],
        }

    def test_counts_option_uses_the_self_mark(self):
        rules = dataclasses.replace(
            DECREE_335_DEFAULT, marks=MarksRule(self_mark_without_evaluator=Choice("counts"))
        )
        result = score_period(self_marked_input(), rules)
        assert result.scored and result.total == D("100.00")

    def test_every_mark_appraised_is_scored(self):
        inp = PeriodInput(lines=(Line(1, 1, 1),), marks={"general": 30})
        assert score_period(inp).total == D("100.00")
