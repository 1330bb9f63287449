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
        result.append(HalfYear(year, half, outcome))
    return result


def _posting_rules(postings, year: int, months: tuple[int, ...]):
    """The live rules for the agency of the posting governing the half's last day."""
    from org.models import Agency
    from scoring.models import PeriodKind
    from scoring.services.postings import pick_governing

    start = datetime.date(year, months[0], 1)
    end = datetime.date(year, months[-1], calendar.monthrange(year, months[-1])[1])
    governing = pick_governing(postings, start, end)
    if governing is None:
        return None
    path = Agency.objects.filter(pk=governing.agency_id).values_list("path", flat=True).first()
    if path is None:
        return None
    resolved = FrameworkResolver().resolve(path, PeriodKind.MONTH, end, governing.category)
    return resolved.rules if resolved is not None else None
