"""Beneficiaries' satisfaction answers feed marked sub-criteria through the framework's
``feedback`` rule (issue 33 item 3): weights, the minimum number of answers and what happens
below it are data, with documented defaults (docs/scoring.md §15)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

from scoring.engine import (
    DECREE_335_DEFAULT,
    NGHE_AN_FOUR_GROUPS,
    FrameworkRules,
    Parameter,
    framework_problems,
    parse_framework,
)
from scoring.engine.feedback import feed_marks
from scoring.engine.framework.rules import Choice
from scoring.explain import render_steps

MARKS = {"general": {"II.4": "1.5", "I.1": "5"}}


def rules(**changes) -> FrameworkRules:
    values = {"satisfaction_criteria": ("general.II.4",)}
    for key, value in changes.items():
        values[key] = Choice(value) if key == "below_min" else Parameter(D(value))
    feedback = dataclasses.replace(DECREE_335_DEFAULT.feedback, **values)
    return dataclasses.replace(DECREE_335_DEFAULT, feedback=feedback)


def test_defaults_feed_nothing_in_decree_335_and_the_satisfaction_group_in_nghe_an():
    feedback = DECREE_335_DEFAULT.feedback
    assert feedback.satisfaction_criteria == ()
    assert feedback.min_answers.value == 5
    assert feedback.below_min.value == "evaluator_mark"
    assert feedback.weight.value == 1
    assert feedback.level_percents == {
        "5": D(100), "4": D(75), "3": D(50), "2": D(25), "1": D(0)
    }  # fmt: skip
    assert feed_marks(DECREE_335_DEFAULT, MARKS, {"5": 9}) == (MARKS, (), [])
    assert NGHE_AN_FOUR_GROUPS.feedback.satisfaction_criteria == (
        "satisfaction.S.1",
        "satisfaction.S.2",
    )


def test_minimum_number_of_answers_boundary():
    below, fed, steps = feed_marks(rules(), MARKS, {"5": 3, "1": 1})  # 4 < 5
    assert below == MARKS and fed == ()
    assert render_steps(steps) == [
        "Tiêu chí general.II.4: chưa đủ 5 ý kiến của người dân, doanh nghiệp (số ý kiến ít "
        "không được hiển thị): giữ điểm của người đánh giá."
    ]
    assert "4" not in str(steps[0].get("answers", ""))  # the small count is not stored
    at, fed, steps = feed_marks(rules(), MARKS, {"5": 3, "4": 1, "1": 1})  # 5 answers
    # (3 × 100 + 75 + 0) / 5 = 75 % of 2.5 = 1.875 → 1.88
    assert at["general"]["II.4"] == D("1.88")
    assert at["general"]["I.1"] == "5"
    assert fed == ("general.II.4",)
    assert render_steps(steps) == [
        "Mức độ hài lòng của người dân, doanh nghiệp: 5 ý kiến, bình quân 75,00% → điểm tiêu "
        "chí general.II.4 = 1,88."
    ]


def test_below_minimum_full_marks_and_weight():
    full, fed, _steps = feed_marks(rules(below_min="full_marks"), MARKS, {})
    assert full["general"]["II.4"] == D("2.5") and fed == ("general.II.4",)
    half, _fed, steps = feed_marks(rules(weight="0.5", min_answers="1"), MARKS, {"3": 1})
    # 0.5 × (50 % of 2.5) + 0.5 × 1.5 = 0.625 + 0.75 = 1.375 → 1.38
    assert half["general"]["II.4"] == D("1.38")
    assert "Ý kiến chiếm 50% điểm tiêu chí" in render_steps(steps)[0]


def test_rule_round_trips_and_is_checked():
    good = rules(min_answers="3", weight="0.4")
    assert parse_framework(good.to_dict()) == good
    assert framework_problems(good) == []
    data = DECREE_335_DEFAULT.to_dict()
    del data["feedback"]
    assert parse_framework(data) == DECREE_335_DEFAULT
    bad = dataclasses.replace(
        rules(min_answers="0", weight="1.5"),
        feedback=dataclasses.replace(
            rules(min_answers="0", weight="1.5").feedback,
            satisfaction_criteria=("general.XX",),
            level_percents={"5": D(100)},
        ),
    )
    assert framework_problems(bad) == [
        "framework.feedback.satisfaction_criteria[0]: phải là mã tiêu chí thành phần có trong "
        "khung (thành phần.mã, ví dụ general.II.4)",
        "framework.feedback.level_percents: phải có đủ các mức 5, 4, 3, 2, 1",
        "framework.feedback.min_answers: phải là số nguyên từ 1 trở lên",
        "framework.feedback.weight: phải nằm trong khoảng 0 đến 1",
    ]
