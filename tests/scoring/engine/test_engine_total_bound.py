"""No accepted framework can produce a total above its maximum (Decree 335 Art. 12: task results
are worth at most 70 points and the total at most 100). W7: ``cap_percent: null`` gave 135.00
"excellent" and made the annual batch raise."""

import copy
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import (
    DECREE_335_DEFAULT,
    NGHE_AN_FOUR_GROUPS,
    FrameworkRules,
    LeaderMarks,
    Line,
    PeriodInput,
    framework_problems,
    parse_framework,
    score_period,
)


def with_task_method(**changes) -> FrameworkRules:
    data = copy.deepcopy(DECREE_335_DEFAULT.to_dict())
    data["task_method"].update(changes)
    return parse_framework(data)


def cap_errors(rules: FrameworkRules) -> list[str]:
    return [
        e for e in framework_problems(rules) if e.startswith("framework.task_method.cap_percent")
    ]


def test_a_missing_cap_is_refused():
    rules = with_task_method(cap_percent=None)
    assert cap_errors(rules) == [
        "framework.task_method.cap_percent: bắt buộc, từ trên 0 đến 100 (%) để tổng điểm không "
        "vượt quá điểm tối đa"
    ]
    # What the refused framework would have produced (C27 of the legal review).
    result = score_period(PeriodInput(lines=(Line(1, 4, 6),), marks={"general": 30}), rules)
    assert result.total == D("135.00")


@pytest.mark.parametrize(
    "cap,ok", [("100", True), ("99.99", True), ("100.01", False), ("0", False)]
)
def test_the_cap_must_lie_in_0_to_100(cap, ok):
    rules = with_task_method(cap_percent={"value": cap})
    assert (cap_errors(rules) == []) is ok


def test_the_shipped_frameworks_validate():
    assert framework_problems(DECREE_335_DEFAULT) == []
    assert framework_problems(NGHE_AN_FOUR_GROUPS) == []


counts = st.integers(min_value=0, max_value=6)


@settings(max_examples=150, deadline=None)
@given(
    assigned=st.integers(min_value=0, max_value=8),
    completed=st.integers(min_value=0, max_value=30),
    failed=counts,
    delays=counts,
    general=st.decimals(min_value=0, max_value=30, places=2),
    leader=st.booleans(),
)
def test_an_accepted_framework_never_exceeds_its_maximum(
    assigned, completed, failed, delays, general, leader
):
    """Over-delivery, unplanned work and leader marks included: the total stays ≤ total_max."""
    inp = PeriodInput(
        role="head" if leader else "staff",
        lines=(
            Line(1, assigned, completed, failed_reviews=failed, delays=delays),
            Line(2, 0, completed),  # unplanned work
        ),
        marks={"general": general},
        leader=LeaderMarks(100, 100, 100) if leader else None,
    )
    result = score_period(inp, DECREE_335_DEFAULT)
    if result.scored:
        assert result.total <= DECREE_335_DEFAULT.total_max
