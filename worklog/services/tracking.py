"""Rows for the lists: a civil servant's own work by due date, and a leader's board per unit.

Each row pairs the line with its tracking status and its deadline state on ``today`` under the
working-day calendar (``worklog.calendar``). Only lines of open periods are listed.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from org.access import visible_agencies
from org.models import Agency, AgencyKind, Posting
from scoring.models import AssignmentLine, PeriodStatus
from worklog import calendar as cal
from worklog.access import evaluated_people, person_of, visible_lines, visible_people
from worklog.conf import warning_working_days
from worklog.models import OPEN_STATUSES, WorkStatus
from worklog.services.holidays import load_calendar
from worklog.services.work import status_of, work_of

BUCKETS = (
    ("overdue", _("Quá hạn")),
    ("today", _("Đến hạn hôm nay")),
    ("week", _("Trong tuần này")),
    ("later", _("Sắp tới")),
    ("waiting", _("Chờ lãnh đạo nghiệm thu")),
    ("done", _("Đã nghiệm thu")),
)
#: Deadline state of a reported line waiting for the leader's review (the clock is stopped).
WAITING = "waiting"
STATE_ORDER = {
    cal.OVERDUE: 0,
    cal.DUE_SOON: 1,
    cal.ON_TRACK: 2,
    cal.NO_DEADLINE: 3,
    WAITING: 4,
    cal.DONE: 5,
}
STATUS_ORDER = [s.value for s in WorkStatus]


@dataclass
class Row:
    line: AssignmentLine
    status: str
    state: str

    @property
    def work(self):
        return work_of(self.line)

    @property
    def status_label(self) -> str:
        return WorkStatus(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def progress(self) -> int:
        work = self.work
        if work is not None:
            return work.progress
        return 100 if self.status == WorkStatus.ACCEPTED else 0

    @property
    def sort_key(self):
        deadline = self.line.deadline or datetime.date.max
        return (STATE_ORDER[self.state], deadline, self.line.pk)


def open_period_lines(queryset):
    return queryset.filter(period__status=PeriodStatus.OPEN).select_related(
        "work", "item", "period", "civil_servant", "unit"
    )


def build_rows(lines, today: datetime.date, calendar=None, lead=None) -> list[Row]:
    lines = list(lines)
    lead = warning_working_days() if lead is None else lead
    if calendar is None:
        deadlines = [line.deadline for line in lines if line.deadline] or [today]
        calendar = load_calendar(min(min(deadlines), today), max(max(deadlines), today))
    rows = []
    for line in lines:
        status = status_of(line)
        rows.append(Row(line, status, row_state(line, status, today, calendar, lead)))
    return sorted(rows, key=lambda row: row.sort_key)


def row_state(line, status, today, calendar, lead) -> str:
    if status == WorkStatus.SUBMITTED:
        return WAITING
    return cal.deadline_state(
        line.deadline, today, done=status not in OPEN_STATUSES, lead=lead, calendar=calendar
    )


def bucket_of(row: Row, today: datetime.date) -> str:
    if row.status == WorkStatus.SUBMITTED:
        return "waiting"
    if row.status == WorkStatus.ACCEPTED:
        return "done"
    deadline = row.line.deadline
    if deadline is None or deadline > cal.week_end(today):
        return "later"
    if deadline < today:
        return "overdue"
    return "today" if deadline == today else "week"


def my_buckets(person, today: datetime.date) -> list[dict]:
    rows = build_rows(open_period_lines(AssignmentLine.objects.filter(civil_servant=person)), today)
    grouped = {key: [] for key, _label in BUCKETS}
    for row in rows:
        grouped[bucket_of(row, today)].append(row)
    return [{"key": key, "label": label, "rows": grouped[key]} for key, label in BUCKETS]


# --- leader's board -----------------------------------------------------------------------


@dataclass
class PersonRow:
    person: object
    rows: list[Row] = field(default_factory=list)
    #: The open period whose Form 01 marks the viewer enters for this person (the board sets it).
    marks_period: object = None

    @property
    def counts(self) -> Counter:
        return Counter(row.status for row in self.rows)

    @property
    def status_cells(self) -> list[tuple[str, int]]:
        """(status label, number of lines) in workflow order."""
        counts = self.counts
        return [(WorkStatus(status).label, counts.get(status, 0)) for status in STATUS_ORDER]

    @property
    def overdue(self) -> int:
        return sum(row.state == cal.OVERDUE for row in self.rows)

    @property
    def due_soon(self) -> int:
        return sum(row.state == cal.DUE_SOON for row in self.rows)


def board_units(user, today: datetime.date) -> list:
    """Units offered on the board: those of the people the user evaluates, then granted ones."""
    units = {}
    for person in evaluated_people(user, today):
        posting = person.primary_posting_on(today)
        if posting is not None:
            units.setdefault(posting.agency_id, posting.agency)
    granted = list(visible_agencies(user).filter(accesses__user=user))
    for agency in granted:
        units.setdefault(agency.pk, agency)
    # A granted department or commune also offers its own units, so that its board opens on
    # one unit rather than on every person of the agency at once.
    for agency in Agency.objects.filter(parent__in=granted, kind=AgencyKind.UNIT, is_active=True):
        units.setdefault(agency.pk, agency)
    return sorted(units.values(), key=lambda a: a.path)


def default_board_unit(units: list):
    """The unit a board opens on: the first unit proper, else the first agency."""
    return next((unit for unit in units if unit.kind == AgencyKind.UNIT), units[0])


def can_open_board(user, unit, today: datetime.date) -> bool:
    return unit in board_units(user, today) or visible_agencies(user).filter(pk=unit.pk).exists()


def board(user, unit, today: datetime.date) -> dict:
    """The unit's people (the viewer excepted) and their open lines, overdue first."""
    viewer = person_of(user)
    posted_in_unit = (
        Posting.objects.filter(agency__path__startswith=unit.path, start_date__lte=today)
        .exclude(end_date__lt=today)
        .values("civil_servant")
    )
    candidates = (
        visible_people(user, today)
        .filter(pk__in=posted_in_unit)
        .order_by("full_name")
        .prefetch_related("postings__agency")
    )
    members = [
        person
        for person in candidates
        if viewer is None or person.pk != viewer.pk
        if (posting := person.primary_posting_on(today)) is not None
        and posting.agency.path.startswith(unit.path)
    ]
    lines = open_period_lines(
        visible_lines(user, today).filter(civil_servant__in=[p.pk for p in members])
    )
    rows = build_rows(lines, today)
    people = {person.pk: PersonRow(person) for person in members}
    for row in rows:
        people[row.line.civil_servant_id].rows.append(row)
    ordered = sorted(people.values(), key=lambda p: (-p.overdue, -p.due_soon, p.person.full_name))
    return {
        "people": ordered,
        "rows": [row for row in rows if row.status != WorkStatus.ACCEPTED],
        "statuses": [WorkStatus(s).label for s in STATUS_ORDER],
    }
