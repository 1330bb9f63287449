"""The annual figure of a rating case, as every use shows or sends it (issue 42; legal review
2026-11-25 F2, F3; ux review B1).

One function, :func:`case_figure`, gives Form 02, the case page and the national record the
same thing, from one reading of the current inputs: the person's annual score of the year (the
row the ceiling and the decision guards read), the periods it is the mean of, and the mean
written out from exactly those periods, so the working line re-adds to the printed figure.

A figure is **not current** (``stale`` says why, in Vietnamese) when

* its inputs are marked changed and not yet recomputed (``scoring.services.freshness``), or
* a period it was computed from has a different total now than the one the annual mean used
  (the window before the annual step runs), or
* the stored mean does not re-add from its own periods.

A figure that is not current is never printed or sent as if it were: Form 02 says so in place
of the number, and the national record waits for the recomputation.

The figure the case was **decided** on is recorded with the decision (``decide`` writes it into
its transition's data). Where it differs from the current figure, the print says so beside the
current figure — a decision already issued does not change by itself.

Before reading, the person's year is brought up to date on the spot when only the year is behind
(``freshness.fresh_annual``): a figure is held as "not current" only while a run still owes one
of its months.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import F
from django.utils.translation import gettext as _

from ratings.models import CaseTransition
from ratings.services.frameworks import rules_for_annual_score, rules_for_annual_scores
from ratings.services.labels import level_label
from ratings.services.staleness import case_stale_label
from scoring.engine.bands import report_round
from scoring.explain import num
from scoring.models import AnnualScore, Period, PeriodScore
from scoring.services import freshness

COUNTED = "counted"


@dataclass
class CaseFigure:
    #: the figure to print or send; ``None`` when there is none (or it is not current)
    score: Decimal | None
    #: the level its score falls in ("" when none)
    band: str = ""
    #: (period, weight in the mean, total, level) of every period the mean is made of
    periods: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: the mean written out: "(95,00 × 1 + 75,00 × 3) ÷ 4 = 80,00"
    working: str = ""
    #: why the stored figure is not current ("" when it is)
    stale: str = ""
    #: the figure the case was decided on (``None``: not decided, or decided before it was kept)
    decided: Decimal | None = None
    #: the figure the case was opened with
    opened: Decimal | None = None
    annual: AnnualScore | None = None

    @property
    def current(self) -> bool:
        return not self.stale

    @property
    def decided_differs(self) -> bool:
        return (
            self.current
            and self.decided is not None
            and self.score is not None
            and self.decided != self.score
        )

    def decided_note(self) -> str:
        """Said on the print and the case page when the decision was made on another figure."""
        if not self.decided_differs:
            return ""
        return _(
            "Điểm năm đã thay đổi sau khi quyết định xếp loại (khi quyết định: %(then)s; theo số "
            "liệu hiện tại: %(now)s). Quyết định đã ban hành không tự thay đổi; cấp có thẩm "
            "quyền xem xét lại theo quy định."
        ) % {"then": num(self.decided), "now": num(self.score)}


def _decimal(text) -> Decimal | None:
    if text in (None, ""):
        return None
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


def decided_score(case) -> Decimal | None:
    """The annual figure the case's last decision was checked against (from its transition)."""
    if not case.pk or not case.decision_level:
        return None
    return _decided_scores([case]).get(case.pk)


def current_annual(case) -> AnnualScore | None:
    """The person's annual score of the case's year as stored now (the row the ceiling reads)."""
    if case.is_agency_case or not case.civil_servant_id:
        return None
    return AnnualScore.objects.filter(
        civil_servant_id=case.civil_servant_id, year=case.year
    ).first()


def _basis(annual: AnnualScore) -> list[dict]:
    return list((annual.explanation or {}).get("inputs", {}).get("periods", []))


def case_figure(case) -> CaseFigure:
    """The case's figure, its periods and its working line, from one reading of its inputs."""
    if case.is_agency_case:
        return _agency_figure(case)
    if case.civil_servant_id:
        # At the moment of use: a year marked changed whose months are current is recomputed
        # on the spot (milliseconds); one whose months a run still owes stays stale below.
        with contextlib.suppress(freshness.StaleFigureError):
            freshness.fresh_annual(case.civil_servant_id, case.year)
    annual = current_annual(case)
    scores = _period_scores([annual.period_score_ids] if annual is not None else [])
    return _figure(case, annual, scores, decided_score(case), case_stale_label(case))


def case_figures(cases) -> dict[int, CaseFigure]:
    """``{case id: case_figure(case)}`` for many cases, read together: each person's staleness
    (``freshness.annual_stale_map``), the annual scores, the periods they are the means of and
    the figures the decisions were made on, each in one reading for all of them; the same
    working (:func:`_figure`) as one case's. A case whose figure is marked changed is taken
    alone (:func:`case_figure`: the year brought up to date on the spot when it can be). For
    a listing or a check over many cases; a print or a record of one case asks
    :func:`case_figure` at its moment of use."""
    cases = list(cases)
    result: dict[int, CaseFigure] = {}
    people = [c for c in cases if not c.is_agency_case and c.civil_servant_id]
    for case in cases:
        if case.is_agency_case:
            result[case.pk] = _agency_figure(case)
        elif not case.civil_servant_id:
            result[case.pk] = case_figure(case)
    stale = freshness.annual_stale_map((c.civil_servant_id, c.year) for c in people)
    for case in people:
        if (case.civil_servant_id, case.year) in stale:
            result[case.pk] = case_figure(case)
    people = [c for c in people if c.pk not in result]
    annuals: dict[tuple[int, int], AnnualScore] = {}
    for year in {c.year for c in people}:
        ids = [c.civil_servant_id for c in people if c.year == year]
        for first in range(0, len(ids), _A_READ):
            for row in AnnualScore.objects.filter(
                year=year, civil_servant_id__in=ids[first : first + _A_READ]
            ):
                annuals.setdefault((row.civil_servant_id, year), row)
    scores = _period_scores([a.period_score_ids for a in annuals.values()])
    decided = _decided_scores([c for c in people if c.decision_level])
    read = [annuals.get((case.civil_servant_id, case.year)) for case in people]
    said = _Said()
    for case, annual, rules in zip(people, read, rules_for_annual_scores(read), strict=True):
        result[case.pk] = _figure(case, annual, scores, decided.get(case.pk), "", rules, said)
    return result


#: Rows one statement reads by id (well under SQLite's bound parameters).
_A_READ = 900


def _agency_figure(case) -> CaseFigure:
    return CaseFigure(
        score=case.score, stale=case_stale_label(case), opened=case.score, decided=case.score
    )


@dataclass(slots=True)
class _ScoredPeriod:
    """The columns of a scored period score a figure reads (a province's cases read hundreds
    of thousands of them: plain rows, not model instances)."""

    pk: int
    period: Period
    total: Decimal | None
    rating: str
    scored: bool = True

    @property
    def unscored_label(self) -> str:
        return PeriodScore(scored=True).unscored_label


def _period_scores(id_lists) -> dict[int, PeriodScore | _ScoredPeriod]:
    """The period scores of the ids in ``id_lists`` (each an annual score's
    ``period_score_ids``), by id: the scored ones as the columns a figure reads, each with its
    period (one instance a period, read once); the unscored ones as model rows with their
    steps (what they read as: "chờ lãnh đạo chấm"). Not the explanations: a leader's lists the
    lines of the whole charge, megabytes for the chairman at 100,000 people."""
    ids = sorted({int(pk) for ids in id_lists for pk in (ids or [])})
    rows: list[tuple] = []
    for first in range(0, len(ids), _A_READ):
        rows += PeriodScore.objects.filter(pk__in=ids[first : first + _A_READ]).values_list(
            "pk", "period_id", "scored", "total", "rating"
        )
    periods = Period.objects.in_bulk({period_id for _pk, period_id, *_rest in rows})
    found: dict[int, PeriodScore | _ScoredPeriod] = {
        pk: _ScoredPeriod(pk, periods[period_id], total, rating)
        for pk, period_id, scored, total, rating in rows
        if scored
    }
    unscored = [pk for pk, _period, scored, *_rest in rows if not scored]
    for first in range(0, len(unscored), _A_READ):
        for score in (
            PeriodScore.objects.filter(pk__in=unscored[first : first + _A_READ])
            .only("id", "period_id", "scored", "total", "rating")
            .annotate(explanation_steps=F("explanation__steps"))
        ):
            score.period = periods[score.period_id]
            found[score.pk] = score
    return found


def _decided_scores(cases) -> dict[int, Decimal | None]:
    """:func:`decided_score` of many decided cases: their last "decide" transitions at once."""
    found: dict[int, Decimal | None] = {}
    ids = [case.pk for case in cases if case.pk]
    for first in range(0, len(ids), _A_READ):
        for case_id, data in (
            CaseTransition.objects.filter(case_id__in=ids[first : first + _A_READ], action="decide")
            .order_by("case_id", "-at", "-id")
            .values_list("case_id", "data")
        ):
            if case_id not in found:
                found[case_id] = _decimal((data or {}).get("score"))
    return found


class _Said:
    """The labels and numbers a figure shows, each worked out once for many figures (the
    period labels, levels and numbers repeat across a province's cases; each is a
    translation or a locale lookup). Within one call: one language."""

    def __init__(self):
        self._periods: dict[int, str] = {}
        self._levels: dict[str, str] = {}
        self._numbers: dict[str, str] = {}

    def period(self, period) -> str:
        if period.pk not in self._periods:
            self._periods[period.pk] = str(period.label)
        return self._periods[period.pk]

    def level(self, rating: str) -> str:
        if rating not in self._levels:
            self._levels[rating] = str(level_label(rating))
        return self._levels[rating]

    def number(self, value: Decimal) -> str:
        # By its text: 85.0 and 85.00 are equal numbers written differently.
        text = str(value)
        if text not in self._numbers:
            self._numbers[text] = num(value)
        return self._numbers[text]


def _figure(
    case,
    annual,
    scores: dict,
    decided,
    stale: str,
    rules=None,
    said: _Said | None = None,
) -> CaseFigure:
    """The figure of a person's case from what was read: the annual score of its year now
    (``annual``), the period scores by id, the figure it was decided on, why it is being
    recomputed ("" when it is not) and the rules of the annual score (read when not given);
    ``said``: the labels already worked out for other figures."""
    figure = CaseFigure(score=None, opened=case.score, decided=decided, annual=annual)
    if annual is None:
        # No annual score of the year (a case recorded without one): the case's own score.
        figure.stale = stale
        figure.score = None if stale else case.score
        return figure
    basis = {(p["kind"], p["number"]): p for p in _basis(annual)}
    said = said or _Said()
    read = [scores[int(pk)] for pk in annual.period_score_ids or [] if int(pk) in scores]
    read.sort(key=lambda s: (s.period.start_date, s.period.end_date, s.pk))
    terms, weights, total_sum, moved = [], 0, Decimal(0), []
    for s in read:
        line = basis.get((s.period.kind, s.period.number), {})
        used = _decimal(line.get("total"))
        weight = int(line.get("weight") or 0) if line else (1 if s.scored else 0)
        counted = line.get("status", COUNTED if s.scored else "") == COUNTED and weight
        now = s.total if s.scored else None
        if line and ((used is None) != (now is None) or (used is not None and now != used)):
            moved.append(said.period(s.period))
        shown = used if line else now
        figure.periods.append(
            (
                said.period(s.period),
                str(weight) if counted else "—",
                said.number(shown) if shown is not None else s.unscored_label,
                said.level(s.rating) if s.scored else "—",
            )
        )
        if counted and shown is not None:
            terms.append(f"{said.number(shown)} × {weight}")
            total_sum += shown * weight
            weights += weight
    mean = None
    if terms and annual.scored and annual.score is not None:
        mean = report_round(total_sum / weights, rules or rules_for_annual_score(annual))
    if moved:
        stale = stale or _(
            "Đang tính lại: điểm của %(periods)s đã thay đổi sau khi điểm năm được tính."
        ) % {"periods": ", ".join(moved)}
    elif mean is not None and mean != annual.score:
        stale = stale or _("Đang tính lại: điểm năm đã lưu không khớp với điểm các kỳ.")
    figure.stale = stale
    if stale:
        return figure
    figure.score = annual.score if annual.scored else None
    figure.band = annual.score_rating
    if mean is not None:
        figure.working = _("(%(terms)s) ÷ %(weight)s = %(mean)s") % {
            "terms": " + ".join(terms),
            "weight": weights,
            "mean": num(mean),
        }
    return figure
