"""Six-month results of civil servants (issue 33 item 4; Gia Lai plan §IV.4.1.a, §V.1.d): for
H1 and H2 of a year, the stored period scores computed the same way as the annual score
(``scoring.engine.annual.score_half_year``), read-only — nothing is stored, so the view always
follows the stored period scores."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from org.models import Agency
from scoring.engine.annual import HALF_YEAR_MONTHS, period_months, score_half_year
from scoring.engine.types import AnnualResult
from scoring.models import PeriodKind
from scoring.services.annual import _period_rows, annual_periods, posted_months
from scoring.services.frameworks import FrameworkResolver, rules_by_revision
from scoring.services.freshness import _run_covers, pending_run_rows
from scoring.services.postings import people_posting_rows, pick_governing


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
    return half_years_many([person_id], year)[person_id]


#: People read at once (SQLite's limit on a statement's parameters).
CHUNK = 500


def half_years_many(person_ids, year: int) -> dict[int, list[HalfYear]]:
    """:func:`half_years` for many people (a listing, an export): their period scores, postings
    and the year's pending scoring runs read a few queries per chunk of people, whatever their
    number."""
    ids = list(dict.fromkeys(int(pk) for pk in person_ids))
    runs = _pending_runs(year)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    found: dict[int, list[HalfYear]] = {}
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first : first + CHUNK]
        rows_by = _period_rows(year, chunk)
        postings_by: dict[int, list] = {}
        for posting in people_posting_rows(chunk, start, end):
            postings_by.setdefault(posting.person_id, []).append(posting)
        # The framework revisions the chunk's period scores name, read at once (one query a
        # person and half before: most of a page's time).
        rules_of = rules_by_revision(
            row.framework_revision_id for rows in rows_by.values() for row in rows
        )
        for person_id in chunk:
            found[person_id] = _halves(
                person_id,
                year,
                rows_by.get(person_id, []),
                postings_by.get(person_id, []),
                runs,
                rules_of,
            )
    return found


def _halves(person_id: int, year: int, rows, postings, runs, rules_of: dict) -> list[HalfYear]:
    periods = annual_periods(rows, posted_months(postings, year))
    owed = _owed_halves(person_id, postings, runs)
    result = []
    for half in (1, 2):
        months = HALF_YEAR_MONTHS[half]
        inside = [row for row in rows if set(period_months(row.kind, row.number)) <= set(months)]
        scored = [row for row in inside if row.scored]
        rules = None
        if scored and scored[-1].framework_revision_id:
            rules = rules_of.get(scored[-1].framework_revision_id)
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
    return pick_governing(postings, *_span(year, months))


def _pending_runs(year: int) -> list:
    """The year's scoring runs still owing their period scores (``freshness.pending_run_rows``),
    oldest first, with their period."""
    return pending_run_rows(year, "period__kind", "period__number")


def _owed_halves(person_id: int, postings, runs) -> dict[int, datetime.datetime]:
    """half → when the oldest scoring run still owing one of the person's period scores of
    that half was requested — the first link of the dependency map, checked at the moment the
    figure is used (``freshness._run_covers``: named, posted in its scope, or a leader above
    it)."""
    if not runs:
        return {}
    places = [(posting.agency_path, posting.role) for posting in postings]
    owed: dict[int, datetime.datetime] = {}
    for at, path, people, kind, number in runs:
        if not _run_covers(path, people, person_id, places):
            continue
        span = set(period_months(kind, number))
        for half, months in HALF_YEAR_MONTHS.items():
            if span & set(months) and half not in owed:
                owed[half] = at
    return owed


def _posting_rules(postings, year: int, months: tuple[int, ...]):
    """The live rules for the agency of the posting governing the half's last day."""
    start, end = _span(year, months)
    governing = pick_governing(postings, start, end)
    if governing is None:
        return None
    path = Agency.objects.filter(pk=governing.agency_id).values_list("path", flat=True).first()
    if path is None:
        return None
    resolved = FrameworkResolver().resolve(path, PeriodKind.MONTH, end, governing.category)
    return resolved.rules if resolved is not None else None
