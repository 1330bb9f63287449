"""Organisation scores follow the framework's rounding and self-mark choices (issue 13; review
U2, U7, U13, C08 for organisations).

The law says nothing on rounding (Decree 335 Art. 20 "từ 90 điểm trở lên"; Gia Lai plan §III.3
levels "từ 90 điểm trở lên", "từ 70 điểm đến dưới 90 điểm") — every rounding choice is
[inferred] and shared with the civil servants (``FrameworkRules.rounding``; docs/scoring.md §2,
§6). The self-mark choice is [inferred] too (Gia Lai §III.4.b makes the appraised result the one
that counts; ``marks.self_mark_without_evaluator``). Both sides of each boundary are tested.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    Choice,
    MarksRule,
    OrganisationInput,
    OrgTask,
    Parameter,
    RoundingRule,
    score_organisation,
)


def rules_with(steps="each_printed_figure", banding="rounded", places=2, mode="half_up"):
    rounding = RoundingRule(
        places=Parameter(D(places)), mode=Choice(mode), steps=Choice(steps), banding=Choice(banding)
    )
    return dataclasses.replace(DECREE_335_DEFAULT, rounding=rounding)


def all_done(general, n=10, exceeded=4) -> OrganisationInput:
    """Every task done, none late, 40 % exceeded: only the score decides the level."""
    tasks = (OrgTask("exceeded"),) * exceeded + (OrgTask("on_time"),) * (n - exceeded)
    return OrganisationInput(general=general, tasks=tasks)


# --------------------------------------------------- C08 for organisations (Art. 20, §III.3)


class TestLevelBoundaries:
    """General 19.995 + task 70 = 89.995 (and 69.995 around the "good" floor)."""

    @pytest.mark.parametrize(
        ("general", "banding", "score", "rating"),
        [
            ("19.995", "rounded", "90.00", "excellent"),  # default: 89.995 → 90.00
            ("19.995", "exact", "90.00", "good"),  # strictly below 90
            ("19.994", "rounded", "89.99", "good"),
            ("19.994", "exact", "89.99", "good"),
            ("20", "exact", "90.00", "excellent"),
        ],
    )
    def test_excellent_floor(self, general, banding, score, rating):
        result = score_organisation(all_done(general), rules_with(banding=banding))
        assert (result.score, result.rating) == (D(score), rating)
        assert result.score_rating == rating

    @pytest.mark.parametrize(
        ("banding", "score", "rating"),
        [("rounded", "70.00", "good"), ("exact", "70.00", "completed")],
    )
    def test_good_floor_69_995(self, banding, score, rating):
        # 10 tasks, 4 late once: task % = (6 x 100 + 4 x 75) / 10 = 90 → 63 points;
        # general 6.995 → 69.995.
        tasks = (OrgTask("on_time"),) * 6 + (OrgTask("late", delays=1),) * 4
        inp = OrganisationInput(general="6.995", tasks=tasks)
        result = score_organisation(inp, rules_with(banding=banding))
        # 40 % late fails every level's conditions; the score band is what is checked here.
        assert (result.score, result.score_rating) == (D(score), rating)

    def test_default_is_the_civil_servants_default(self):
        rounding = DECREE_335_DEFAULT.rounding
        assert (rounding.digits, rounding.mode.value, rounding.steps.value) == (
            2,
            "half_up",
            "each_printed_figure",
        )
        assert rounding.banding.value == "rounded"


class TestPrintedFiguresAddUp:
    """9 tasks, 1 late once: task % = (8 x 100 + 75) / 9 = 97.2222…; general 21.94 (C23)."""

    def inp(self):
        tasks = (OrgTask("exceeded"),) * 3 + (OrgTask("on_time"),) * 5
        return OrganisationInput(general="21.94", tasks=(*tasks, OrgTask("late", delays=1)))

    def test_default_each_printed_figure(self):
        result = score_organisation(self.inp())
        # 97.22 x 0.7 = 68.054 → 68.05; 68.05 + 21.94 = 89.99 — the printed figures add up
        assert (result.task_percent, result.task_points) == (D("97.22"), D("68.05"))
        assert result.score == D("89.99") == result.task_points + result.general_points
        assert result.score_rating == "good"

    def test_once_rounds_each_figure_from_its_exact_value(self):
        result = score_organisation(self.inp(), rules_with("once"))
        # 97.2222… x 0.7 = 68.0555… → 68.06; 89.9955… → 90.00
        assert (result.task_percent, result.task_points) == (D("97.22"), D("68.06"))
        assert result.score == D("90.00") and result.score_rating == "excellent"
        # the paper: 97.22 x 0.7 = 68.054 → 68.05, so 68.06 cannot be re-derived by hand
        assert (result.task_percent * D("0.7")).quantize(D("0.01")) != result.task_points

    @pytest.mark.parametrize("steps", ["once", "each_printed_figure"])
    def test_exact_banding_compares_the_unrounded_score(self, steps):
        result = score_organisation(self.inp(), rules_with(steps, "exact"))
        assert result.exact["score"] < 90 and result.score_rating == "good"
        org_score = next(s for s in result.explanation if s["code"] == "org_score")
        assert org_score["exact"].startswith("89.99")


class TestPlacesAndMode:
    @pytest.mark.parametrize(
        ("mode", "places", "score", "rating"),
        [
            ("half_up", 2, "90.00", "excellent"),
            ("half_even", 2, "90.00", "excellent"),  # 89.99|5 → 90.00 (9 is odd)
            ("down", 2, "89.99", "good"),
            ("half_up", 1, "90.0", "excellent"),
            ("down", 1, "89.9", "good"),
            ("half_up", 0, "90", "excellent"),
            ("down", 0, "89", "good"),
        ],
    )
    def test_89_995(self, mode, places, score, rating):
        result = score_organisation(all_done("19.995"), rules_with(places=places, mode=mode))
        assert (result.score, result.rating) == (D(score), rating)
        assert str(result.score) == score

    def test_half_even_rounds_89_985_down(self):
        result = score_organisation(all_done("19.985"), rules_with(mode="half_even"))
        assert result.score == D("89.98")

    def test_the_explanation_records_the_rounding(self):
        result = score_organisation(all_done("20"))
        step = next(s for s in result.explanation if s["code"] == "rounding")
        assert step == {
            "code": "rounding",
            "places": 2,
            "mode": "half_up",
            "steps": "each_printed_figure",
            "banding": "rounded",
        }


# ------------------------------------------------------------ U7 for organisations


class TestSelfMarkWithoutAppraisal:
    def inp(self, unappraised=("G.1",)):
        return OrganisationInput(
            general=30, tasks=(OrgTask("on_time"),), unappraised_marks=unappraised
        )

    def test_default_not_scored_until_the_appraiser_marks(self):
        result = score_organisation(self.inp())
        assert DECREE_335_DEFAULT.marks.self_mark_without_evaluator.value == "not_scored"
        assert not result.scored and result.score is None and result.rating is None
        assert result.explanation[-1] == {
            "code": "org_not_scored",
            "reason": "awaiting_evaluator",
            "marks": ["G.1"],
        }

    def test_counts_option_takes_the_self_mark(self):
        rules = dataclasses.replace(
            DECREE_335_DEFAULT, marks=MarksRule(self_mark_without_evaluator=Choice("counts"))
        )
        result = score_organisation(self.inp(), rules)
        assert result.scored and result.score == D("100.00")

    def test_every_mark_appraised_is_scored(self):
        assert score_organisation(self.inp(())).score == D("100.00")

    def test_no_tasks_still_says_no_tasks(self):
        inp = OrganisationInput(general=30, tasks=(), unappraised_marks=("G.1",))
        assert score_organisation(inp).explanation[-1]["reason"] == "no_tasks"
