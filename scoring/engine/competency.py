"""The position's required competencies, assessed by the evaluator, as the mark of sub-criteria
(issue 45 item 2; Đắk Lắk plan §I.1, §I.2: "lấy kết quả thực hiện nhiệm vụ gắn với khung năng
lực vị trí việc làm … làm thước đo chủ yếu").

The approved job description in force for the person's position lists the competencies it
requires, each at a level of that competency's scale (1 lowest). On Form 01 the evaluator
enters the level the person shows. The framework's ``competency`` rule
(:class:`~scoring.engine.framework.rules.CompetencyRule`) says which marked sub-criteria are fed
(``criteria``; none by default, so no score changes) and the competencies' share of the mark
(``weight``, default 1)::

    worth(c)     = min(assessed, required) / required          (a level above the required one
                                                                 gives no more than meeting it)
    percent      = Σ worth(c) / number of required competencies × 100
    mark         = weight × percent × criterion max / 100 + (1 - weight) × evaluator's mark
    points(c)    = worth(c) × Σ fed criteria max / number of required competencies

Until every required competency is assessed, the evaluator's mark stands and the line names the
competencies still to assess; a person whose position has no approved description requiring a
competency keeps the evaluator's mark too. Pure: Decimal only, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from .bands import report_round
from .decimals import HUNDRED, ONE, ZERO, engine_context, fmt2, fmt_plain
from .feedback import blend_marks, criterion_max
from .framework.rules import FrameworkRules
from .steps import step
from .types import Step

#: One required competency of the person's position: ``(code, name, required level, assessed
#: level or None)``.
Assessed = tuple[str, str, int, int | None]


def worth(required: int, assessed: int) -> Decimal:
    """The share of a competency's points the assessed level earns: 1 at or above the required
    level, ``assessed / required`` below it."""
    if required <= 0:
        return ONE
    with engine_context():
        return min(Decimal(assessed), Decimal(required)) / Decimal(required)


def feed_competencies(
    rules: FrameworkRules,
    marks: dict[str, dict[str, object]] | None,
    competencies: Iterable[Sequence[object]] | None,
) -> tuple[dict[str, dict[str, object]], tuple[str, ...], list[Step]]:
    """``(marks, fed, steps)``: the marks with the fed sub-criteria replaced, the qualified codes
    whose mark now comes from the assessed levels (no longer "awaiting the evaluator"), and the
    explanation line. Nothing changes when the framework feeds no sub-criterion."""
    rule = rules.competency
    result = {component: dict(values) for component, values in (marks or {}).items()}
    codes = [code for code in rule.criteria if criterion_max(rules, code) is not None]
    if not codes:
        return result, (), []
    rows = [
        (
            str(code),
            str(name),
            int(str(required)),
            None if assessed is None else int(str(assessed)),
        )
        for code, name, required, assessed in competencies or ()
    ]
    if not rows:
        return result, (), [step("competency_none", criteria=codes, citation=rule.citation)]
    missing = [name for _code, name, _required, assessed in rows if assessed is None]
    if missing:
        return (
            result,
            (),
            [
                step(
                    "competency_incomplete",
                    criteria=codes,
                    missing=missing,
                    competencies=[
                        {"code": c, "name": n, "required": r, "assessed": a} for c, n, r, a in rows
                    ],
                    citation=rule.citation,
                )
            ],
        )
    total_max = sum((criterion_max(rules, code) or ZERO for code in codes), ZERO)
    shown = []
    with engine_context():
        worths = [worth(required, assessed or 0) for _c, _n, required, assessed in rows]
        share = total_max / Decimal(len(rows))
        percent = sum(worths, ZERO) / Decimal(len(rows)) * HUNDRED
        for (code, name, required, assessed), value in zip(rows, worths, strict=True):
            shown.append(
                {
                    "code": code,
                    "name": name,
                    "required": required,
                    "assessed": assessed,
                    "percent": fmt2(report_round(value * HUNDRED, rules)),
                    "points": fmt2(report_round(value * share, rules)),
                }
            )
    weight = rule.weight.value
    fed_marks = blend_marks(rules, result, codes, percent, weight)
    return (
        result,
        tuple(codes),
        [
            step(
                "competency_feed",
                competencies=shown,
                percent=fmt2(report_round(percent, rules)),
                weight=fmt_plain(weight),
                marks=fed_marks,
                citation=rule.citation,
            )
        ],
    )
