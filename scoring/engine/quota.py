"""Quota on "excellent" — Decree 335, Art. 20 cl. 5.

Within one group (agency/unit + group of civil servants with similar tasks) the number
rated excellent may not exceed ``ratio`` (20 %; 25 % for an outstanding organisation) of
the number *finally* rated good. People trimmed from excellent become good, so with
C candidates for excellent and G rated good (N = C + G)::

    allowed E = the largest E ≤ C with E ≤ ratio * (N - E)
              = min(C, floor(ratio * N / (1 + ratio)))

e.g. (C=5, G=15) → E=3, finally good 17; (C=8, G=12) → E=3.

Candidates are ordered by annual score (descending) then by id (ascending): the first E
are kept. If people with the *same* score straddle the cut the order among them is only
provisional: they are listed in ``tied_at_cut`` and ``needs_decision`` is True so the
rating authority decides, instead of the engine silently breaking the tie.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .constants import RATINGS
from .decimals import engine_context, fmt2, fmt_plain, round2, to_decimal
from .defaults import DECREE_335_DEFAULT
from .errors import ScoringInputError
from .framework import FrameworkRules
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


def allowed_excellent(candidates: int, good: int, ratio: Decimal) -> int:
    """Largest E ≤ candidates with E ≤ ratio * (good + candidates - E). Exact arithmetic."""
    if candidates < 0 or good < 0:
        raise ValueError("counts must be non-negative")
    with engine_context():
        total = candidates + good
        limit = ratio * total  # E * (1 + ratio) ≤ ratio * N
        factor = 1 + ratio
        estimate = int(limit / factor)
        while (estimate + 1) * factor <= limit:
            estimate += 1
        while estimate > 0 and estimate * factor > limit:
            estimate -= 1
    return max(0, min(candidates, estimate))


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
            score = round2(to_decimal(member.score))
        except (TypeError, ValueError):
            errors[f"members[{i}].score"] = "Phải là một số."
            continue
        if member.rating == "excellent":
            scored.append((score, member.id))
    if errors:
        raise ScoringInputError(errors)

    ratio = (rules.quota.outstanding_ratio if outstanding else rules.quota.ratio).value
    good_before = sum(1 for m in members if m.rating == "good")
    ordered = sorted(scored, key=lambda item: (-item[0], item[1]))
    allowed = allowed_excellent(len(ordered), good_before, ratio)
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
        )
    ]
    steps.extend(step("quota_kept", id=pid, score=fmt2(score)) for score, pid in kept)
    steps.extend(step("quota_demoted", id=pid, score=fmt2(score)) for score, pid in demoted)
    if tied:
        steps.append(step("quota_tie_at_cut", ids=[pid for _, pid in tied], score=fmt2(tied[0][0])))
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
