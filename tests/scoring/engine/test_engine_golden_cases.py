"""Golden tests: every worked case of decree-335-notes.md §7 (cases 1–6)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    FrameworkRules,
    LeaderMarks,
    Line,
    PeriodInput,
    QuotaMember,
    allowed_excellent,
    apply_quota,
    framework_problems,
    score_annual,
    score_period,
    score_preview,
    unit_results_percent,
)

# Case 1 catalog: X (coefficient 1), Y (coefficient 2). 6 X + 2 Y assigned, 6 X + 1 Y done;
# one X failed a review once, a *different* X was late once.
CASE_1_LINES = (
    Line(coefficient=1, assigned=1, completed=1, failed_reviews=1, ref="X failed review"),
    Line(coefficient=1, assigned=1, completed=1, delays=1, ref="X late"),
    Line(coefficient=1, assigned=4, completed=4, ref="X other"),
    Line(coefficient=2, assigned=2, completed=1, ref="Y"),
)


def staff(lines, general, **kwargs) -> PeriodInput:
    return PeriodInput(role="staff", lines=tuple(lines), marks={"general": general}, **kwargs)


class TestCase1NonLeaderMonth:
    def test_percentages_points_total_and_rating(self):
        result = score_period(staff(CASE_1_LINES, 27))
        assert result.scored
        assert result.quantity == D("80.00")
        assert result.quality == D("77.50")
        assert result.timeliness == D("77.50")
        assert result.task_percent == D("78.33")
        assert result.task_points == D("54.83")
        assert result.general == D("27.00")
        assert result.total == D("81.83")
        assert result.rating == "good"

    def test_full_precision_before_rounding(self):
        result = score_period(staff(CASE_1_LINES, 27))
        assert result.exact["component.task"].quantize(D("0.001")) == D("54.833")
        assert result.exact["task_percent"].quantize(D("0.001")) == D("78.333")

    def test_converted_quantities(self):
        result = score_period(staff(CASE_1_LINES, 27))
        totals = next(s for s in result.explanation if s["code"] == "converted_totals")
        assert totals == {
            "code": "converted_totals",
            "assigned": "10.00",
            "completed": "8.00",
            "quality": "7.75",
            "timeliness": "7.75",
        }

    def test_same_numbers_with_one_line_per_product_type(self):
        # 6 X in one line: the failed review and the delay each cost 25 % of ONE X.
        lines = [
            Line(coefficient=1, assigned=6, completed=6, failed_reviews=1, delays=1),
            Line(coefficient=2, assigned=2, completed=1),
        ]
        result = score_period(staff(lines, 27))
        assert (result.quality, result.timeliness, result.total) == (
            D("77.50"),
            D("77.50"),
            D("81.83"),
        )

    def test_general_as_sub_criteria_marks(self):
        marks = {
            "I.1": 4.5, "I.2": 4.5,
            "II.1": 2.25, "II.2": 2.25, "II.3": 2.25, "II.4": 2.25,
            "III.1": 2.25, "III.2": 2.25, "III.3": 2.25, "III.4": 2.25,
        }  # fmt: skip
        result = score_period(staff(CASE_1_LINES, marks))
        assert result.general == D("27.00")
        assert result.total == D("81.83")

    def test_alternative_strict_progress_reading(self):
        """Late items excluded entirely = a delay deduction of 100 % per delay."""
        method = dataclasses.replace(
            DECREE_335_DEFAULT.task_method,
            delay_deduction=dataclasses.replace(
                DECREE_335_DEFAULT.task_method.delay_deduction, value=D(1)
            ),
        )
        strict = dataclasses.replace(DECREE_335_DEFAULT, task_method=method)
        assert framework_problems(strict) == []
        result = score_period(staff(CASE_1_LINES, 27), strict)
        assert result.timeliness == D("70.00")
        assert result.task_percent == D("75.83")
        assert result.task_points == D("53.08")
        assert result.total == D("80.08")


class TestCase2DeductionFloor:
    LINES = (Line(coefficient=1, assigned=1, completed=1, failed_reviews=5),)

    def test_quality_floored_at_zero(self):
        result = score_period(staff(self.LINES, 30))
        assert (result.quantity, result.quality, result.timeliness) == (
            D("100.00"),
            D("0.00"),
            D("100.00"),
        )
        assert result.task_percent == D("66.67")
        assert result.task_points == D("46.67")
        assert result.total == D("76.67")
        assert result.rating == "good"

    def test_general_zero_is_not_completed(self):
        result = score_period(staff(self.LINES, 0))
        assert result.total == D("46.67")
        assert result.rating == "not_completed"


class TestCase3ObjectiveCauseExemption:
    def test_exempted_failed_review_is_not_deducted(self):
        lines = list(CASE_1_LINES)
        lines[0] = dataclasses.replace(lines[0], exempt_reviews=1)
        result = score_period(staff(lines, 27))
        assert result.quality == D("80.00")
        assert result.task_percent == D("79.17")
        assert result.task_points == D("55.42")
        assert result.total == D("82.42")
        assert result.rating == "good"


class TestCase4Leader:
    # 20 standard products: 4 failed reviews → b = 95; 8 delays → c = 90; a = 100.
    LINES = (Line(coefficient=1, assigned=20, completed=20, failed_reviews=4, delays=8),)

    def leader(self, d, dd, e=100, role="head"):
        return PeriodInput(
            role=role,
            lines=self.LINES,
            marks={"general": 28},
            leader=LeaderMarks(unit_results=d, organising=dd, cohesion=e),
        )

    def test_all_criteria_full(self):
        result = score_period(self.leader(100, 100))
        assert result.criteria == {
            "a": D("100.00"), "b": D("95.00"), "c": D("90.00"),
            "d": D("100.00"), "dd": D("100.00"), "e": D("100.00"),
        }  # fmt: skip
        assert result.task_percent == D("97.50")
        assert result.task_points == D("68.25")
        assert result.total == D("96.25")
        assert result.rating == "excellent"

    def test_one_subordinate_not_completed_gives_d_50(self):
        d = unit_results_percent(
            {"cs1": "good", "cs2": "completed", "cs3": "not_completed", "cs4": None}
        )
        assert d.percent == 50
        assert d.not_met == ("cs3",)
        assert d.skipped == 1
        result = score_period(self.leader(d.percent, 100))
        assert result.task_percent == D("89.17")
        assert result.task_points == D("62.42")
        assert result.total == D("90.42")
        assert result.rating == "excellent"

    def test_d_and_dd_50(self):
        result = score_period(self.leader(50, 50))
        assert result.task_percent == D("80.83")
        assert result.task_points == D("56.58")
        assert result.total == D("84.58")
        assert result.rating == "good"

    @pytest.mark.parametrize("role", ["head", "deputy"])
    def test_same_formula_for_head_and_deputy(self, role):
        assert score_period(self.leader(100, 100, role=role)).total == D("96.25")

    def test_preview_leader(self):
        payload = {
            "role": "deputy",
            "general": 28,
            "lines": [
                {"coefficient": 1, "assigned": 20, "completed": 20, "failed_reviews": 4,
                 "delays": 8}
            ],
            "leader": {"unit_results": 50, "organising": 50, "cohesion": 100},
        }  # fmt: skip
        out = score_preview(payload)
        assert (out["task_points"], out["total"], out["rating"]) == ("56.58", "84.58", "good")


class TestCase5Annual:
    MONTHS = [92, 88, 95, 90, 85, 91, 93, 89, 94, 90, 87, 92]

    def test_mean_is_excellent(self):
        result = score_annual(self.MONTHS)
        assert result.score == D("90.50")
        assert result.periods_counted == 12
        assert result.rating == "excellent"

    def test_reprimand_forces_not_completed(self):
        result = score_annual(self.MONTHS, disqualifiers=["discipline_reprimand_or_heavier"])
        assert result.score == D("90.50")
        assert result.score_rating == "excellent"
        assert result.rating == "not_completed"
        assert result.disqualifiers_applied == ("discipline_reprimand_or_heavier",)


class TestCase6Quota:
    @staticmethod
    def group(excellent: int, good: int) -> list[QuotaMember]:
        members = [QuotaMember(f"e{i:02d}", D(99) - i, "excellent") for i in range(excellent)]
        members += [QuotaMember(f"g{i:02d}", D(80), "good") for i in range(good)]
        return members

    def test_five_candidates_fifteen_good(self):
        result = apply_quota(self.group(5, 15))
        assert (result.allowed, result.good_after) == (3, 17)
        assert result.kept == ("e00", "e01", "e02")
        assert result.demoted == ("e03", "e04")
        assert result.final_ratings["e04"] == "good"
        assert not result.needs_decision

    def test_eight_candidates_twelve_good_post_trim_base(self):
        result = apply_quota(self.group(8, 12))
        assert (result.allowed, result.good_after) == (3, 17)  # pre-trim base would give 2
        assert result.allowed <= D("0.20") * result.good_after

    def test_outstanding_organisation_ratio(self):
        result = apply_quota(self.group(8, 12), outstanding=True)
        assert result.allowed == 4  # 4 <= 0.25 * 16
        assert allowed_excellent(8, 12, D("0.25")) == 4

    def test_case_rules_are_framework_data(self):
        assert isinstance(DECREE_335_DEFAULT, FrameworkRules)
        assert DECREE_335_DEFAULT.quota.ratio.value == D("0.20")
