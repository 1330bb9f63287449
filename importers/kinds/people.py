"""Who works in an agency during a period, and in which unit — one query for the whole file.

A person belongs to the agency for a period when one of their postings in the agency's subtree
overlaps the period (someone transferred mid-period can still be reported by both agencies).
Among those postings the governing one gives the unit: the primary posting active on the last
day, else the latest-starting overlapping one, primary before concurrent — the same order as
``scoring.services.postings.pick_governing``.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from org.models import Posting

FAR_FUTURE = datetime.date.max


@dataclass(frozen=True)
class Member:
    person_id: int
    official_id: str
    full_name: str
    unit_id: int
    unit_code: str
    posting_id: int
    job_position_code: str
    role: str
    #: ``org.PersonCategory`` of the governing posting (rules: ``org.categories``)
    category: str = "civil_servant"


def overlapping(start: datetime.date, end: datetime.date) -> Q:
    return Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))


def members_of(agency, start: datetime.date, end: datetime.date) -> dict[str, Member]:
    """official_id → Member, for everyone posted in ``agency``'s subtree during [start, end]."""
    rows = (
        Posting.objects.filter(overlapping(start, end), agency__path__startswith=agency.path)
        .values_list(
            "id",
            "civil_servant_id",
            "civil_servant__official_id",
            "civil_servant__full_name",
            "agency_id",
            "agency__code",
            "is_concurrent",
            "start_date",
            "end_date",
            "job_position__code",
            "role",
            "category",
        )
        .order_by("civil_servant__full_name", "civil_servant_id", "id")
    )
    best: dict[str, tuple] = {}
    for row in rows:
        (
            pid,
            person,
            official,
            name,
            unit,
            unit_code,
            concurrent,
            start_day,
            end_day,
            job,
            role,
            category,
        ) = row
        active_last_day = start_day <= end <= (end_day or FAR_FUTURE)
        key = (not active_last_day, concurrent, -start_day.toordinal(), -pid)
        current = best.get(official)
        if current is None or key < current[0]:
            best[official] = (
                key,
                Member(person, official, name, unit, unit_code, pid, job, role, category),
            )
    return {official: member for official, (_key, member) in best.items()}
