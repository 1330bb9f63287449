"""Rating bands, disqualifiers and the head-vs-agency cap.

By default (framework ``rounding.banding`` = ``rounded``, ``places`` 2, ``mode`` half_up) bands
are applied to the **rounded** score: 89.995 rounds to 90.00 and is excellent; 69.994 rounds to
69.99 and is completed. With ``banding`` = ``exact`` the exact score is compared (89.995 is
good, Art. 20 "từ 90 điểm trở lên" read strictly). The choice is [inferred]; see docs/scoring.md
§8.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from .constants import RATINGS, rating_rank
from .decimals import fmt2, fmt_plain, round_to
from .errors import ScoringInputError
from .framework.rules import FrameworkRules
from .steps import step
from .types import RatingResult, Step


def report_round(value: Decimal, rules: FrameworkRules) -> Decimal:
    """A reported figure rounded with the framework's places and mode."""
    return round_to(value, rules.rounding.digits, rules.rounding.mode.value)


def printed_rounding(
    rules: FrameworkRules,
) -> tuple[Callable[[Decimal], Decimal], Callable[[Decimal], Decimal]]:
    """``(r, used)`` for a chain of printed figures (framework ``rounding.steps``): ``r`` rounds
    a printed figure; ``used`` is the value the next figure is computed from — the rounded one
    under ``each_printed_figure`` (so the printed figures add up), the exact one under
    ``once``."""
    each = rules.rounding.steps.value == "each_printed_figure"

    def r(value: Decimal) -> Decimal:
        return report_round(value, rules)

    def used(value: Decimal) -> Decimal:
        return r(value) if each else value

    return r, used


def rounding_step(rules: FrameworkRules) -> Step:
    """The explanation's statement of the rounding in force."""
    rounding = rules.rounding
    return step(
        "rounding",
        places=rounding.digits,
        mode=rounding.mode.value,
        steps=rounding.steps.value,
        banding=rounding.banding.value,
    )


def banded_score(score: Decimal, rules: FrameworkRules) -> Decimal:
    """The value the bands compare: the rounded score, or the exact one (``banding``)."""
    if rules.rounding.banding.value == "exact":
        return score
    return report_round(score, rules)


def band_for(score: Decimal, rules: FrameworkRules) -> str:
    """Rating code of a score by bands only (rounded first unless ``banding`` is exact)."""
    compared = banded_score(score, rules)
    for band in rules.bands:
        if compared >= band.min_score:
            return band.code
    return rules.bands[-1].code


def rate(
    score: Decimal,
    rules: FrameworkRules,
    *,
    disqualifiers: Iterable[str] = (),
    is_leader: bool = False,
) -> RatingResult:
    """Band of ``score`` then disqualifiers (any applicable one forces "not_completed").

    Unknown disqualifier codes raise :class:`ScoringInputError`; leaders-only
    disqualifiers given for a non-leader are ignored (and reported in the explanation).
    """
    codes = list(dict.fromkeys(disqualifiers))
    known = {d.code for d in rules.disqualifiers}
    bad = {
        f"disqualifiers[{i}]": "Lý do không hoàn thành nhiệm vụ không có trong khung đánh giá."
        for i, code in enumerate(codes)
        if code not in known
    }
    if bad:
        raise ScoringInputError(bad)
    rounded = report_round(score, rules)
    score_rating = band_for(score, rules)
    band = next(b for b in rules.bands if b.code == score_rating)
    steps: list[Step] = [
        step("band", score=fmt2(rounded), rating=score_rating, min_score=fmt_plain(band.min_score))
    ]
    applied: list[str] = []
    ignored: list[str] = []
    for code in codes:
        if rules.disqualifier(code).leaders_only and not is_leader:
            ignored.append(code)
            steps.append(
                step("disqualifier_not_applicable", disqualifier=code, reason="leaders_only")
            )
        else:
            applied.append(code)
            steps.append(step("disqualifier", disqualifier=code, rating="not_completed"))
    rating = "not_completed" if applied else score_rating
    steps.append(step("final_rating", rating=rating))
    return RatingResult(
        score=rounded,
        score_rating=score_rating,
        rating=rating,
        disqualifiers_applied=tuple(applied),
        disqualifiers_ignored=tuple(ignored),
        explanation=tuple(steps),
    )


def lower_rating(first: str, second: str) -> str:
    """The worse of two rating codes."""
    return first if rating_rank(first) <= rating_rank(second) else second


def cap_head_rating(head_level: str, agency_level: str, *, enabled: bool = True) -> str:
    """A head's rating may not exceed the rating of the agency/unit they head.

    Returns ``min(head_level, agency_level)`` when ``enabled`` (the framework flag
    ``organisation.cap_head_by_agency``), else ``head_level`` unchanged.
    """
    for name, value in (("head_level", head_level), ("agency_level", agency_level)):
        if value not in RATINGS:
            raise ScoringInputError({name: "Mức xếp loại không hợp lệ."})
    return lower_rating(head_level, agency_level) if enabled else head_level
