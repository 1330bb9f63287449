"""Annual score and rating — Decree 335, Arts. 20–21.

Art. 21 [confirmed]: the year is rated on the monthly or quarterly monitoring results of the
time actually worked (a transferred person's old agency sends its results to the new one,
"làm căn cứ tính điểm trung bình"). Hence:

* **Every stored period of the year counts, whatever its type** (month, quarter, half-year,
  year), for the months it stands for: its calendar months, limited to the months the person
  was in post (``AnnualPeriod.worked_months``), **minus the months a shorter scored period
  already stands for** — the finest scored period wins each month, so no worked month is lost
  and none counts twice [inferred]. A quarter overlapping scored months counts for the rest of
  its months; one whose months are all scored monthly is "covered" and not counted.
* **"Not scored" periods** (nothing assigned, leave, absence) are skipped and claim no month:
  an unscored July never drops a scored Q3.
* **The mean** is weighted by the months each counted period stands for (framework option
  ``annual.weighting`` = ``months``, the default) or plain (``periods``); see
  docs/scoring.md §4. It is rounded with the framework's ``rounding`` places and mode
  (default 2 decimals, half-up) and banded on the rounded value (or the exact one,
  ``rounding.banding``); then disqualifiers force "not_completed".
* **QĐ 366 Art. 11** (``individual.excellent_conditions`` = ``qd366``, M4): a year banded
  excellent also needs the shares on time and exceeded over all the lines of its counted
  periods (each :class:`AnnualPeriod`'s ``excellent_counts``), else the next band.
* **Minimum worked time** (``annual.min_months``, default 0 = none): below it no annual score
  is formed and the reason says so.

Bare totals, ``PeriodResult``s or ``None`` (the older call form) are periods of one month
without a calendar position: weight 1, never overlapping.

The excellent quota is applied afterwards, per group (:func:`~scoring.engine.apply_quota`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

from .bands import rate, report_round
from .constants import MONTHS_PER_PERIOD
from .decimals import HUNDRED, ZERO, engine_context, fmt2, fmt_plain
from .defaults import DECREE_335_DEFAULT
from .framework.rules import FrameworkRules
from .individual import band_below
from .steps import step
from .types import AnnualPeriod, AnnualResult, PeriodResult, Step
from .validation import Errors

#: Status of a period in the annual basis.
COUNTED, NOT_SCORED, COVERED = "counted", "not_scored", "covered"


@dataclass(slots=True)
class _Entry:
    index: int
    ref: str
    kind: str | None
    number: int | None
    total: Decimal | None
    span: tuple[int, ...] | None  # None: a bare total without calendar position
    status: str = NOT_SCORED
    months: tuple[int, ...] = ()
    weight: int = 0
    counts: tuple[int, int, int] | None = None  # QĐ 366 counts (M4)


#: A period of the year as :func:`score_annual` takes it.
_Period = AnnualPeriod | PeriodResult | Decimal | int | str | float | None

#: What the memo keeps of a period at a position: the period, its entry, its step, its line of
#: the basis and the mask of the months it counts for (:func:`_piece`).
_Piece = tuple[AnnualPeriod, _Entry, Step, dict[str, Any], int]


class _Common(TypedDict):
    """The fields of :class:`AnnualResult` alike whether the year is rated or not."""

    months_worked: int
    weighting: str
    min_months: int
    periods: tuple[dict[str, Any], ...]


def _counted_total(entry: _Entry) -> Decimal:
    """The total of a counted entry: :func:`_allocate` and :func:`_piece` count only entries
    with one (the product ``None * weight`` would raise the same ``TypeError``)."""
    if entry.total is None:
        raise TypeError(f"counted period {entry.index} has no total")
    return entry.total


@functools.lru_cache(maxsize=64)
def period_months(kind: str, number: int) -> tuple[int, ...]:
    """The calendar months (1–12) of period ``number`` of ``kind``."""
    size = MONTHS_PER_PERIOD[kind]
    first = (number - 1) * size + 1
    return tuple(range(first, first + size))


def _calendar_span(item: AnnualPeriod, errors: Errors, path: str) -> tuple[int, ...] | None:
    size = MONTHS_PER_PERIOD.get(item.kind)
    if size is None:
        errors.add(path, f"Loại kỳ không hợp lệ: {item.kind}.")
        return None
    if not isinstance(item.number, int) or not 1 <= item.number <= 12 // size:
        errors.add(path, f"Số thứ tự kỳ phải từ 1 đến {12 // size}.")
        return None
    months = period_months(item.kind, item.number)
    if item.worked_months is None:
        return months
    worked = set()
    for month in item.worked_months:
        if not isinstance(month, int) or not 1 <= month <= 12:
            errors.add(path, "Tháng công tác phải từ 1 đến 12.")
            return None
        worked.add(month)
    return tuple(m for m in months if m in worked)


#: The months of every valid ``(kind, number)``: a period given whole (no ``worked_months``)
#: and with an ``int`` number is looked up here instead of validated again.
_SPANS = {
    (kind, number): period_months(kind, number)
    for kind, size in MONTHS_PER_PERIOD.items()
    for number in range(1, 12 // size + 1)
}


def _entries(periods: Sequence[_Period], rules: FrameworkRules) -> list[_Entry]:
    errors = Errors()
    entries: list[_Entry] = []
    total_max = rules.total_max
    for i, item in enumerate(periods):
        if isinstance(item, AnnualPeriod):
            span = (
                _SPANS.get((item.kind, item.number))
                if item.worked_months is None and type(item.number) is int
                else None
            )
            if span is None:
                span = _calendar_span(item, errors, f"periods[{i}]")
            total = item.total
            if total is not None and not (
                # A stored total is already a finite Decimal in range: the same answer as
                # ``errors.number`` without its conversions (the batch's most frequent check).
                type(total) is Decimal and total.is_finite() and ZERO <= total <= total_max
            ):
                total = errors.number(total, f"periods[{i}]", maximum=total_max)
            entry = _Entry(i, str(item.ref), item.kind, item.number, total, span or ())
            entry.counts = item.excellent_counts
            entries.append(entry)
        elif isinstance(item, PeriodResult):
            entries.append(_Entry(i, "", None, None, item.total if item.scored else None, None))
        elif item is None:
            entries.append(_Entry(i, "", None, None, None, None))
        else:
            total = errors.number(item, f"periods[{i}]", maximum=total_max)
            entries.append(_Entry(i, "", None, None, total, None))
    errors.raise_if_any()
    return entries


def _allocate(entries: list[_Entry], weighting: str) -> None:
    """Give each scored period the months it stands for: shortest periods first, so a month
    scored on its own is never also counted through its quarter, half-year or year."""
    claimed: set[int] = set()
    calendar = [
        (MONTHS_PER_PERIOD[e.kind], e, e.span)
        for e in entries
        if e.total is not None and e.span is not None and e.kind
    ]
    for _size, entry, span in sorted(calendar, key=lambda c: (c[0], c[1].number, c[1].index)):
        own = span if claimed.isdisjoint(span) else tuple(m for m in span if m not in claimed)
        if not own:
            entry.status = COVERED
            continue
        claimed.update(own)
        entry.status, entry.months = COUNTED, own
        entry.weight = len(own) if weighting == "months" else 1
    for entry in entries:
        if entry.total is not None and entry.span is None:
            entry.status, entry.weight = COUNTED, 1


def _basis(entry: _Entry, total: str | None) -> dict[str, Any]:
    """``total``: the entry's total as :func:`fmt2` writes it (``None`` without one)."""
    return {
        "index": entry.index,
        "ref": entry.ref,
        "kind": entry.kind,
        "number": entry.number,
        "total": total,
        "status": entry.status,
        "months": list(entry.months),
        "weight": entry.weight,
    }


def _period_step(entry: _Entry, total: str | None) -> Step:
    # Built directly (every value is already JSON-safe): one step per period of every
    # person of the province makes this the annual batch's most frequent step.
    where = {"period": entry.index, "kind": entry.kind, "number": entry.number}
    if entry.status == NOT_SCORED:
        return {"code": "annual_period_skipped", **where}
    if entry.status == COVERED:
        return {"code": "annual_period_covered", **where, "total": total}
    return {
        "code": "annual_period",
        **where,
        "total": total,
        "months": list(entry.months),
        "weight": entry.weight,
    }


class AnnualMemo:
    """What the years of many people rated under one framework share (a batch): each
    distinct period at each position, checked and turned into its entry, step and line of
    the basis once (:func:`score_annual`'s ``memo``). The steps and lines it gives are shared
    by the results: read them, never change them."""

    __slots__ = ("pieces", "rules")

    def __init__(self, rules: FrameworkRules):
        self.rules = rules
        #: (position, id of the AnnualPeriod) → (the period, entry, step, line, months mask)
        self.pieces: dict[tuple[int, int], _Piece] = {}


def _piece(index: int, item: object, rules: FrameworkRules, weighting: str) -> _Piece | None:
    """A period's entry, step and line as :func:`score_annual` makes them when no other
    period of the year overlaps its months; ``None`` for what only the general path takes (a
    bare total, months in post given, a total to check or refuse, an unknown period)."""
    if type(item) is not AnnualPeriod or item.worked_months is not None:
        return None
    span = _SPANS.get((item.kind, item.number)) if type(item.number) is int else None
    total = item.total
    if span is None or (
        total is not None
        and not (type(total) is Decimal and total.is_finite() and ZERO <= total <= rules.total_max)
    ):
        return None
    entry = _Entry(index, str(item.ref), item.kind, item.number, total, span)
    entry.counts = item.excellent_counts
    mask = 0
    if total is not None:
        entry.status, entry.months = COUNTED, span
        entry.weight = len(span) if weighting == "months" else 1
        for month in span:
            mask |= 1 << month
    text = None if total is None else fmt2(total)
    return item, entry, _period_step(entry, text), _basis(entry, text), mask


def _memo_entries(
    periods: Sequence[_Period], rules: FrameworkRules, memo: AnnualMemo, weighting: str
) -> tuple[list[_Entry], list[Step], list[dict[str, Any]]] | None:
    """``(entries, steps, lines)`` from the memo's pieces when the scored periods' months do
    not overlap (every scored period then counts for all its months, as :func:`_allocate`
    gives them); ``None`` otherwise (the general path decides)."""
    pieces = memo.pieces
    entries, steps, basis = [], [], []
    claimed = 0
    for index, item in enumerate(periods):
        piece = pieces.get((index, id(item)))
        if piece is None or piece[0] is not item:
            piece = _piece(index, item, rules, weighting)
            if piece is None:
                return None
            pieces[(index, id(item))] = piece  # the piece keeps the period (and its id) alive
        mask = piece[4]
        if claimed & mask:
            return None
        claimed |= mask
        entries.append(piece[1])
        steps.append(piece[2])
        basis.append(piece[3])
    return entries, steps, basis


def score_annual(
    periods: Sequence[_Period],
    rules: FrameworkRules = DECREE_335_DEFAULT,
    *,
    disqualifiers: Iterable[str] = (),
    is_leader: bool = False,
    memo: AnnualMemo | None = None,
) -> AnnualResult:
    """Annual result from the year's periods (see module docstring). ``memo`` (for
    ``rules``): a batch's shared pieces (:class:`AnnualMemo`) — the same result, made faster."""
    weighting = rules.annual.weighting.value
    min_months = int(rules.annual.min_months.value)
    made = None
    if memo is not None and memo.rules is rules:
        made = _memo_entries(periods, rules, memo, weighting)
    if made is not None:
        entries, steps, basis = made
    else:
        entries = _entries(periods, rules)
        _allocate(entries, weighting)
        steps, basis = [], []
        for entry in entries:
            # Each total formatted once, for its step and its line of the basis.
            total = None if entry.total is None else fmt2(entry.total)
            steps.append(_period_step(entry, total))
            basis.append(_basis(entry, total))
    counted = [e for e in entries if e.status == COUNTED]
    months_worked = sum(len(e.months) if e.span is not None else 1 for e in counted)
    disqualifiers = list(disqualifiers)
    common: _Common = {
        "months_worked": months_worked,
        "weighting": weighting,
        "min_months": min_months,
        "periods": tuple(basis),
    }
    skipped = len(entries) - len(counted)
    reason = ""
    if not counted:
        reason = "no_scored_periods"
        steps.append(step("annual_not_scored", reason=reason))
    elif months_worked < min_months:
        reason = "min_months"
        steps.append(
            step("annual_not_scored", reason=reason, months=months_worked, min_months=min_months)
        )
    if reason:
        # Validate disqualifier codes even when there is nothing to rate.
        rate(ZERO, rules, disqualifiers=disqualifiers, is_leader=is_leader)
        return AnnualResult(
            scored=False,
            score=None,
            score_rating=None,
            rating=None,
            periods_counted=len(counted) if reason == "min_months" else 0,
            periods_skipped=skipped,
            disqualifiers_applied=(),
            exact=None,
            explanation=tuple(steps),
            not_scored_reason=reason,
            **common,
        )
    with engine_context():
        weights = sum(e.weight for e in counted)
        total_sum = sum((_counted_total(e) * e.weight for e in counted), ZERO)
        mean = total_sum / weights
    rounded = report_round(mean, rules)
    if any(e.weight != 1 for e in counted):
        steps.append(
            step("annual_weighted_mean", sum=fmt2(total_sum), months=weights, score=fmt2(rounded))
        )
    else:
        steps.append(
            step("annual_mean", count=len(counted), sum=fmt2(total_sum), score=fmt2(rounded))
        )
    rating = rate(mean, rules, disqualifiers=disqualifiers, is_leader=is_leader)
    steps.extend(rating.explanation)
    score_rating, final = rating.score_rating, rating.rating
    if score_rating == "excellent" and rules.individual.excellent_conditions.value == "qd366":
        score_rating, check_step = _year_excellent_conditions(counted, rules)
        steps.append(check_step)
        if not rating.disqualifiers_applied:
            final = score_rating
    return AnnualResult(
        scored=True,
        score=rounded,
        score_rating=score_rating,
        rating=final,
        periods_counted=len(counted),
        periods_skipped=skipped,
        disqualifiers_applied=rating.disqualifiers_applied,
        exact=mean,
        explanation=tuple(steps),
        **common,
    )


def _year_excellent_conditions(counted: list[_Entry], rules: FrameworkRules) -> tuple[str, Step]:
    """QĐ 366 Art. 11 (M4) for the year: the shares of the year's assigned lines done on time
    and exceeded, over the lines of every counted period (each period's counts, stored with its
    score). A counted period without counts (a contract worker's own method, or a period stored
    before the counts were kept: recompute it) adds no line and is named in the step. The band
    under "excellent" when the conditions fail; "excellent" when they hold. A year with no
    measured line at all fails (as a period with none does)."""
    individual = rules.individual
    measured = [e.counts for e in counted if e.counts is not None]
    lines = sum(counts[0] for counts in measured)
    on_time = sum(counts[1] for counts in measured)
    exceeded = sum(counts[2] for counts in measured)
    with engine_context():
        on_time_share = Decimal(on_time) / Decimal(lines) if lines else ZERO
        exceeded_share = Decimal(exceeded) / Decimal(lines) if lines else ZERO
    passed = (
        lines > 0
        and on_time_share >= individual.excellent_min_on_time_share.value
        and exceeded_share >= individual.excellent_min_exceeded_share.value
    )
    band = "excellent" if passed else band_below("excellent", rules)
    return band, step(
        "annual_excellent_conditions",
        passed=passed,
        lines=lines,
        on_time=on_time,
        exceeded=exceeded,
        on_time_percent=fmt2(on_time_share * HUNDRED),
        exceeded_percent=fmt2(exceeded_share * HUNDRED),
        min_on_time_percent=fmt_plain(individual.excellent_min_on_time_share.value * HUNDRED),
        min_exceeded_percent=fmt_plain(individual.excellent_min_exceeded_share.value * HUNDRED),
        unmeasured=len(counted) - len(measured),
        rating=band,
    )


#: The months of each half of the year (Gia Lai plan §IV.4.1.a, §V.1.d: six-month results).
HALF_YEAR_MONTHS = {1: (1, 2, 3, 4, 5, 6), 2: (7, 8, 9, 10, 11, 12)}


def half_year_periods(periods: Sequence[AnnualPeriod], half: int) -> list[AnnualPeriod]:
    """The stored periods of the year that fall inside ``half`` (1 = H1, 2 = H2): months,
    quarters and the half-year itself, each limited to its months in post. A period reaching
    into the other half (the year itself) is left out: its score cannot be split by month."""
    months = HALF_YEAR_MONTHS[half]
    result = []
    for item in periods:
        span = period_months(item.kind, item.number)
        if not set(span) <= set(months):
            continue
        result.append(item)
    return result


def score_half_year(
    periods: Sequence[AnnualPeriod],
    half: int,
    rules: FrameworkRules = DECREE_335_DEFAULT,
    *,
    disqualifiers: Iterable[str] = (),
    is_leader: bool = False,
) -> AnnualResult:
    """The six-month result [inferred]: the annual computation (Decree 335 Art. 21: the mean of
    the stored periods over the months actually worked, weighted as ``annual.weighting`` says,
    rounded and banded as the framework says) over the periods of one half of the year. A view
    beside month/quarter/year, not a rating decision of its own."""
    if half not in HALF_YEAR_MONTHS:
        raise ValueError(f"half must be 1 or 2, not {half!r}")
    return score_annual(
        half_year_periods(periods, half), rules, disqualifiers=disqualifiers, is_leader=is_leader
    )
