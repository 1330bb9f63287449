"""Explanation steps are JSON-safe and render to Vietnamese."""

from __future__ import annotations

import json

from scoring.engine import (
    DECREE_335_DEFAULT,
    AnnualPeriod,
    FrameworkRules,
    LeaderMarks,
    Line,
    OrganisationInput,
    OrgTask,
    PeriodInput,
    QuotaMember,
    apply_quota,
    explanation_text_vi,
    score_annual,
    score_organisation,
    score_period,
    unit_results_percent,
)


def all_explanations():
    period = score_period(
        PeriodInput(
            role="head",
            lines=(
                Line(1, 6, 6, failed_reviews=2, exempt_reviews=1, delays=1, ref="Báo cáo"),
                Line(2, 2, 3),
            ),
            marks={"general": 27},
            leader=LeaderMarks(100, 50, 100),
        )
    )
    unscored = score_period(PeriodInput(marks={"general": 27}))
    annual = score_annual([period, unscored, 80], disqualifiers=["unit_corruption_case"])
    quota = apply_quota(
        [
            QuotaMember("a", 95, "excellent"),
            QuotaMember("b", 95, "excellent"),
            *[QuotaMember(f"g{i}", 80, "good") for i in range(5)],
        ]
    )
    organisation = score_organisation(
        OrganisationInput(
            general=25,
            tasks=(OrgTask("on_time"), OrgTask("late", delays=2, ref="NV2"), OrgTask("exceeded")),
            disqualifiers=("personnel_work_violation",),
        )
    )
    empty_org = score_organisation(OrganisationInput(general=25, tasks=()))
    d = unit_results_percent({"x": "good", "y": "not_completed", "z": None})
    worked = score_annual(
        [
            AnnualPeriod("month", 1, 90),
            AnnualPeriod("month", 2, None),
            AnnualPeriod("quarter", 1, 70),
            AnnualPeriod("month", 4, 80),
            AnnualPeriod("quarter", 2, 75),
            AnnualPeriod("month", 5, 81),
            AnnualPeriod("month", 6, 82),
        ]
    )
    data = DECREE_335_DEFAULT.to_dict()
    data["annual"]["min_months"]["value"] = "6"
    too_short = score_annual([AnnualPeriod("month", 1, 90)], FrameworkRules.from_dict(data))
    return [period, unscored, annual, quota, organisation, empty_org, d, worked, too_short]


def test_annual_basis_steps_render_in_vietnamese():
    """Art. 21: the explanation names each period, the months it counts for, covered periods
    and the time-weighted mean."""
    *_, worked, too_short = all_explanations()
    text = explanation_text_vi(worked.explanation)
    assert text[0] == "Tháng 1: 90,00 điểm, tính cho tháng 1 (trọng số 1)."
    assert text[1] == "Tháng 2: không được chấm điểm, không tính vào điểm bình quân."
    assert text[2] == "Quý 1: 70,00 điểm, tính cho tháng 2, 3 (trọng số 2)."
    assert text[4].startswith("Quý 2: 75,00 điểm, không tính vì các tháng")
    assert "tổng số tháng = 473,00 / 6 tháng = 78,83 điểm" in text[7]
    assert explanation_text_vi(too_short.explanation)[-1] == (
        "Chưa đủ thời gian công tác để xếp loại: 1 tháng, tối thiểu 6 tháng."
    )


def test_steps_are_json_safe_dicts_with_codes():
    for result in all_explanations():
        for item in result.explanation:
            assert isinstance(item["code"], str)
            json.dumps(item)


def test_results_to_dict_are_json_safe():
    for result in all_explanations():
        json.dumps(result.to_dict())


def test_every_code_has_a_vietnamese_sentence():
    for result in all_explanations():
        for item, text in zip(
            result.explanation, explanation_text_vi(result.explanation), strict=True
        ):
            assert text and not text.startswith(f"{item['code']}:"), item


def test_period_text():
    result = score_period(
        PeriodInput(lines=(Line(2, 1, 1, failed_reviews=1, ref="X"),), marks={"general": 27})
    )
    text = explanation_text_vi(result.explanation)
    assert (
        "Dòng 1 (X): đạt chất lượng = 1 \u00d7 2 \u2212 25% \u00d7 2 \u00d7 1 lần đánh giá chưa "
        "đạt (có 1 "
        "lần) = 1,50 (không nhỏ hơn 0)." in text
    )
    assert text[-1] == "Mức theo điểm 91,17: Hoàn thành xuất sắc nhiệm vụ."


def test_unknown_code_falls_back_to_params():
    assert explanation_text_vi([{"code": "custom", "x": 1}]) == ["custom: x=1"]


def test_framework_step_first():
    result = score_period(PeriodInput(lines=(Line(1, 1, 1),), marks={"general": 1}))
    assert result.explanation[0]["code"] == "framework"
    assert result.explanation[0]["framework"] == DECREE_335_DEFAULT.code
