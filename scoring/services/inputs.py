"""Turning loaded rows into the engine's ``PeriodInput`` (pure: no database access).

* Lines → ``Line(coefficient=item.coefficient, assigned, completed, failed_reviews, delays,
  exempt_*)``; exemptions are the exempt deduction rows (never more than the counters).
  Lines are exactly pre-merged for speed (``scoring.services.merge``).
* Marks of each ``criteria_marks`` component: the evaluator's mark where given, else the self
  mark, per sub-criterion. Missing sub-criteria are left out so the engine names them. Self-
  marks without an evaluator mark are named in ``unappraised_marks``: the framework's
  ``marks.self_mark_without_evaluator`` says whether they count (review U7).
* Leaders: d from the subordinates' ratings, đ and e from ``LeaderMark``; their lines may
  include the lines of the people in their charge (Art. 15, ``task_method.leader_lines``,
  chosen in ``scoring.services.scorer.charge_people``).
* A period with nothing assigned is "not scored" whatever the marks; missing marks are then
  filled with 0 so that the engine says so instead of reporting missing marks.
"""

from decimal import Decimal

from scoring.engine import FrameworkRules, LeaderMarks, Line, PeriodInput, to_decimal
from scoring.engine.types import Number
from scoring.services.loading import ItemInfo
from scoring.services.merge import engine_line, merged_lines, quantity

ZERO = Decimal(0)


def nothing_assigned(lines: tuple[Line, ...]) -> bool:
    return all(_decimal(line.assigned) * _decimal(line.coefficient) == 0 for line in lines)


def _decimal(value: Number) -> Decimal:
    """A line's quantity or coefficient: the Decimal itself, which is all the service builds
    (``scoring.services.merge``); any other number as the engine reads it."""
    return value if isinstance(value, Decimal) else to_decimal(value)


def marks_input(rules: FrameworkRules, marks: dict, fill_missing: bool) -> dict:
    result = {}
    for component in rules.marks_components:
        # ``quantity``: the Decimal of each mark text made once (marks repeat a few values).
        given = {code: quantity(mark) for code, mark in marks.get(component.code, {}).items()}
        if fill_missing:
            given = {c.code: given.get(c.code, ZERO) for c in component.criteria}
        result[component.code] = given
    return result


def leader_input(
    rules: FrameworkRules,
    role: str,
    leader_marks: tuple[Decimal | str, Decimal | str] | None,
    unit_results: Decimal | None,
    fill_missing: bool,
) -> LeaderMarks | None:
    if not rules.is_leader_role(role):
        return None
    if leader_marks is None:
        if not fill_missing:
            return None
        top = {c.code: max(c.allowed_percents) for c in rules.leader_criteria}
        leader_marks = (top.get("dd", Decimal(100)), top.get("e", Decimal(100)))
    return LeaderMarks(
        unit_results=unit_results if unit_results is not None else Decimal(100),
        organising=Decimal(leader_marks[0]),
        cohesion=Decimal(leader_marks[1]),
    )


def build_input(
    rules: FrameworkRules,
    *,
    role: str,
    position_group: str,
    lines: list[tuple],
    items: dict[int, ItemInfo],
    marks: dict,
    leader_marks: tuple[str, str] | None,
    unit_results: Decimal | None,
    ref: str = "",
    merge: bool = True,
    unappraised: tuple[str, ...] = (),
    engine_lines: tuple[Line, ...] | None = None,
) -> PeriodInput:
    """The engine input; lines are exactly pre-merged unless ``merge`` is false, or given
    already merged (``engine_lines``: a leader's own and charge lines, Art. 15)."""
    if engine_lines is not None:
        pass
    elif merge:
        engine_lines = merged_lines(lines, items, rules)
    else:
        engine_lines = tuple(engine_line(row, items) for row in lines)
    empty = nothing_assigned(engine_lines)
    return PeriodInput(
        role=role,
        lines=engine_lines,
        marks=marks_input(rules, marks, fill_missing=empty),
        leader=leader_input(rules, role, leader_marks, unit_results, fill_missing=empty),
        position_group=position_group or None,
        ref=ref,
        unappraised_marks=tuple(unappraised),
    )
