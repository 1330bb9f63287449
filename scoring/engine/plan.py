"""What one framework's rules imply for every period scored with them, read once.

A month's batch scores thousands of people with the same :class:`FrameworkRules` object.
Everything :func:`~scoring.engine.period.score_period` would otherwise look up again for each
person — the marks components and their scales, the criteria of each role, the leader
criteria and their allowed levels, the rounding in force, the bands, the explanation steps
that depend on the rules alone — is read here once per rules object. Nothing here computes a
score: the figures are computed per person, in the same order and the same Decimal context
as the rules say.

``FrameworkRules`` is frozen, so a plan stays true for its rules object. Rules hold dicts
(unhashable), so plans are kept by object identity with a strong reference to the rules: an
identity is never reused while its plan is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .constants import ENGINE_VERSION, LEADER_CRITERIA, LEADER_FIELDS
from .decimals import engine_context, fmt2_fresh, fmt_plain, rounding_function
from .framework.rules import Component, FrameworkRules
from .steps import _PLAIN, _safe, step


def plain(value: Any) -> Any:
    """A step parameter as :func:`~scoring.engine.steps.step` would store it."""
    return value if type(value) in _PLAIN else _safe(value)


def _digits(value: Decimal) -> str:
    return f"{value:f}"


class MarksSpec:
    """A ``criteria_marks`` component as the validation reads it."""

    __slots__ = ("code", "codes", "limits", "maxima", "scale")

    def __init__(self, component: Component) -> None:
        self.code = component.code
        self.codes = tuple(c.code for c in component.criteria)
        self.maxima = tuple(c.max_points for c in component.criteria)
        self.limits = tuple(zip(self.codes, self.maxima, strict=True))
        self.scale = component.marks_scale

    @property
    def plain(self) -> bool:
        """Marks given as plain Decimals can be checked without building the per-field
        messages: the sub-criteria codes are distinct and every maximum is a finite Decimal."""
        return len(set(self.codes)) == len(self.codes) and all(
            type(m) is Decimal and m.is_finite() for m in (*self.maxima, self.scale)
        )


class ComponentPlan:
    """A weighted component as the period total reads it: its code and label as the steps
    store them, the key of its exact value, and for a marks component the sub-criteria codes
    and the scale (computed and formatted in the engine's context, as the total does)."""

    __slots__ = ("code", "codes", "component", "is_task", "key", "label", "scale", "scale_text")

    def __init__(self, component: Component) -> None:
        self.component = component
        self.code = plain(component.code)
        self.label = plain(component.label)
        self.key = f"component.{component.code}"
        self.is_task = component.kind == "task_results"
        self.codes = tuple(c.code for c in component.criteria)
        with engine_context():
            self.scale = component.marks_scale
            self.scale_text = fmt_plain(self.scale)


class PeriodPlan:
    """The per-rules part of scoring a period (see the module docstring)."""

    __slots__ = (
        "band_min_text",
        "banding_exact",
        "banding_rounded",
        "bands",
        "cap",
        "components",
        "delay_rate",
        "each_figure",
        "framework_step",
        "group_codes",
        "leader_allowed",
        "leader_codes",
        "leader_fields",
        "leader_lines",
        "leader_roles",
        "marks_plain",
        "marks_specs",
        "not_scored_when_unappraised",
        "over_delivery",
        "qd366",
        "r",
        "review_rate",
        "rounding_step",
        "rules",
        "staff_codes",
        "task_code",
        "text_of_rounded",
    )

    def __init__(self, rules: FrameworkRules) -> None:
        self.rules = rules
        method = rules.task_method
        self.review_rate = method.review_deduction.value
        self.delay_rate = method.delay_deduction.value
        self.over_delivery = method.over_delivery.value
        self.cap = method.cap_percent.value if method.cap_percent is not None else None
        self.leader_roles = method.leader_roles
        self.staff_codes = method.staff_criteria
        self.leader_codes = method.leader_criteria
        #: (code, LeaderMarks field) of the leader criteria the task percent counts, in order.
        self.leader_fields = tuple(
            (code, LEADER_FIELDS[code])
            for code in LEADER_CRITERIA
            if code in method.leader_criteria
        )
        #: The allowed levels of each of them, or ``None`` when the framework lacks one (the
        #: full validation then reports it as before).
        allowed: list[tuple[str, tuple[Decimal, ...]]] | None = []
        for code, field in self.leader_fields:
            try:
                criterion = rules.leader_criterion(code)
                levels = criterion.allowed_percents
                if code == "d" and criterion.plan_fulfilment == "ratio":
                    # any value up to the highest level: the full validation checks it
                    levels = ()
            except KeyError:
                allowed = None
                break
            assert allowed is not None
            allowed.append((field, levels))
        self.leader_allowed = None if allowed is None else tuple(allowed)
        self.group_codes = (
            [g.code for g in rules.position_groups] if rules.needs_position_group else None
        )
        self.marks_specs = tuple(MarksSpec(c) for c in rules.marks_components)
        codes = [spec.code for spec in self.marks_specs]
        #: Whether plain marks can skip the per-field validation (else it always runs).
        self.marks_plain = len(set(codes)) == len(codes) and all(
            spec.plain for spec in self.marks_specs
        )
        self.components = tuple(ComponentPlan(c) for c in rules.components)
        self.task_code = next((c.code for c in rules.components if c.kind == "task_results"), None)
        self.not_scored_when_unappraised = (
            rules.marks.self_mark_without_evaluator.value == "not_scored"
        )
        self.leader_lines = method.leader_lines.value
        rounding = rules.rounding
        self.each_figure = rounding.steps.value == "each_printed_figure"
        #: The total the bands see is the printed one (``rounded``), else the exact one;
        #: ``band_for`` compares it as it is under ``exact``, else rounded again.
        self.banding_rounded = rounding.banding.value == "rounded"
        self.banding_exact = rounding.banding.value == "exact"
        self.r = rounding_function(rounding.digits, rounding.mode.value)
        #: fmt2 of a figure ``r`` rounded: its own digits when it has two places, else
        #: rounded to two places again.
        self.text_of_rounded: Callable[[Decimal], str] = (
            _digits if rounding.digits == 2 else fmt2_fresh
        )
        self.bands = tuple((band.min_score, band.code) for band in rules.bands)
        texts: dict[str, str] = {}
        for band in rules.bands:
            if band.code not in texts:
                texts[band.code] = fmt_plain(band.min_score)
        self.band_min_text = texts
        self.qd366 = rules.individual.excellent_conditions.value == "qd366"
        self.framework_step = step(
            "framework",
            framework=rules.code,
            version=rules.version,
            engine_version=ENGINE_VERSION,
        )
        self.rounding_step = step(
            "rounding",
            places=rounding.digits,
            mode=rounding.mode.value,
            steps=rounding.steps.value,
            banding=rounding.banding.value,
        )

    def band_for(self, compared: Decimal) -> str:
        """:func:`~scoring.engine.bands.band_for` of a value already made comparable."""
        for minimum, code in self.bands:
            if compared >= minimum:
                return code
        return self.bands[-1][1]


_PLANS: dict[int, PeriodPlan] = {}
_PLANS_LIMIT = 64


def period_plan(rules: FrameworkRules) -> PeriodPlan:
    """The plan of ``rules`` (built on first use, then kept)."""
    plan = _PLANS.get(id(rules))
    if plan is not None and plan.rules is rules:
        return plan
    plan = PeriodPlan(rules)
    if len(_PLANS) >= _PLANS_LIMIT:
        _PLANS.clear()
    _PLANS[id(rules)] = plan
    return plan
