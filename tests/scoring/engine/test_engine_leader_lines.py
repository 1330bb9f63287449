"""The ``task_method.leader_lines`` option (Decree 335 Art. 15 cl. 1-2 [confirmed], the choice
[inferred]; legal review W5 / C12) on the pure engine side: parsed, validated, and a leader
with nothing assigned is never "not scored" silently (step ``leader_not_scored``)."""

from __future__ import annotations

import copy
from decimal import Decimal as D

from scoring.engine import (
    DECREE_335_DEFAULT,
    FrameworkRules,
    LeaderMarks,
    Line,
    PeriodInput,
    framework_problems,
    parse_framework,
    score_period,
)
from scoring.engine.framework.rules import LEADER_LINES_DEFAULT


def rules_with(value) -> FrameworkRules:
    data = copy.deepcopy(DECREE_335_DEFAULT.to_dict())
    data["task_method"]["leader_lines"] = value
    return parse_framework(data)


def test_the_default_is_own_and_charge_inferred_citing_art_15():
    choice = DECREE_335_DEFAULT.task_method.leader_lines
    assert choice == LEADER_LINES_DEFAULT
    assert choice.value == "own_and_charge" and choice.confidence == "inferred"
    assert "Điều 15" in choice.citation


def test_a_framework_without_the_key_takes_the_default_and_a_bare_code_is_accepted():
    data = copy.deepcopy(DECREE_335_DEFAULT.to_dict())
    del data["task_method"]["leader_lines"]
    assert parse_framework(data).task_method.leader_lines == LEADER_LINES_DEFAULT
    rules = rules_with("own_only")
    assert rules.task_method.leader_lines.value == "own_only" and not framework_problems(rules)


def test_an_unknown_value_is_rejected():
    errors = framework_problems(rules_with({"value": "everyone", "confidence": "inferred"}))
    assert any(e.startswith("framework.task_method.leader_lines.value") for e in errors)


def test_c12_a_leader_with_no_lines_gets_a_stated_reason_under_own_only():
    """C12 under ``own_only`` (Art. 15): head, no lines, general 30, d = đ = e = 100 → not
    scored, and the explanation says the framework counts only own products."""
    inp = PeriodInput(
        role="head",
        lines=(),
        marks={"general": D(30)},
        leader=LeaderMarks(unit_results=D(100), organising=D(100), cohesion=D(100)),
    )
    result = score_period(inp, rules_with("own_only"))
    assert not result.scored
    step = result.explanation[-1]
    assert step == {"code": "leader_not_scored", "leader_lines": "own_only"}


def test_c12_the_engine_scores_a_leader_from_the_lines_it_is_given():
    """The engine only sees lines: the charge's lines handed over by the service score C12."""
    inp = PeriodInput(
        role="head",
        lines=(Line(1, 4, 4), Line(1, 4, 2)),
        marks={"general": D(30)},
        leader=LeaderMarks(unit_results=D(100), organising=D(100), cohesion=D(100)),
    )
    result = score_period(inp, DECREE_335_DEFAULT)
    assert result.scored and result.total == D("91.25")


def test_a_staff_member_with_nothing_assigned_gets_no_leader_step():
    result = score_period(PeriodInput(role="staff", lines=(), marks={"general": D(30)}))
    assert not result.scored
    assert all(step["code"] != "leader_not_scored" for step in result.explanation)
