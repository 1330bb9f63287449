"""Rounding (ROUND_HALF_UP at 2 decimals, once, at the end) and bands on rounded values."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    Line,
    PeriodInput,
    ScoringInputError,
    band_for,
    cap_head_rating,
    fmt2,
    lower_rating,
    rate,
    rating_rank,
    round2,
    score_period,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("0.004999", "0.00"),
        ("2.675", "2.68"),  # a float would give 2.67
        ("54.8333333333", "54.83"),
        ("89.995", "90.00"),
        ("69.994", "69.99"),
        ("-0.005", "-0.01"),
    ],
)
def test_round2_is_half_up(value, expected):
    assert round2(D(value)) == D(expected)
    assert fmt2(D(value)) == expected


def test_round2_absorbs_representation_error_of_repeating_decimals():
    # An exact 54.835 computed through thirds can come out as 54.8349999…9 (50 digits).
    assert round2(D("54.834999999999999999999999999999999999999999999999")) == D("54.84")


@pytest.mark.parametrize(
    ("score", "band"),
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.995", "excellent"),  # rounds to 90.00
        ("89.994", "good"),
        ("70", "good"),
        ("69.995", "good"),
        ("69.994", "completed"),  # rounds to 69.99
        ("50", "completed"),
        ("49.995", "completed"),
        ("49.994", "not_completed"),
        ("0", "not_completed"),
    ],
)
def test_band_boundaries_use_the_rounded_value(score, band):
    assert band_for(D(score), DECREE_335_DEFAULT) == band


def test_period_total_rounded_once_then_banded():
    # general 19.995 + task points 70 = 89.995 -> 90.00 -> excellent
    result = score_period(PeriodInput(lines=(Line(1, 1, 1),), marks={"general": "19.995"}))
    assert result.total == D("90.00")
    assert result.rating == "excellent"
    result = score_period(PeriodInput(lines=(Line(1, 1, 1),), marks={"general": "19.994"}))
    assert (result.total, result.rating) == (D("89.99"), "good")


def test_percentages_are_reported_rounded_but_kept_exact():
    result = score_period(PeriodInput(lines=(Line(1, 3, 1),), marks={"general": 0}))
    assert result.quantity == D("33.33")
    assert result.exact["a"] != D("33.33")
    assert round2(result.exact["a"]) == D("33.33")
    # total uses the exact task points: 33.333... * 0.7 = 23.333... -> 23.33
    assert result.total == D("23.33")


class TestDisqualifiers:
    def test_any_disqualifier_forces_not_completed(self):
        for code in ("degradation_concluded", "discipline_reprimand_or_heavier"):
            result = rate(D(98), DECREE_335_DEFAULT, disqualifiers=[code])
            assert (result.score_rating, result.rating) == ("excellent", "not_completed")

    def test_unit_corruption_case_applies_to_leaders_only(self):
        staff = rate(D(98), DECREE_335_DEFAULT, disqualifiers=["unit_corruption_case"])
        assert staff.rating == "excellent"
        assert staff.disqualifiers_ignored == ("unit_corruption_case",)
        leader = rate(
            D(98), DECREE_335_DEFAULT, disqualifiers=["unit_corruption_case"], is_leader=True
        )
        assert leader.rating == "not_completed"

    def test_unknown_code_is_an_input_error(self):
        with pytest.raises(ScoringInputError) as exc:
            rate(D(98), DECREE_335_DEFAULT, disqualifiers=["late_for_work"])
        assert list(exc.value.errors) == ["disqualifiers[0]"]


class TestHeadCap:
    @pytest.mark.parametrize(
        ("head", "agency", "expected"),
        [
            ("excellent", "good", "good"),
            ("good", "excellent", "good"),
            ("completed", "completed", "completed"),
            ("excellent", "not_completed", "not_completed"),
        ],
    )
    def test_head_never_above_agency(self, head, agency, expected):
        assert cap_head_rating(head, agency) == expected

    def test_flag_disables_the_cap(self):
        assert cap_head_rating("excellent", "good", enabled=False) == "excellent"
        assert DECREE_335_DEFAULT.organisation.cap_head_by_agency.enabled is True

    def test_invalid_levels(self):
        with pytest.raises(ScoringInputError):
            cap_head_rating("superb", "good")

    def test_rank_helpers(self):
        assert rating_rank("excellent") > rating_rank("good") > rating_rank("completed")
        assert rating_rank("completed") > rating_rank("not_completed")
        assert lower_rating("good", "completed") == "completed"
