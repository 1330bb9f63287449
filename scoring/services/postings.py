"""Which posting governs a person's evaluation in a period.

The primary (non-concurrent) posting active on the period's last day; failing that (the person
left during the period) the latest-starting posting that overlaps the period, primary first.
This mirrors ``CivilServant.primary_posting_on`` for the last day of the period.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from org.models import Posting

FAR_FUTURE = datetime.date.max


@dataclass(frozen=True)
class PostingRow:
    id: int
    person_id: int
    agency_id: int
    role: str
    is_concurrent: bool
    start_date: datetime.date
    end_date: datetime.date | None
    position_group: str
    #: ``org.PersonCategory`` of the posting (rules: ``org.categories``)
    category: str = "civil_servant"

    def active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day <= (self.end_date or FAR_FUTURE)


POSTING_FIELDS = (
    "id",
    "civil_servant_id",
    "agency_id",
    "role",
    "is_concurrent",
    "start_date",
    "end_date",
    "job_position__group",
    "category",
)


def overlapping(start: datetime.date, end: datetime.date) -> Q:
    return Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))


def posting_rows(queryset) -> list[PostingRow]:
    return [PostingRow(*values) for values in queryset.values_list(*POSTING_FIELDS)]


def pick_governing(rows, start: datetime.date, end: datetime.date) -> PostingRow | None:
    """The governing posting among one person's postings (see module docstring)."""
    on_last_day = [r for r in rows if r.active_on(end)]
    pool = on_last_day or [r for r in rows if r.start_date <= end and (r.end_date or end) >= start]
    if not pool:
        return None
    return sorted(pool, key=lambda r: (r.is_concurrent, -r.start_date.toordinal(), -r.id))[0]


def governing_row(person_id: int, start, end) -> PostingRow | None:
    rows = posting_rows(Posting.objects.filter(overlapping(start, end), civil_servant_id=person_id))
    return pick_governing(rows, start, end)


def governing_posting_of(civil_servant, period):
    """The governing ``Posting`` instance (with agency and job position) or ``None``."""
    row = governing_row(civil_servant.pk, period.start_date, period.end_date)
    if row is None:
        return None
    return Posting.objects.select_related("agency", "job_position").get(pk=row.id)
