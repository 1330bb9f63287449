"""Rating of organisations (agencies and units): 30 general + 70 task results.

Task percent [inferred — not published; see docs/scoring.md]: every province-assigned task
has an outcome::

    on_time, exceeded → 100 %
    late              → max(0, 100 % * (1 - late_deduction * delays))   (delays ≥ 1, default 1)
    not_done          → 0 %

    task percent = mean over tasks;  task points = task percent * 70 / 100
    score        = general points + task points

Rounding (framework ``rounding``, the civil servants' options, [inferred]; docs/scoring.md §2,
§6): places (default 2) and mode (default half_up). With ``steps`` = ``each_printed_figure``
(default) every printed figure is rounded and the next is computed from it — task % rounded,
task points = rounded task % × 70 / 100 rounded, general points rounded, score = Σ rounded
parts — so the printed figures add up; ``once`` keeps the exact chain and rounds each reported
figure from its own exact value. The levels' minimum scores (Gia Lai §III.3, Art. 20 "từ 90
điểm trở lên") compare the rounded score (``banding`` = ``rounded``, default: 89.995 → 90.00)
or the exact one (``exact``: 89.995 is below 90).

Self-marks (framework ``marks.self_mark_without_evaluator``, [inferred], review U7; Gia Lai
§III.4.b: the appraised result is the one that counts): ``OrganisationInput.unappraised_marks``
names the general sub-criteria whose mark is the agency's own with no appraised mark; under
``not_scored`` (default) the organisation is not scored (reason ``awaiting_evaluator``) until
the appraising body marks them; ``counts`` takes the self-mark.

Levels (Quy định 366 Art. 11, Gia Lai plan §III.3 a–c) [secondary] — each level has a
minimum score and extra conditions; the rating is the highest level whose score *and*
conditions all hold (failed condition codes are recorded for every level above it). A level's
minimum score is a floor: the upper bound of its band ("từ 70 đến dưới 90") is not applied, so
95 points that fail good's conditions but meet completed's are completed (review C16/U9).

"Not completed" (Gia Lai §III.3.d) [secondary] applies only in the cases the plan lists, each
recorded as a reason: the score below the lowest level's minimum (50,
``score_below_lowest_level``), fewer than ``min_done_share`` (70 %) of tasks done
(``done_share_below_min``), or a conclusion (the organisation disqualifier codes, default
``personnel_work_violation``).

The gap (review C17/C18, W4): no level's conditions hold (70 %–< 100 % done, or more than
20 % late) and no "not completed" case applies. ``OrganisationRules.fall_through`` decides
[secondary, Gia Lai §III.3.d / QĐ 366 Art. 11]: ``lowest_level`` (default — the list of §III.3.d
is exhaustive, so the organisation gets the least demanding level), ``relax_task_conditions``
(the highest level whose conditions hold once "all done" and the late share are set aside)
or ``not_completed`` (reason ``no_level_met``). ``OrganisationResult.fall_through`` names the
reading applied, so the competent authority sees the case (force majeure is its decision).

Condition codes: ``score_below_min``, ``tasks_not_all_done``, ``late_share_exceeded``,
``exceeded_share_too_low``, ``quality_not_ensured`` (a task reported as not ensuring quality and
effectiveness fails excellent and good, option ``task_quality``, M3), ``subunit_not_completed``,
``shortcomings_not_remedied``, ``staff_not_completed`` (a civil servant of the organisation
rated not completed for the year fails the levels that require no failed sub-unit, option
``staff_ratings`` = ``like_subunits``, Gia Lai §II.2.b, M2 [inferred]);
not-completed reasons: ``score_below_lowest_level``, ``done_share_below_min``,
``no_level_met`` and the organisation disqualifier codes.

An agency's own key-task criterion may be measured from its work plans (``plan_fulfilment`` =
``ratio``; Đắk Lắk §III.3: evaluation rests on the agency's monthly, quarterly and annual work
plans [secondary]): ``OrganisationInput.plan`` gives the agency's approved plans of the year,
and the criterion is one more entry of the task percent — its weight, worth 100 % × completed
items / items due or completed — with an explanation line naming the plans. With no such item
the line says so and the criterion is left out. The entry is no task: the counts, the levels'
task conditions and "no tasks, not scored" read the tasks only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .bands import printed_rounding, rounding_step
from .constants import ORG_OUTCOMES, ORG_TASK_CONDITIONS, RATINGS
from .decimals import HUNDRED, ONE, ZERO, engine_context, fmt2, fmt_plain
from .defaults import DECREE_335_DEFAULT
from .errors import ScoringInputError
from .framework.rules import (
    FrameworkRules,
    KeyTaskCriterion,
    OrganisationLevel,
    OrganisationRules,
)
from .period import marks_total
from .steps import step
from .types import Marks, Number, PlanFulfilment, Step, _Serializable
from .validation import Errors, check_component_marks


@dataclass(frozen=True)
class OrgTask:
    """A task assigned to the organisation by the province (or the parent agency)."""

    outcome: str
    delays: Number | None = None
    ref: str | None = None
    #: A key task (nhiệm vụ trọng tâm): weighs ``organisation.key_task_weight`` in the task
    #: percent, other tasks 1.
    key: bool = False
    #: "Bảo đảm chất lượng, hiệu quả" (Gia Lai §III.3 a–b, M3): ``False`` when the task was
    #: reported as not ensuring quality and effectiveness; ``None`` (not assessed) counts as
    #: ensured. Used by ``organisation.task_quality``.
    quality_ensured: bool | None = None
    #: The agency's own key-task criterion this task fulfils (``organisation.key_tasks``,
    #: proposed by the agency and approved): the task weighs that criterion's weight.
    key_code: str | None = None


@dataclass(frozen=True)
class OrganisationInput:
    """Inputs for rating one agency/unit for the year.

    ``general``: total marks (0–30) or sub-criterion marks, ``None`` when none are given
    (reported missing); ``subunit_ratings``: final ratings of the *direct* sub-units (mapping
    id → rating or a list); scored bottom-up with :func:`~scoring.engine.scoring_order`.
    """

    general: Marks | None
    tasks: tuple[OrgTask, ...]
    subunit_ratings: Mapping[str, str] | Sequence[str] = ()
    shortcomings_remedied: bool = True
    disqualifiers: tuple[str, ...] = ()
    ref: str | None = None
    #: General sub-criteria (codes) whose mark is a self-mark no appraiser has marked; the
    #: framework's ``marks.self_mark_without_evaluator`` says whether they count (review U7).
    unappraised_marks: tuple[str, ...] = ()
    #: The annual ratings of the organisation's own civil servants (id → rating), read under
    #: ``organisation.staff_ratings`` = ``like_subunits`` (legal review M2).
    staff_ratings: Mapping[str, str] = field(default_factory=dict)
    #: The agency's approved work plans of the year, read by a key-task criterion measured
    #: from them (``KeyTaskCriterion.plan_fulfilment`` = ``ratio``, Đắk Lắk §III.3).
    plan: PlanFulfilment | None = None


def key_task_from_plans(org: OrganisationRules | None) -> KeyTaskCriterion | None:
    """The agency's key-task criterion measured from its work plans, if the rules have one."""
    if org is None:
        return None
    return next((k for k in org.key_tasks if k.plan_fulfilment == "ratio"), None)


@dataclass(frozen=True)
class OrganisationResult(_Serializable):
    """Rating of an organisation. ``None`` numbers/rating when it has no tasks."""

    scored: bool
    general_points: Decimal | None
    task_percent: Decimal | None
    task_points: Decimal | None
    score: Decimal | None
    score_rating: str | None
    rating: str | None
    counts: dict[str, int]
    failed_conditions: dict[str, tuple[str, ...]]
    not_completed_reasons: tuple[str, ...]
    exact: dict[str, Decimal] = field(default_factory=dict)
    explanation: tuple[Step, ...] = ()
    #: The ``OrganisationRules.fall_through`` reading applied when no level's conditions held
    #: and no "not completed" case applied (``None`` otherwise).
    fall_through: str | None = None


def _subunits(value: Mapping[str, Any] | Iterable[Any]) -> list[tuple[str, Any]]:
    if isinstance(value, Mapping):
        return [(str(key), rating) for key, rating in value.items()]
    return [(str(i), rating) for i, rating in enumerate(value)]


def _validate(inp: OrganisationInput, org: OrganisationRules) -> list[int]:
    errors = Errors()
    check_component_marks(org.general, inp.general, errors, "general")
    delays: list[int] = []
    for i, task in enumerate(inp.tasks):
        here = f"tasks[{i}]"
        if task.outcome not in ORG_OUTCOMES:
            errors.add(f"{here}.outcome", "Kết quả phải là một trong: " + ", ".join(ORG_OUTCOMES))
        if task.outcome == "late":
            count = 1 if task.delays is None else errors.count(task.delays, f"{here}.delays")
            if count == 0:
                errors.add(f"{here}.delays", "Nhiệm vụ trễ hạn phải có ít nhất 1 lần trễ.")
            delays.append(count or 0)
        else:
            if task.delays not in (None, 0):
                errors.add(f"{here}.delays", "Chỉ nhiệm vụ trễ hạn mới có số lần trễ.")
            delays.append(0)
        if task.quality_ensured not in (None, True, False):
            errors.add(f"{here}.quality_ensured", "Phải là có, không hoặc để trống.")
        if task.key_code and task.key_code not in {k.code for k in org.key_tasks}:
            errors.add(
                f"{here}.key_code",
                "Không có trong tiêu chí nhiệm vụ trọng tâm của khung đánh giá tổ chức.",
            )
    plan = inp.plan
    if plan is not None and not 0 <= plan.done <= plan.total:
        errors.add("plan.done", "Số mục hoàn thành không hợp lệ.")
    for key, rating in _subunits(inp.subunit_ratings):
        if rating not in RATINGS:
            errors.add(f"subunit_ratings[{key}]", "Mức xếp loại không hợp lệ.")
    for key, rating in sorted(inp.staff_ratings.items()):
        if rating not in RATINGS:
            errors.add(f"staff_ratings[{key}]", "Mức xếp loại không hợp lệ.")
    known = {d.code for d in org.disqualifiers}
    for i, code in enumerate(inp.disqualifiers):
        if code not in known:
            errors.add(f"disqualifiers[{i}]", "Lý do không có trong khung đánh giá.")
    errors.raise_if_any()
    return delays


def _failed_conditions(
    level: OrganisationLevel,
    score: Decimal,
    counts: dict[str, int],
    subunit_failed: bool,
    remedied: bool,
    quality_failed: bool = False,
    staff_failed: bool = False,
) -> list[str]:
    total = counts["total"]
    failed: list[str] = []
    if score < level.min_score:
        failed.append("score_below_min")
    if level.require_all_done and counts["not_done"] > 0:
        failed.append("tasks_not_all_done")
    if level.max_late_share is not None and counts["late"] > level.max_late_share * total:
        failed.append("late_share_exceeded")
    if (
        level.min_exceeded_share is not None
        and counts["exceeded"] < level.min_exceeded_share * total
    ):
        failed.append("exceeded_share_too_low")
    if quality_failed and level.rating in ("excellent", "good"):
        failed.append("quality_not_ensured")
    if level.require_no_failed_subunit and subunit_failed:
        failed.append("subunit_not_completed")
    if level.require_no_failed_subunit and staff_failed:
        failed.append("staff_not_completed")
    if level.require_shortcomings_remedied and not remedied:
        failed.append("shortcomings_not_remedied")
    return failed


def _not_completed_reasons(
    inp: OrganisationInput, org: OrganisationRules, score: Decimal, counts: dict[str, int]
) -> list[str]:
    """The cases of Gia Lai §III.3.d [secondary] that apply: score below the lowest level's
    minimum (50), a conclusion (disqualifier), fewer than ``min_done_share`` of tasks done."""
    reasons: list[str] = []
    if score < org.levels[-1].min_score:
        reasons.append("score_below_lowest_level")
    reasons += list(dict.fromkeys(inp.disqualifiers))
    if counts["total"] - counts["not_done"] < org.min_done_share.value * counts["total"]:
        reasons.append("done_share_below_min")
    return reasons


def _fall_through_rating(
    reading: str, org: OrganisationRules, failed_conditions: Mapping[str, tuple[str, ...]]
) -> str:
    """The rating of the gap (no level held, no "not completed" case) under ``reading``
    (``OrganisationRules.fall_through``, [secondary] Gia Lai §III.3.d; QĐ 366 Art. 11)."""
    if reading == "not_completed":
        return "not_completed"
    if reading == "relax_task_conditions":
        for level in org.levels:
            others = [c for c in failed_conditions[level.rating] if c not in ORG_TASK_CONDITIONS]
            if not others:
                return level.rating
    return org.levels[-1].rating


def _plan_entry(
    criterion: KeyTaskCriterion, plan: PlanFulfilment | None
) -> tuple[Step, Decimal | None]:
    """The explanation step of a key-task criterion measured from the agency's work plans of
    the year, and its value in the task percent (``None``: no item due or done, left out).
    Called inside the engine's decimal context."""
    params: dict[str, Any] = {
        "key_code": criterion.code,
        "label": criterion.label,
        "weight": fmt2(criterion.weight),
        "plans": list(plan.plans) if plan is not None else [],
        "done": plan.done if plan is not None else 0,
        "total": plan.total if plan is not None else 0,
        "not_due": plan.not_due if plan is not None else 0,
    }
    if plan is None or plan.total <= 0:
        return step("org_key_task_plan", counted=False, **params), None
    value = HUNDRED * Decimal(plan.done) / Decimal(plan.total)
    return step("org_key_task_plan", counted=True, percent=fmt2(value), **params), value


def score_organisation(  # noqa: C901
    inp: OrganisationInput, rules: FrameworkRules = DECREE_335_DEFAULT
) -> OrganisationResult:
    """Score and rate an agency/unit; raises ScoringInputError listing every bad field."""
    org = rules.organisation
    if org is None:
        raise ScoringInputError(
            "Khung đánh giá không có quy định cho cơ quan, tổ chức.", field="framework"
        )
    delays = _validate(inp, org)
    counts = {"total": len(inp.tasks)}
    for outcome in ORG_OUTCOMES:
        counts[outcome] = sum(1 for t in inp.tasks if t.outcome == outcome)
    steps: list[Step] = []
    awaiting = (
        bool(inp.tasks)
        and bool(inp.unappraised_marks)
        and rules.marks.self_mark_without_evaluator.value == "not_scored"
    )
    if not inp.tasks or awaiting:
        if awaiting:
            # Gia Lai §III.4.b [inferred]: an agency's own mark is not its score.
            steps.append(
                step(
                    "org_not_scored",
                    reason="awaiting_evaluator",
                    marks=sorted(inp.unappraised_marks),
                )
            )
        else:
            steps.append(step("org_not_scored", reason="no_tasks"))
        return OrganisationResult(
            scored=False,
            general_points=None,
            task_percent=None,
            task_points=None,
            score=None,
            score_rating=None,
            rating=None,
            counts=counts,
            failed_conditions={},
            not_completed_reasons=(),
            explanation=tuple(steps),
        )

    rate_late = org.late_deduction.value
    key_criteria = {k.code: k for k in org.key_tasks}
    key_weight = org.key_task_weight.value
    with engine_context():
        task_values: list[Decimal] = []
        # The agency's own criteria (``key_code``) give each linked task its weight; the
        # province's flag (``key``) the framework's one weight.
        weights: list[Decimal] = []
        by_criteria = False
        for i, (task, count) in enumerate(zip(inp.tasks, delays, strict=True)):
            if task.outcome in ("on_time", "exceeded"):
                value = HUNDRED
            elif task.outcome == "late":
                value = HUNDRED * max(ZERO, ONE - rate_late * count)
            else:
                value = ZERO
            task_values.append(value)
            criterion = key_criteria.get(task.key_code or "")
            weights.append(
                criterion.weight if criterion is not None else key_weight if task.key else ONE
            )
            by_criteria = by_criteria or criterion is not None
            extra: dict[str, Any]
            if criterion is not None:
                extra = {
                    "key": True,
                    "weight": fmt2(criterion.weight),
                    "key_code": criterion.code,
                    "key_label": criterion.label,
                }
            elif task.key:
                extra = {"key": True, "weight": fmt2(org.key_task_weight.value)}
            else:
                extra = {}
            if task.quality_ensured is False:
                extra["quality_ensured"] = False
            steps.append(
                step(
                    "org_task",
                    task=i,
                    ref=task.ref,
                    outcome=task.outcome,
                    delays=count,
                    percent=fmt2(value),
                    **extra,
                )
            )
        from_plans = key_task_from_plans(org)
        if from_plans is not None:
            entry = _plan_entry(from_plans, inp.plan)
            steps.append(entry[0])
            if entry[1] is not None:
                task_values.append(entry[1])
                weights.append(from_plans.weight)
                by_criteria = True
        steps.append(step("org_task_counts", **counts))
        rounding = rules.rounding
        r, used = printed_rounding(rules)

        weighted = any(w != ONE for w in weights)
        if weighted:
            exact_task_percent = sum(
                (w * v for w, v in zip(weights, task_values, strict=True)), ZERO
            ) / sum(weights, ZERO)
        else:
            exact_task_percent = sum(task_values, ZERO) / len(task_values)
        task_percent = used(exact_task_percent)
        task_max = org.task_max.value
        exact_task_points = exact_task_percent * task_max / HUNDRED
        task_points = used(task_percent * task_max / HUNDRED)
        raw = marks_total(org.general, inp.general)
        general_max = org.general.max_for(None)
        exact_general = raw * general_max / org.general.marks_scale
        general_points = used(exact_general)
        exact_score = exact_general + exact_task_points
        total = general_points + task_points
    steps.append(rounding_step(rules))
    if weighted and by_criteria:
        steps.append(step("org_task_percent", percent=fmt2(task_percent), by_criteria=True))
    elif weighted:
        steps.append(
            step("org_task_percent", percent=fmt2(task_percent), key_weight=fmt2(key_weight))
        )
    else:
        steps.append(step("org_task_percent", percent=fmt2(task_percent)))
    steps.append(
        step(
            "marks_points",
            component=org.general.code,
            label=org.general.label,
            marks=fmt_plain(raw),
            scale=fmt_plain(org.general.marks_scale),
            max_points=fmt_plain(general_max),
            points=fmt2(general_points),
        )
    )
    steps.append(
        step(
            "task_points",
            component="org_task",
            label="Kết quả thực hiện nhiệm vụ",
            percent=fmt2(task_percent),
            max_points=fmt_plain(task_max),
            points=fmt2(task_points),
        )
    )
    score = r(total)
    # The levels' minimum scores see the printed score, or (banding "exact") the exact one.
    banded = score if rounding.banding.value == "rounded" else exact_score
    if banded is score:
        steps.append(step("org_score", score=fmt2(score)))
    else:
        steps.append(step("org_score", score=fmt2(score), exact=fmt_plain(banded)))

    subunit_failed = any(r == "not_completed" for _, r in _subunits(inp.subunit_ratings))
    # Gia Lai §III.3 a–b [secondary], option ``organisation.task_quality`` (M3).
    quality_failed = org.task_quality.value == "excellent_and_good" and any(
        task.quality_ensured is False for task in inp.tasks
    )
    # Gia Lai §II.2.b [inferred], option ``organisation.staff_ratings`` (M2).
    staff_failed = False
    if org.staff_ratings.value == "like_subunits":
        staff = [rating for _, rating in sorted(inp.staff_ratings.items())]
        failing = sum(1 for rating in staff if rating == "not_completed")
        staff_failed = failing > 0
        steps.append(step("org_staff_ratings", counted=len(staff), not_completed=failing))
    score_rating = next((lv.rating for lv in org.levels if banded >= lv.min_score), "not_completed")
    reasons = _not_completed_reasons(inp, org, banded, counts)
    failed_conditions: dict[str, tuple[str, ...]] = {}
    rating: str | None = None
    for level in org.levels:
        failed = _failed_conditions(
            level,
            banded,
            counts,
            subunit_failed,
            inp.shortcomings_remedied,
            quality_failed,
            staff_failed,
        )
        steps.append(step("org_level_check", rating=level.rating, passed=not failed, failed=failed))
        if not failed:
            rating = level.rating
            break
        failed_conditions[level.rating] = tuple(failed)
    fall_through = None
    if rating is None and not reasons:
        fall_through = org.fall_through.value
        rating = _fall_through_rating(fall_through, org, failed_conditions)
        if rating == "not_completed":
            reasons.append("no_level_met")
        steps.append(step("org_fall_through", reading=fall_through, rating=rating))
    for reason in reasons:
        steps.append(step("org_not_completed", reason=reason))
    if reasons:
        rating = "not_completed"
    steps.append(step("final_rating", rating=rating))
    return OrganisationResult(
        scored=True,
        general_points=r(general_points),
        task_percent=r(task_percent),
        task_points=r(task_points),
        score=score,
        score_rating=score_rating,
        rating=rating,
        counts=counts,
        failed_conditions=failed_conditions,
        not_completed_reasons=tuple(reasons),
        exact={
            "task_percent": exact_task_percent,
            "task_points": exact_task_points,
            "general_points": exact_general,
            "score": exact_score,
        },
        explanation=tuple(steps),
        fall_through=fall_through,
    )
