"""Leader criteria: d from subordinates, đ and e from framework levels."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    LeaderMarks,
    Line,
    PeriodInput,
    ScoringInputError,
    score_period,
    unit_results_percent,
)


class TestUnitResults:
    def test_everyone_completed_or_better(self):
        result = unit_results_percent(["excellent", "good", "completed"])
        assert result.percent == 100
        assert result.counted == 3 and result.not_met == ()

    def test_one_not_completed(self):
        result = unit_results_percent(["excellent", "not_completed", "good"])
        assert result.percent == 50
        assert result.not_met == ("1",)

    def test_not_scored_subordinates_are_skipped(self):
        result = unit_results_percent({"a": None, "b": "good"})
        assert (result.percent, result.counted, result.skipped) == (100, 1, 1)

    def test_unscored_subordinates_can_count_as_not_met(self):
        """Legal review U-A: with d's ``unscored = not_met`` an evaluator who leaves a failing
        subordinate unappraised ("not scored") no longer raises their own d from 50 to 100."""
        criteria = tuple(
            dataclasses.replace(c, unscored="not_met") if c.code == "d" else c
            for c in DECREE_335_DEFAULT.leader_criteria
        )
        rules = dataclasses.replace(DECREE_335_DEFAULT, leader_criteria=criteria)
        result = unit_results_percent({"a": None, "b": "good"}, rules)
        assert (result.percent, result.counted, result.skipped, result.not_met) == (
            50,
            2,
            0,
            ("a",),
        )
        # The default keeps the documented reading: skipped.
        assert unit_results_percent({"a": None, "b": "good"}).percent == 100

    def test_an_unknown_unscored_choice_is_refused(self):
        from scoring.engine.framework.checks import framework_problems

        criteria = tuple(
            dataclasses.replace(c, unscored="maybe") if c.code == "d" else c
            for c in DECREE_335_DEFAULT.leader_criteria
        )
        rules = dataclasses.replace(DECREE_335_DEFAULT, leader_criteria=criteria)
        assert any("unscored" in problem for problem in framework_problems(rules))

    def test_no_subordinates_is_100(self):
        assert unit_results_percent([]).percent == 100

    def test_accepts_period_results(self):
        good = score_period(PeriodInput(lines=(Line(1, 1, 1),), marks={"general": 10}))
        bad = score_period(PeriodInput(lines=(Line(1, 2, 0),), marks={"general": 10}))
        unscored = score_period(PeriodInput(lines=(), marks={"general": 10}))
        assert (good.rating, bad.rating, unscored.rating) == ("good", "not_completed", None)
        result = unit_results_percent({"x": good, "y": bad, "z": unscored})
        assert result.percent == 50 and result.not_met == ("y",) and result.skipped == 1

    def test_deputy_scope_is_the_list_passed_in(self):
        unit = {"cs1": "good", "cs2": "not_completed", "cs3": "good"}
        in_charge_of_deputy = {k: unit[k] for k in ("cs1", "cs3")}
        assert unit_results_percent(unit).percent == 50  # head: whole unit
        assert unit_results_percent(in_charge_of_deputy).percent == 100  # deputy: own scope

    def test_invalid_rating(self):
        with pytest.raises(ScoringInputError) as exc:
            unit_results_percent({"cs1": "great"})
        assert list(exc.value.errors) == ["subordinates[cs1]"]


class TestLeaderMarksValidation:
    def leader_input(self, leader, role="head"):
        return PeriodInput(role=role, lines=(Line(1, 1, 1),), marks={"general": 30}, leader=leader)

    def test_missing_leader_block(self):
        with pytest.raises(ScoringInputError) as exc:
            score_period(self.leader_input(None))
        assert list(exc.value.errors) == ["leader"]

    def test_values_must_be_framework_levels(self):
        with pytest.raises(ScoringInputError) as exc:
            score_period(self.leader_input(LeaderMarks(75, "x", 150)))
        assert set(exc.value.errors) == {
            "leader.unit_results",
            "leader.organising",
            "leader.cohesion",
        }
        assert exc.value.errors["leader.unit_results"] == (
            "Giá trị phải là một trong các mức: 100, 50."
        )

    def test_staff_leader_block_is_ignored(self):
        result = score_period(self.leader_input(LeaderMarks(50, 50, 50), role="staff"))
        assert result.task_percent == D("100.00")
        assert any(s["code"] == "leader_marks_ignored" for s in result.explanation)

    def test_levels_come_from_the_framework(self):
        assert DECREE_335_DEFAULT.leader_criterion("dd").allowed_percents == (D(100), D(50))
        assert DECREE_335_DEFAULT.leader_criterion("d").min_rating == "completed"
