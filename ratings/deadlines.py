"""Deadline arithmetic of the annual rating — pure functions, no database.

* Decree 335 Art. 21; Gia Lai plan §IV.4.1.b: rate before 15 December of the year.
* Agencies whose work does not close at year end: by 15 January of the NEXT year.
* A case is "at risk" from ``at_risk_days`` before its deadline until the deadline itself
  (inclusive: the deadline day is still on time) and "overdue" from the day after. Decided,
  notified and cancelled cases are "done" whatever the date.
"""

import datetime

DEFAULT_AT_RISK_DAYS = 10
DEFAULT_COMPLAINT_DAYS = 10

DONE = "done"
OVERDUE = "overdue"
AT_RISK = "at_risk"
ON_TRACK = "on_track"


def default_deadline(year: int) -> datetime.date:
    return datetime.date(year, 12, 15)


def default_special_deadline(year: int) -> datetime.date:
    return datetime.date(year + 1, 1, 15)


def deadline_for(year: int, special: bool, deadline=None, special_deadline=None) -> datetime.date:
    """The deadline of a case of ``year``; ``deadline``/``special_deadline`` override defaults."""
    if special:
        return special_deadline or default_special_deadline(year)
    return deadline or default_deadline(year)


def deadline_status(
    deadline: datetime.date, today: datetime.date, *, done: bool, at_risk_days: int
) -> str:
    if done:
        return DONE
    if today > deadline:
        return OVERDUE
    if today >= deadline - datetime.timedelta(days=at_risk_days):
        return AT_RISK
    return ON_TRACK


def days_left(deadline: datetime.date, today: datetime.date) -> int:
    """Days until the deadline (0 on the day, negative once overdue)."""
    return (deadline - today).days


def clamp_to_year(day: datetime.date, year: int) -> datetime.date:
    """``day`` moved into ``year`` (1 January … 31 December)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return min(max(day, first), last)


def complaint_window_open(
    notified_on: datetime.date | None, today: datetime.date, window_days: int
) -> bool:
    """A complaint after the notification is accepted up to ``window_days`` later (inclusive)."""
    if notified_on is None:
        return True
    return today <= notified_on + datetime.timedelta(days=window_days)
