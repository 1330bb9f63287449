"""The rules the law still lacks (legal review §3: M3, M4, M5, M7, M11), each a framework option
with its source and a documented default (docs/scoring.md §14), tested on both sides of its
boundary."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    AnnualPeriod,
    FrameworkRules,
    Line,
    OrganisationInput,
    OrgTask,
    Parameter,
    PeriodInput,
    ScoringInputError,
    framework_problems,
    parse_framework,
    score_annual,
    score_organisation,
    score_period,
)
from scoring.engine.framework.rules import Choice
from scoring.engine.individual import (
    ContractWorkerInput,
    Post,
    cap_deputy_rating,
    evaluated_post,
    score_contract_worker,
)
from scoring.explain import render_steps


def with_individual(**changes) -> FrameworkRules:
    values = {
        key: Parameter(D(value)) if key.startswith("excellent_min") else Choice(value)
        for key, value in changes.items()
    }
    individual = dataclasses.replace(DECREE_335_DEFAULT.individual, **values)
    return dataclasses.replace(DECREE_335_DEFAULT, individual=individual)


def with_task_quality(value: str) -> FrameworkRules:
    org = dataclasses.replace(DECREE_335_DEFAULT.organisation, task_quality=Choice(value))
    return dataclasses.replace(DECREE_335_DEFAULT, organisation=org)


def staff(exceeded: int, plain: int, delays: int = 0) -> PeriodInput:
    lines = tuple(Line(1, 1, 2) for _ in range(exceeded)) + tuple(
        Line(1, 1, 1, delays=delays if i == 0 else 0) for i in range(plain)
    )
    return PeriodInput(role="staff", lines=lines, marks={"general": D(30)})


# --------------------------------------------------------------------------- defaults, options


def test_defaults_are_documented_with_source_and_confidence():
    individual = DECREE_335_DEFAULT.individual
    assert individual.excellent_conditions.value == "score_only"
    assert individual.excellent_min_on_time_share.value == 1
    assert individual.excellent_min_exceeded_share.value == D("0.3")
    assert individual.deputy_cap.value == "none"
    assert individual.contract_workers.value == "civil_servant_method"
    assert individual.concurrent_posts.value == "primary_posting"
    assert DECREE_335_DEFAULT.organisation.task_quality.value == "excellent_and_good"
    for choice in (
        individual.excellent_conditions,
        individual.excellent_min_on_time_share,
        individual.excellent_min_exceeded_share,
        individual.deputy_cap,
        individual.contract_workers,
        individual.concurrent_posts,
        DECREE_335_DEFAULT.organisation.task_quality,
    ):
        assert choice.citation and choice.note
        assert choice.confidence in ("secondary", "inferred", "unknown")
    assert "366" in individual.excellent_conditions.citation
    assert "21169" in individual.deputy_cap.citation


def test_options_round_trip_and_are_checked():
    rules = with_individual(
        excellent_conditions="qd366",
        deputy_cap="not_above_head_when_late",
        contract_workers="own_method",
        concurrent_posts="highest_post",
        excellent_min_exceeded_share="0.4",
    )
    assert parse_framework(rules.to_dict()) == rules
    assert framework_problems(rules) == []
    data = DECREE_335_DEFAULT.to_dict()
    del data["individual"]  # stored before these options: the defaults
    del data["organisation"]["task_quality"]
    assert parse_framework(data) == DECREE_335_DEFAULT
    assert framework_problems(with_individual(deputy_cap="always")) == [
        "framework.individual.deputy_cap.value: phải là một trong none, not_above_head_when_late, "
        "not_above_head_when_any_late"
    ]
    assert framework_problems(with_individual(excellent_min_on_time_share="1.01")) == [
        "framework.individual.excellent_min_on_time_share: phải nằm trong khoảng 0 đến 1"
    ]
    assert framework_problems(with_task_quality("sometimes")) == [
        "framework.organisation.task_quality.value: phải là một trong excellent_and_good, "
        "not_assessed"
    ]


# --------------------------------------------------------------------------- M4


def test_m4_default_excellent_by_score_only():
    result = score_period(staff(exceeded=0, plain=10))
    assert result.rating == "excellent"
    assert all(s["code"] != "excellent_conditions" for s in result.explanation)


def test_m4_qd366_exceeded_share_boundary():
    rules = with_individual(excellent_conditions="qd366")
    at = score_period(staff(exceeded=3, plain=7), rules)  # 30 % exceeded: holds
    assert at.total == D("100.00")
    assert at.rating == "excellent"
    below = score_period(staff(exceeded=2, plain=8), rules)  # 20 %: the next band
    assert below.total == D("100.00")
    assert below.rating == "good"
    text = render_steps(below.explanation)
    assert any(
        "2/10 dòng vượt số giao (20,00%, cần từ 30%)" in line
        and "Chưa đạt: xếp mức Hoàn thành tốt nhiệm vụ" in line
        for line in text
    ), text


def test_m4_qd366_on_time_boundary():
    rules = with_individual(excellent_conditions="qd366")
    late = score_period(staff(exceeded=3, plain=7, delays=1), rules)
    assert late.total >= 90
    assert late.rating == "good"  # 9/10 on time < 100 %
    step = next(s for s in late.explanation if s["code"] == "excellent_conditions")
    assert step["on_time"] == 9 and step["passed"] is False
    relaxed = with_individual(excellent_conditions="qd366", excellent_min_on_time_share="0.9")
    assert score_period(staff(exceeded=3, plain=7, delays=1), relaxed).rating == "excellent"


def test_m4_does_not_touch_good():
    rules = with_individual(excellent_conditions="qd366")
    inp = PeriodInput(role="staff", lines=(Line(1, 1, 1),), marks={"general": D(10)})
    result = score_period(inp, rules)
    assert result.rating == "good"
    assert all(s["code"] != "excellent_conditions" for s in result.explanation)


# --------------------------------------------------------------------------- M3


def org(tasks) -> OrganisationInput:
    return OrganisationInput(general=D(30), tasks=tuple(tasks))


QUALITY_TASKS = [OrgTask("exceeded"), OrgTask("exceeded"), OrgTask("on_time"), OrgTask("on_time")]


def test_m3_quality_not_ensured_fails_excellent_and_good():
    ensured = score_organisation(org(QUALITY_TASKS))
    assert ensured.rating == "excellent"
    tasks = [*QUALITY_TASKS[:-1], OrgTask("on_time", quality_ensured=False)]
    result = score_organisation(org(tasks))
    assert result.score == D("100.00")  # the points do not change
    assert result.rating == "completed"
    assert "quality_not_ensured" in result.failed_conditions["excellent"]
    assert "quality_not_ensured" in result.failed_conditions["good"]
    text = render_steps(result.explanation)
    assert any("Chưa bảo đảm chất lượng, hiệu quả." in line for line in text)
    assert any("có nhiệm vụ chưa bảo đảm chất lượng, hiệu quả" in line for line in text)


def test_m3_not_assessed_and_unassessed_tasks_change_nothing():
    tasks = [*QUALITY_TASKS[:-1], OrgTask("on_time", quality_ensured=False)]
    assert score_organisation(org(tasks), with_task_quality("not_assessed")).rating == "excellent"
    unassessed = [*QUALITY_TASKS[:-1], OrgTask("on_time", quality_ensured=None)]
    assert score_organisation(org(unassessed)).rating == "excellent"


# --------------------------------------------------------------------------- M2


def with_staff_ratings(value: str) -> FrameworkRules:
    org_rules = dataclasses.replace(DECREE_335_DEFAULT.organisation, staff_ratings=Choice(value))
    return dataclasses.replace(DECREE_335_DEFAULT, organisation=org_rules)


def test_m2_default_does_not_read_the_civil_servants_ratings():
    assert DECREE_335_DEFAULT.organisation.staff_ratings.value == "not_considered"
    assert DECREE_335_DEFAULT.organisation.staff_ratings.citation
    inp = dataclasses.replace(org(QUALITY_TASKS), staff_ratings={"7": "not_completed"})
    result = score_organisation(inp)
    assert result.rating == "excellent"
    assert all(s["code"] != "org_staff_ratings" for s in result.explanation)


def test_m2_like_subunits_one_civil_servant_not_completed_fails_excellent():
    rules = with_staff_ratings("like_subunits")
    passing = dataclasses.replace(
        org(QUALITY_TASKS), staff_ratings={"7": "completed", "8": "excellent"}
    )
    assert score_organisation(passing, rules).rating == "excellent"
    failing = dataclasses.replace(
        org(QUALITY_TASKS), staff_ratings={"7": "completed", "8": "not_completed"}
    )
    result = score_organisation(failing, rules)
    assert result.rating != "excellent"
    assert "staff_not_completed" in result.failed_conditions["excellent"]
    text = render_steps(result.explanation)
    assert any("2 người đã có kết quả năm, 1 người không hoàn thành nhiệm vụ" in t for t in text)
    assert any("có công chức của tổ chức không hoàn thành nhiệm vụ" in t for t in text)


def test_m2_option_is_checked():
    assert framework_problems(with_staff_ratings("sometimes")) == [
        "framework.organisation.staff_ratings.value: phải là một trong not_considered, "
        "like_subunits"
    ]


# --------------------------------------------------------------------------- M5


def test_m5_deputy_capped_only_when_late_and_enabled():
    rules = with_individual(deputy_cap="not_above_head_when_late")
    rating, step = cap_deputy_rating("excellent", "good", unit_has_late_work=True, rules=rules)
    assert rating == "good" and step["capped"] is True
    assert render_steps([step]) == [
        "Đơn vị có nhiệm vụ trễ hạn: cấp phó không được xếp cao hơn cấp trưởng (Hoàn thành tốt "
        "nhiệm vụ); Hoàn thành xuất sắc nhiệm vụ → Hoàn thành tốt nhiệm vụ."
    ]
    assert cap_deputy_rating("excellent", "good", unit_has_late_work=False, rules=rules)[0] == (
        "excellent"
    )
    assert cap_deputy_rating("good", "good", unit_has_late_work=True, rules=rules)[0] == "good"
    assert cap_deputy_rating("excellent", "good", unit_has_late_work=True)[0] == "excellent"
    with pytest.raises(ScoringInputError) as raised:
        cap_deputy_rating("best", "good", unit_has_late_work=True, rules=rules)
    assert raised.value.errors == {"deputy_rating": "Mức xếp loại không hợp lệ."}


# --------------------------------------------------------------------------- M7


def test_m7_own_method_band_boundary():
    rules = with_individual(contract_workers="own_method")
    at = score_contract_worker(ContractWorkerInput(90, 90, 90), rules)
    assert (at.score, at.rating) == (D("90.00"), "excellent")
    below = score_contract_worker(ContractWorkerInput(90, 90, D("89.97")), rules)
    assert (below.score, below.rating) == (D("89.99"), "good")
    assert render_steps(below.explanation)[1] == (
        "Điểm = (chất lượng + chấp hành + hiệu quả) / 3 = 89,99 điểm: Hoàn thành tốt nhiệm vụ."
    )


def test_m7_default_and_bad_input():
    with pytest.raises(ScoringInputError) as raised:
        score_contract_worker(ContractWorkerInput(90, 90, 90))
    assert "framework.individual.contract_workers" in raised.value.errors
    rules = with_individual(contract_workers="own_method")
    with pytest.raises(ScoringInputError) as raised:
        score_contract_worker(ContractWorkerInput(101, "x", 50), rules)
    assert raised.value.errors == {
        "quality": "Phải là một số từ 0 đến 100.",
        "compliance": "Phải là một số từ 0 đến 100.",
    }


# --------------------------------------------------------------------------- M11

POSTS = (
    Post("Phòng Tổ chức", role="staff", level=0, share=D("0.7"), primary=True),
    Post("Trung tâm Dịch vụ", role="head", level=2, share=D("0.3")),
)


def test_m11_default_primary_posting():
    post, step = evaluated_post(POSTS)
    assert post.ref == "Phòng Tổ chức"
    assert render_steps([step]) == [
        "Giữ 2 vị trí công tác: đánh giá theo vị trí công tác chính — Phòng Tổ chức."
    ]


def test_m11_highest_post_then_most_time():
    rules = with_individual(concurrent_posts="highest_post")
    assert evaluated_post(POSTS, rules)[0].ref == "Trung tâm Dịch vụ"
    equal = (
        Post("A", role="deputy", level=1, share=D("0.4"), primary=True),
        Post("B", role="deputy", level=1, share=D("0.6")),
    )
    assert evaluated_post(equal, rules)[0].ref == "B"
    tie = (Post("A", "deputy", 1, D("0.5"), True), Post("B", "deputy", 1, D("0.5")))
    assert evaluated_post(tie, rules)[0].ref == "A"  # equal time: the primary posting
    with pytest.raises(ScoringInputError) as raised:
        evaluated_post((Post("A"), Post("B")), rules)
    assert raised.value.errors == {"posts": "Phải có đúng một vị trí công tác chính."}


# --- M4 for the year (legal review 2026-11-25 F5): over all the year's lines ---------------


def _month(number, total, counts):
    return AnnualPeriod("month", number, D(total), excellent_counts=counts)


@pytest.mark.parametrize(
    ("counts", "rating"),
    [
        (((10, 10, 3), (10, 10, 3)), "excellent"),  # 6/20 = 30 % exceeded: holds
        (((10, 10, 4), (10, 10, 1)), "good"),  # 5/20 = 25 %, though March alone passed
        (((10, 10, 3), (10, 9, 3)), "good"),  # one late product in the year: 19/20 on time
        (((10, 10, 3), None), "excellent"),  # April unmeasured adds no line: 3/10 = 30 %
    ],
    ids=["30%_excellent", "25%_good", "late_good", "unmeasured"],
)
def test_m4_the_year_is_measured_over_all_its_lines(counts, rating):
    rules = with_individual(excellent_conditions="qd366")
    periods = [_month(3, "95", counts[0]), _month(4, "95", counts[1])]
    result = score_annual(periods, rules)
    assert result.score == D("95.00")
    assert (result.score_rating, result.rating) == (rating, rating)
    step = next(s for s in result.explanation if s["code"] == "annual_excellent_conditions")
    assert step["passed"] is (rating == "excellent")
    text = " ".join(render_steps(result.explanation))
    assert "cả năm (Quy định 366-QĐ/TW, Điều 11)" in text
    if counts[1] is None:
        assert "1 kỳ không có số dòng sản phẩm để đếm" in text


def test_m4_the_year_by_default_and_below_excellent_is_untouched():
    periods = [_month(3, "95", (10, 10, 0))]
    default = score_annual(periods)
    assert default.rating == "excellent"
    assert all(s["code"] != "annual_excellent_conditions" for s in default.explanation)
    rules = with_individual(excellent_conditions="qd366")
    good = score_annual([_month(3, "85", (10, 10, 0))], rules)
    assert good.rating == "good"
    assert all(s["code"] != "annual_excellent_conditions" for s in good.explanation)


def test_m4_the_year_a_disqualifier_still_wins():
    rules = with_individual(excellent_conditions="qd366")
    result = score_annual(
        [_month(3, "95", (10, 10, 0))], rules, disqualifiers=["degradation_concluded"]
    )
    assert (result.score_rating, result.rating) == ("good", "not_completed")
