"""Usage statistics for Sở Nội vụ: per agency (top of each tree branch, with its subtree),
how many people are posted, have a sign-in, used it lately, how many work lines were entered
for a period, and how many imports ran and failed — so that Sở Nội vụ sees who is not using
the system. Read-only; counts only (no names)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from importers.models import ImportJob, ImportStatus
from org.models import Agency, Posting
from scoring.models import AssignmentLine, Period

#: A sign-in used within this many days counts as active.
ACTIVE_DAYS = 30
FAILED = (ImportStatus.INVALID, ImportStatus.UNREADABLE, ImportStatus.FAILED)


@dataclass
class UsageRow:
    agency: Agency
    people: int
    accounts: int
    active: int
    entries: int
    imports: int
    import_errors: int

    @property
    def idle(self) -> bool:
        """Nobody signed in lately and nothing entered: the agency is not using the system."""
        return self.active == 0 and self.entries == 0 and self.imports == 0


def top_agencies():
    """The agencies reported on: those directly under the root(s) of the tree."""
    roots = Agency.objects.active().filter(parent__isnull=True)
    tops = Agency.objects.active().filter(parent__in=roots)
    return (tops if tops.exists() else roots).order_by("name")


def _under(agency: Agency, field: str = "agency") -> Q:
    return Q(**{f"{field}__path__startswith": agency.path})


def usage(period: Period | None, today: datetime.date | None = None) -> list[UsageRow]:
    today = today or timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=ACTIVE_DAYS)
    current = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    rows = []
    for agency in top_agencies():
        postings = Posting.objects.filter(current, _under(agency))
        people = postings.values("civil_servant").distinct()
        signed = postings.filter(civil_servant__user__isnull=False)
        jobs = ImportJob.objects.filter(_under(agency), created_at__gte=since)
        lines = AssignmentLine.objects.filter(_under(agency, "unit"))
        rows.append(
            UsageRow(
                agency=agency,
                people=people.count(),
                accounts=signed.values("civil_servant").distinct().count(),
                active=signed.filter(civil_servant__user__last_login__gte=since)
                .values("civil_servant")
                .distinct()
                .count(),
                entries=lines.filter(period=period).count() if period else 0,
                imports=jobs.count(),
                import_errors=jobs.filter(status__in=FAILED).count(),
            )
        )
    return rows


def periods():
    return Period.objects.order_by("-year", "-start_date")[:24]
