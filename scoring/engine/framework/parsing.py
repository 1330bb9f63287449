"""From the JSON-safe dictionary stored by the Django side to :class:`.rules.FrameworkRules`.

Optional keys may be omitted (citations default to ``""``, confidence to ``"unknown"``);
structure and type errors raise :class:`~scoring.engine.errors.FrameworkError` with the path
of the offending key. The semantic checks of the parsed rules are :mod:`.checks`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar, cast

from ..constants import (
    LEADER_CRITERIA,
    LINE_CRITERIA,
)
from ..decimals import to_decimal
from ..errors import FrameworkError
from .rules import (
    ANNUAL_LEADER_ROLE_DEFAULT,
    ANNUAL_MIN_MONTHS_DEFAULT,
    ANNUAL_WEIGHTING_DEFAULT,
    COMPETENCY_WEIGHT_DEFAULT,
    CONCURRENT_POSTS_DEFAULT,
    CONTRACT_WORKERS_DEFAULT,
    COORDINATION_BELOW_MIN_DEFAULT,
    COORDINATION_MIN_RATINGS_DEFAULT,
    COORDINATION_WEIGHT_DEFAULT,
    DEPUTY_CAP_DEFAULT,
    EXCELLENT_CONDITIONS_DEFAULT,
    EXCELLENT_MIN_EXCEEDED_DEFAULT,
    EXCELLENT_MIN_ON_TIME_DEFAULT,
    FEEDBACK_BELOW_MIN_DEFAULT,
    FEEDBACK_LEVELS_DEFAULT,
    FEEDBACK_MIN_ANSWERS_DEFAULT,
    FEEDBACK_WEIGHT_DEFAULT,
    KEY_TASK_WEIGHT_DEFAULT,
    LEADER_LINES_DEFAULT,
    ORG_FALL_THROUGH_DEFAULT,
    ORG_OVERDUE_UNREPORTED_DEFAULT,
    ORG_STAFF_RATINGS_DEFAULT,
    ORG_TASK_QUALITY_DEFAULT,
    OVER_DELIVERY_DEFAULT,
    QUOTA_BASE_DEFAULT,
    QUOTA_GROUP_BY_DEFAULT,
    QUOTA_ROUNDING_DEFAULT,
    ROUNDING_BANDING_DEFAULT,
    ROUNDING_MODE_DEFAULT,
    ROUNDING_PLACES_DEFAULT,
    ROUNDING_STEPS_DEFAULT,
    SELF_MARK_DEFAULT,
    AnnualRule,
    Band,
    Choice,
    CompetencyRule,
    Component,
    CoordinationRule,
    CriteriaGroup,
    Disqualifier,
    FeedbackRule,
    Flag,
    FrameworkRules,
    IndividualRules,
    KeyTaskCriterion,
    LeaderCriterion,
    LeaderLevel,
    MarksRule,
    OrganisationLevel,
    OrganisationRules,
    Parameter,
    PositionGroup,
    QuotaRule,
    RoundingRule,
    SubCriterion,
    TaskMethod,
)

T = TypeVar("T")

# --------------------------------------------------------------------------- from_dict

_MISSING = object()


class _Reader:
    """Typed access to a mapping, raising :class:`FrameworkError` with a path."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise FrameworkError(path, "phải là một đối tượng (dict)")
        self.data = data
        self.path = path

    def _raw(self, key: str, default: Any) -> Any:
        if key in self.data and self.data[key] is not None:
            return self.data[key]
        if default is _MISSING:
            raise FrameworkError(f"{self.path}.{key}", "thiếu trường bắt buộc")
        return default

    def text(self, key: str, default: Any = _MISSING) -> Any:
        value = self._raw(key, default)
        if value is not default and not isinstance(value, str):
            raise FrameworkError(f"{self.path}.{key}", "phải là chuỗi ký tự")
        return value

    def flag(self, key: str, default: Any = _MISSING) -> Any:
        value = self._raw(key, default)
        if value is not default and not isinstance(value, bool):
            raise FrameworkError(f"{self.path}.{key}", "phải là true/false")
        return value

    def dec(self, key: str, default: Any = _MISSING) -> Any:
        value = self._raw(key, default)
        if value is default:
            return value
        return _decimal(value, f"{self.path}.{key}")

    def sub(self, key: str, default: Any = _MISSING) -> Any:
        value = self._raw(key, default)
        if value is default:
            return value
        return _Reader(value, f"{self.path}.{key}")

    def items(self, key: str, parse: Callable[[_Reader], T], default: Any = ()) -> tuple[T, ...]:
        value = self._raw(key, default)
        if value is default:
            return cast("tuple[T, ...]", value)
        if not isinstance(value, (list, tuple)):
            raise FrameworkError(f"{self.path}.{key}", "phải là một danh sách")
        return tuple(
            parse(_Reader(item, f"{self.path}.{key}[{i}]")) for i, item in enumerate(value)
        )

    def strs(self, key: str, default: Any = _MISSING) -> Any:
        value = self._raw(key, default)
        if value is default:
            return value
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise FrameworkError(f"{self.path}.{key}", "phải là danh sách chuỗi ký tự")
        return tuple(value)

    def dec_map(self, key: str) -> dict[str, Decimal]:
        value = self._raw(key, {})
        if not isinstance(value, Mapping):
            raise FrameworkError(f"{self.path}.{key}", "phải là một đối tượng (dict)")
        return {str(k): _decimal(v, f"{self.path}.{key}.{k}") for k, v in value.items()}

    def meta(self) -> dict[str, str]:
        """citation / confidence / note of a rule object."""
        return {
            "citation": self.text("citation", ""),
            "confidence": self.text("confidence", "unknown"),
        }

    def meta_note(self) -> dict[str, str]:
        return {**self.meta(), "note": self.text("note", "")}


def _decimal(value: Any, path: str) -> Decimal:
    try:
        return to_decimal(value)
    except (TypeError, ValueError) as exc:
        raise FrameworkError(path, "phải là một số") from exc


def _parse_parameter(r: _Reader) -> Parameter:
    return Parameter(value=r.dec("value"), **r.meta_note())


def _parse_flag(r: _Reader) -> Flag:
    return Flag(enabled=r.flag("enabled"), **r.meta_note())


def _parse_position_group(r: _Reader) -> PositionGroup:
    return PositionGroup(code=r.text("code"), label=r.text("label", ""))


def _parse_criteria_group(r: _Reader) -> CriteriaGroup:
    return CriteriaGroup(
        code=r.text("code"), label=r.text("label", ""), max_points=r.dec("max_points"), **r.meta()
    )


def _parse_sub_criterion(r: _Reader) -> SubCriterion:
    return SubCriterion(
        code=r.text("code"),
        label=r.text("label", ""),
        max_points=r.dec("max_points"),
        group=r.text("group", ""),
        **r.meta(),
    )


def _parse_component(r: _Reader) -> Component:
    return Component(
        code=r.text("code"),
        label=r.text("label", ""),
        kind=r.text("kind"),
        max_points=r.dec("max_points", None),
        max_points_by_group=r.dec_map("max_points_by_group"),
        groups=r.items("groups", _parse_criteria_group),
        criteria=r.items("criteria", _parse_sub_criterion),
        **r.meta_note(),
    )


def _parse_task_method(r: _Reader) -> TaskMethod:
    cap = r.sub("cap_percent", None)
    return TaskMethod(
        review_deduction=_parse_parameter(r.sub("review_deduction")),
        delay_deduction=_parse_parameter(r.sub("delay_deduction")),
        cap_percent=None if cap is None else _parse_parameter(cap),
        staff_criteria=r.strs("staff_criteria", LINE_CRITERIA),
        leader_criteria=r.strs("leader_criteria", LINE_CRITERIA + LEADER_CRITERIA),
        leader_roles=r.strs("leader_roles", ("head", "deputy")),
        over_delivery=_parse_choice(r, "over_delivery", OVER_DELIVERY_DEFAULT),
        leader_lines=_parse_choice(r, "leader_lines", LEADER_LINES_DEFAULT),
        **r.meta_note(),
    )


def _parse_leader_level(r: _Reader) -> LeaderLevel:
    return LeaderLevel(percent=r.dec("percent"), label=r.text("label", ""))


def _parse_leader_criterion(r: _Reader) -> LeaderCriterion:
    return LeaderCriterion(
        code=r.text("code"),
        label=r.text("label", ""),
        levels=r.items("levels", _parse_leader_level, _MISSING),
        min_rating=r.text("min_rating", None),
        unscored=r.text("unscored", "skip"),
        plan_fulfilment=r.text("plan_fulfilment", "") or "",
        **r.meta_note(),
    )


def _parse_band(r: _Reader) -> Band:
    return Band(
        code=r.text("code"), label=r.text("label", ""), min_score=r.dec("min_score"), **r.meta()
    )


def _parse_disqualifier(r: _Reader) -> Disqualifier:
    return Disqualifier(
        code=r.text("code"),
        label=r.text("label", ""),
        leaders_only=r.flag("leaders_only", False),
        **r.meta(),
    )


def _parse_choice(r: _Reader, key: str, default: Choice) -> Choice:
    """An option given as ``{"value": code, "citation": …}`` (or a bare code string)."""
    raw = r.data.get(key)
    if raw is None:
        return default
    if isinstance(raw, str):
        return Choice(value=raw)
    sub = r.sub(key)
    return Choice(value=sub.text("value"), **sub.meta_note())


def _parse_quota(r: _Reader) -> QuotaRule:
    return QuotaRule(
        ratio=_parse_parameter(r.sub("ratio")),
        outstanding_ratio=_parse_parameter(r.sub("outstanding_ratio")),
        group_by=_parse_choice(r, "group_by", QUOTA_GROUP_BY_DEFAULT),
        base=_parse_choice(r, "base", QUOTA_BASE_DEFAULT),
        rounding=_parse_choice(r, "rounding", QUOTA_ROUNDING_DEFAULT),
        **r.meta_note(),
    )


def _parse_annual(r: _Reader) -> AnnualRule:
    minimum = r.sub("min_months", None)
    return AnnualRule(
        method=r.text("method", "mean_of_scored_periods"),
        weighting=_parse_choice(r, "weighting", ANNUAL_WEIGHTING_DEFAULT),
        min_months=ANNUAL_MIN_MONTHS_DEFAULT if minimum is None else _parse_parameter(minimum),
        leader_role=_parse_choice(r, "leader_role", ANNUAL_LEADER_ROLE_DEFAULT),
        **r.meta_note(),
    )


def _parse_rounding(r: _Reader) -> RoundingRule:
    places = r.sub("places", None)
    return RoundingRule(
        places=ROUNDING_PLACES_DEFAULT if places is None else _parse_parameter(places),
        mode=_parse_choice(r, "mode", ROUNDING_MODE_DEFAULT),
        steps=_parse_choice(r, "steps", ROUNDING_STEPS_DEFAULT),
        banding=_parse_choice(r, "banding", ROUNDING_BANDING_DEFAULT),
        **r.meta_note(),
    )


def _parse_marks(r: _Reader) -> MarksRule:
    return MarksRule(
        self_mark_without_evaluator=_parse_choice(
            r, "self_mark_without_evaluator", SELF_MARK_DEFAULT
        ),
        **r.meta_note(),
    )


def _parse_individual(r: _Reader) -> IndividualRules:
    on_time = r.sub("excellent_min_on_time_share", None)
    exceeded = r.sub("excellent_min_exceeded_share", None)
    return IndividualRules(
        excellent_conditions=_parse_choice(r, "excellent_conditions", EXCELLENT_CONDITIONS_DEFAULT),
        excellent_min_on_time_share=(
            EXCELLENT_MIN_ON_TIME_DEFAULT if on_time is None else _parse_parameter(on_time)
        ),
        excellent_min_exceeded_share=(
            EXCELLENT_MIN_EXCEEDED_DEFAULT if exceeded is None else _parse_parameter(exceeded)
        ),
        deputy_cap=_parse_choice(r, "deputy_cap", DEPUTY_CAP_DEFAULT),
        contract_workers=_parse_choice(r, "contract_workers", CONTRACT_WORKERS_DEFAULT),
        concurrent_posts=_parse_choice(r, "concurrent_posts", CONCURRENT_POSTS_DEFAULT),
        **r.meta_note(),
    )


def _parse_feedback(r: _Reader) -> FeedbackRule:
    minimum = r.sub("min_answers", None)
    weight = r.sub("weight", None)
    levels = r.data.get("level_percents")
    return FeedbackRule(
        satisfaction_criteria=tuple(r.strs("satisfaction_criteria", [])),
        level_percents=(
            dict(FEEDBACK_LEVELS_DEFAULT) if levels is None else r.dec_map("level_percents")
        ),
        min_answers=FEEDBACK_MIN_ANSWERS_DEFAULT if minimum is None else _parse_parameter(minimum),
        below_min=_parse_choice(r, "below_min", FEEDBACK_BELOW_MIN_DEFAULT),
        weight=FEEDBACK_WEIGHT_DEFAULT if weight is None else _parse_parameter(weight),
        **r.meta_note(),
    )


def _parse_coordination(r: _Reader) -> CoordinationRule:
    minimum = r.sub("min_ratings", None)
    weight = r.sub("weight", None)
    levels = r.data.get("level_percents")
    return CoordinationRule(
        criteria=tuple(r.strs("criteria", [])),
        level_percents=(
            dict(FEEDBACK_LEVELS_DEFAULT) if levels is None else r.dec_map("level_percents")
        ),
        min_ratings=(
            COORDINATION_MIN_RATINGS_DEFAULT if minimum is None else _parse_parameter(minimum)
        ),
        below_min=_parse_choice(r, "below_min", COORDINATION_BELOW_MIN_DEFAULT),
        weight=COORDINATION_WEIGHT_DEFAULT if weight is None else _parse_parameter(weight),
        **r.meta_note(),
    )


def _parse_competency(r: _Reader) -> CompetencyRule:
    weight = r.sub("weight", None)
    return CompetencyRule(
        criteria=tuple(r.strs("criteria", [])),
        weight=COMPETENCY_WEIGHT_DEFAULT if weight is None else _parse_parameter(weight),
        **r.meta_note(),
    )


def _parse_org_level(r: _Reader) -> OrganisationLevel:
    return OrganisationLevel(
        rating=r.text("rating"),
        min_score=r.dec("min_score"),
        require_all_done=r.flag("require_all_done", True),
        max_late_share=r.dec("max_late_share", None),
        min_exceeded_share=r.dec("min_exceeded_share", None),
        require_no_failed_subunit=r.flag("require_no_failed_subunit", False),
        require_shortcomings_remedied=r.flag("require_shortcomings_remedied", False),
        **r.meta(),
    )


def _parse_key_task(r: _Reader) -> KeyTaskCriterion:
    return KeyTaskCriterion(
        code=r.text("code"),
        label=r.text("label", ""),
        weight=r.dec("weight", Decimal("1")),
        plan_fulfilment=r.text("plan_fulfilment", "") or "",
    )


def _parse_organisation(r: _Reader) -> OrganisationRules:
    cap = r.sub("cap_head_by_agency", None)
    key_weight = r.sub("key_task_weight", None)
    return OrganisationRules(
        general=_parse_component(r.sub("general")),
        task_max=_parse_parameter(r.sub("task_max")),
        late_deduction=_parse_parameter(r.sub("late_deduction")),
        min_done_share=_parse_parameter(r.sub("min_done_share")),
        levels=r.items("levels", _parse_org_level, _MISSING),
        disqualifiers=r.items("disqualifiers", _parse_disqualifier),
        cap_head_by_agency=Flag(True) if cap is None else _parse_flag(cap),
        fall_through=_parse_choice(r, "fall_through", ORG_FALL_THROUGH_DEFAULT),
        overdue_unreported=_parse_choice(r, "overdue_unreported", ORG_OVERDUE_UNREPORTED_DEFAULT),
        key_task_weight=(
            KEY_TASK_WEIGHT_DEFAULT if key_weight is None else _parse_parameter(key_weight)
        ),
        key_tasks=r.items("key_tasks", _parse_key_task),
        task_quality=_parse_choice(r, "task_quality", ORG_TASK_QUALITY_DEFAULT),
        staff_ratings=_parse_choice(r, "staff_ratings", ORG_STAFF_RATINGS_DEFAULT),
        **r.meta_note(),
    )


def parse_framework(data: Mapping[str, Any]) -> FrameworkRules:
    """The rules of ``data`` (a dictionary produced by :meth:`FrameworkRules.to_dict` or written
    by hand); raises :class:`FrameworkError` with a path on structural errors."""
    return _parse_framework(_Reader(data, "framework"))


def _parse_framework(r: _Reader) -> FrameworkRules:
    annual = r.sub("annual", None)
    organisation = r.sub("organisation", None)
    rounding = r.sub("rounding", None)
    marks = r.sub("marks", None)
    individual = r.sub("individual", None)
    feedback = r.sub("feedback", None)
    coordination = r.sub("coordination", None)
    competency = r.sub("competency", None)
    return FrameworkRules(
        code=r.text("code"),
        name=r.text("name", ""),
        version=r.text("version", "1"),
        period_type=r.text("period_type", "month"),
        total_max=r.dec("total_max", Decimal(100)),
        components=r.items("components", _parse_component, _MISSING),
        task_method=_parse_task_method(r.sub("task_method")),
        leader_criteria=r.items("leader_criteria", _parse_leader_criterion),
        bands=r.items("bands", _parse_band, _MISSING),
        disqualifiers=r.items("disqualifiers", _parse_disqualifier),
        quota=_parse_quota(r.sub("quota")),
        annual=AnnualRule() if annual is None else _parse_annual(annual),
        organisation=None if organisation is None else _parse_organisation(organisation),
        rounding=RoundingRule() if rounding is None else _parse_rounding(rounding),
        marks=MarksRule() if marks is None else _parse_marks(marks),
        individual=IndividualRules() if individual is None else _parse_individual(individual),
        feedback=FeedbackRule() if feedback is None else _parse_feedback(feedback),
        coordination=(
            CoordinationRule() if coordination is None else _parse_coordination(coordination)
        ),
        competency=CompetencyRule() if competency is None else _parse_competency(competency),
        position_groups=r.items("position_groups", _parse_position_group),
        **r.meta_note(),
    )
