"""Working days and deadline states — pure functions over a ``WorkCalendar`` (no database).

A working day is Monday–Friday, except the days off of the calendar (holidays, compensatory
and swapped days), plus the make-up working days (a weekend day worked in exchange).

Deadline state of an open item on ``today``:
* ``overdue`` — the deadline has passed (the deadline day itself is still on time);
* ``due_soon`` — at most ``lead`` working days remain: the working days after today up to and
  including the deadline (0 on the deadline day, or when only days off are left);
* ``on_track`` otherwise; ``done`` for finished items whatever the date.
"""

import datetime
from dataclasses import dataclass, field

DONE = "done"
OVERDUE = "overdue"
DUE_SOON = "due_soon"
ON_TRACK = "on_track"
NO_DEADLINE = "no_deadline"

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    days_off: frozenset[datetime.date] = field(default_factory=frozenset)
    working_weekend_days: frozenset[datetime.date] = field(default_factory=frozenset)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.working_weekend_days:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def working_days_after(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (``start``, ``end``]; 0 when ``end`` is not after ``start``."""
        count, day = 0, start + ONE_DAY
        while day <= end:
            count += self.is_working_day(day)
            day += ONE_DAY
        return count


#: Plain Monday–Friday calendar (tests, or before any holiday is entered).
WEEKDAYS = WorkCalendar()


def deadline_state(
    deadline: datetime.date | None,
    today: datetime.date,
    *,
    done: bool,
    lead: int,
    calendar: WorkCalendar = WEEKDAYS,
) -> str:
    if done:
        return DONE
    if deadline is None:
        return NO_DEADLINE
    if today > deadline:
        return OVERDUE
    if calendar.working_days_after(today, deadline) <= lead:
        return DUE_SOON
    return ON_TRACK


def working_days_late(
    deadline: datetime.date, completed_on: datetime.date, calendar: WorkCalendar = WEEKDAYS
) -> int:
    """Working days after the deadline up to the completion date (0 when on time)."""
    return calendar.working_days_after(deadline, completed_on)


def week_end(day: datetime.date) -> datetime.date:
    """The Sunday of ``day``'s week."""
    return day + datetime.timedelta(days=6 - day.weekday())
