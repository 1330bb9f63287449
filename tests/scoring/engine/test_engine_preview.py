"""score_preview: the JSON shape used by the API's live preview."""

from __future__ import annotations

import pytest

from scoring.engine import NGHE_AN_FOUR_GROUPS, ScoringInputError, score_preview

CASE_1 = {
    "role": "staff",
    "general": 27,
    "lines": [
        {"coefficient": 1, "assigned": 6, "completed": 6, "failed_reviews": 1, "delays": 1,
         "exempt_reviews": 0, "exempt_delays": 0},
        {"coefficient": 2, "assigned": 2, "completed": 1, "failed_reviews": 0, "delays": 0,
         "exempt_reviews": 0, "exempt_delays": 0},
    ],
}  # fmt: skip


def test_case_1_output_shape():
    out = score_preview(CASE_1)
    assert set(out) == {
        "quantity", "quality", "timeliness", "task_points", "total", "rating", "explanation",
    }  # fmt: skip
    assert out["quantity"] == "80.00"
    assert out["quality"] == "77.50"
    assert out["timeliness"] == "77.50"
    assert out["task_points"] == "54.83"
    assert out["total"] == "81.83"
    assert out["rating"] == "good"
    # Structured steps only; the Django layer puts them into words (scoring.explain).
    assert all(isinstance(step, dict) and step["code"] for step in out["explanation"])
    total = next(step for step in out["explanation"] if step["code"] == "period_total")
    assert total["total"] == "81.83" and total["parts"] == {"general": "27.00", "task": "54.83"}


def test_numbers_as_floats_and_strings_and_optional_counts():
    payload = {
        "role": "staff",
        "general": "27.0",
        "lines": [
            {"coefficient": 1.0, "assigned": "6", "completed": 6, "failed_reviews": 1,
             "delays": "1"},
            {"coefficient": "2", "assigned": 2.0, "completed": "1"},
        ],
    }  # fmt: skip
    assert score_preview(payload)["total"] == "81.83"


def test_float_goes_through_str():
    payload = {"role": "staff", "general": 0.1 + 0.2, "lines": [
        {"coefficient": 1, "assigned": 1, "completed": 1}]}  # fmt: skip
    # str(0.1 + 0.2) == "0.30000000000000004" -> 70.30000000000000004 -> 70.30
    assert score_preview(payload)["total"] == "70.30"


def test_nothing_assigned_is_not_scored():
    out = score_preview({"role": "staff", "general": 27, "lines": []})
    assert out["total"] is None and out["rating"] is None and out["quantity"] is None
    assert out["task_points"] is None
    assert any(step["code"] == "period_not_scored" for step in out["explanation"])


def test_all_bad_fields_listed():
    payload = {
        "role": "boss",
        "general": 31,
        "lines": [
            {"coefficient": 1, "assigned": "x", "completed": 1},
            {"coefficient": 1, "assigned": 1, "completed": -1, "failed_reviews": 1,
             "exempt_reviews": 2},
            "not a line",
            {"assigned": 1, "completed": 1},
        ],
    }  # fmt: skip
    with pytest.raises(ScoringInputError) as exc:
        score_preview(payload)
    assert exc.value.errors == {
        "role": "Vai trò phải là một trong: staff, head, deputy.",
        "general": "Phải từ 0 đến 30.",
        "lines[0].assigned": "Phải là một số.",
        "lines[1].completed": "Không được là số âm.",
        "lines[1].exempt_reviews": (
            "Số lần được miễn trừ do nguyên nhân khách quan không được lớn hơn số lần đánh "
            "giá chưa đạt."
        ),
        "lines[2]": "Phải là một đối tượng.",
        "lines[3].coefficient": "Thiếu thông tin bắt buộc.",
    }


def test_missing_role_and_general():
    with pytest.raises(ScoringInputError) as exc:
        score_preview({"lines": []})
    assert set(exc.value.errors) == {"role", "general"}


def test_missing_leader_block_for_head_or_deputy():
    for role in ("head", "deputy"):
        with pytest.raises(ScoringInputError) as exc:
            score_preview({**CASE_1, "role": role})
        assert list(exc.value.errors) == ["leader"]


def test_leader_fields_validated():
    payload = {**CASE_1, "role": "head",
               "leader": {"unit_results": 100, "organising": 60}}  # fmt: skip
    with pytest.raises(ScoringInputError) as exc:
        score_preview(payload)
    assert set(exc.value.errors) == {"leader.organising", "leader.cohesion"}


def test_not_a_dict():
    with pytest.raises(ScoringInputError) as exc:
        score_preview(["nope"])
    assert list(exc.value.errors) == ["__all__"]


def test_other_framework_with_marks_and_position_group():
    payload = {
        "role": "staff",
        "position_group": "professional",
        "marks": {"satisfaction": 8, "coordination": 9, "discipline": 10},
        "lines": [{"coefficient": 1, "assigned": 10, "completed": 10, "failed_reviews": 4,
                   "delays": 2}],
    }  # fmt: skip
    out = score_preview(payload, NGHE_AN_FOUR_GROUPS)
    assert (out["task_points"], out["total"], out["rating"]) == ("57.00", "93.00", "excellent")
