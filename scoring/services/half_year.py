"""Six-month results of civil servants (issue 33 item 4; Gia Lai plan §IV.4.1.a, §V.1.d): for
H1 and H2 of a year, the stored period scores computed the same way as the annual score
(``scoring.engine.annual.score_half_year``), read-only — nothing is stored, so the view always
follows the stored period scores."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from scoring.engine.annual import HALF_YEAR_MONTHS, period_months, score_half_year
from scoring.engine.types import AnnualResult
from scoring.services.annual import (
    _period_rows,
    annual_periods,
    posted_months,
    year_postings,
)
from scoring.services.frameworks import FrameworkResolver, revision_rules


@dataclass(frozen=True)
class HalfYear:
    year: int
    half: int
    result: AnnualResult | None  # None: no stored period score in the half
    #: The agency of the posting governing the half's last day (None: not posted in the half).
    agency_id: int | None = None
    #: When a scoring run still owing one of the half's periods was requested (the period
    #: scores the figure is read from are older than their inputs), else None: the figure is
    #: then not used — shown as being recomputed, left out of exports, null in the API.
    recomputing_since: datetime.datetime | None = None

    @property
    def usable(self) -> bool:
        return self.result is not None and self.result.scored and self.recomputing_since is None

    @property
    def label(self) -> str:
        if self.half == 1:
            return _("6 tháng đầu năm %(year)d") % {"year": self.year}
        return _("6 tháng cuối năm %(year)d") % {"year": self.year}


def half_years(person_id: int, year: int) -> list[HalfYear]:
    """H1 and H2 of ``year`` for one civil servant, under the framework of the latest scored
    period of each half, else the live framework in force for the agency of the posting
    governing the half (as the annual score chooses for the year)."""
    rows = _period_rows(year, [person_id]).get(person_id, [])
    postings = year_postings(person_id, year)
    periods = annual_periods(rows, posted_months(postings, year))
    owed = _owed_halves(person_id, year)
    result = []
    for half in (1, 2):
        months = HALF_YEAR_MONTHS[half]
        inside = [row for row in rows if set(period_months(row.kind, row.number)) <= set(months)]
        scored = [row for row in inside if row.scored]
        rules = None
        if scored and scored[-1].framework_revision_id:
            rules = revision_rules(scored[-1].framework_revision_id)
        elif scored:
            rules = _posting_rules(postings, year, months)
        outcome = score_half_year(periods, half, rules) if rules is not None else None
        governing = _governing(postings, year, months)
        agency_id = governing.agency_id if governing is not None else None
        result.append(HalfYear(year, half, outcome, agency_id, owed.get(half)))
    return result


def _span(year: int, months: tuple[int, ...]) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, months[0], 1)
    return start, datetime.date(year, months[-1], calendar.monthrange(year, months[-1])[1])


def _governing(postings, year: int, months: tuple[int, ...]):
    from scoring.services.postings import pick_governing

    return pick_governing(postings, *_span(year, months))


def _owed_halves(person_id: int, year: int) -> dict[int, datetime.datetime]:
    """half → when the oldest scoring run still owing one of the person's period scores of
    that half was requested (queued, running or failed: ``freshness.PENDING_RUNS``) — the
    first link of the dependency map, checked at the moment the figure is used."""
    from scoring.models import ScoringRun
    from scoring.services.freshness import PENDING_RUNS, _places, _run_covers

    runs = list(
        ScoringRun.objects.filter(period__year=year, status__in=PENDING_RUNS)
        .order_by("requested_at", "id")
        .values_list("requested_at", "agency__path", "people", "period__kind", "period__number")
    )
    if not runs:
        return {}
    places = _places(person_id, year)
    owed: dict[int, datetime.datetime] = {}
    for at, path, people, kind, number in runs:
        if not _run_covers(path, {int(p) for p in (people or [])}, person_id, places):
            continue
        span = set(period_months(kind, number))
        for half, months in HALF_YEAR_MONTHS.items():
            if span & set(months) and half not in owed:
                owed[half] = at
    return owed


def _posting_rules(postings, year: int, months: tuple[int, ...]):
    """The live rules for the agency of the posting governing the half's last day."""
    from org.models import Agency
    from scoring.models import PeriodKind
    from scoring.services.postings import pick_governing

    start, end = _span(year, months)
    governing = pick_governing(postings, start, end)
    if governing is None:
        return None
    path = Agency.objects.filter(pk=governing.agency_id).values_list("path", flat=True).first()
    if path is None:
        return None
    resolved = FrameworkResolver().resolve(path, PeriodKind.MONTH, end, governing.category)
    return resolved.rules if resolved is not None else None
