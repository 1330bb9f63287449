"""Closed vocabularies shared by the engine (codes, never labels)."""

from __future__ import annotations

ENGINE_VERSION = "1.3.0"

#: Rating codes, best first (glossary: xếp loại chất lượng).
RATINGS: tuple[str, ...] = ("excellent", "good", "completed", "not_completed")

#: Roles of a civil servant for one period; "head"/"deputy" are leaders (cấp trưởng/cấp phó).
ROLES: tuple[str, ...] = ("staff", "head", "deputy")

#: Evaluation period types (kỳ theo dõi, đánh giá).
PERIOD_TYPES: tuple[str, ...] = ("month", "quarter", "half_year", "year")

#: Confidence tags used in docs/scoring.md and in every rule object.
CONFIDENCE_LEVELS: tuple[str, ...] = ("confirmed", "secondary", "inferred", "unknown")

#: Kinds of weighted framework components.
COMPONENT_KINDS: tuple[str, ...] = ("criteria_marks", "task_results")

#: Task-result criteria computed from product lines: quantity, quality, timeliness.
LINE_CRITERIA: tuple[str, ...] = ("a", "b", "c")

#: Leader criteria: unit results (d), organising capacity (đ → "dd"), cohesion (e).
LEADER_CRITERIA: tuple[str, ...] = ("d", "dd", "e")

#: Field names of :class:`~scoring.engine.types.LeaderMarks` for each leader criterion.
LEADER_FIELDS: dict[str, str] = {"d": "unit_results", "dd": "organising", "e": "cohesion"}

#: Task outcomes for organisations (agencies/units).
ORG_OUTCOMES: tuple[str, ...] = ("on_time", "exceeded", "late", "not_done")

#: Months covered by one period of each type; periods are numbered 1… within the year.
MONTHS_PER_PERIOD: dict[str, int] = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}

#: What an organisation gets when no level's conditions hold and no "not completed" case of
#: Gia Lai §III.3.d applies (the gap: 70 %–< 100 % of tasks done, or more than 20 % late):
#: the lowest level, the highest level whose conditions hold once "all done" and the late
#: share are set aside, or "not completed" (the former literal fall-through).
ORG_FALL_THROUGHS: tuple[str, ...] = ("lowest_level", "relax_task_conditions", "not_completed")

#: Level conditions that ``relax_task_conditions`` sets aside.
ORG_TASK_CONDITIONS: tuple[str, ...] = ("tasks_not_all_done", "late_share_exceeded")

#: How an organisation's task still unreported after its deadline counts: as not done, or left
#: out like a task not yet due (applied when the inputs are built; the engine only sees
#: outcomes).
ORG_OVERDUE_UNREPORTED: tuple[str, ...] = ("not_done", "excluded")

#: Supported annual aggregation methods.
ANNUAL_METHODS: tuple[str, ...] = ("mean_of_scored_periods",)

#: How the annual mean weighs the counted periods (Art. 21, weighting [unknown]): by the months
#: each covers (a time average) or each period once (plain mean).
ANNUAL_WEIGHTINGS: tuple[str, ...] = ("months", "periods")

#: Which role decides whether a leaders-only disqualifier (Art. 20 cl. 4 d) applies to the
#: year: a leader role held at any time in the year, or the role on 31 December.
ANNUAL_LEADER_ROLES: tuple[str, ...] = ("any_time_in_year", "year_end")

#: Which lines form a leader's a, b, c (Art. 15 cl. 1-2 [confirmed]: the leader's tasks are
#: those performed directly AND the directing, organising, guiding, inspecting and supervising
#: of the products of the civil servants in their charge): own lines plus the lines of the
#: people in charge, the charge's lines only when the leader has no own assigned product, or
#: own lines only (a leader with none is then "not scored", with the reason stated).
LEADER_LINE_SOURCES: tuple[str, ...] = ("own_and_charge", "charge_when_no_own", "own_only")

#: Which agency a quota group is formed in (Art. 20 cl. 5 "cùng cơ quan, tổ chức, đơn vị"):
#: the agency whose head rates the person, the agency (department/commune) the posting belongs
#: to, or the unit of the posting itself.
QUOTA_GROUPINGS: tuple[str, ...] = ("rater_agency", "owning_agency", "posting_unit")

#: Base of the 20 % quota: the people finally rated good (after trimming) or those rated good
#: before trimming.
QUOTA_BASES: tuple[str, ...] = ("good_after", "good_before")

#: Rounding of ratio × base: down (never above the ratio) or half up.
QUOTA_ROUNDINGS: tuple[str, ...] = ("floor", "half_up")


#: Rounding modes of reported figures (Art. 20 says nothing on rounding [unknown]).
ROUNDING_MODES: tuple[str, ...] = ("half_up", "half_even", "down")

#: Where rounding happens: once, on the total (every intermediate exact), or on each figure
#: printed on Form 01 (a, b, c, the task %, the task points, the marks points), each later
#: figure computed from the rounded earlier ones so that the printed figures add up by hand.
ROUNDING_STEPS: tuple[str, ...] = ("each_printed_figure", "once")

#: Which total the bands compare with their minimum: the rounded (printed) one or the exact
#: one (89.995 is then "good": strictly below 90).
ROUNDING_BANDINGS: tuple[str, ...] = ("rounded", "exact")

#: A self-mark on a general sub-criterion with no evaluator mark: counts as the mark, or the
#: period is "not scored" until the evaluator marks.
SELF_MARK_RULES: tuple[str, ...] = ("not_scored", "counts")

#: How completed > assigned and unplanned lines (assigned = 0) count in a, b, c (Art. 14):
#: pooled into every numerator (cap on the criterion after the deductions), each line capped
#: at its assigned quantity before the deductions, or only lines with an assigned quantity.
OVER_DELIVERY_RULES: tuple[str, ...] = ("pooled", "cap_each_line", "assigned_only")


#: How an organisation task's "bảo đảm chất lượng, hiệu quả" (Gia Lai §III.3 a–b, QĐ 366 Art.
#: 11, legal review M3) counts: not assessed, or a task reported as not ensuring quality and
#: effectiveness fails the excellent and good levels' conditions.
ORG_TASK_QUALITY_RULES: tuple[str, ...] = ("excellent_and_good", "not_assessed")
#: Whether the organisation's rating rests on its civil servants' ratings (legal review M2).
ORG_STAFF_RATINGS_RULES: tuple[str, ...] = ("not_considered", "like_subunits")

#: The extra conditions of an individual "excellent" (QĐ 366 Art. 11, legal review M4): the
#: score alone (Decree 335 Art. 20), or also 100 % of tasks on time and a share exceeded.
EXCELLENT_CONDITION_RULES: tuple[str, ...] = ("score_only", "qd366")

#: A deputy's rating against the head's (legal review M5, Customs 21169 [secondary]): no
#: cap, or not above the head's when the unit has late work.
DEPUTY_CAP_RULES: tuple[str, ...] = (
    "none",
    "not_above_head_when_late",
    "not_above_head_when_any_late",
)

#: How contract workers (lao động hợp đồng hỗ trợ, phục vụ; legal review M7) are scored: on the
#: civil servants' framework, or by their own method (quality, compliance, effectiveness).
CONTRACT_WORKER_METHODS: tuple[str, ...] = ("civil_servant_method", "own_method")

#: The three criteria of the contract workers' own method, as percentages.
CONTRACT_CRITERIA: tuple[str, ...] = ("quality", "compliance", "effectiveness")

#: Which post a person holding concurrent posts is evaluated at (legal review M11): the
#: primary posting, or the highest post (equal posts: where the person works most).
CONCURRENT_POST_RULES: tuple[str, ...] = ("primary_posting", "highest_post")


#: What a fed criterion gets when it has fewer answers than ``feedback.min_answers``: the
#: evaluator's mark stands, or the full mark (no complaint is read as satisfied).
FEEDBACK_BELOW_MIN_RULES: tuple[str, ...] = ("evaluator_mark", "full_marks")

#: The answer levels of the satisfaction scale, best first (5 very satisfied … 1 very
#: dissatisfied).
SATISFACTION_LEVELS: tuple[str, ...] = ("5", "4", "3", "2", "1")


def rating_rank(code: str) -> int:
    """Higher is better: not_completed 0 … excellent 3."""
    return len(RATINGS) - 1 - RATINGS.index(code)
