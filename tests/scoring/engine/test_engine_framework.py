"""Frameworks as data: from_dict / to_dict round trip, validate(), the Nghệ An example."""

from __future__ import annotations

import copy
import json
from decimal import Decimal as D

import pytest

from scoring.engine import (
    CONFIDENCE_LEVELS,
    DECREE_335_DEFAULT,
    NGHE_AN_FOUR_GROUPS,
    FrameworkError,
    LeaderMarks,
    Line,
    PeriodInput,
    ScoringInputError,
    framework_problems,
    parse_framework,
    score_period,
)
from scoring.engine.defaults import DECREE_335_DEFAULT_DATA, NGHE_AN_FOUR_GROUPS_DATA

FRAMEWORKS = [DECREE_335_DEFAULT, NGHE_AN_FOUR_GROUPS]


@pytest.mark.parametrize("rules", FRAMEWORKS, ids=lambda r: r.code)
def test_shipped_frameworks_are_valid(rules):
    assert framework_problems(rules) == []


@pytest.mark.parametrize("rules", FRAMEWORKS, ids=lambda r: r.code)
def test_round_trip_through_json(rules):
    data = rules.to_dict()
    text = json.dumps(data, ensure_ascii=False)  # JSON-safe
    again = parse_framework(json.loads(text))
    assert again == rules
    assert again.to_dict() == data


def test_decimals_are_strings_in_to_dict():
    data = DECREE_335_DEFAULT.to_dict()
    assert data["task_method"]["review_deduction"]["value"] == "0.25"
    assert data["components"][0]["criteria"][2]["max_points"] == "2.5"


def test_default_framework_content():
    rules = DECREE_335_DEFAULT
    general = rules.component("general")
    assert [c.code for c in general.criteria] == [
        "I.1",
        "I.2",
        "II.1",
        "II.2",
        "II.3",
        "II.4",
        "III.1",
        "III.2",
        "III.3",
        "III.4",
    ]
    assert general.max_points == 30 and rules.task_component.max_points == 70
    assert general.criteria[0].label == "Phẩm chất chính trị, đạo đức, văn hóa công vụ"
    assert rules.task_method.staff_criteria == ("a", "b", "c")
    assert rules.task_method.leader_criteria == ("a", "b", "c", "d", "dd", "e")
    assert [b.min_score for b in rules.bands] == [90, 70, 50, 0]
    assert rules.quota.ratio.value == D("0.20") and rules.quota.outstanding_ratio.value == D("0.25")


def _walk(obj, path="framework"):
    if isinstance(obj, dict):
        if "confidence" in obj:
            yield path, obj
        for key, value in obj.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _walk(item, f"{path}[{i}]")


@pytest.mark.parametrize("rules", FRAMEWORKS, ids=lambda r: r.code)
def test_every_rule_object_has_citation_and_confidence(rules):
    objects = list(_walk(rules.to_dict()))
    assert len(objects) > 20
    for path, obj in objects:
        assert obj["confidence"] in CONFIDENCE_LEVELS, path
        assert obj["citation"], path


def test_from_dict_accepts_minimal_dicts_with_defaults():
    data = copy.deepcopy(DECREE_335_DEFAULT_DATA)
    for key in ("annual", "organisation", "citation", "confidence", "note", "period_type"):
        data.pop(key)
    rules = parse_framework(data)
    assert framework_problems(rules) == []
    assert rules.organisation is None
    assert rules.annual.method == "mean_of_scored_periods"


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.pop("components"), "framework.components"),
        (lambda d: d.__setitem__("components", "x"), "framework.components"),
        (
            lambda d: d["components"][0].__setitem__("max_points", "abc"),
            "framework.components[0].max_points",
        ),
        (lambda d: d["bands"][1].pop("min_score"), "framework.bands[1].min_score"),
        (
            lambda d: d["disqualifiers"][2].__setitem__("leaders_only", "yes"),
            "framework.disqualifiers[2].leaders_only",
        ),
        (
            lambda d: d["task_method"].__setitem__("staff_criteria", "abc"),
            "framework.task_method.staff_criteria",
        ),
        (lambda d: d["quota"].__setitem__("ratio", 0.2), "framework.quota.ratio"),
    ],
)
def test_from_dict_structural_errors_have_paths(mutate, path):
    data = copy.deepcopy(DECREE_335_DEFAULT_DATA)
    mutate(data)
    with pytest.raises(FrameworkError) as exc:
        parse_framework(data)
    assert exc.value.path == path


def _errors_after(mutate, base=DECREE_335_DEFAULT_DATA):
    data = copy.deepcopy(base)
    mutate(data)
    return framework_problems(parse_framework(data))


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["components"][0]["criteria"][0].__setitem__("max_points", "4"),
            "framework.components[0].criteria: tổng điểm tối đa",
        ),
        (
            lambda d: d["components"][0]["criteria"][0].__setitem__("max_points", "4"),
            "framework.components[0].groups[0]: tổng điểm tối đa các tiêu chí của nhóm 'I'",
        ),
        (
            lambda d: d["components"][1].__setitem__("max_points", "60"),
            "framework.components: tổng điểm tối đa các thành phần là 90",
        ),
        (
            lambda d: d["bands"][1].__setitem__("min_score", "95"),
            "framework.bands[1].min_score: các ngưỡng điểm phải giảm dần",
        ),
        (lambda d: d["bands"].reverse(), "framework.bands: phải gồm đúng các mức"),
        (lambda d: d["bands"][3].__setitem__("min_score", "10"), "framework.bands[3].min_score"),
        (
            lambda d: d["components"][1].__setitem__("kind", "criteria_marks"),
            "framework.components: phải có đúng một thành phần loại task_results",
        ),
        (
            lambda d: d["task_method"].__setitem__("leader_criteria", ["a", "b", "c", "f"]),
            "framework.task_method.leader_criteria: tiêu chí 'f' chưa được khai báo",
        ),
        (
            lambda d: d["task_method"].__setitem__("staff_criteria", ["a", "d"]),
            "framework.task_method.staff_criteria: 'd' không phải là a, b hoặc c",
        ),
        (
            lambda d: d["task_method"]["review_deduction"].__setitem__("value", "1.5"),
            "framework.task_method.review_deduction",
        ),
        (lambda d: d["quota"]["ratio"].__setitem__("value", "0"), "framework.quota.ratio"),
        (lambda d: d.__setitem__("confidence", "sure"), "framework.confidence"),
        (
            lambda d: d["components"][0]["criteria"][1].__setitem__("code", "I.1"),
            "mã 'I.1' bị trùng",
        ),
        (
            lambda d: d["leader_criteria"][0].__setitem__("min_rating", None),
            "framework.leader_criteria[0].min_rating",
        ),
        (
            lambda d: d["leader_criteria"][1]["levels"][1].__setitem__("percent", "150"),
            "framework.leader_criteria[1].levels[1].percent",
        ),
        (lambda d: d.__setitem__("period_type", "week"), "framework.period_type"),
        (lambda d: d["organisation"]["levels"].reverse(), "framework.organisation.levels"),
        (
            lambda d: d["organisation"]["task_max"].__setitem__("value", "60"),
            "framework.organisation: điểm tiêu chí chung + điểm kết quả nhiệm vụ phải bằng 100",
        ),
        (lambda d: d["annual"].__setitem__("method", "median"), "framework.annual.method"),
    ],
)
def test_validate_reports_semantic_errors(mutate, expected):
    errors = _errors_after(mutate)
    assert any(e.startswith(expected) or expected in e for e in errors), errors


def test_validate_per_group_weights():
    def break_support(d):
        d["components"][1]["max_points_by_group"]["support"] = "20"

    errors = _errors_after(break_support, NGHE_AN_FOUR_GROUPS_DATA)
    assert errors == [
        "framework.components: tổng điểm tối đa các thành phần (nhóm 'support') là 95, "
        "phải bằng 100"
    ]

    def missing_group(d):
        del d["components"][0]["max_points_by_group"]["leadership"]

    errors = _errors_after(missing_group, NGHE_AN_FOUR_GROUPS_DATA)
    assert errors[0].startswith("framework.components[0].max_points_by_group")

    def no_groups_declared(d):
        d["position_groups"] = []

    assert any(
        e.startswith("framework.position_groups")
        for e in _errors_after(no_groups_declared, NGHE_AN_FOUR_GROUPS_DATA)
    )


class TestNgheAn:
    """Four indicator groups with per-job-position-group weights (illustrative)."""

    MARKS = {
        "satisfaction": {"S.1": 5, "S.2": 3},  # 8/10
        "coordination": 9,  # 9/10
        "discipline": {"K.1": 5, "K.2": 5},  # 10/10
    }
    LINES = (Line(1, 10, 10, failed_reviews=4, delays=2),)  # a 100, b 90, c 95 -> 95 %

    def score(self, group, role="staff", leader=None):
        return score_period(
            PeriodInput(
                role=role, lines=self.LINES, marks=self.MARKS, position_group=group, leader=leader
            ),
            NGHE_AN_FOUR_GROUPS,
        )

    def test_professional_weights(self):
        result = self.score("professional")
        # task 95% * 60 = 57; satisfaction 0.8 * 15 = 12; coordination 0.9 * 10 = 9;
        # discipline 1.0 * 15 = 15 -> 93
        assert result.component_points == {
            "task": D("57.00"), "satisfaction": D("12.00"),
            "coordination": D("9.00"), "discipline": D("15.00"),
        }  # fmt: skip
        assert result.total == D("93.00") and result.rating == "excellent"

    def test_support_weights(self):
        result = self.score("support")
        # 0.95 * 50 = 47.5; 0.8 * 25 = 20; 0.9 * 10 = 9; 15 -> 91.5
        assert result.total == D("91.50")

    def test_leadership_weights_with_leader_criteria(self):
        result = self.score("leadership", role="head", leader=LeaderMarks(100, 50, 100))
        # task% = (100 + 90 + 95 + 100 + 50 + 100) / 6 = 89.1666.. printed 89.17; rounding
        # "each_printed_figure" (default): 89.17 * 50 % = 44.585 -> 44.59
        # + 0.8 * 15 = 12 + 0.9 * 20 = 18 + 15 -> 89.59 (exact chain: 89.5833.. -> 89.58)
        assert result.task_percent == D("89.17")
        assert result.task_points == D("44.59")
        assert result.total == D("89.59") and result.rating == "good"
        assert result.general is None

    def test_position_group_required(self):
        with pytest.raises(ScoringInputError) as exc:
            self.score(None)
        assert list(exc.value.errors) == ["position_group"]

    def test_all_components_must_be_marked(self):
        with pytest.raises(ScoringInputError) as exc:
            score_period(
                PeriodInput(
                    lines=self.LINES,
                    position_group="support",
                    marks={"satisfaction": {"S.1": 6}, "general": 3},
                ),
                NGHE_AN_FOUR_GROUPS,
            )
        assert set(exc.value.errors) == {
            "marks.satisfaction.S.1",
            "marks.satisfaction.S.2",
            "marks.coordination",
            "marks.discipline",
            "marks.general",
        }
