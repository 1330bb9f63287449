"""The calendar and schedule rows behind a case's deadline (see ``ratings.deadlines``)."""

import datetime

from django.utils import timezone

from ratings.deadlines import days_left, deadline_for, deadline_status
from ratings.models import AgencySchedule, RatingCalendar
from ratings.models.choices import DONE_STATES


def calendar_for(year: int) -> RatingCalendar:
    """The year's calendar row, or the decree's defaults (unsaved) when there is none."""
    return RatingCalendar.objects.filter(year=year).first() or RatingCalendar.defaults_for(year)


def is_special(agency, schedules: dict | None = None) -> bool:
    """Whether ``agency`` follows the special schedule: the nearest schedule row up the tree."""
    if schedules is None:
        ids = [*agency.ancestor_ids(), agency.pk]
        schedules = dict(
            AgencySchedule.objects.filter(agency_id__in=ids).values_list("agency_id", "special")
        )
    for agency_id in reversed([*agency.ancestor_ids(), agency.pk]):
        if agency_id in schedules:
            return schedules[agency_id]
    return False


def case_deadline(case, calendar: RatingCalendar | None = None, schedules=None) -> datetime.date:
    calendar = calendar or calendar_for(case.year)
    return deadline_for(
        case.year,
        is_special(case.agency, schedules),
        deadline=calendar.deadline,
        special_deadline=calendar.special_deadline,
    )


class DeadlineBook:
    """Deadlines of many cases with a handful of queries (calendars and schedules cached)."""

    def __init__(self, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self.calendars: dict[int, RatingCalendar] = {}
        self.schedules = dict(AgencySchedule.objects.values_list("agency_id", "special"))

    def calendar(self, year: int) -> RatingCalendar:
        if year not in self.calendars:
            self.calendars[year] = calendar_for(year)
        return self.calendars[year]

    def deadline(self, case) -> datetime.date:
        return case_deadline(case, self.calendar(case.year), self.schedules)

    def status(self, case) -> str:
        return deadline_status(
            self.deadline(case),
            self.today,
            done=case.state in DONE_STATES,
            at_risk_days=self.calendar(case.year).at_risk_days,
        )

    def days_left(self, case) -> int:
        return days_left(self.deadline(case), self.today)
