"""Quarter arithmetic of the province-assigned tasks — pure functions, no database.

Gia Lai plan §V.3: "Từ ngày 05 đến ngày 10 tháng cuối quý" the Office of the province People's
Committee reviews the tasks the province assigned to departments and communes in the quarter
and sends their progress to Sở Nội vụ. The window is both days inclusive: open from day 5,
closed from day 11 (``org_scoring.QuarterWindow`` rows change the days per year and quarter).

Six-month results (Gia Lai §IV.4.1.a "theo quý, 06 tháng và hàng năm"): the first half is
Q1 + Q2, the second Q3 + Q4.
"""

import datetime

DEFAULT_OPEN_DAY = 5
DEFAULT_CLOSE_DAY = 10
DEFAULT_REMIND_DAYS = 2

BEFORE, OPEN, AFTER = "before", "open", "after"
QUARTERS = (1, 2, 3, 4)
HALVES = {1: (1, 2), 2: (3, 4)}


def last_month(quarter: int) -> int:
    if quarter not in QUARTERS:
        raise ValueError(f"quarter {quarter}")
    return quarter * 3


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def half_of(quarter: int) -> int:
    return 1 if quarter <= 2 else 2


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, last_month(quarter) - 2, 1)
    end_month = last_month(quarter)
    after = datetime.date(year + (end_month == 12), end_month % 12 + 1, 1)
    return first, after - datetime.timedelta(days=1)


def default_window(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """Day 5 and day 10 of the quarter's last month (Gia Lai §V.3)."""
    month = last_month(quarter)
    return (
        datetime.date(year, month, DEFAULT_OPEN_DAY),
        datetime.date(year, month, DEFAULT_CLOSE_DAY),
    )


def window_state(day: datetime.date, opens_on: datetime.date, closes_on: datetime.date) -> str:
    """``before`` the opening day, ``open`` from it to the closing day inclusive, ``after``."""
    if day < opens_on:
        return BEFORE
    if day > closes_on:
        return AFTER
    return OPEN
