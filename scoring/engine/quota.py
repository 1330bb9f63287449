"""Quota on "excellent" — Decree 335, Art. 20 cl. 5.

Within one group (agency/unit + group of civil servants with similar tasks) the number
rated excellent may not exceed ``ratio`` (20 %; 25 % for an outstanding organisation) of
the number rated good. With the default base (``good_after``: the number *finally* rated good,
people trimmed from excellent becoming good) and rounding (``floor``), with C candidates for
excellent and G rated good (N = C + G)::

    allowed E = the largest E ≤ C with E ≤ ratio * (N - E)
              = min(C, floor(ratio * N / (1 + ratio)))

e.g. (C=5, G=15) → E=3, finally good 17; (C=8, G=12) → E=3. A group needs N ≥ 6 for one
excellent at 20 %. ``base="good_before"`` gives min(C, cap(G)); ``rounding="half_up"`` rounds
ratio × base half up (it can exceed the ratio; only for a plan that says so).

Candidates are ordered by annual score as reported — rounded with the framework's
``rounding`` places and mode (default 2 places, half-up) — descending, then by id (ascending):
the first E are kept. If people with the *same* score straddle the cut the order among them is only
provisional: they are listed in ``tied_at_cut`` and ``needs_decision`` is True so the
rating authority decides, instead of the engine silently breaking the tie.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .bands import report_round
from .constants import RATINGS
from .decimals import engine_context, fmt_plain, to_decimal
from .defaults import DECREE_335_DEFAULT
from .errors import ScoringInputError
from .framework.rules import FrameworkRules
from .steps import step
from .types import Number, Step, _Serializable


@dataclass(frozen=True)
class QuotaMember:
    """A member of a quota group with their annual score and pre-quota rating."""

    id: str
    score: Number
    rating: str


@dataclass(frozen=True)
class QuotaResult(_Serializable):
    """Outcome of the quota for one group."""

    ratio: Decimal
    candidates: int
    good_before: int
    allowed: int
    good_after: int
    kept: tuple[str, ...]
    demoted: tuple[str, ...]
    tied_at_cut: tuple[str, ...]
    needs_decision: bool
    final_ratings: dict[str, str]
    explanation: tuple[Step, ...]


def quota_cap(base: int, ratio: Decimal, rounding: str = "floor") -> int:
    """Whole number of people ``ratio`` × ``base`` allows: rounded down (``floor``, never above
    the ratio) or half up (``half_up``). Exact arithmetic."""
    if base < 0:
        raise ValueError("counts must be non-negative")
    with engine_context():
        value = to_decimal(ratio) * base
        mode = ROUND_HALF_UP if rounding == "half_up" else ROUND_FLOOR
        return int(value.to_integral_value(rounding=mode))


def allowed_excellent(
    candidates: int,
    good: int,
    ratio: Decimal,
    *,
    base: str = "good_after",
    rounding: str = "floor",
) -> int:
    """How many of ``candidates`` may stay excellent beside ``good`` people rated good.

    * ``base="good_after"``: the largest E ≤ candidates with E ≤ cap(good + candidates - E),
      the people trimmed from excellent counting as good;
    * ``base="good_before"``: min(candidates, cap(good)).

    ``cap`` is :func:`quota_cap` with ``rounding``.
    """
    if candidates < 0 or good < 0:
        raise ValueError("counts must be non-negative")
    if base == "good_before":
        return min(candidates, quota_cap(good, ratio, rounding))
    if rounding == "floor":
        # Closed form of the search below: E * (1 + ratio) ≤ ratio * N.
        with engine_context():
            total = candidates + good
            limit = ratio * total
            factor = 1 + ratio
            estimate = int(limit / factor)
            while (estimate + 1) * factor <= limit:
                estimate += 1
            while estimate > 0 and estimate * factor > limit:
                estimate -= 1
        return max(0, min(candidates, estimate))
    for kept in range(candidates, 0, -1):
        if kept <= quota_cap(good + candidates - kept, ratio, rounding):
            return kept
    return 0


def apply_quota(
    members: Sequence[QuotaMember],
    rules: FrameworkRules = DECREE_335_DEFAULT,
    *,
    outstanding: bool = False,
) -> QuotaResult:
    """Apply the quota to one group; members rated other than excellent are unchanged."""
    errors: dict[str, str] = {}
    seen: set[str] = set()
    scored: list[tuple[Decimal, str]] = []
    for i, member in enumerate(members):
        if member.rating not in RATINGS:
            errors[f"members[{i}].rating"] = "Mức xếp loại không hợp lệ."
        if member.id in seen:
            errors[f"members[{i}].id"] = "Mã người được đánh giá bị trùng."
        seen.add(member.id)
        try:
            # Ranked on the score as reported: the framework's rounding places and mode
            # (``rounding``, [inferred]; default 2 places half-up), not a fixed half-up.
            score = report_round(to_decimal(member.score), rules)
        except (TypeError, ValueError):
            errors[f"members[{i}].score"] = "Phải là một số."
            continue
        if member.rating == "excellent":
            scored.append((score, member.id))
    if errors:
        raise ScoringInputError(errors)

    ratio = (rules.quota.outstanding_ratio if outstanding else rules.quota.ratio).value
    base, rounding = rules.quota.base.value, rules.quota.rounding.value
    good_before = sum(1 for m in members if m.rating == "good")
    ordered = sorted(scored, key=lambda item: (-item[0], item[1]))
    allowed = allowed_excellent(len(ordered), good_before, ratio, base=base, rounding=rounding)
    kept = ordered[:allowed]
    demoted = ordered[allowed:]
    tied: list[tuple[Decimal, str]] = []
    if kept and demoted and kept[-1][0] == demoted[0][0]:
        cut_score = kept[-1][0]
        tied = [item for item in ordered if item[0] == cut_score]
    steps: list[Step] = [
        step(
            "quota_cap",
            ratio=fmt_plain(ratio),
            outstanding=outstanding,
            candidates=len(ordered),
            good=good_before,
            allowed=allowed,
            good_after=good_before + len(demoted),
            base=base,
            rounding=rounding,
        )
    ]
    steps.extend(step("quota_kept", id=pid, score=f"{score:f}") for score, pid in kept)
    steps.extend(step("quota_demoted", id=pid, score=f"{score:f}") for score, pid in demoted)
    if tied:
        steps.append(
            step("quota_tie_at_cut", ids=[pid for _, pid in tied], score=f"{tied[0][0]:f}")
        )
    final = {m.id: m.rating for m in members}
    for _, pid in demoted:
        final[pid] = "good"
    return QuotaResult(
        ratio=ratio,
        candidates=len(ordered),
        good_before=good_before,
        allowed=allowed,
        good_after=good_before + len(demoted),
        kept=tuple(pid for _, pid in kept),
        demoted=tuple(pid for _, pid in demoted),
        tied_at_cut=tuple(pid for _, pid in tied),
        needs_decision=bool(tied),
        final_ratings=final,
        explanation=tuple(steps),
    )
