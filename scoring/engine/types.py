"""Inputs and results of civil-servant scoring (periods, task results, annual rating).

Inputs accept ``Decimal``, ``int``, ``str`` or ``float`` numbers (floats are converted via
``str()``); they are validated by the scoring functions, which raise
:class:`~scoring.engine.errors.ScoringInputError` listing every bad field.

Results hold *reported* numbers rounded ROUND_HALF_UP to 2 decimals, the full-precision
values in ``exact``, and an ``explanation``: an ordered tuple of JSON-safe step dicts
``{"code": ..., **params}`` (built by :mod:`scoring.engine.steps`, put into words by the
Django layer, :mod:`scoring.explain`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from .serialize import jsonable

Number = Decimal | int | str | float
Step = dict[str, Any]
Marks = Number | Mapping[str, Number]


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Line:
    """One assignment line: a catalog product with its conversion coefficient.

    ``failed_reviews``/``delays`` count events (not days); ``exempt_*`` count those
    certified as having an objective cause (nguyên nhân khách quan) and cannot exceed them.

    ``failed_by_product``/``delays_by_product`` (Decree 335 Art. 14 b, c [confirmed]: 25 % of
    *that product's* points, floored at 0 per product) give the *counted* events (exemptions
    removed) product by product: entry ``i`` is product ``i + 1``; products past the tuple have
    none. Product ``i + 1`` is completed by the share ``min(1, max(0, completed - i))`` (the
    last product of a fractional quantity is the partial one); events of a product that is not
    completed cost nothing more. The entries must add up to the counted events (``failed -
    exempt``). ``None`` (no breakdown, older data): the counted events are spread over the
    completed products, which is the line formula ``max(0, m·k - rate·k·events)``.
    """

    coefficient: Number
    assigned: Number
    completed: Number
    failed_reviews: Number = 0
    exempt_reviews: Number = 0
    delays: Number = 0
    exempt_delays: Number = 0
    ref: str | None = None
    failed_by_product: tuple[Number, ...] | None = None
    delays_by_product: tuple[Number, ...] | None = None


@dataclass(frozen=True)
class LeaderMarks:
    """Leader criteria as percentages: d (unit results), đ (organising), e (cohesion).

    Each must be one of the levels allowed by the framework (default 100 or 50).
    ``unit_results`` is normally computed with :func:`~scoring.engine.unit_results_percent`.
    """

    unit_results: Number
    organising: Number
    cohesion: Number


@dataclass(frozen=True)
class PeriodInput:
    """Everything needed to score one civil servant for one period.

    ``marks`` maps each ``criteria_marks`` component code (``"general"`` in the default
    framework) to either the component's total marks or a mapping sub-criterion code →
    mark. ``position_group`` is required when component weights depend on it.
    ``unappraised_marks`` names the marks (``"component.criterion"``) that are self-marks no
    evaluator has marked; with the framework's ``marks.self_mark_without_evaluator`` =
    ``not_scored`` (default) the period is then not scored.
    """

    role: str = "staff"
    lines: tuple[Line, ...] = ()
    marks: Mapping[str, Marks] = field(default_factory=dict)
    leader: LeaderMarks | None = None
    position_group: str | None = None
    ref: str | None = None
    unappraised_marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnnualPeriod:
    """One stored period of the year for the annual score (Art. 21).

    ``kind`` is a :data:`~scoring.engine.constants.PERIOD_TYPES` code and ``number`` its
    number in the year (month 1–12, quarter 1–4, half-year 1–2, year 1); ``total`` is ``None``
    when the period was "not scored". ``worked_months`` (months 1–12) limits the months the
    period stands for to those the person was in post; ``None`` = every month of the period.
    ``ref`` identifies the stored row (e.g. a ``PeriodScore`` id) in the result.
    """

    kind: str
    number: int
    total: Number | None
    worked_months: tuple[int, ...] | None = None
    ref: str = ""
    #: QĐ 366 Art. 11 (M4, ``individual.excellent_conditions`` = ``qd366``): the period's
    #: ``(assigned lines, lines on time, lines exceeded)``; ``None`` when not measured.
    excellent_counts: tuple[int, int, int] | None = None


# --------------------------------------------------------------------------- results


class _Serializable:
    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (Decimals as strings)."""
        return cast(dict[str, Any], jsonable(self))


@dataclass(frozen=True)
class LineResult(_Serializable):
    """Converted values of one line (exact, not rounded)."""

    index: int
    ref: str | None
    assigned_converted: Decimal
    completed_converted: Decimal
    quality_value: Decimal
    timeliness_value: Decimal
    counted_failed_reviews: int
    counted_delays: int


@dataclass(frozen=True)
class TaskResults(_Serializable):
    """a (quantity), b (quality), c (timeliness) of a set of lines.

    ``quantity``/``quality``/``timeliness`` are exact capped percentages (``None`` when
    nothing is assigned: the period is not scored).
    """

    scored: bool
    assigned_converted: Decimal
    completed_converted: Decimal
    quality_converted: Decimal
    timeliness_converted: Decimal
    quantity: Decimal | None
    quality: Decimal | None
    timeliness: Decimal | None
    lines: tuple[LineResult, ...]
    explanation: tuple[Step, ...]

    def percents(self) -> dict[str, Decimal]:
        """Exact percentages keyed by criterion code (empty when not scored)."""
        values = {"a": self.quantity, "b": self.quality, "c": self.timeliness}
        return {code: value for code, value in values.items() if value is not None}


@dataclass(frozen=True)
class PeriodResult(_Serializable):
    """Score of one period (Form 01). Numbers are rounded; ``exact`` has full precision.

    When ``scored`` is False (nothing assigned) every number and ``rating`` are ``None``.
    ``rating`` is the band of the rounded total; disqualifiers apply to the annual rating.
    """

    scored: bool
    role: str
    position_group: str | None
    criteria: dict[str, Decimal]
    task_percent: Decimal | None
    task_points: Decimal | None
    component_points: dict[str, Decimal]
    total: Decimal | None
    rating: str | None
    exact: dict[str, Decimal]
    explanation: tuple[Step, ...]
    framework: str = ""
    framework_version: str = ""
    engine_version: str = ""

    @property
    def quantity(self) -> Decimal | None:
        return self.criteria.get("a")

    @property
    def quality(self) -> Decimal | None:
        return self.criteria.get("b")

    @property
    def timeliness(self) -> Decimal | None:
        return self.criteria.get("c")

    @property
    def general(self) -> Decimal | None:
        """Points of the ``general`` component, if the framework has one."""
        return self.component_points.get("general")


@dataclass(frozen=True)
class RatingResult(_Serializable):
    """Band of a score plus disqualifiers."""

    score: Decimal
    score_rating: str
    rating: str
    disqualifiers_applied: tuple[str, ...]
    disqualifiers_ignored: tuple[str, ...]
    explanation: tuple[Step, ...]


@dataclass(frozen=True)
class AnnualResult(_Serializable):
    """Annual score = mean of the totals of the periods actually worked (Art. 21).

    ``rating`` is before the excellent quota (apply :func:`~scoring.engine.apply_quota`
    per group afterwards). ``None`` numbers/ratings when no annual score is formed:
    ``not_scored_reason`` is then ``"no_scored_periods"`` or ``"min_months"``.

    ``periods`` is the basis, one JSON-safe dict per input period, in input order:
    ``index``, ``ref``, ``kind``, ``number``, ``total``, ``status`` (``counted``,
    ``not_scored`` or ``covered`` — every month already counted by a shorter period),
    ``months`` (the months it stands for) and ``weight`` (its weight in the mean).
    ``months_worked`` is the number of months the counted periods stand for.
    """

    scored: bool
    score: Decimal | None
    score_rating: str | None
    rating: str | None
    periods_counted: int
    periods_skipped: int
    disqualifiers_applied: tuple[str, ...]
    exact: Decimal | None
    explanation: tuple[Step, ...]
    months_worked: int = 0
    weighting: str = "months"
    min_months: int = 0
    not_scored_reason: str = ""
    periods: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class PlanFulfilment(_Serializable):
    """The unit's work plans of a period (Đắk Lắk §III.3): the approved plans' titles, their
    items and how many are completed — the input of criterion d under ``plan_fulfilment``,
    and of an agency's key-task criterion measured from its plans of the year.

    ``not_due``: items neither completed nor due yet, left out of ``total`` (the agency's
    year, scored before its end, counts like its tasks: only what is due or done).
    """

    plans: tuple[str, ...]
    done: int
    total: int
    not_due: int = 0


@dataclass(frozen=True)
class UnitResultsResult(_Serializable):
    """Leader criterion d computed from subordinates' ratings."""

    percent: Decimal
    counted: int
    skipped: int
    not_met: tuple[str, ...]
    explanation: tuple[Step, ...]
