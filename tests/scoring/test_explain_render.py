"""Every explanation step the engine can emit is put into words by the one renderer,
``scoring/explain.py`` (gettext, Vietnamese by default): the explain page, the read API, the
API's and the worklog's score previews and the prints all show these sentences.

The engine returns structured steps only (``scoring/engine/steps.py``); these tests were the
engine's own renderer's tests, now asserted through the Django renderer."""

from __future__ import annotations

import ast
import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import pytest

from django.utils import translation

import scoring.engine
from scoring.engine import (
    DECREE_335_DEFAULT,
    AnnualPeriod,
    Choice,
    FrameworkRules,
    LeaderMarks,
    Line,
    OrganisationInput,
    OrgTask,
    PeriodInput,
    PlanFulfilment,
    QuotaMember,
    apply_quota,
    compute_task_results,
    parse_framework,
    score_annual,
    score_organisation,
    score_period,
    unit_results_from_plan,
    unit_results_percent,
)
from scoring.engine.framework.rules import KeyTaskCriterion
from scoring.explain import RENDERERS, render_step, render_steps

ENGINE_DIR = Path(scoring.engine.__file__).parent


def engine_step_codes() -> set[str]:
    """Every ``step("<code>", …)`` call in the engine's source (the only way it builds steps)."""
    codes: set[str] = set()
    for path in ENGINE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "step":
                first = node.args[0]
                assert isinstance(first, ast.Constant), f"{path.name}:{node.lineno}"
                codes.add(first.value)
    return codes


def with_rules(**changes) -> FrameworkRules:
    method = dataclasses.replace(DECREE_335_DEFAULT.task_method, **changes)
    return dataclasses.replace(DECREE_335_DEFAULT, task_method=method)


def _min_months(value: str) -> FrameworkRules:
    data = DECREE_335_DEFAULT.to_dict()
    data["annual"]["min_months"]["value"] = value
    return parse_framework(data)


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
    too_short = score_annual([AnnualPeriod("month", 1, 90)], _min_months("6"))
    return [period, unscored, annual, quota, organisation, empty_org, d, worked, too_short]


def more_explanations():
    """The steps the scenarios above do not reach: options of the framework (rounding, capped
    lines, self-marks awaiting the evaluator, the leader's lines), per-product deductions,
    leaders' marks given to staff, the fall-through of an organisation."""
    yield score_period(
        PeriodInput(lines=(Line(1, 4, 5),), marks={"general": 30}),
        with_rules(over_delivery=Choice("cap_each_line")),
    )
    yield score_period(
        PeriodInput(lines=(Line(1, 4, 2), Line(1, 0, 2)), marks={"general": 30}),
        with_rules(over_delivery=Choice("assigned_only")),
    )
    yield score_period(
        PeriodInput(
            lines=(Line(1, 1, 1),), marks={"general": 30}, unappraised_marks=("general.I.1",)
        )
    )
    yield score_period(
        PeriodInput(
            role="head",
            lines=(),
            marks={"general": 30},
            leader=LeaderMarks(unit_results=100, organising=100, cohesion=100),
        ),
        with_rules(leader_lines=Choice("own_only")),
    )
    yield score_period(
        PeriodInput(role="head", lines=(), marks={"general": 30}, leader=LeaderMarks(100, 100, 100))
    )
    yield score_period(
        PeriodInput(
            lines=(Line(1, 1, 1),), marks={"general": 30}, leader=LeaderMarks(100, 100, 100)
        )
    )
    yield compute_task_results(
        [Line(1, 2, 1, failed_reviews=2, failed_by_product=(0, 2), ref="R1")], DECREE_335_DEFAULT
    )
    yield score_annual([80], disqualifiers=["unit_corruption_case"], is_leader=True)
    yield score_annual([])
    yield apply_quota(
        [
            QuotaMember("a", 95, "excellent"),
            QuotaMember("b", 95, "excellent"),
            QuotaMember("c", 95, "excellent"),
            *[QuotaMember(f"g{i}", 80, "good") for i in range(3)],
        ]
    )
    yield score_organisation(
        OrganisationInput(general=10, tasks=(OrgTask("on_time"), OrgTask("not_done")))
    )
    late = tuple(OrgTask("late", delays=1) for _ in range(3))
    yield score_organisation(OrganisationInput(general=25, tasks=late))
    yield from missing_rules_explanations()
    yield plan_fulfilment_explanation()


def plan_fulfilment_rules():
    """The default framework with criterion d taken from the unit's work plans."""
    data = DECREE_335_DEFAULT.to_dict()
    next(c for c in data["leader_criteria"] if c["code"] == "d")["plan_fulfilment"] = "ratio"
    return parse_framework(data)


def plan_fulfilment_explanation():
    """Đắk Lắk §III.3: d from the unit's plan fulfilment (``plan_fulfilment`` = ratio)."""
    plan = PlanFulfilment(plans=("Kế hoạch công tác quý (quý 1/2026)",), done=1, total=5)
    return unit_results_from_plan(plan, plan_fulfilment_rules())


def test_plan_fulfilment_step_in_vietnamese_and_english():
    step = plan_fulfilment_explanation().explanation[0]
    assert render_step(step) == (
        "Tiêu chí d theo kết quả thực hiện kế hoạch công tác của đơn vị (Kế hoạch của UBND tỉnh "
        "Đắk Lắk, mục III.3): Kế hoạch công tác quý (quý 1/2026) — hoàn thành 1/5 mục "
        "(20,00%) → d = 100,00% × 20,00% = 20,00%."
    )
    with translation.override("en"):
        assert render_step(step) == (
            "Criterion d from the unit's work plans (Đắk Lắk Provincial People's Committee "
            "plan, section III.3): Kế hoạch công tác quý (quý 1/2026) — 1/5 items completed "
            "(20,00%) → d = 100,00% × 20,00% = 20,00%."
        )


class _Steps:
    """Steps returned without a result object (the rules of legal review §3)."""

    def __init__(self, *steps):
        self.explanation = steps

    def to_dict(self):
        return {"explanation": list(self.explanation)}


def missing_rules_explanations():
    """M2, M3, M4, M5, M7, M11 (scoring/engine/individual.py, organisation.py)."""
    from scoring.engine.individual import (
        ContractWorkerInput,
        Post,
        cap_deputy_rating,
        evaluated_post,
        score_contract_worker,
    )

    def individual(**changes):
        values = {key: Choice(value) for key, value in changes.items()}
        return dataclasses.replace(
            DECREE_335_DEFAULT,
            individual=dataclasses.replace(DECREE_335_DEFAULT.individual, **values),
        )

    yield score_period(
        PeriodInput(lines=(Line(1, 1, 1),), marks={"general": 30}),
        individual(excellent_conditions="qd366"),
    )
    yield score_organisation(
        OrganisationInput(general=30, tasks=(OrgTask("on_time", quality_ensured=False),))
    )
    staff = dataclasses.replace(
        DECREE_335_DEFAULT.organisation, staff_ratings=Choice("like_subunits")
    )
    yield score_organisation(
        OrganisationInput(
            general=30, tasks=(OrgTask("on_time"),), staff_ratings={"1": "not_completed"}
        ),
        dataclasses.replace(DECREE_335_DEFAULT, organisation=staff),
    )
    # An agency's key task measured from its work plans of the year (Đắk Lắk §III.3): counted,
    # with items not yet due, and left out with no plan item.
    from_plans = dataclasses.replace(
        DECREE_335_DEFAULT.organisation,
        key_tasks=(KeyTaskCriterion("NV.KH", "Thực hiện kế hoạch công tác", Decimal(2), "ratio"),),
    )
    for plan in (PlanFulfilment(("Kế hoạch công tác năm 2026 (năm 2026)",), 2, 3, 1), None):
        yield score_organisation(
            OrganisationInput(general=30, tasks=(OrgTask("on_time"),), plan=plan),
            dataclasses.replace(DECREE_335_DEFAULT, organisation=from_plans),
        )
    # M4 for the year (QĐ 366 Art. 11): the year's products measured against the conditions.
    yield score_annual(
        [
            AnnualPeriod("month", 3, 95, excellent_counts=(10, 10, 4)),
            AnnualPeriod("month", 4, 95, excellent_counts=(10, 10, 1)),
            AnnualPeriod("month", 5, 95),
        ],
        individual(excellent_conditions="qd366"),
    )
    cap = individual(deputy_cap="not_above_head_when_late")
    yield _Steps(cap_deputy_rating("excellent", "good", unit_has_late_work=True, rules=cap)[1])
    yield score_contract_worker(
        ContractWorkerInput(90, 80, 70), individual(contract_workers="own_method")
    )
    posts = (Post("A", primary=True), Post("B", role="head", level=2))
    yield _Steps(evaluated_post(posts, individual(concurrent_posts="highest_post"))[1])
    from scoring.engine import NGHE_AN_FOUR_GROUPS
    from scoring.engine.feedback import feed_marks

    marks = {"satisfaction": {"S.1": "4", "S.2": "4"}}
    yield _Steps(*feed_marks(NGHE_AN_FOUR_GROUPS, marks, {"5": 2})[2])
    yield _Steps(*feed_marks(NGHE_AN_FOUR_GROUPS, marks, {"5": 5, "3": 1})[2])

    # The related units' coordination ratings (issue 33 item 3): below the minimum, and fed.
    from scoring.engine.coordination import feed_coordination

    coordination = {"coordination": {"C.1": "4", "C.2": "4"}}
    units = [("Phòng Tổ chức (Sở Nội vụ)", "5"), ("Văn phòng (Sở Tài chính)", "4")]
    yield _Steps(*feed_coordination(NGHE_AN_FOUR_GROUPS, coordination, units[:1])[2])
    yield _Steps(*feed_coordination(NGHE_AN_FOUR_GROUPS, coordination, units)[2])

    # The position's competencies assessed on Form 01 (issue 45 item 2): none required, not all
    # assessed, fed.
    from scoring.engine.competency import feed_competencies

    rule = dataclasses.replace(DECREE_335_DEFAULT.competency, criteria=("general.II.1",))
    weighed = dataclasses.replace(DECREE_335_DEFAULT, competency=rule)
    general = {"general": {"II.1": "2"}}
    rows = [("NL-VB", "Soạn thảo văn bản", 3, 3), ("NL-CNTT", "Ứng dụng CNTT", 4, 2)]
    yield _Steps(*feed_competencies(weighed, general, [])[2])
    yield _Steps(*feed_competencies(weighed, general, [(*rows[0][:3], None)])[2])
    yield _Steps(*feed_competencies(weighed, general, rows)[2])


def every_step():
    for result in [*all_explanations(), *more_explanations()]:
        yield from result.explanation


def test_every_engine_step_code_has_a_sentence():
    """The engine's codes are read from its source; each has a renderer here, and the
    scenarios above emit each one, so each is rendered once with real parameters."""
    codes = engine_step_codes()
    assert len(codes) > 30
    assert codes <= set(RENDERERS), codes - set(RENDERERS)
    seen = {}
    for item in every_step():
        seen.setdefault(item["code"], item)
    assert codes <= set(seen), sorted(codes - set(seen))
    for language in ("vi", "en"):
        with translation.override(language):
            for code in codes:
                text = render_step(seen[code])
                assert text and not text.startswith(f"{code}:"), (code, text)


def test_steps_are_json_safe_dicts_with_codes():
    for item in every_step():
        assert isinstance(item["code"], str)
        json.dumps(item)


def test_results_to_dict_are_json_safe():
    for result in [*all_explanations(), *more_explanations()]:
        json.dumps(result.to_dict())


def test_framework_step_first():
    result = score_period(PeriodInput(lines=(Line(1, 1, 1),), marks={"general": 1}))
    assert result.explanation[0]["code"] == "framework"
    assert result.explanation[0]["framework"] == DECREE_335_DEFAULT.code
    assert render_step(result.explanation[0]) == (
        "Khung đánh giá: khung tiêu chí theo Nghị định 335/2025/NĐ-CP (phiên bản 1); vai trò: "
        "không giữ chức vụ lãnh đạo, quản lý."
    )


def test_annual_basis_steps_render_in_vietnamese():
    """Art. 21: the explanation names each period, the months it counts for, covered periods
    and the time-weighted mean."""
    *_, worked, too_short = all_explanations()
    text = render_steps(worked.explanation)
    assert text[0] == "Tháng 1: 90,00 điểm, tính cho tháng 1 (trọng số 1)."
    assert text[1] == "Tháng 2: không được chấm điểm, không tính vào điểm bình quân."
    assert text[2] == "Quý I: 70,00 điểm, tính cho tháng 2, 3 (trọng số 2)."
    assert text[4].startswith("Quý II: 75,00 điểm, không tính vì các tháng")
    assert "tổng số tháng = 473,00 / 6 tháng = 78,83 điểm" in text[7]
    assert render_steps(too_short.explanation)[-1] == (
        "Chưa đủ thời gian công tác để xếp loại: 1 tháng, tối thiểu 6 tháng."
    )


def test_period_text():
    result = score_period(
        PeriodInput(lines=(Line(2, 1, 1, failed_reviews=1, ref="X"),), marks={"general": 27})
    )
    text = render_steps(result.explanation)
    assert (
        "Dòng 1: đạt chất lượng = 1 \u00d7 2 \u2212 25% \u00d7 2 \u00d7 1 lần (có 1 lần, miễn "
        "trừ 0) = 1,50 (không nhỏ hơn 0)." in text
    )
    assert text[-1] == "Mức theo điểm 91,17: Hoàn thành xuất sắc nhiệm vụ."


def test_unknown_code_falls_back_to_params():
    assert render_steps([{"code": "custom", "x": 1}]) == ["custom: x=1"]


def test_explanation_names_each_product_deduction_in_vietnamese_art14b():
    """Art. 14 b [confirmed]: the explanation says which product lost what."""
    line = Line(1, 2, 1, failed_reviews=2, failed_by_product=(0, 2), ref="R1")
    result = compute_task_results([line], DECREE_335_DEFAULT)
    step = next(s for s in result.explanation if s["code"] == "line_quality")
    assert step["products"] == [{"product": 2, "events": 2, "share": "0", "value": "0.00"}]
    text = " ".join(render_steps(result.explanation))
    assert "sản phẩm 2: 2 lần" in text
    assert "chưa hoàn thành" in text


@pytest.mark.parametrize(
    "inp",
    [
        PeriodInput(lines=(Line(1, 3, 3, delays=1),), marks={"general": "21.94"}),
        PeriodInput(
            lines=(Line(1, 1, 1),), marks={"general": 30}, unappraised_marks=("general.I.1",)
        ),
    ],
    ids=["c23", "self_marked"],
)
def test_new_steps_have_a_vietnamese_sentence(inp):
    """The rounding, line_capped and awaiting_evaluator steps are rendered."""
    for rules in (DECREE_335_DEFAULT, with_rules(over_delivery=Choice("cap_each_line"))):
        result = score_period(inp, rules)
        for item, text in zip(result.explanation, render_steps(result.explanation), strict=True):
            assert text and not text.startswith(f"{item['code']}:"), item


def test_line_capped_sentence():
    result = score_period(
        PeriodInput(lines=(Line(1, 4, 2), Line(1, 0, 2)), marks={"general": 30}),
        with_rules(over_delivery=Choice("assigned_only")),
    )
    texts = render_steps(result.explanation)
    assert any("chỉ tính 0 trong 2 sản phẩm hoàn thành" in t for t in texts), texts


def test_c12_leader_not_scored_under_own_only_says_why():
    """C12 under ``own_only`` (Art. 15): the sentence says the framework counts only own
    products."""
    step = {"code": "leader_not_scored", "leader_lines": "own_only"}
    assert "chỉ tính sản phẩm của bản thân" in render_step(step)


def test_an_organisation_awaiting_its_appraiser_says_which_criteria():
    """U7 for organisations: the sentence names the self-marked criteria (Gia Lai §III.4.b)."""
    step = {"code": "org_not_scored", "reason": "awaiting_evaluator", "marks": ["G.1"]}
    with translation.override("vi"):
        text = render_step(step)
    assert "G.1" in text and "chưa được cơ quan thẩm định chấm" in text
