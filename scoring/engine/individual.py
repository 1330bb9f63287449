"""Rules for individuals that the law leaves to the province (legal review §3), each a framework
option (``FrameworkRules.individual``) with its source and a documented default
(docs/scoring.md §14):

* **M4** :func:`excellent_conditions` — QĐ 366 Art. 11 [secondary]: "excellent" also needs
  100 % of the assigned lines done on time and at least 30 % exceeded (option
  ``excellent_conditions``: ``score_only`` by default [inferred], ``qd366``). Applied by
  :func:`~scoring.engine.period.score_period`: a person who fails gets the next band (good);
  for the year, :func:`~scoring.engine.annual.score_annual` measures them over the lines of
  all the year's counted periods (legal review 2026-11-25 F5).
* **M5** :func:`cap_deputy_rating` — Customs 21169 [secondary]: a deputy not rated above the
  head when the unit has late work (option ``deputy_cap``: ``none`` by default).
* **M7** :func:`score_contract_worker` — MOHA handbook ch. III [secondary, unverified]: contract
  workers scored (quality + compliance + effectiveness) / 3 (option ``contract_workers``:
  ``civil_servant_method`` by default, ``own_method``).
* **M11** :func:`evaluated_post` — the draft decree [unknown]: concurrent posts evaluated at the
  highest post, equal posts where the person works most (option ``concurrent_posts``:
  ``primary_posting`` by default, ``highest_post``).

Pure and deterministic: Decimal only, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .bands import band_for, lower_rating, report_round
from .constants import CONTRACT_CRITERIA, RATINGS, ROLES, rating_rank
from .decimals import HUNDRED, ZERO, engine_context, fmt2, fmt_plain, to_decimal
from .defaults import DECREE_335_DEFAULT
from .errors import ScoringInputError
from .framework.rules import FrameworkRules
from .steps import step
from .types import LineResult, Number, Step, _Serializable

# --------------------------------------------------------------------------- M4


@dataclass(frozen=True)
class ExcellentCheck(_Serializable):
    """The QĐ 366 conditions of "excellent" measured on a period's lines."""

    applies: bool
    passed: bool
    lines: int
    on_time: int
    exceeded: int
    on_time_share: Decimal
    exceeded_share: Decimal


def excellent_conditions(
    lines: Sequence[LineResult], rules: FrameworkRules = DECREE_335_DEFAULT
) -> ExcellentCheck:
    """Measure QĐ 366 Art. 11's extra conditions on the assigned lines (assigned > 0).

    A line is *on time* when its completed quantity reaches the assigned one and it has no
    counted delay; *exceeded* when its completed quantity is above the assigned one (converted
    quantities, Art. 14). Shares are of the assigned lines; ``passed`` compares them with
    ``individual.excellent_min_on_time_share`` (default 1) and
    ``excellent_min_exceeded_share`` (default 0.3), inclusive. ``applies`` is the option
    ``individual.excellent_conditions`` = ``qd366``.
    """
    individual = rules.individual
    counted = [line for line in lines if line.assigned_converted > 0]
    on_time = sum(
        1
        for line in counted
        if line.completed_converted >= line.assigned_converted and line.counted_delays == 0
    )
    exceeded = sum(1 for line in counted if line.completed_converted > line.assigned_converted)
    with engine_context():
        total = Decimal(len(counted))
        on_time_share = Decimal(on_time) / total if counted else ZERO
        exceeded_share = Decimal(exceeded) / total if counted else ZERO
    passed = (
        bool(counted)
        and on_time_share >= individual.excellent_min_on_time_share.value
        and exceeded_share >= individual.excellent_min_exceeded_share.value
    )
    return ExcellentCheck(
        applies=individual.excellent_conditions.value == "qd366",
        passed=passed,
        lines=len(counted),
        on_time=on_time,
        exceeded=exceeded,
        on_time_share=on_time_share,
        exceeded_share=exceeded_share,
    )


def excellent_step(check: ExcellentCheck, rules: FrameworkRules, rating: str) -> Step:
    """The explanation line of the QĐ 366 conditions (``rating``: the rating after them)."""
    individual = rules.individual
    return step(
        "excellent_conditions",
        passed=check.passed,
        lines=check.lines,
        on_time=check.on_time,
        exceeded=check.exceeded,
        on_time_percent=fmt2(check.on_time_share * HUNDRED),
        exceeded_percent=fmt2(check.exceeded_share * HUNDRED),
        min_on_time_percent=fmt_plain(individual.excellent_min_on_time_share.value * HUNDRED),
        min_exceeded_percent=fmt_plain(individual.excellent_min_exceeded_share.value * HUNDRED),
        rating=rating,
    )


def band_below(rating: str, rules: FrameworkRules) -> str:
    """The band right below ``rating`` in the framework's bands (``rating`` if it is last)."""
    codes = [band.code for band in rules.bands]
    index = codes.index(rating)
    return codes[min(index + 1, len(codes) - 1)]


# --------------------------------------------------------------------------- M5


def cap_deputy_rating(
    deputy_rating: str,
    head_rating: str,
    *,
    unit_has_late_work: bool,
    rules: FrameworkRules = DECREE_335_DEFAULT,
) -> tuple[str, Step]:
    """A deputy's rating after the option ``individual.deputy_cap`` (M5, [secondary]).

    Under ``not_above_head_when_late`` (late work: the unit's organisation tasks) or
    ``not_above_head_when_any_late`` (also its civil servants' assigned products; legal review
    F6) a deputy whose unit has late work gets at most the
    head's rating; otherwise (and under ``none``, the default) the rating is unchanged.
    Returns the rating and its explanation line.
    """
    for name, value in (("deputy_rating", deputy_rating), ("head_rating", head_rating)):
        if value not in RATINGS:
            raise ScoringInputError({name: "Mức xếp loại không hợp lệ."})
    rule = rules.individual.deputy_cap.value
    capped = (
        rule in ("not_above_head_when_late", "not_above_head_when_any_late")
        and unit_has_late_work
        and rating_rank(deputy_rating) > rating_rank(head_rating)
    )
    rating = lower_rating(deputy_rating, head_rating) if capped else deputy_rating
    return rating, step(
        "deputy_cap",
        rule=rule,
        late_work=unit_has_late_work,
        head_rating=head_rating,
        before=deputy_rating,
        rating=rating,
        capped=capped,
    )


# --------------------------------------------------------------------------- M7


@dataclass(frozen=True)
class ContractWorkerInput:
    """The three criteria of the contract workers' own method, each a percentage 0–100."""

    quality: Number
    compliance: Number
    effectiveness: Number
    ref: str | None = None


@dataclass(frozen=True)
class ContractWorkerResult(_Serializable):
    score: Decimal
    rating: str
    criteria: dict[str, Decimal]
    explanation: tuple[Step, ...]


def score_contract_worker(
    inp: ContractWorkerInput, rules: FrameworkRules = DECREE_335_DEFAULT
) -> ContractWorkerResult:
    """Score a contract worker by the own method (M7, [secondary]): the mean of quality,
    compliance and effectiveness (percentages), on the framework's total scale, banded with
    the framework's bands (rounding as in force). Raises :class:`ScoringInputError` listing
    every bad criterion, and when the option ``individual.contract_workers`` is not
    ``own_method`` (the contract worker is then scored like a civil servant)."""
    if rules.individual.contract_workers.value != "own_method":
        raise ScoringInputError(
            "Khung đánh giá chấm lao động hợp đồng như công chức (không dùng cách riêng).",
            field="framework.individual.contract_workers",
        )
    bad: dict[str, str] = {}
    values: dict[str, Decimal] = {}
    for code in CONTRACT_CRITERIA:
        try:
            value = to_decimal(getattr(inp, code))
        except (ValueError, ArithmeticError, TypeError):
            bad[code] = "Phải là một số từ 0 đến 100."
            continue
        if not ZERO <= value <= HUNDRED:
            bad[code] = "Phải là một số từ 0 đến 100."
        values[code] = value
    if bad:
        raise ScoringInputError(bad)
    with engine_context():
        mean = sum(values.values(), ZERO) / len(CONTRACT_CRITERIA)
        exact = mean * rules.total_max / HUNDRED
    score = report_round(exact, rules)
    rating = band_for(exact, rules)
    steps = (
        step("contract_worker", **{code: fmt2(values[code]) for code in CONTRACT_CRITERIA}),
        step("contract_worker_score", score=fmt2(score), rating=rating),
        step("final_rating", rating=rating),
    )
    return ContractWorkerResult(
        score=score,
        rating=rating,
        criteria={code: report_round(values[code], rules) for code in CONTRACT_CRITERIA},
        explanation=steps,
    )


# --------------------------------------------------------------------------- M11


@dataclass(frozen=True)
class Post:
    """One post a person holds in the period.

    ``role`` (:data:`~scoring.engine.constants.ROLES`); ``level``: the rank of the post among
    leadership posts (higher is higher, e.g. 3 director, 2 head of division, 1 deputy head of
    division, 0 none); ``share``: the share of working time spent there (0–1); ``primary``:
    the primary posting.
    """

    ref: str
    role: str = "staff"
    level: int = 0
    share: Number = 0
    primary: bool = False


_ROLE_ORDER: Mapping[str, int] = {"staff": 0, "deputy": 1, "head": 2}


def evaluated_post(
    posts: Sequence[Post], rules: FrameworkRules = DECREE_335_DEFAULT
) -> tuple[Post, Step]:
    """The post a person holding concurrent posts is evaluated at (M11, [unknown]: draft).

    ``primary_posting`` (default): the primary posting. ``highest_post``: the highest level,
    then head above deputy above staff, then the largest share of working time, then the
    primary posting; a remaining tie keeps the first given (the caller's stable order).
    """
    if not posts:
        raise ScoringInputError("Phải có ít nhất một vị trí công tác.", field="posts")
    bad = {
        f"posts[{i}].role": "Vai trò không hợp lệ."
        for i, p in enumerate(posts)
        if p.role not in ROLES
    }
    primaries = [p for p in posts if p.primary]
    if len(primaries) != 1:
        bad["posts"] = "Phải có đúng một vị trí công tác chính."
    if bad:
        raise ScoringInputError(bad)
    rule = rules.individual.concurrent_posts.value
    if rule == "highest_post":
        chosen = max(
            enumerate(posts),
            key=lambda item: (
                item[1].level,
                _ROLE_ORDER[item[1].role],
                to_decimal(item[1].share),
                item[1].primary,
                -item[0],
            ),
        )[1]
    else:
        chosen = primaries[0]
    return chosen, step(
        "evaluated_post",
        rule=rule,
        post=chosen.ref,
        role=chosen.role,
        posts=[p.ref for p in posts],
    )
