"""Beneficiaries' satisfaction answers as the mark of sub-criteria (issue 33 item 3; Nghệ An
plan §I.2, §III.2.2: the satisfaction of the beneficiaries is measured, not only marked).

The framework's ``feedback`` rule (:class:`~scoring.engine.framework.rules.FeedbackRule`) says
which marked sub-criteria are fed (``satisfaction_criteria``, ``"component.code"``), what each
answer level is worth (``level_percents``, default 5 → 100 %, 4 → 75 %, 3 → 50 %, 2 → 25 %,
1 → 0 %), the fewest answers that count (``min_answers``, default 5 [inferred]), what happens
below it (``below_min``: the evaluator's mark stands [default] or the full mark) and the answers'
share of the mark (``weight``, default 1: the answers replace the evaluator's mark)::

    percent      = Σ answers(level) × percent(level) / Σ answers
    answer mark  = percent × criterion max / 100
    mark         = weight × answer mark + (1 - weight) × evaluator's mark

Below the minimum the number of answers is not stated (small counts are suppressed: a
beneficiary of a rare service could be recognised). The answers come from one-time codes and
from the one-stop system's survey (imported from Excel); when the survey contributes, the line
says how many answers came from each source, unless one source has fewer than the minimum
(then only the total is stated: with the total, either source's number would give the other
away). Pure: Decimal only, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .bands import report_round
from .decimals import HUNDRED, ONE, ZERO, engine_context, fmt2, fmt_plain, to_decimal
from .framework.rules import FrameworkRules
from .steps import step
from .types import Step


def criterion_max(rules: FrameworkRules, qualified: str) -> Decimal | None:
    """The maximum of a qualified sub-criterion (``None`` when the framework has none)."""
    component_code, _, code = qualified.partition(".")
    for component in rules.marks_components:
        if component.code == component_code:
            for criterion in component.criteria:
                if criterion.code == code:
                    return criterion.max_points
    return None


def below_minimum(
    rules: FrameworkRules, result: dict[str, dict[str, object]], codes: list[str], reading: str
) -> tuple[str, ...]:
    """Too few answers or ratings: under ``full_marks`` each fed criterion gets its maximum
    (written into ``result``) and counts as fed; otherwise the evaluator's mark stands."""
    if reading != "full_marks":
        return ()
    for code in codes:
        component, _, sub = code.partition(".")
        result.setdefault(component, {})[sub] = criterion_max(rules, code)
    return tuple(codes)


def blend_marks(
    rules: FrameworkRules,
    result: dict[str, dict[str, object]],
    codes: list[str],
    percent: Decimal,
    weight: Decimal,
) -> dict[str, str]:
    """Each fed criterion's mark from a percentage (the beneficiaries' answers, the related
    units' ratings): ``percent`` of the criterion's maximum, blended with the evaluator's mark by
    ``weight`` when the weight is below 1 and there is one; rounded as the framework reports.
    Writes the marks into ``result``; returns them as text per qualified code."""
    fed_marks: dict[str, str] = {}
    with engine_context():
        for code in codes:
            component, _, sub = code.partition(".")
            maximum = criterion_max(rules, code) or ZERO
            fed = percent * maximum / HUNDRED
            evaluator = result.get(component, {}).get(sub)
            if weight < ONE and evaluator is not None:
                mark = weight * fed + (ONE - weight) * to_decimal(evaluator)
            else:
                mark = fed
            mark = report_round(mark, rules)
            result.setdefault(component, {})[sub] = mark
            fed_marks[code] = fmt2(mark)
    return fed_marks


def answers_percent(rules: FrameworkRules, answers: Mapping[str, int]) -> Decimal | None:
    """The mean percent of ``answers`` (level → count); ``None`` with no answer."""
    levels = rules.feedback.level_percents
    total = sum(int(n) for level, n in answers.items() if level in levels)
    if not total:
        return None
    with engine_context():
        return sum(
            (levels[level] * int(n) for level, n in answers.items() if level in levels), ZERO
        ) / Decimal(total)


def feed_marks(
    rules: FrameworkRules,
    marks: Mapping[str, Mapping[str, object]],
    answers: Mapping[str, int] | None,
    sources: Mapping[str, int] | None = None,
) -> tuple[dict[str, dict[str, object]], tuple[str, ...], list[Step]]:
    """``(marks, fed, steps)``: the marks with the fed sub-criteria replaced, the qualified codes
    whose mark now comes from the answers (no longer "awaiting the evaluator"), and the
    explanation lines. Nothing changes when the framework feeds no sub-criterion.

    ``sources``: the number of answers per source (``"codes"``, ``"survey"``); the line names
    them when the survey contributes (see the module's note on small counts)."""
    rule = rules.feedback
    result = {component: dict(values) for component, values in marks.items()}
    codes = [code for code in rule.satisfaction_criteria if criterion_max(rules, code) is not None]
    if not codes:
        return result, (), []
    answers = {str(k): int(v) for k, v in (answers or {}).items()}
    count = sum(n for level, n in answers.items() if level in rule.level_percents)
    minimum = int(rule.min_answers.value)
    if count < minimum or count == 0:
        fed = below_minimum(rules, result, codes, rule.below_min.value)
        return (
            result,
            fed,
            [
                step(
                    "satisfaction_below_min",
                    criteria=codes,
                    min_answers=minimum,
                    reading=rule.below_min.value,
                )
            ],
        )
    shown_sources = _shown_sources(sources, minimum)
    percent = answers_percent(rules, answers) or ZERO
    weight = rule.weight.value
    fed_marks = blend_marks(rules, result, codes, percent, weight)
    extra = {} if shown_sources is None else {"sources": shown_sources}
    return (
        result,
        tuple(codes),
        [
            step(
                "satisfaction_feed",
                answers=count,
                percent=fmt2(percent),
                weight=fmt_plain(weight),
                marks=fed_marks,
                **extra,
            )
        ],
    )


#: The sources in the order the explanation names them.
SOURCES = ("survey", "codes")


def _shown_sources(sources: Mapping[str, int] | None, minimum: int) -> dict[str, int | None] | None:
    """What the line says of the sources: ``None`` when the survey does not contribute (the
    line is the codes' own, as before); else source → number, or source → ``None`` for every
    source when one of them has fewer than ``minimum`` answers (small counts suppressed)."""
    counts = {source: int(n) for source, n in (sources or {}).items() if int(n) > 0}
    if not counts.get("survey"):
        return None
    ordered = sorted(counts, key=lambda s: SOURCES.index(s) if s in SOURCES else len(SOURCES))
    if any(counts[source] < minimum for source in ordered):
        return dict.fromkeys(ordered)
    return {source: counts[source] for source in ordered}
