"""Score of one civil servant for one period (Form 01).

::

    task percent  = mean of the role's criteria (staff: a, b, c; leaders: a, b, c, d, đ, e)
    task points   = task percent * task-component max / 100        (default max 70)
    marks points  = marks / Σ sub-criteria max * component max     (default general: /30 * 30)
    total         = Σ component points
    rating        = band of the rounded total (or of the exact total, ``rounding.banding``)

Rounding (framework ``rounding``, [inferred], docs/scoring.md §8): places (default 2) and mode
(default half_up). With ``steps`` = ``each_printed_figure`` (default) every printed Form 01
figure is rounded and the next one is computed from it — a, b, c; task % = mean of the rounded
criteria; task points from the rounded task %; marks points; total = Σ rounded parts — so the
printed figures add up by hand (review C23). With ``once`` every intermediate value is exact
and only the reported numbers are rounded. ``exact`` always keeps the unrounded chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .constants import ENGINE_VERSION, LEADER_CRITERIA, LINE_CRITERIA
from .decimals import HUNDRED, ZERO, engine_context, fmt2, fmt2_fresh, fmt_plain, to_decimal
from .defaults import DECREE_335_DEFAULT
from .framework.rules import Component, FrameworkRules
from .individual import ExcellentCheck, band_below, excellent_conditions, excellent_step
from .plan import ComponentPlan, period_plan, plain
from .task_results import tally_lines
from .types import PeriodInput, PeriodResult, Step
from .validation import check_period_input, plainly_valid_input

CRITERIA = LINE_CRITERIA + LEADER_CRITERIA


def marks_total(component: Component, marks: object) -> Decimal:
    """Raw marks of a criteria_marks component (validated input)."""
    if isinstance(marks, Mapping):
        return sum((to_decimal(marks[c.code]) for c in component.criteria), ZERO)
    return to_decimal(marks)


def _marks_total(part: ComponentPlan, marks: object) -> Decimal:
    """:func:`marks_total` with the sub-criteria codes read once (the same sum, in order)."""
    if isinstance(marks, Mapping):
        total = ZERO
        for code in part.codes:
            value = marks[code]
            total += value if type(value) is Decimal and value.is_finite() else to_decimal(value)
        return total
    return to_decimal(marks)


def period_excellent_check(inp: PeriodInput, rules: FrameworkRules) -> ExcellentCheck | None:
    """QĐ 366 Art. 11's conditions measured on a period's assigned lines, whatever its band
    (``None`` unless ``individual.excellent_conditions`` = ``qd366``). The same lines and
    converted quantities as :func:`score_period`'s check; the annual step sums the counts of
    the year's periods (:func:`~scoring.engine.annual.score_annual`)."""
    plan = period_plan(rules)
    if not plan.qd366:
        return None
    with engine_context():
        tasks = tally_lines(inp.lines, plan, [], line_steps=False, keep_lines=True)
    return excellent_conditions(tasks.lines, rules)


def score_period(
    inp: PeriodInput, rules: FrameworkRules = DECREE_335_DEFAULT, *, line_steps: bool = True
) -> PeriodResult:
    """Score one period; raises ScoringInputError listing every bad field. ``line_steps=False``
    leaves out each line's three explanation steps (see
    :func:`~scoring.engine.task_results.compute_unchecked`).

    What depends on the rules alone is read once per rules object
    (:mod:`~scoring.engine.plan`); plainly valid input skips the per-field messages of the
    validation (:func:`~scoring.engine.validation.plainly_valid_input`), anything else is
    checked field by field."""
    plan = period_plan(rules)
    if not plainly_valid_input(inp, plan):
        check_period_input(inp, rules).raise_if_any()
    meta = {
        "framework": rules.code,
        "framework_version": rules.version,
        "engine_version": ENGINE_VERSION,
    }
    role = inp.role
    is_leader = role in plan.leader_roles
    steps: list[Step] = [
        {**plan.framework_step, "role": plain(role), "position_group": plain(inp.position_group)}
    ]
    with engine_context():
        tasks = tally_lines(inp.lines, plan, steps, line_steps=line_steps, keep_lines=plan.qd366)
        awaiting = tasks.scored and inp.unappraised_marks and plan.not_scored_when_unappraised
        if awaiting:
            # Form 01 evaluator column, Gia Lai §III.4.b [inferred]: a self-mark is not the
            # score.
            steps.append(
                {
                    "code": "period_not_scored",
                    "reason": "awaiting_evaluator",
                    "marks": plain(sorted(inp.unappraised_marks)),
                }
            )
        if not tasks.scored and is_leader:
            # Art. 15 cl. 1-2 [confirmed]: never silent for a leader — say which lines were
            # looked at (the framework's ``task_method.leader_lines``).
            steps.append({"code": "leader_not_scored", "leader_lines": plain(plan.leader_lines)})
        if not tasks.scored or awaiting:
            return PeriodResult(
                scored=False,
                role=role,
                position_group=inp.position_group,
                criteria={},
                task_percent=None,
                task_points=None,
                component_points={},
                total=None,
                rating=None,
                exact={},
                explanation=tuple(steps),
                **meta,
            )

        # Rounding (framework ``rounding``): ``r`` rounds a printed figure; under
        # ``each_printed_figure`` the next figure is computed from the rounded one (and a
        # figure already rounded is not rounded again: it would not change).
        r = plan.r
        each = plan.each_figure
        text_of_rounded = plan.text_of_rounded
        printed = text_of_rounded if each else fmt2_fresh  # fmt2 of a chained figure
        exact: dict[str, Decimal] = dict(tasks.percents)
        leader = inp.leader
        if is_leader and leader is not None:
            for code, field in plan.leader_fields:
                value = exact[code] = to_decimal(getattr(leader, field))
                steps.append(
                    {"code": "leader_criterion", "criterion": code, "percent": fmt2(value)}
                )
        elif leader is not None:
            steps.append({"code": "leader_marks_ignored", "role": plain(role)})

        steps.append(dict(plan.rounding_step))
        codes = plan.leader_codes if is_leader else plan.staff_codes
        chain: dict[str, Decimal] = {c: r(exact[c]) for c in codes} if each else exact
        exact_task_percent = sum((exact[c] for c in codes), ZERO) / len(codes)
        task_percent = sum((chain[c] for c in codes), ZERO) / len(codes)
        if each:
            task_percent = r(task_percent)
        exact["task_percent"] = exact_task_percent
        task_percent_text = printed(task_percent)
        steps.append(
            {
                "code": "task_percent",
                "criteria": list(codes),
                "count": len(codes),
                "percent": task_percent_text,
            }
        )

        points: dict[str, Decimal] = {}
        exact_total = ZERO
        position_group = inp.position_group
        for part in plan.components:
            maximum = part.component.max_for(position_group)
            if part.is_task:
                exact_value = exact_task_percent * maximum / HUNDRED
                value = task_percent * maximum / HUNDRED
                if each:
                    value = r(value)
                steps.append(
                    {
                        "code": "task_points",
                        "component": part.code,
                        "label": part.label,
                        "percent": task_percent_text,
                        "max_points": fmt_plain(maximum),
                        "points": printed(value),
                    }
                )
            else:
                raw = _marks_total(part, inp.marks[part.component.code])
                exact_value = raw * maximum / part.scale
                value = r(exact_value) if each else exact_value
                steps.append(
                    {
                        "code": "marks_points",
                        "component": part.code,
                        "label": part.label,
                        "marks": fmt_plain(raw),
                        "scale": part.scale_text,
                        "max_points": fmt_plain(maximum),
                        "points": printed(value),
                    }
                )
            points[part.component.code] = value
            exact[part.key] = exact_value
            exact_total += exact_value
        total = sum(points.values(), ZERO)
        exact["total"] = exact_total

    # Under ``each_printed_figure`` the parts are rounded figures, and so is their sum.
    rounded_total = total if each else r(total)
    # The bands see the printed total, or (banding "exact") the exact one.
    banded = rounded_total if plan.banding_rounded else exact_total
    rating = plan.band_for(banded if plan.banding_exact or banded is rounded_total else r(banded))
    steps.append(
        {
            "code": "period_total",
            "total": printed(total),
            "parts": {code: printed(value) for code, value in points.items()},
        }
    )
    steps.append(
        {
            "code": "band",
            "score": text_of_rounded(rounded_total)
            if banded is rounded_total
            else fmt_plain(banded),
            "rating": rating,
            "min_score": plan.band_min_text[rating],
        }
    )
    if rating == "excellent" and plan.qd366:
        # QĐ 366 Art. 11 [secondary], option ``individual.excellent_conditions`` (M4): all lines
        # on time and a share exceeded, else the next band.
        check = excellent_conditions(tasks.lines, rules)
        if not check.passed:
            rating = band_below(rating, rules)
        steps.append(excellent_step(check, rules, rating))
    task_code = plan.task_code if plan.task_code is not None else rules.task_component.code
    return PeriodResult(
        scored=True,
        role=role,
        position_group=position_group,
        criteria={
            code: chain[code] if each and code in chain else r(value)
            for code, value in exact.items()
            if code in CRITERIA
        },
        task_percent=task_percent if each else r(task_percent),
        task_points=points[task_code] if each else r(points[task_code]),
        component_points=points.copy() if each else {c: r(v) for c, v in points.items()},
        total=rounded_total,
        rating=rating,
        exact=exact,
        explanation=tuple(steps),
        **meta,
    )
