"""The position's required competencies, assessed by the evaluator on Form 01, feed marked
sub-criteria through the framework's ``competency`` rule (issue 45 item 2; Đắk Lắk plan §I.1,
§I.2). Off by default: no criterion is fed, so no score changes (docs/scoring.md §15b)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

from scoring.engine import (
    DECREE_335_DEFAULT,
    FrameworkRules,
    Parameter,
    framework_problems,
    parse_framework,
)
from scoring.engine.competency import feed_competencies
from scoring.explain import render_steps

MARKS = {"general": {"I.1": "5", "II.1": "2"}}
ROWS = [("NL-01", "Soạn thảo văn bản", 3, 3), ("NL-02", "Ứng dụng công nghệ thông tin", 4, 2)]


def rules(criteria=("general.II.1",), weight=None) -> FrameworkRules:
    competency = dataclasses.replace(DECREE_335_DEFAULT.competency, criteria=tuple(criteria))
    if weight is not None:
        competency = dataclasses.replace(competency, weight=Parameter(D(weight)))
    return dataclasses.replace(DECREE_335_DEFAULT, competency=competency)


def test_default_is_off_and_cites_the_plan():
    rule = DECREE_335_DEFAULT.competency
    assert rule.criteria == ()
    assert rule.weight.value == 1
    assert rule.confidence == "inferred" and "Đắk Lắk" in rule.citation and "I.2" in rule.citation
    assert feed_competencies(DECREE_335_DEFAULT, MARKS, ROWS) == (MARKS, (), [])
    assert DECREE_335_DEFAULT.to_dict()["competency"]["criteria"] == []
    assert framework_problems(rules()) == []


def test_required_vs_assessed_gives_each_competency_its_points():
    fed_marks, fed, steps = feed_competencies(rules(), MARKS, ROWS)
    # NL-01 met (100 %), NL-02 2 of 4 (50 %): mean 75 % of 2.5 = 1.875 → 1.88
    assert fed_marks["general"]["II.1"] == D("1.88")
    assert fed_marks["general"]["I.1"] == "5"
    assert fed == ("general.II.1",)
    (line,) = render_steps(steps)
    assert line.startswith(
        "Năng lực theo vị trí việc làm do người đánh giá đánh giá (Soạn thảo văn bản: yêu cầu "
        "cấp độ 3, đánh giá cấp độ 3 → 100,00% → 1,25 điểm; Ứng dụng công nghệ thông tin: yêu "
        "cầu cấp độ 4, đánh giá cấp độ 2 → 50,00% → 0,63 điểm): bình quân 75,00% → điểm tiêu "
        "chí general.II.1 = 1,88."
    )
    assert "Căn cứ: Kế hoạch của UBND tỉnh Đắk Lắk" in line
    # the stored figure keeps its inputs: the assessed levels
    assert [(c["required"], c["assessed"]) for c in steps[0]["competencies"]] == [(3, 3), (4, 2)]


def test_a_level_above_the_required_one_gives_no_more_than_meeting_it():
    above, _fed, _steps = feed_competencies(rules(), MARKS, [("NL-01", "Soạn thảo", 2, 5)])
    assert above["general"]["II.1"] == D("2.50")


def test_unassessed_competency_keeps_the_evaluator_mark_and_names_it():
    rows = [("NL-01", "Soạn thảo văn bản", 3, 3), ("NL-02", "Ứng dụng CNTT", 4, None)]
    same, fed, steps = feed_competencies(rules(), MARKS, rows)
    assert same == MARKS and fed == ()
    assert render_steps(steps)[0].startswith(
        "Tiêu chí general.II.1: người đánh giá chưa đánh giá năng lực Ứng dụng CNTT của vị trí "
        "việc làm: giữ điểm của người đánh giá."
    )


def test_no_required_competency_keeps_the_evaluator_mark():
    same, fed, steps = feed_competencies(rules(), MARKS, [])
    assert same == MARKS and fed == ()
    assert "chưa có bản mô tả công việc được phê duyệt" in render_steps(steps)[0]


def test_weight_blends_with_the_evaluator_mark():
    blended, _fed, steps = feed_competencies(rules(weight="0.5"), MARKS, ROWS)
    # 0.5 × 1.875 + 0.5 × 2 = 1.9375 → 1.94
    assert blended["general"]["II.1"] == D("1.94")
    assert "Năng lực chiếm 50% điểm tiêu chí" in render_steps(steps)[0]


def test_checks_name_the_field():
    bad = rules(criteria=("general.Z.9",), weight="1.5")
    problems = framework_problems(bad)
    assert any(p.startswith("framework.competency.criteria[0]") for p in problems)
    assert any(p.startswith("framework.competency.weight") for p in problems)
    parsed = parse_framework(rules().to_dict())
    assert parsed.competency.criteria == ("general.II.1",)
