"""Deadlines around the year end: 15/12, 15/01 of the next year for special agencies, the
at-risk window across 1 January, per-year calendars and inherited agency schedules."""

import datetime

import pytest

from ratings import deadlines as d
from ratings.models import AgencySchedule, RatingCalendar
from ratings.services.calendars import DeadlineBook, case_deadline, is_special

D = datetime.date


def test_default_deadlines():
    assert d.default_deadline(2026) == D(2026, 12, 15)
    assert d.default_special_deadline(2026) == D(2027, 1, 15)
    assert d.deadline_for(2026, special=False) == D(2026, 12, 15)
    assert d.deadline_for(2026, special=True) == D(2027, 1, 15)
    assert d.deadline_for(2026, True, special_deadline=D(2027, 1, 10)) == D(2027, 1, 10)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 12, 4), d.ON_TRACK),
        (D(2026, 12, 5), d.AT_RISK),  # 10 days before
        (D(2026, 12, 15), d.AT_RISK),  # the deadline day is still on time
        (D(2026, 12, 16), d.OVERDUE),
        (D(2027, 1, 1), d.OVERDUE),
    ],
)
def test_ordinary_agency_around_15_december(today, expected):
    status = d.deadline_status(D(2026, 12, 15), today, done=False, at_risk_days=10)
    assert status == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 12, 16), d.ON_TRACK),  # overdue for others, not for a special agency
        (D(2026, 12, 31), d.ON_TRACK),
        (D(2027, 1, 4), d.ON_TRACK),
        (D(2027, 1, 5), d.AT_RISK),  # the window crosses the new year
        (D(2027, 1, 15), d.AT_RISK),
        (D(2027, 1, 16), d.OVERDUE),
    ],
)
def test_special_agency_around_15_january(today, expected):
    deadline = d.deadline_for(2026, special=True)
    assert d.deadline_status(deadline, today, done=False, at_risk_days=10) == expected


def test_a_wide_window_starts_in_the_previous_year():
    deadline = d.deadline_for(2026, special=True)
    assert d.deadline_status(deadline, D(2026, 12, 16), done=False, at_risk_days=30) == d.AT_RISK
    assert d.days_left(deadline, D(2026, 12, 31)) == 15
    assert d.days_left(deadline, D(2027, 1, 20)) == -5


def test_done_cases_are_never_late():
    assert d.deadline_status(D(2026, 12, 15), D(2027, 3, 1), done=True, at_risk_days=10) == d.DONE


def test_clamp_and_complaint_window():
    assert d.clamp_to_year(D(2027, 1, 10), 2026) == D(2026, 12, 31)
    assert d.clamp_to_year(D(2025, 12, 1), 2026) == D(2026, 1, 1)
    assert d.complaint_window_open(D(2026, 12, 28), D(2027, 1, 7), 10)
    assert not d.complaint_window_open(D(2026, 12, 28), D(2027, 1, 8), 10)


@pytest.mark.django_db
def test_calendar_rows_schedules_and_inheritance(world):
    case = world.case_for(world.staff("Vương Văn Hạn", 80))
    assert case_deadline(case) == D(2026, 12, 15)

    RatingCalendar.objects.create(
        year=2026, deadline=D(2026, 12, 10), special_deadline=D(2027, 1, 12), at_risk_days=5
    )
    assert case_deadline(case) == D(2026, 12, 10)

    # The department is special: its units follow it …
    AgencySchedule.objects.create(agency=world.department, special=True, decision_ref="12/UBND")
    assert is_special(world.unit) and is_special(world.department)
    assert case_deadline(case) == D(2027, 1, 12)
    # … unless a unit has its own row.
    AgencySchedule.objects.create(agency=world.unit, special=False)
    assert not is_special(world.unit) and is_special(world.unit2)
    assert case_deadline(case) == D(2026, 12, 10)

    book = DeadlineBook(today=D(2026, 12, 6))
    assert book.status(case) == d.AT_RISK and book.days_left(case) == 4
    assert DeadlineBook(today=D(2026, 12, 11)).status(case) == d.OVERDUE


@pytest.mark.django_db
def test_calendar_validation():
    from django.core.exceptions import ValidationError

    calendar = RatingCalendar(year=2026, deadline=D(2027, 1, 2), special_deadline=D(2027, 1, 1))
    with pytest.raises(ValidationError) as info:
        calendar.full_clean()
    assert {"deadline", "special_deadline"} <= set(info.value.message_dict)
    saved = RatingCalendar(year=2027)
    saved.save()
    assert (saved.deadline, saved.special_deadline) == (D(2027, 12, 15), D(2028, 1, 15))
