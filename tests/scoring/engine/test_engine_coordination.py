"""The related units' coordination ratings on shared tasks feed marked sub-criteria through the
framework's ``coordination`` rule (issue 33 item 3; Nghệ An plan §I.2, §III.2.1): which
criterion, the weight, the minimum number of ratings and what happens below it are data, with
documented defaults (docs/scoring.md §15a)."""

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
from scoring.engine.coordination import feed_coordination
from scoring.engine.framework.rules import Choice
from scoring.explain import render_steps

MARKS = {"coordination": {"C.1": "4", "C.2": "3"}}
A, B = "Phòng Tư pháp (UBND xã A)", "Văn phòng (Sở Tài chính)"


def rules(**changes) -> FrameworkRules:
    values = {}
    for key, value in changes.items():
        values[key] = Choice(value) if key == "below_min" else Parameter(D(value))
    coordination = dataclasses.replace(NGHE_AN_FOUR_GROUPS.coordination, **values)
    return dataclasses.replace(NGHE_AN_FOUR_GROUPS, coordination=coordination)


def test_defaults_feed_nothing_in_decree_335_and_c2_in_nghe_an():
    rule = DECREE_335_DEFAULT.coordination
    assert rule.criteria == ()
    assert rule.min_ratings.value == 2
    assert rule.below_min.value == "evaluator_mark"
    assert rule.weight.value == 1
    assert rule.confidence == "inferred" and "Nghệ An" in rule.citation
    assert feed_coordination(DECREE_335_DEFAULT, MARKS, [(A, "5"), (B, "5")]) == (MARKS, (), [])
    assert NGHE_AN_FOUR_GROUPS.coordination.criteria == ("coordination.C.2",)
    assert framework_problems(NGHE_AN_FOUR_GROUPS) == []


def test_minimum_number_of_ratings_boundary():
    below, fed, steps = feed_coordination(rules(), MARKS, [(A, "5")])  # 1 < 2
    assert below == MARKS and fed == ()
    assert render_steps(steps) == [
        "Tiêu chí coordination.C.2: mới có 1 đánh giá của đơn vị phối hợp (Phòng Tư pháp (UBND "
        "xã A)), chưa đủ 2: giữ điểm của người đánh giá."
    ]
    at, fed, steps = feed_coordination(rules(), MARKS, [(B, "4"), (A, "5")])  # 2 ratings
    # (100 + 75) / 2 = 87.5 % of 5 = 4.375 → 4.38; C.1 stays the evaluator's
    assert at["coordination"]["C.2"] == D("4.38")
    assert at["coordination"]["C.1"] == "4"
    assert fed == ("coordination.C.2",)
    assert render_steps(steps) == [
        "Năng lực phối hợp do các đơn vị phối hợp đánh giá (Phòng Tư pháp (UBND xã A), Văn "
        "phòng (Sở Tài chính)): 2 đánh giá, bình quân 87,50% → điểm tiêu chí coordination.C.2 "
        "= 4,38."
    ]


def test_no_rating_full_marks_and_weight():
    _same, fed, steps = feed_coordination(rules(), MARKS, [])
    assert fed == ()
    assert render_steps(steps) == [
        "Tiêu chí coordination.C.2: chưa có đánh giá của đơn vị phối hợp (cần 2): giữ điểm của "
        "người đánh giá."
    ]
    full, fed, steps = feed_coordination(rules(below_min="full_marks"), MARKS, [(A, "1")])
    assert full["coordination"]["C.2"] == D("5") and fed == ("coordination.C.2",)
    assert render_steps(steps)[0].endswith("chưa đủ 2: cho điểm tối đa.")
    half, _fed, steps = feed_coordination(rules(weight="0.5", min_ratings="1"), MARKS, [(A, "3")])
    # 0.5 × (50 % of 5) + 0.5 × 3 = 1.25 + 1.5 = 2.75
    assert half["coordination"]["C.2"] == D("2.75")
    assert "Đánh giá của đơn vị phối hợp chiếm 50% điểm tiêu chí" in render_steps(steps)[0]


def test_rule_round_trips_and_is_checked():
    good = rules(min_ratings="3", weight="0.4")
    assert parse_framework(good.to_dict()) == good
    assert framework_problems(good) == []
    data = DECREE_335_DEFAULT.to_dict()
    del data["coordination"]
    assert parse_framework(data) == DECREE_335_DEFAULT
    bad = rules(min_ratings="0", weight="1.5")
    bad = dataclasses.replace(
        bad,
        coordination=dataclasses.replace(
            bad.coordination, criteria=("coordination.C.9", "satisfaction.S.1")
        ),
    )
    problems = framework_problems(bad)
    assert any(p.startswith("framework.coordination.criteria[0]") for p in problems)
    assert any(
        p.startswith("framework.coordination.criteria[1]") and "một nguồn" in p for p in problems
    )
    assert any(p.startswith("framework.coordination.min_ratings") for p in problems)
    assert any(p.startswith("framework.coordination.weight") for p in problems)
