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
#: Days after a monthly/quarterly result is available during which the civil servant may
#: contest it, and after the evaluator's answer during which they may ask Sở Nội vụ for a
#: re-check (phúc tra). Nghệ An §IV.1.2 / §IV.2.2 require a re-check procedure but set no
#: number of days: [giả định — tỉnh cần xác nhận], the same 10 days as the annual complaint.
DEFAULT_PERIOD_COMPLAINT_DAYS = 10
#: Days the evaluator has to answer (shown as the answer's deadline) [giả định — tỉnh cần
#: xác nhận].
DEFAULT_PERIOD_ANSWER_DAYS = 10

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


def period_complaint_window(
    available_on: datetime.date, window_days: int
) -> tuple[datetime.date, datetime.date]:
    """First and last day (inclusive) on which a period result available on ``available_on``
    may be contested."""
    return available_on, available_on + datetime.timedelta(days=window_days)
