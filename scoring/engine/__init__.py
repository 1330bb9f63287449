"""KPI Công vụ scoring engine — pure Python, Decimal arithmetic, no Django.

Implements Decree 335/2025/NĐ-CP scoring of civil servants and organisations with the
framework (weights, criteria, bands, quota, …) supplied as data. See docs/scoring.md.
"""

from .annual import AnnualMemo, score_annual
from .bands import band_for, cap_head_rating, lower_rating, rate
from .constants import (
    CONFIDENCE_LEVELS,
    ENGINE_VERSION,
    LEADER_CRITERIA,
    LINE_CRITERIA,
    ORG_OUTCOMES,
    PERIOD_TYPES,
    RATINGS,
    ROLES,
    rating_rank,
)
from .decimals import fmt2, round2, to_decimal
from .defaults import DECREE_335_DEFAULT, DECREE_335_ORGANISATION, NGHE_AN_FOUR_GROUPS
from .errors import FrameworkError, ScoringInputError
from .fingerprint import canonical_json, inputs_fingerprint
from .framework import framework_problems, parse_framework
from .framework import rules as framework_rules
from .framework.rules import *  # noqa: F403 (the rules' own __all__ is the one list)
from .individual import (
    ContractWorkerInput,
    Post,
    cap_deputy_rating,
    evaluated_post,
    score_contract_worker,
)
from .leader import plan_fulfilment_on, unit_results_from_plan, unit_results_percent
from .ordering import scoring_order
from .organisation import (
    OrganisationInput,
    OrganisationResult,
    OrgTask,
    key_task_from_plans,
    score_organisation,
)
from .period import period_excellent_check, score_period
from .preview import score_preview
from .quota import QuotaMember, QuotaResult, allowed_excellent, apply_quota, quota_cap
from .task_results import compute_task_results, line_value
from .types import (
    AnnualPeriod,
    AnnualResult,
    LeaderMarks,
    Line,
    LineResult,
    PeriodInput,
    PeriodResult,
    PlanFulfilment,
    RatingResult,
    TaskResults,
    UnitResultsResult,
)

__all__ = [
    "CONFIDENCE_LEVELS",
    "DECREE_335_DEFAULT",
    "DECREE_335_ORGANISATION",
    "ENGINE_VERSION",
    "LEADER_CRITERIA",
    "LINE_CRITERIA",
    "NGHE_AN_FOUR_GROUPS",
    "ORG_OUTCOMES",
    "PERIOD_TYPES",
    "RATINGS",
    "ROLES",
    "AnnualMemo",
    "AnnualPeriod",
    "AnnualResult",
    "ContractWorkerInput",
    "FrameworkError",
    "LeaderMarks",
    "Line",
    "LineResult",
    "OrgTask",
    "OrganisationInput",
    "OrganisationResult",
    "PeriodInput",
    "PeriodResult",
    "PlanFulfilment",
    "Post",
    "QuotaMember",
    "QuotaResult",
    "RatingResult",
    "ScoringInputError",
    "TaskResults",
    "UnitResultsResult",
    "allowed_excellent",
    "apply_quota",
    "band_for",
    "canonical_json",
    "cap_deputy_rating",
    "cap_head_rating",
    "compute_task_results",
    "evaluated_post",
    "fmt2",
    "inputs_fingerprint",
    "key_task_from_plans",
    "line_value",
    "lower_rating",
    "period_excellent_check",
    "plan_fulfilment_on",
    "quota_cap",
    "rate",
    "rating_rank",
    "round2",
    "score_annual",
    "score_contract_worker",
    "score_organisation",
    "score_period",
    "score_preview",
    "scoring_order",
    "to_decimal",
    "unit_results_from_plan",
    "unit_results_percent",
]
__all__ += ["framework_problems", "parse_framework"]
__all__ += framework_rules.__all__
