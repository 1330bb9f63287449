"""Working days skip weekends and the holidays of the ``Holiday`` table; warnings use them."""

import datetime

import pytest

from worklog.calendar import (
    DONE,
    DUE_SOON,
    NO_DEADLINE,
    ON_TRACK,
    OVERDUE,
    WEEKDAYS,
    WorkCalendar,
    deadline_state,
    working_days_late,
)
from worklog.models import DayKind, Holiday
from worklog.services.holidays import load_calendar

D = datetime.date


def state(deadline, today, calendar=WEEKDAYS, lead=2, done=False):
    return deadline_state(deadline, today, done=done, lead=lead, calendar=calendar)


def test_weekends_are_not_working_days():
    # Deadline Monday 16/3/2026: from Thursday 12/3 two working days remain (Fri, Mon).
    assert WEEKDAYS.working_days_after(D(2026, 3, 12), D(2026, 3, 16)) == 2
    assert state(D(2026, 3, 16), D(2026, 3, 12)) == DUE_SOON
    assert state(D(2026, 3, 16), D(2026, 3, 11)) == ON_TRACK
    assert state(D(2026, 3, 16), D(2026, 3, 16)) == DUE_SOON
    assert state(D(2026, 3, 16), D(2026, 3, 17)) == OVERDUE
    assert state(D(2026, 3, 16), D(2026, 3, 20), done=True) == DONE
    assert state(None, D(2026, 3, 20)) == NO_DEADLINE


def test_lead_is_configurable():
    assert state(D(2026, 3, 16), D(2026, 3, 11), lead=3) == DUE_SOON
    assert state(D(2026, 3, 16), D(2026, 3, 12), lead=0) == ON_TRACK
    assert state(D(2026, 3, 16), D(2026, 3, 16), lead=0) == DUE_SOON


def test_make_up_working_saturday_counts():
    calendar = WorkCalendar(working_weekend_days=frozenset({D(2026, 8, 22)}))
    assert calendar.is_working_day(D(2026, 8, 22))
    assert not WEEKDAYS.is_working_day(D(2026, 8, 22))


@pytest.mark.django_db
def test_seeded_2026_holidays():
    calendar = load_calendar(D(2026, 1, 1), D(2026, 12, 31))
    for day in [
        D(2026, 1, 1),
        *[D(2026, 2, d) for d in range(16, 21)],
        D(2026, 4, 27),
        D(2026, 4, 30),
        D(2026, 5, 1),
        D(2026, 9, 1),
        D(2026, 9, 2),
    ]:
        assert not calendar.is_working_day(day), day
    assert calendar.is_working_day(D(2026, 2, 23))
    # Giỗ Tổ falls on Sunday 26/4: the compensatory Monday is a row of its own.
    assert Holiday.objects.get(date=D(2026, 4, 27)).kind == DayKind.DAY_OFF
    # Proposals are seeded inactive and do not count until Sở Nội vụ switches them on.
    assert calendar.is_working_day(D(2026, 8, 31))
    assert calendar.is_working_day(D(2026, 11, 24))


@pytest.mark.django_db
def test_warnings_respect_holidays():
    calendar = load_calendar(D(2026, 1, 1), D(2026, 12, 31))
    # Deadline Tuesday 28/4; on Thursday 23/4 the working days left are Fri 24 and Tue 28
    # (Mon 27 is the compensatory day off): due soon. On plain weekdays it would be 3 days.
    assert state(D(2026, 4, 28), D(2026, 4, 23), calendar) == DUE_SOON
    assert state(D(2026, 4, 28), D(2026, 4, 23)) == ON_TRACK
    # Before Tết: deadline Monday 23/2, on Friday 13/2 only the 23rd is a working day left.
    assert calendar.working_days_after(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert state(D(2026, 2, 23), D(2026, 2, 13), calendar) == DUE_SOON
    # An edited calendar takes effect at once: a province-specific day off.
    Holiday.objects.create(date=D(2026, 3, 13), name="Ngày nghỉ của tỉnh", kind=DayKind.DAY_OFF)
    edited = load_calendar(D(2026, 3, 1), D(2026, 3, 31))
    assert state(D(2026, 3, 17), D(2026, 3, 12), edited) == DUE_SOON
    assert state(D(2026, 3, 17), D(2026, 3, 12), calendar) == ON_TRACK


def test_working_days_late():
    assert working_days_late(D(2026, 3, 13), D(2026, 3, 13)) == 0
    assert working_days_late(D(2026, 3, 13), D(2026, 3, 16)) == 1
