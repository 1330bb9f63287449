"""The semantic checks of a parsed framework: :func:`framework_problems` returns the list of
problems, each a Vietnamese message prefixed with its path (empty = usable)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..constants import (
    ANNUAL_LEADER_ROLES,
    ANNUAL_METHODS,
    ANNUAL_WEIGHTINGS,
    COMPONENT_KINDS,
    CONCURRENT_POST_RULES,
    CONFIDENCE_LEVELS,
    CONTRACT_WORKER_METHODS,
    DEPUTY_CAP_RULES,
    EXCELLENT_CONDITION_RULES,
    FEEDBACK_BELOW_MIN_RULES,
    LEADER_CRITERIA,
    LEADER_LINE_SOURCES,
    LINE_CRITERIA,
    ORG_FALL_THROUGHS,
    ORG_OVERDUE_UNREPORTED,
    ORG_STAFF_RATINGS_RULES,
    ORG_TASK_QUALITY_RULES,
    OVER_DELIVERY_RULES,
    PERIOD_TYPES,
    QUOTA_BASES,
    QUOTA_GROUPINGS,
    QUOTA_ROUNDINGS,
    RATINGS,
    ROUNDING_BANDINGS,
    ROUNDING_MODES,
    ROUNDING_STEPS,
    SATISFACTION_LEVELS,
    SELF_MARK_RULES,
)
from ..decimals import ONE, ZERO
from .rules import (
    PLAN_FULFILMENT_MODES,
    UNSCORED_SUBORDINATES,
    AnnualRule,
    Band,
    Choice,
    Component,
    Disqualifier,
    FrameworkRules,
    IndividualRules,
    OrganisationRules,
    RoundingRule,
)

# --------------------------------------------------------------------------- validate


def framework_problems(rules: FrameworkRules) -> list[str]:
    """Semantic checks of ``rules``: Vietnamese messages prefixed with a path; empty = usable."""
    errors: list[str] = []

    def err(path: str, message: str) -> None:
        errors.append(f"{path}: {message}")

    _check_confidence(rules, "framework", err)
    if not rules.code:
        err("framework.code", "không được để trống")
    if rules.period_type not in PERIOD_TYPES:
        err("framework.period_type", f"phải là một trong {', '.join(PERIOD_TYPES)}")
    if rules.total_max <= 0:
        err("framework.total_max", "phải lớn hơn 0")

    group_codes = [g.code for g in rules.position_groups]
    _check_unique(group_codes, "framework.position_groups", err)
    _validate_components(rules, set(group_codes), err)
    _validate_task_method(rules, err)
    _validate_leader_criteria(rules, err)
    _validate_bands(rules.bands, rules.total_max, "framework.bands", err)
    _validate_disqualifiers(rules.disqualifiers, "framework.disqualifiers", err)
    for name in ("ratio", "outstanding_ratio"):
        value = getattr(rules.quota, name).value
        if not ZERO < value <= ONE:
            err(f"framework.quota.{name}", "phải lớn hơn 0 và không vượt quá 1")
    for name, allowed in (
        ("group_by", QUOTA_GROUPINGS),
        ("base", QUOTA_BASES),
        ("rounding", QUOTA_ROUNDINGS),
    ):
        _check_choice(getattr(rules.quota, name), allowed, f"framework.quota.{name}", err)
    _validate_annual(rules.annual, err)
    _validate_rounding(rules.rounding, err)
    _check_choice(
        rules.marks.self_mark_without_evaluator,
        SELF_MARK_RULES,
        "framework.marks.self_mark_without_evaluator",
        err,
    )
    _validate_individual(rules.individual, err)
    _validate_feedback(rules, err)
    _validate_coordination(rules, err)
    _validate_competency(rules, err)
    if rules.organisation is not None:
        _validate_organisation(rules.organisation, rules.total_max, err)
    return errors


def _validate_feedback(rules: FrameworkRules, err: Callable[[str, str], None]) -> None:
    path = "framework.feedback"
    feedback = rules.feedback
    known = {f"{c.code}.{k.code}" for c in rules.marks_components for k in c.criteria}
    for i, code in enumerate(feedback.satisfaction_criteria):
        if code not in known:
            err(
                f"{path}.satisfaction_criteria[{i}]",
                "phải là mã tiêu chí thành phần có trong khung (thành phần.mã, ví dụ general.II.4)",
            )
    if set(feedback.level_percents) != set(SATISFACTION_LEVELS):
        err(f"{path}.level_percents", "phải có đủ các mức 5, 4, 3, 2, 1")
    for level, value in feedback.level_percents.items():
        if not ZERO <= value <= 100:
            err(f"{path}.level_percents.{level}", "phải từ 0 đến 100")
    minimum = feedback.min_answers.value
    if minimum != minimum.to_integral_value() or minimum < 1:
        err(f"{path}.min_answers", "phải là số nguyên từ 1 trở lên")
    if not ZERO <= feedback.weight.value <= ONE:
        err(f"{path}.weight", "phải nằm trong khoảng 0 đến 1")
    _check_choice(feedback.below_min, FEEDBACK_BELOW_MIN_RULES, f"{path}.below_min", err)


def _validate_coordination(rules: FrameworkRules, err: Callable[[str, str], None]) -> None:
    path = "framework.coordination"
    rule = rules.coordination
    known = {f"{c.code}.{k.code}" for c in rules.marks_components for k in c.criteria}
    satisfaction = set(rules.feedback.satisfaction_criteria)
    for i, code in enumerate(rule.criteria):
        if code not in known:
            err(
                f"{path}.criteria[{i}]",
                "phải là mã tiêu chí thành phần có trong khung (thành phần.mã, ví dụ "
                "coordination.C.1)",
            )
        elif code in satisfaction:
            err(
                f"{path}.criteria[{i}]",
                "tiêu chí này đã lấy điểm từ ý kiến của người dân, doanh nghiệp: mỗi tiêu chí chỉ "
                "lấy điểm từ một nguồn",
            )
    if set(rule.level_percents) != set(SATISFACTION_LEVELS):
        err(f"{path}.level_percents", "phải có đủ các mức 5, 4, 3, 2, 1")
    for level, value in rule.level_percents.items():
        if not ZERO <= value <= 100:
            err(f"{path}.level_percents.{level}", "phải từ 0 đến 100")
    minimum = rule.min_ratings.value
    if minimum != minimum.to_integral_value() or minimum < 1:
        err(f"{path}.min_ratings", "phải là số nguyên từ 1 trở lên")
    if not ZERO <= rule.weight.value <= ONE:
        err(f"{path}.weight", "phải nằm trong khoảng 0 đến 1")
    _check_choice(rule.below_min, FEEDBACK_BELOW_MIN_RULES, f"{path}.below_min", err)


def _validate_competency(rules: FrameworkRules, err: Callable[[str, str], None]) -> None:
    path = "framework.competency"
    rule = rules.competency
    known = {f"{c.code}.{k.code}" for c in rules.marks_components for k in c.criteria}
    other = set(rules.feedback.satisfaction_criteria) | set(rules.coordination.criteria)
    for i, code in enumerate(rule.criteria):
        if code not in known:
            err(
                f"{path}.criteria[{i}]",
                "phải là mã tiêu chí thành phần có trong khung (thành phần.mã, ví dụ general.I.4)",
            )
        elif code in other:
            err(
                f"{path}.criteria[{i}]",
                "tiêu chí này đã lấy điểm từ ý kiến của người dân, doanh nghiệp hoặc đánh giá của "
                "đơn vị phối hợp: mỗi tiêu chí chỉ lấy điểm từ một nguồn",
            )
    if not ZERO <= rule.weight.value <= ONE:
        err(f"{path}.weight", "phải nằm trong khoảng 0 đến 1")


def _validate_individual(individual: IndividualRules, err: Callable[[str, str], None]) -> None:
    path = "framework.individual"
    for name, allowed in (
        ("excellent_conditions", EXCELLENT_CONDITION_RULES),
        ("deputy_cap", DEPUTY_CAP_RULES),
        ("contract_workers", CONTRACT_WORKER_METHODS),
        ("concurrent_posts", CONCURRENT_POST_RULES),
    ):
        _check_choice(getattr(individual, name), allowed, f"{path}.{name}", err)
    for name in ("excellent_min_on_time_share", "excellent_min_exceeded_share"):
        if not ZERO <= getattr(individual, name).value <= ONE:
            err(f"{path}.{name}", "phải nằm trong khoảng 0 đến 1")


def _validate_annual(annual: AnnualRule, err: Callable[[str, str], None]) -> None:
    path = "framework.annual"
    if annual.method not in ANNUAL_METHODS:
        err(f"{path}.method", f"phải là một trong {', '.join(ANNUAL_METHODS)}")
    _check_choice(annual.weighting, ANNUAL_WEIGHTINGS, f"{path}.weighting", err)
    _check_choice(annual.leader_role, ANNUAL_LEADER_ROLES, f"{path}.leader_role", err)
    minimum = annual.min_months.value
    if minimum != minimum.to_integral_value() or not ZERO <= minimum <= 12:
        err(f"{path}.min_months", "phải là số tháng nguyên từ 0 đến 12")


def _validate_rounding(rounding: RoundingRule, err: Callable[[str, str], None]) -> None:
    path = "framework.rounding"
    places = rounding.places.value
    # Stored scores keep 2 decimals: more places would be rounded again when saved.
    if places != places.to_integral_value() or not ZERO <= places <= 2:
        err(f"{path}.places", "phải là số nguyên từ 0 đến 2")
    _check_choice(rounding.mode, ROUNDING_MODES, f"{path}.mode", err)
    _check_choice(rounding.steps, ROUNDING_STEPS, f"{path}.steps", err)
    _check_choice(rounding.banding, ROUNDING_BANDINGS, f"{path}.banding", err)


def _check_confidence(obj: Any, path: str, err: Callable[[str, str], None]) -> None:
    """Walk all rule objects and check their confidence tag."""
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.name == "confidence" and value not in CONFIDENCE_LEVELS:
            err(f"{path}.confidence", f"phải là một trong {', '.join(CONFIDENCE_LEVELS)}")
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                _check_confidence(item, f"{path}.{f.name}[{i}]", err)
        else:
            _check_confidence(value, f"{path}.{f.name}", err)


def _check_choice(
    choice: Choice, allowed: tuple[str, ...], path: str, err: Callable[[str, str], None]
) -> None:
    if choice.value not in allowed:
        err(f"{path}.value", f"phải là một trong {', '.join(allowed)}")


def _check_unique(codes: list[str], path: str, err: Callable[[str, str], None]) -> None:
    seen: set[str] = set()
    for code in codes:
        if not code:
            err(path, "mã không được để trống")
        elif code in seen:
            err(path, f"mã '{code}' bị trùng")
        seen.add(code)


def _validate_component(  # noqa: C901
    component: Component,
    path: str,
    group_codes: set[str],
    err: Callable[[str, str], None],
) -> None:
    if component.kind not in COMPONENT_KINDS:
        err(f"{path}.kind", f"phải là một trong {', '.join(COMPONENT_KINDS)}")
    fixed, by_group = component.max_points, component.max_points_by_group
    if (fixed is None) == (not by_group):
        err(path, "phải có đúng một trong max_points hoặc max_points_by_group")
    if fixed is not None and fixed <= 0:
        err(f"{path}.max_points", "phải lớn hơn 0")
    if by_group:
        if set(by_group) != group_codes:
            err(
                f"{path}.max_points_by_group",
                "phải khai báo đúng các nhóm vị trí việc làm: " + ", ".join(sorted(group_codes)),
            )
        for code, value in by_group.items():
            if value <= 0:
                err(f"{path}.max_points_by_group.{code}", "phải lớn hơn 0")
    if component.kind == "task_results" and (component.criteria or component.groups):
        err(f"{path}.criteria", "thành phần kết quả nhiệm vụ không có tiêu chí chấm điểm")
    if component.kind != "criteria_marks":
        return
    if not component.criteria:
        err(f"{path}.criteria", "phải có ít nhất một tiêu chí thành phần")
        return
    _check_unique([c.code for c in component.criteria], f"{path}.criteria", err)
    for i, criterion in enumerate(component.criteria):
        if criterion.max_points <= 0:
            err(f"{path}.criteria[{i}].max_points", "phải lớn hơn 0")
    if fixed is not None and component.marks_scale != fixed:
        err(
            f"{path}.criteria",
            f"tổng điểm tối đa của các tiêu chí thành phần ({component.marks_scale}) "
            f"phải bằng điểm tối đa của thành phần ({fixed})",
        )
    if component.groups:
        _check_unique([g.code for g in component.groups], f"{path}.groups", err)
        for i, group in enumerate(component.groups):
            total = sum((c.max_points for c in component.criteria if c.group == group.code), ZERO)
            if total != group.max_points:
                err(
                    f"{path}.groups[{i}]",
                    f"tổng điểm tối đa các tiêu chí của nhóm '{group.code}' ({total}) "
                    f"phải bằng {group.max_points}",
                )
        known = {g.code for g in component.groups}
        for i, criterion in enumerate(component.criteria):
            if criterion.group not in known:
                err(f"{path}.criteria[{i}].group", f"nhóm '{criterion.group}' chưa được khai báo")


def _validate_components(
    rules: FrameworkRules, group_codes: set[str], err: Callable[[str, str], None]
) -> None:
    path = "framework.components"
    if not rules.components:
        err(path, "phải có ít nhất một thành phần")
        return
    _check_unique([c.code for c in rules.components], path, err)
    task_count = sum(1 for c in rules.components if c.kind == "task_results")
    if task_count != 1:
        err(path, "phải có đúng một thành phần loại task_results")
    for i, component in enumerate(rules.components):
        _validate_component(component, f"{path}[{i}]", group_codes, err)
    if any(c.depends_on_group for c in rules.components) and not group_codes:
        err("framework.position_groups", "phải khai báo nhóm vị trí việc làm")
    groups: list[str | None] = [*sorted(group_codes)] or [None]
    for group in groups:
        try:
            total = sum((c.max_for(group) for c in rules.components), ZERO)
        except KeyError:
            continue  # reported above
        if total != rules.total_max:
            where = f" (nhóm '{group}')" if group else ""
            err(
                path,
                f"tổng điểm tối đa các thành phần{where} là {total}, phải bằng {rules.total_max}",
            )


def _validate_task_method(rules: FrameworkRules, err: Callable[[str, str], None]) -> None:
    path = "framework.task_method"
    method = rules.task_method
    for name in ("review_deduction", "delay_deduction"):
        value = getattr(method, name).value
        if not ZERO <= value <= ONE:
            err(f"{path}.{name}", "phải nằm trong khoảng 0 đến 1")
    # Art. 12: the task component is worth at most its maximum, so a, b, c must be capped at
    # 100 % at most; otherwise over-delivery gives totals above total_max (W7: 135 points).
    cap = method.cap_percent
    if cap is None or not ZERO < cap.value <= 100:
        err(
            f"{path}.cap_percent",
            "bắt buộc, từ trên 0 đến 100 (%) để tổng điểm không vượt quá điểm tối đa",
        )
    if not method.staff_criteria:
        err(f"{path}.staff_criteria", "không được để trống")
    for code in method.staff_criteria:
        if code not in LINE_CRITERIA:
            err(f"{path}.staff_criteria", f"'{code}' không phải là a, b hoặc c")
    defined = {c.code for c in rules.leader_criteria}
    if not method.leader_criteria:
        err(f"{path}.leader_criteria", "không được để trống")
    for code in method.leader_criteria:
        if code not in LINE_CRITERIA and code not in defined:
            err(f"{path}.leader_criteria", f"tiêu chí '{code}' chưa được khai báo")
    for name in ("staff_criteria", "leader_criteria", "leader_roles"):
        values = list(getattr(method, name))
        if len(values) != len(set(values)):
            err(f"{path}.{name}", "có mã bị trùng")
    _check_choice(method.over_delivery, OVER_DELIVERY_RULES, f"{path}.over_delivery", err)
    for role in method.leader_roles:
        if role not in ("head", "deputy"):
            err(f"{path}.leader_roles", f"vai trò '{role}' không hợp lệ (head, deputy)")
    _check_choice(method.leader_lines, LEADER_LINE_SOURCES, f"{path}.leader_lines", err)


def _validate_leader_criteria(rules: FrameworkRules, err: Callable[[str, str], None]) -> None:
    path = "framework.leader_criteria"
    _check_unique([c.code for c in rules.leader_criteria], path, err)
    for i, criterion in enumerate(rules.leader_criteria):
        here = f"{path}[{i}]"
        if criterion.code not in LEADER_CRITERIA:
            err(f"{here}.code", "phải là d, dd hoặc e")
        if not criterion.levels:
            err(f"{here}.levels", "phải có ít nhất một mức")
        percents = criterion.allowed_percents
        if len(set(percents)) != len(percents):
            err(f"{here}.levels", "có mức bị trùng")
        for j, percent in enumerate(percents):
            if not ZERO <= percent <= 100:
                err(f"{here}.levels[{j}].percent", "phải nằm trong khoảng 0 đến 100")
        if criterion.code == "d" and criterion.min_rating not in RATINGS:
            err(f"{here}.min_rating", f"phải là một trong {', '.join(RATINGS)}")
        if criterion.unscored not in UNSCORED_SUBORDINATES:
            err(f"{here}.unscored", f"phải là một trong {', '.join(UNSCORED_SUBORDINATES)}")
        if criterion.plan_fulfilment not in PLAN_FULFILMENT_MODES:
            err(f"{here}.plan_fulfilment", "phải để trống hoặc là ratio")
        elif criterion.plan_fulfilment and criterion.code != "d":
            err(f"{here}.plan_fulfilment", "chỉ dùng cho tiêu chí d")


def _validate_bands(
    bands: tuple[Band, ...], total_max: Decimal, path: str, err: Callable[[str, str], None]
) -> None:
    codes = tuple(b.code for b in bands)
    if codes != RATINGS:
        err(path, f"phải gồm đúng các mức theo thứ tự: {', '.join(RATINGS)}")
        return
    for i in range(1, len(bands)):
        if bands[i].min_score >= bands[i - 1].min_score:
            err(f"{path}[{i}].min_score", "các ngưỡng điểm phải giảm dần")
    if bands[-1].min_score != 0:
        err(f"{path}[{len(bands) - 1}].min_score", "ngưỡng của mức thấp nhất phải là 0")
    if bands[0].min_score > total_max:
        err(f"{path}[0].min_score", "không được vượt quá tổng điểm tối đa")


def _validate_disqualifiers(
    items: tuple[Disqualifier, ...], path: str, err: Callable[[str, str], None]
) -> None:
    _check_unique([d.code for d in items], path, err)


def _validate_key_tasks(org: OrganisationRules, path: str, err: Callable[[str, str], None]) -> None:
    """An agency's own key-task criteria: unique codes, a label, a weight of 1–10, at most one
    measured from the agency's work plans (``plan_fulfilment``, Đắk Lắk §III.3)."""
    _check_unique([k.code for k in org.key_tasks], f"{path}.key_tasks", err)
    for i, key_task in enumerate(org.key_tasks):
        here = f"{path}.key_tasks[{i}]"
        if not key_task.label.strip():
            err(f"{here}.label", "không được để trống")
        if not ONE <= key_task.weight <= 10:
            err(f"{here}.weight", "phải từ 1 đến 10")
        if key_task.plan_fulfilment not in PLAN_FULFILMENT_MODES:
            err(f"{here}.plan_fulfilment", "phải để trống hoặc là ratio")
    if sum(1 for k in org.key_tasks if k.plan_fulfilment) > 1:
        err(
            f"{path}.key_tasks",
            "chỉ một nhiệm vụ trọng tâm được đo bằng kết quả thực hiện kế hoạch công tác",
        )


def _validate_organisation(
    org: OrganisationRules, total_max: Decimal, err: Callable[[str, str], None]
) -> None:
    path = "framework.organisation"
    if org.general.kind != "criteria_marks" or org.general.max_points is None:
        err(f"{path}.general", "phải là thành phần criteria_marks có max_points cố định")
    else:
        _validate_component(org.general, f"{path}.general", set(), err)
        if org.general.max_points + org.task_max.value != total_max:
            err(path, f"điểm tiêu chí chung + điểm kết quả nhiệm vụ phải bằng {total_max}")
    if org.task_max.value <= 0:
        err(f"{path}.task_max", "phải lớn hơn 0")
    if not ONE <= org.key_task_weight.value <= 10:
        err(f"{path}.key_task_weight", "phải từ 1 đến 10")
    _validate_key_tasks(org, path, err)
    for name in ("late_deduction", "min_done_share"):
        if not ZERO <= getattr(org, name).value <= ONE:
            err(f"{path}.{name}", "phải nằm trong khoảng 0 đến 1")
    ratings = [level.rating for level in org.levels]
    expected = [r for r in RATINGS[:-1] if r in ratings]
    if ratings != expected or not ratings:
        err(f"{path}.levels", "các mức phải thuộc excellent, good, completed, theo thứ tự đó")
    for i, level in enumerate(org.levels):
        if i and level.min_score >= org.levels[i - 1].min_score:
            err(f"{path}.levels[{i}].min_score", "các ngưỡng điểm phải giảm dần")
        for name in ("max_late_share", "min_exceeded_share"):
            value = getattr(level, name)
            if value is not None and not ZERO <= value <= ONE:
                err(f"{path}.levels[{i}].{name}", "phải nằm trong khoảng 0 đến 1")
    _validate_disqualifiers(org.disqualifiers, f"{path}.disqualifiers", err)
    _check_choice(org.fall_through, ORG_FALL_THROUGHS, f"{path}.fall_through", err)
    _check_choice(org.overdue_unreported, ORG_OVERDUE_UNREPORTED, f"{path}.overdue_unreported", err)
    _check_choice(org.task_quality, ORG_TASK_QUALITY_RULES, f"{path}.task_quality", err)
    _check_choice(org.staff_ratings, ORG_STAFF_RATINGS_RULES, f"{path}.staff_ratings", err)
