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

from .bands import band_for, printed_rounding, rounding_step
from .constants import ENGINE_VERSION, LEADER_CRITERIA, LEADER_FIELDS, LINE_CRITERIA
from .decimals import HUNDRED, ZERO, engine_context, fmt2, fmt_plain, to_decimal
from .defaults import DECREE_335_DEFAULT
from .framework.rules import Component, FrameworkRules
from .individual import band_below, excellent_conditions, excellent_step
from .steps import step
from .task_results import compute_unchecked
from .types import PeriodInput, PeriodResult, Step
from .validation import check_period_input

CRITERIA = LINE_CRITERIA + LEADER_CRITERIA


def marks_total(component: Component, marks: object) -> Decimal:
    """Raw marks of a criteria_marks component (validated input)."""
    if isinstance(marks, Mapping):
        return sum((to_decimal(marks[c.code]) for c in component.criteria), ZERO)
    return to_decimal(marks)


def score_period(
    inp: PeriodInput, rules: FrameworkRules = DECREE_335_DEFAULT, *, line_steps: bool = True
) -> PeriodResult:
    """Score one period; raises ScoringInputError listing every bad field. ``line_steps=False``
    leaves out each line's three explanation steps (see
    :func:`~scoring.engine.task_results.compute_unchecked`)."""
    errors = check_period_input(inp, rules)
    errors.raise_if_any()
    meta = {
        "framework": rules.code,
        "framework_version": rules.version,
        "engine_version": ENGINE_VERSION,
    }
    is_leader = rules.is_leader_role(inp.role)
    tasks = compute_unchecked(inp.lines, rules, line_steps=line_steps)
    steps: list[Step] = [
        step(
            "framework",
            framework=rules.code,
            version=rules.version,
            engine_version=ENGINE_VERSION,
            role=inp.role,
            position_group=inp.position_group,
        )
    ]
    steps.extend(tasks.explanation)
    awaiting = (
        tasks.scored
        and inp.unappraised_marks
        and rules.marks.self_mark_without_evaluator.value == "not_scored"
    )
    if awaiting:
        # Form 01 evaluator column, Gia Lai §III.4.b [inferred]: a self-mark is not the score.
        steps.append(
            step(
                "period_not_scored",
                reason="awaiting_evaluator",
                marks=sorted(inp.unappraised_marks),
            )
        )
    if not tasks.scored and is_leader:
        # Art. 15 cl. 1-2 [confirmed]: never silent for a leader — say which lines were looked
        # at (the framework's ``task_method.leader_lines``).
        steps.append(step("leader_not_scored", leader_lines=rules.task_method.leader_lines.value))
    if not tasks.scored or awaiting:
        return PeriodResult(
            scored=False,
            role=inp.role,
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

    rounding = rules.rounding
    r, used = printed_rounding(rules)

    with engine_context():
        exact: dict[str, Decimal] = dict(tasks.percents())
        if is_leader and inp.leader is not None:
            for code in LEADER_CRITERIA:
                if code in rules.task_method.leader_criteria:
                    exact[code] = to_decimal(getattr(inp.leader, LEADER_FIELDS[code]))
                    steps.append(
                        step("leader_criterion", criterion=code, percent=fmt2(exact[code]))
                    )
        elif inp.leader is not None:
            steps.append(step("leader_marks_ignored", role=inp.role))

        steps.append(rounding_step(rules))
        codes = rules.criteria_for_role(inp.role)
        chain: dict[str, Decimal] = {c: used(exact[c]) for c in codes}
        exact_task_percent = sum((exact[c] for c in codes), ZERO) / len(codes)
        task_percent = used(sum((chain[c] for c in codes), ZERO) / len(codes))
        exact["task_percent"] = exact_task_percent
        steps.append(
            step("task_percent", criteria=list(codes), count=len(codes), percent=fmt2(task_percent))
        )

        points: dict[str, Decimal] = {}
        exact_total = ZERO
        for component in rules.components:
            maximum = component.max_for(inp.position_group)
            if component.kind == "task_results":
                exact_value = exact_task_percent * maximum / HUNDRED
                value = used(task_percent * maximum / HUNDRED)
                steps.append(
                    step(
                        "task_points",
                        component=component.code,
                        label=component.label,
                        percent=fmt2(task_percent),
                        max_points=fmt_plain(maximum),
                        points=fmt2(value),
                    )
                )
            else:
                raw = marks_total(component, inp.marks[component.code])
                scale = component.marks_scale
                exact_value = raw * maximum / scale
                value = used(exact_value)
                steps.append(
                    step(
                        "marks_points",
                        component=component.code,
                        label=component.label,
                        marks=fmt_plain(raw),
                        scale=fmt_plain(scale),
                        max_points=fmt_plain(maximum),
                        points=fmt2(value),
                    )
                )
            points[component.code] = value
            exact[f"component.{component.code}"] = exact_value
            exact_total += exact_value
        total = sum(points.values(), ZERO)
        exact["total"] = exact_total

    rounded_total = r(total)
    # The bands see the printed total, or (banding "exact") the exact one.
    banded = rounded_total if rounding.banding.value == "rounded" else exact_total
    rating = band_for(banded, rules)
    band = next(b for b in rules.bands if b.code == rating)
    steps.append(
        step(
            "period_total",
            total=fmt2(total),
            parts={code: fmt2(value) for code, value in points.items()},
        )
    )
    steps.append(
        step(
            "band",
            score=fmt2(rounded_total) if banded is rounded_total else fmt_plain(banded),
            rating=rating,
            min_score=fmt_plain(band.min_score),
        )
    )
    if rating == "excellent" and rules.individual.excellent_conditions.value == "qd366":
        # QĐ 366 Art. 11 [secondary], option ``individual.excellent_conditions`` (M4): all lines
        # on time and a share exceeded, else the next band.
        check = excellent_conditions(tasks.lines, rules)
        if not check.passed:
            rating = band_below(rating, rules)
        steps.append(excellent_step(check, rules, rating))
    task_code = rules.task_component.code
    return PeriodResult(
        scored=True,
        role=inp.role,
        position_group=inp.position_group,
        criteria={code: r(value) for code, value in exact.items() if code in CRITERIA},
        task_percent=r(task_percent),
        task_points=r(points[task_code]),
        component_points={code: r(value) for code, value in points.items()},
        total=rounded_total,
        rating=rating,
        exact=exact,
        explanation=tuple(steps),
        **meta,
    )
