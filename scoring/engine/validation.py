"""Input validation: collects *every* bad field (path → Vietnamese message)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from .constants import LEADER_CRITERIA, LEADER_FIELDS, ROLES
from .decimals import HUNDRED, ZERO, fmt_plain, to_count, to_decimal
from .errors import ScoringInputError
from .framework.rules import Component, FrameworkRules
from .plan import PeriodPlan
from .types import LeaderMarks, Line, PeriodInput

MSG_NUMBER = "Phải là một số."
MSG_NON_NEGATIVE = "Không được là số âm."
MSG_POSITIVE = "Phải lớn hơn 0."
MSG_COUNT = "Phải là số nguyên không âm."
MSG_REQUIRED = "Thiếu thông tin bắt buộc."


class Errors:
    """Accumulates field errors; keeps the first message per path."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ScoringInputError(self.errors)

    def number(
        self,
        value: Any,
        path: str,
        *,
        minimum: Decimal | None = ZERO,
        maximum: Decimal | None = None,
        positive: bool = False,
    ) -> Decimal | None:
        """Check a number; returns it as Decimal, or None after recording an error."""
        try:
            number = to_decimal(value)
        except (TypeError, ValueError):
            self.add(path, MSG_REQUIRED if value is None else MSG_NUMBER)
            return None
        if positive and number <= 0:
            self.add(path, MSG_POSITIVE)
            return None
        if minimum is not None and number < minimum:
            self.add(
                path,
                MSG_NON_NEGATIVE if minimum == 0 else f"Không được nhỏ hơn {fmt_plain(minimum)}.",
            )
            return None
        if maximum is not None and number > maximum:
            self.add(path, f"Phải từ {fmt_plain(minimum or ZERO)} đến {fmt_plain(maximum)}.")
            return None
        return number

    def count(self, value: Any, path: str) -> int | None:
        try:
            number = to_count(value)
        except (TypeError, ValueError):
            self.add(path, MSG_COUNT)
            return None
        if number < 0:
            self.add(path, MSG_COUNT)
            return None
        return number


def check_lines(lines: Sequence[Line], errors: Errors, path: str = "lines") -> None:
    """Validate product lines (quantities, counts, exemptions)."""
    if isinstance(lines, (str, bytes)) or not isinstance(lines, Sequence):
        errors.add(path, "Phải là một danh sách.")
        return
    for i, line in enumerate(lines):
        if _plainly_valid(line):
            continue  # the checks below would find nothing (the batch's usual line)
        here = f"{path}[{i}]"
        if not isinstance(line, Line):
            errors.add(here, "Dòng sản phẩm không hợp lệ.")
            continue
        errors.number(line.coefficient, f"{here}.coefficient", positive=True)
        errors.number(line.assigned, f"{here}.assigned")
        errors.number(line.completed, f"{here}.completed")
        failed = errors.count(line.failed_reviews, f"{here}.failed_reviews")
        exempt = errors.count(line.exempt_reviews, f"{here}.exempt_reviews")
        delays = errors.count(line.delays, f"{here}.delays")
        exempt_delays = errors.count(line.exempt_delays, f"{here}.exempt_delays")
        if failed is not None and exempt is not None and exempt > failed:
            errors.add(
                f"{here}.exempt_reviews",
                "Số lần được miễn trừ do nguyên nhân khách quan không được lớn hơn số lần "
                "đánh giá chưa đạt.",
            )
        if delays is not None and exempt_delays is not None and exempt_delays > delays:
            errors.add(
                f"{here}.exempt_delays",
                "Số lần được miễn trừ do nguyên nhân khách quan không được lớn hơn số lần "
                "chậm tiến độ.",
            )
        for field, events, exempted in (
            ("failed_by_product", failed, exempt),
            ("delays_by_product", delays, exempt_delays),
        ):
            counted = None if events is None or exempted is None else events - exempted
            _check_breakdown(getattr(line, field), counted, errors, f"{here}.{field}")


def _plainly_valid(line: Any) -> bool:
    """A line of finite Decimals (coefficient > 0, quantities ≥ 0), whole event counts ≥ 0
    with exemptions not above them and no per-product breakdown: :func:`check_lines` would
    record nothing for it, so it is not walked field by field."""
    if type(line) is not Line or line.failed_by_product is not None:
        return False
    if line.delays_by_product is not None:
        return False
    k, n, m = line.coefficient, line.assigned, line.completed
    if type(k) is not Decimal or type(n) is not Decimal or type(m) is not Decimal:
        return False
    if not (k.is_finite() and n.is_finite() and m.is_finite()):
        return False
    if not (k > 0 and n >= 0 and m >= 0):
        return False
    f, x, d, y = line.failed_reviews, line.exempt_reviews, line.delays, line.exempt_delays
    if type(f) is not int or type(x) is not int or type(d) is not int or type(y) is not int:
        return False
    return 0 <= x <= f and 0 <= y <= d


def _check_breakdown(breakdown: Any, counted: int | None, errors: Errors, path: str) -> None:
    """Per-product counted events (Art. 14 b, c): whole numbers ≥ 0 adding up to the line's
    counted events. Entries past the line's products are products not completed."""
    if breakdown is None:
        return
    if isinstance(breakdown, (str, bytes)) or not isinstance(breakdown, Sequence):
        errors.add(path, "Phải là một danh sách số lần của từng sản phẩm.")
        return
    read = [errors.count(value, f"{path}[{i}]") for i, value in enumerate(breakdown)]
    counts = [count for count in read if count is not None]
    if len(counts) != len(read):
        return
    if counted is not None and sum(counts) != counted:
        errors.add(
            path,
            f"Tổng số lần của từng sản phẩm ({sum(counts)}) phải bằng số lần bị trừ điểm "
            f"của dòng sau miễn trừ ({counted}).",
        )


def check_component_marks(
    component: Component, marks: Any, errors: Errors, path: str
) -> Decimal | None:
    """Validate the marks of a criteria_marks component; returns the raw total."""
    scale = component.marks_scale
    if marks is None:
        errors.add(path, MSG_REQUIRED)
        return None
    if isinstance(marks, Mapping):
        total = ZERO
        ok = True
        known = {c.code for c in component.criteria}
        for code in marks:
            if code not in known:
                errors.add(f"{path}.{code}", "Tiêu chí không có trong khung đánh giá.")
                ok = False
        for criterion in component.criteria:
            here = f"{path}.{criterion.code}"
            if criterion.code not in marks:
                errors.add(here, MSG_REQUIRED)
                ok = False
                continue
            value = errors.number(marks[criterion.code], here, maximum=criterion.max_points)
            if value is None:
                ok = False
            else:
                total += value
        return total if ok else None
    return errors.number(marks, path, maximum=scale)


def check_leader_marks(
    leader: Any, rules: FrameworkRules, errors: Errors, path: str = "leader"
) -> dict[str, Decimal] | None:
    """Validate d/đ/e against the framework levels; returns {code: percent}."""
    if leader is None:
        errors.add(path, "Công chức lãnh đạo, quản lý phải có điểm các tiêu chí d, đ, e.")
        return None
    if not isinstance(leader, LeaderMarks):
        errors.add(path, "Điểm tiêu chí lãnh đạo không hợp lệ.")
        return None
    values: dict[str, Decimal] = {}
    for code in rules.task_method.leader_criteria:
        if code not in LEADER_CRITERIA:
            continue
        here = f"{path}.{LEADER_FIELDS[code]}"
        value = errors.number(getattr(leader, LEADER_FIELDS[code]), here, maximum=Decimal(100))
        if value is None:
            continue
        criterion = rules.leader_criterion(code)
        allowed = criterion.allowed_percents
        if code == "d" and criterion.plan_fulfilment == "ratio":
            # d from the unit's plan fulfilment: any value from 0 to the highest level.
            if value > max(allowed):
                errors.add(here, "Giá trị không được lớn hơn " + fmt_plain(max(allowed)) + ".")
                continue
        elif value not in allowed:
            errors.add(
                here,
                "Giá trị phải là một trong các mức: "
                + ", ".join(fmt_plain(a) for a in allowed)
                + ".",
            )
            continue
        values[code] = value
    return values


def check_period_input(inp: PeriodInput, rules: FrameworkRules) -> Errors:
    """Validate a :class:`PeriodInput`; returns the collected errors (maybe empty)."""
    errors = Errors()
    if inp.role not in ROLES:
        errors.add("role", "Vai trò phải là một trong: " + ", ".join(ROLES) + ".")
    if rules.needs_position_group:
        codes = [g.code for g in rules.position_groups]
        if inp.position_group not in codes:
            errors.add(
                "position_group",
                "Nhóm vị trí việc làm phải là một trong: " + ", ".join(codes) + ".",
            )
    check_lines(inp.lines, errors)
    marks = inp.marks if isinstance(inp.marks, Mapping) else {}
    if not isinstance(inp.marks, Mapping):
        errors.add("marks", "Phải là một đối tượng.")
    for component in rules.marks_components:
        check_component_marks(
            component, marks.get(component.code), errors, f"marks.{component.code}"
        )
    for code in marks:
        if code not in {c.code for c in rules.marks_components}:
            errors.add(f"marks.{code}", "Thành phần không có trong khung đánh giá.")
    if inp.role in ROLES and rules.is_leader_role(inp.role):
        check_leader_marks(inp.leader, rules, errors)
    return errors


def plainly_valid_input(inp: Any, plan: PeriodPlan) -> bool:
    """True when :func:`check_period_input` would record nothing for ``inp`` under the plan's
    rules, found without building a path or message per field: a known role (and position
    group when the weights need one), plainly valid lines (:func:`_plainly_valid`), marks
    that are finite Decimals from 0 to their maximum under exactly the framework's component
    and sub-criterion codes, and a leader's d, đ, e Decimals at allowed levels. Anything else
    (another type, a missing or extra code, a bad value) returns False and the caller runs
    the full check, which names every bad field."""
    if type(inp) is not PeriodInput:
        return False
    role = inp.role
    if type(role) is not str or role not in ROLES:
        return False
    if plan.group_codes is not None and inp.position_group not in plan.group_codes:
        return False
    lines: Any = inp.lines  # typed a tuple; a caller may pass anything
    if type(lines) is not tuple and type(lines) is not list:
        return False
    for line in lines:
        if not _plainly_valid(line):
            return False
    if not _plainly_valid_marks(inp.marks, plan):
        return False
    return role not in plan.leader_roles or _plainly_valid_leader(inp.leader, plan)


def _plain_number(value: Any, maximum: Decimal) -> bool:
    """A finite Decimal from 0 to ``maximum``: ``Errors.number`` would accept it."""
    return type(value) is Decimal and value.is_finite() and ZERO <= value <= maximum


def _plainly_valid_marks(marks: Any, plan: PeriodPlan) -> bool:
    if not plan.marks_plain or type(marks) is not dict or len(marks) != len(plan.marks_specs):
        return False
    for spec in plan.marks_specs:  # distinct codes, as many as given: exactly the given ones
        given = marks.get(spec.code)
        if type(given) is not dict:
            if not _plain_number(given, spec.scale):
                return False
            continue
        if len(given) != len(spec.codes):
            return False
        for code, maximum in spec.limits:  # _plain_number, inlined: ten marks a person
            value = given.get(code)
            if type(value) is not Decimal or not value.is_finite():
                return False
            if value < ZERO or value > maximum:
                return False
    return True


def _plainly_valid_leader(leader: Any, plan: PeriodPlan) -> bool:
    if type(leader) is not LeaderMarks or plan.leader_allowed is None:
        return False
    for field, allowed in plan.leader_allowed:
        value = getattr(leader, field)
        # no levels (d from the plan fulfilment): the full validation checks the value
        if not allowed or not _plain_number(value, HUNDRED) or value not in allowed:
            return False
    return True
