"""Key tasks (nhiệm vụ trọng tâm, GL §V.1.b, §V.2.a–b) weigh ``organisation.key_task_weight``
in the task percent; the default weight 1 [giả định — tỉnh cần xác nhận] leaves every result as
it was."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    FrameworkRules,
    OrganisationInput,
    OrgTask,
    Parameter,
    PlanFulfilment,
    ScoringInputError,
    framework_problems,
    parse_framework,
    score_organisation,
)

TASKS = (OrgTask("on_time", key=True), OrgTask("not_done"), OrgTask("on_time"), OrgTask("on_time"))


def rules_with_weight(weight) -> FrameworkRules:
    org = dataclasses.replace(DECREE_335_DEFAULT.organisation, key_task_weight=Parameter(D(weight)))
    return dataclasses.replace(DECREE_335_DEFAULT, organisation=org)


def test_default_weight_is_one_and_changes_nothing():
    assert DECREE_335_DEFAULT.organisation.key_task_weight.value == 1
    plain = tuple(OrgTask(t.outcome) for t in TASKS)
    keyed = score_organisation(OrganisationInput(general=D(30), tasks=TASKS))
    unkeyed = score_organisation(OrganisationInput(general=D(30), tasks=plain))
    assert keyed.task_percent == unkeyed.task_percent == D("75.00")
    assert keyed.score == unkeyed.score


def test_a_key_task_weighs_its_weight():
    result = score_organisation(
        OrganisationInput(general=D(30), tasks=TASKS), rules_with_weight("2")
    )
    # (2 × 100 + 0 + 100 + 100) / 5 = 80 %
    assert result.task_percent == D("80.00")
    codes = {s["code"]: s for s in result.explanation}
    assert codes["org_task_percent"]["key_weight"] == "2.00"
    assert any(s["code"] == "org_task" and s.get("key") for s in result.explanation)


def test_a_key_task_not_done_costs_more():
    tasks = (OrgTask("not_done", key=True), OrgTask("on_time"), OrgTask("on_time"))
    result = score_organisation(OrganisationInput(general=D(30), tasks=tasks), rules_with_weight(3))
    assert result.task_percent == D("40.00")  # (0 + 100 + 100) / 5


def test_weight_round_trips_and_is_checked_on_both_sides():
    rules = rules_with_weight("2")
    assert parse_framework(rules.to_dict()) == rules
    assert framework_problems(rules) == []
    assert framework_problems(rules_with_weight("10")) == []
    for bad in ("0.9", "10.5"):
        problems = framework_problems(rules_with_weight(bad))
        assert problems == ["framework.organisation.key_task_weight: phải từ 1 đến 10"]
    data = DECREE_335_DEFAULT.to_dict()
    del data["organisation"]["key_task_weight"]  # stored before key tasks: the default
    assert parse_framework(data).organisation.key_task_weight.value == 1


# --- the agency's own key-task criteria (coverage D8; docs/organisation-scoring.md §1a) -------


def rules_with_criteria(*criteria) -> FrameworkRules:
    from scoring.engine import KeyTaskCriterion

    org = dataclasses.replace(
        DECREE_335_DEFAULT.organisation,
        key_tasks=tuple(
            KeyTaskCriterion(code, label, D(weight)) for code, label, weight in criteria
        ),
    )
    return dataclasses.replace(DECREE_335_DEFAULT, organisation=org)


def test_a_task_linked_to_an_approved_criterion_weighs_that_criterion():
    rules = rules_with_criteria(("NV.1", "Chuyển đổi số", "3"), ("NV.2", "Sắp xếp bộ máy", "1.5"))
    tasks = (
        OrgTask("on_time", key_code="NV.1"),
        OrgTask("not_done", key_code="NV.2"),
        OrgTask("on_time"),
    )
    result = score_organisation(OrganisationInput(general=D(30), tasks=tasks), rules)
    # (3 × 100 + 1.5 × 0 + 100) / 5.5 = 72.727… %
    assert result.task_percent == D("72.73")
    first = next(s for s in result.explanation if s["code"] == "org_task")
    assert (first["key_code"], first["key_label"], first["weight"]) == (
        "NV.1",
        "Chuyển đổi số",
        "3.00",
    )
    percent = next(s for s in result.explanation if s["code"] == "org_task_percent")
    assert percent.get("by_criteria") is True and "key_weight" not in percent


def test_weight_one_criteria_change_nothing():
    rules = rules_with_criteria(("NV.1", "Chuyển đổi số", "1"))
    tasks = (OrgTask("on_time", key_code="NV.1"), OrgTask("not_done"))
    result = score_organisation(OrganisationInput(general=D(30), tasks=tasks), rules)
    assert result.task_percent == D("50.00")


def test_a_code_not_in_the_criteria_is_refused():
    import pytest

    from scoring.engine import ScoringInputError

    rules = rules_with_criteria(("NV.1", "Chuyển đổi số", "2"))
    with pytest.raises(ScoringInputError) as error:
        score_organisation(
            OrganisationInput(general=D(30), tasks=(OrgTask("on_time", key_code="NV.9"),)), rules
        )
    assert "tasks[0].key_code" in str(error.value)


def test_criteria_round_trip_and_are_checked():
    rules = rules_with_criteria(("NV.1", "Chuyển đổi số", "2"))
    assert parse_framework(rules.to_dict()) == rules
    assert framework_problems(rules) == []
    assert framework_problems(rules_with_criteria(("NV.1", "A", "2"), ("NV.1", "B", "2"))) == [
        "framework.organisation.key_tasks: mã 'NV.1' bị trùng"
    ]
    assert framework_problems(rules_with_criteria(("NV.1", " ", "11"))) == [
        "framework.organisation.key_tasks[0].label: không được để trống",
        "framework.organisation.key_tasks[0].weight: phải từ 1 đến 10",
    ]


# --- an agency's key task measured from its work plans (Đắk Lắk §III.3; docs/scoring.md §6) ---


def rules_from_plans(weight="2", mode="ratio") -> FrameworkRules:
    from scoring.engine import KeyTaskCriterion

    criterion = KeyTaskCriterion("NV.KH", "Thực hiện kế hoạch công tác", D(weight), mode)
    org = dataclasses.replace(DECREE_335_DEFAULT.organisation, key_tasks=(criterion,))
    return dataclasses.replace(DECREE_335_DEFAULT, organisation=org)


def test_the_plans_are_one_weighted_entry_of_the_task_percent_not_a_task():
    tasks = (OrgTask("on_time"), OrgTask("not_done"))
    plan = PlanFulfilment(("Kế hoạch công tác năm 2026 (năm 2026)",), 3, 4, 1)
    result = score_organisation(
        OrganisationInput(general=D(30), tasks=tasks, plan=plan), rules_from_plans()
    )
    assert result.task_percent == D("62.50")  # (100 + 0 + 2 × 75) / 4
    assert result.counts["total"] == 2  # the levels' task conditions read the tasks only
    (entry,) = [s for s in result.explanation if s["code"] == "org_key_task_plan"]
    assert (entry["counted"], entry["done"], entry["total"], entry["not_due"]) == (True, 3, 4, 1)
    assert (entry["percent"], entry["weight"]) == ("75.00", "2.00")
    # No plan item: left out, and said.
    missing = score_organisation(OrganisationInput(general=D(30), tasks=tasks), rules_from_plans())
    assert missing.task_percent == D("50.00")
    assert [s["counted"] for s in missing.explanation if s["code"] == "org_key_task_plan"] == [
        False
    ]
    # Off (the default, and any criterion without the option): the plans are not read.
    plain = score_organisation(OrganisationInput(general=D(30), tasks=tasks, plan=plan))
    assert plain.task_percent == D("50.00")
    assert not [s for s in plain.explanation if s["code"] == "org_key_task_plan"]
    with pytest.raises(ScoringInputError) as bad:
        score_organisation(
            OrganisationInput(general=D(30), tasks=tasks, plan=PlanFulfilment((), 5, 4)),
            rules_from_plans(),
        )
    assert "plan.done" in bad.value.errors


def test_the_option_round_trips_only_when_set_and_is_checked():
    data = rules_from_plans().to_dict()
    assert data["organisation"]["key_tasks"][0]["plan_fulfilment"] == "ratio"
    assert parse_framework(data) == rules_from_plans()
    off = rules_from_plans(mode="").to_dict()
    assert "plan_fulfilment" not in off["organisation"]["key_tasks"][0]
    assert framework_problems(rules_from_plans(mode="share")) == [
        "framework.organisation.key_tasks[0].plan_fulfilment: phải để trống hoặc là ratio"
    ]
