"""The ``WorkCalendar`` from the ``Holiday`` table."""

import datetime

from worklog.calendar import WorkCalendar
from worklog.models import DayKind, Holiday

MARGIN = datetime.timedelta(days=62)


def load_calendar(start: datetime.date, end: datetime.date) -> WorkCalendar:
    """Active calendar exceptions from about two months around ``start``…``end``."""
    rows = Holiday.objects.filter(
        is_active=True, date__gte=start - MARGIN, date__lte=end + MARGIN
    ).values_list("date", "kind")
    off: set[datetime.date] = set()
    working: set[datetime.date] = set()
    for day, kind in rows:
        (working if kind == DayKind.WORKING else off).add(day)
    return WorkCalendar(days_off=frozenset(off), working_weekend_days=frozenset(working))
