"""Rows for the lists: a civil servant's own work by due date, and a leader's board per unit.

Each row pairs the line with its tracking status and its deadline state on ``today`` under the
working-day calendar (``worklog.calendar``). Only lines of open periods are listed.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.paginator import Paginator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cms.ids import AnyId
from org.access import can_access_agency, civil_servant_of, visible_agencies
from org.models import Agency, AgencyKind, CivilServant
from org.postings import active_on, governing_on
from scoring.models import AssignmentLine, Period, PeriodStatus
from worklog import calendar as cal
from worklog.access import evaluated_units, visible_lines, visible_people
from worklog.conf import warning_working_days
from worklog.models import OPEN_STATUSES, WorkStatus
from worklog.services.holidays import load_calendar
from worklog.services.work import status_expression, status_of, work_of

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
    def status_label(self) -> str | Promise:
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
    return deadline_row_state(line.deadline, status, today, calendar, lead)


def deadline_row_state(deadline, status, today, calendar, lead) -> str:
    """The deadline state of a line with ``status``: waiting while the leader reviews it."""
    if status == WorkStatus.SUBMITTED:
        return WAITING
    return cal.deadline_state(
        deadline, today, done=status not in OPEN_STATUSES, lead=lead, calendar=calendar
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
    grouped: dict[str, list] = {key: [] for key, _label in BUCKETS}
    for row in rows:
        grouped[bucket_of(row, today)].append(row)
    return [{"key": key, "label": label, "rows": grouped[key]} for key, label in BUCKETS]


# --- leader's board -----------------------------------------------------------------------

#: People and open lines shown per page of the board (a large unit lists thousands).
BOARD_PAGE_SIZE = 50


@dataclass
class PersonRow:
    person: object
    #: Open lines per tracking status.
    counts: Counter = field(default_factory=Counter)
    overdue: int = 0
    due_soon: int = 0
    #: The open period whose Form 01 marks the viewer enters for this person (the board sets it).
    marks_period: object = None

    @property
    def status_cells(self) -> list[tuple[str | Promise, int]]:
        """(status label, number of lines) in workflow order."""
        return [(WorkStatus(status).label, self.counts.get(status, 0)) for status in STATUS_ORDER]


class _Tally(NamedTuple):
    """One open line as the board counts it, read without its related rows. The board makes
    them as plain tuples in this order (a month-end board makes tens of thousands: a named
    tuple's constructor was a third of the page), sorted as they stand: urgency, then
    deadline, then id — the board's order."""

    order: int
    due: datetime.date
    pk: int
    person: int
    status: str
    state: str


#: Where a tally's status is in the plain tuples the board makes.
_STATUS = _Tally._fields.index("status")


def board_units(user, today: datetime.date) -> list:
    """Units offered on the board: those of the people the user evaluates, then granted ones."""
    units = {
        agency.pk: agency
        for agency in Agency.objects.filter(pk__in=set(evaluated_units(user, today).values()))
    }
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


def _posted_in(unit, today: datetime.date):
    """The people holding a posting on ``today`` in ``unit`` or below it, as a subquery. By
    the subtree's agency ids (``Agency.objects.within``, one small query): PostgreSQL reads
    those agencies' postings by the posting's agency index, where the join on the agency's
    path made it scan the province's 100,000 postings each time the subquery was used."""
    ids = list(Agency.objects.within(unit).values_list("pk", flat=True))
    return active_on(today).filter(agency_id__in=ids).values("civil_servant")


def _members(user, unit, today: datetime.date, posted=None):
    """Ids and names of the unit's people the viewer may see (the viewer excepted): those
    whose governing posting on ``today`` is in the unit or below it."""
    viewer = civil_servant_of(user)
    if posted is None:
        posted = _posted_in(unit, today)
    if can_access_agency(user, unit):
        # Everyone ever posted under an agency the viewer reaches is visible to them
        # (``org.access.visible_person_q``): no per-person check of thousands of rows, and
        # the names are read with the governing postings (one query, not two).
        governing = governing_on(posted, today, "agency__path", "civil_servant__full_name")
        names = {person: values[1] for person, values in governing.items()}
    else:
        candidates = visible_people(user, today).filter(pk__in=posted)
        names = dict(candidates.values_list("pk", "full_name"))
        # Read from the postings alone; only the people of ``names`` are kept.
        governing = governing_on(posted, today, "agency__path")
    if viewer is not None:
        names.pop(viewer.pk, None)
    return {
        person: name
        for person, name in names.items()
        if person in governing and governing[person][0].startswith(unit.path)
    }


class LineStates:
    """Lines' deadline states from their deadline and status (the status read with
    :func:`worklog.services.work.status_expression`), for many lines read as values: the
    working-day calendar read once for their ``deadlines``, each state worked out once per
    (deadline, status) — a month's lines share a few deadlines (the board's tallies, the
    dashboard's warnings; issue 48)."""

    def __init__(self, deadlines, today: datetime.date):
        known = [deadline for deadline in deadlines if deadline] or [today]
        self.calendar = load_calendar(min(min(known), today), max(max(known), today))
        self.lead = warning_working_days()
        self.today = today
        self._states: dict[tuple, tuple[str, int]] = {}

    def of(self, deadline, status: str) -> tuple[str, int]:
        """``(state, the state's order)`` of a line with ``status``."""
        known = self._states.get((deadline, status))
        if known is None:
            state = deadline_row_state(deadline, status, self.today, self.calendar, self.lead)
            known = self._states[deadline, status] = (state, STATE_ORDER[state])
        return known


def open_period_ids() -> list[int]:
    """The ids of the open periods (a handful), for conditions on lines: ``period IN (ids)``
    lets PostgreSQL read the lines of some people by the (period, person) index, where a join
    on the periods' status made it walk every line of the open periods (issue 48)."""
    return list(Period.objects.filter(status=PeriodStatus.OPEN).values_list("pk", flat=True))


def _tallies(user, today: datetime.date, people: list[int]) -> list[tuple]:
    """The open lines of ``people`` (ids) with their status and deadline state, in board order:
    tuples of :class:`_Tally`'s fields.

    The people and the open periods go to the database as lists of ids, and the rows in no
    order (they are sorted here): PostgreSQL then reads the lines by the (period, person)
    index, where the people's subquery and the join on the periods' status made it walk every
    line of the open periods testing each person — 0.85–1.0 s a board at a month-end of
    100,000 people (issue 48), against about 0.1 s. Each line's status is worked out by the
    database (``status_expression``): four short columns a line, no decimals."""
    rows = list(
        visible_lines(user, today)
        .filter(AnyId("civil_servant_id", people), period__in=open_period_ids())
        .order_by()
        .annotate(line_status=status_expression())
        .values_list("deadline", "pk", "civil_servant_id", "line_status")
    )
    state_of = LineStates([row[0] for row in rows], today).of
    last = datetime.date.max
    tallies = []
    for deadline, pk, person, status in rows:
        state, order = state_of(deadline, status)
        tallies.append((order, deadline or last, pk, person, status, state))
    tallies.sort()
    return tallies


def board(
    user, unit, today: datetime.date, people_page=1, lines_page=1, awaiting_review=False
) -> dict:
    """The unit's people (the viewer excepted) with their open lines counted, those with the
    most overdue first, and the unaccepted lines, overdue first — each a page of
    ``BOARD_PAGE_SIZE``. Counting reads only the columns it needs; the people and lines of the
    shown pages are then read whole."""
    posted = _posted_in(unit, today)
    members = _members(user, unit, today, posted)
    tallies = _tallies(user, today, list(members))
    people = {pk: PersonRow(person=None) for pk in members}
    overdue, due_soon = cal.OVERDUE, cal.DUE_SOON
    for _order, _due, _pk, person, status, state in tallies:
        entry = people[person]
        entry.counts[status] += 1
        if state == overdue:
            entry.overdue += 1
        elif state == due_soon:
            entry.due_soon += 1
    order = sorted(people, key=lambda pk: (-people[pk].overdue, -people[pk].due_soon, members[pk]))
    people_page = Paginator(order, BOARD_PAGE_SIZE).get_page(people_page)
    found = CivilServant.objects.in_bulk(list(people_page))
    people_page.object_list = [
        _with_person(people[pk], found[pk]) for pk in people_page.object_list
    ]

    if awaiting_review:  # the home panel's "n sản phẩm chờ nghiệm thu" (review C6)
        unaccepted = [t for t in tallies if t[_STATUS] == WorkStatus.SUBMITTED]
    else:
        unaccepted = [t for t in tallies if t[_STATUS] != WorkStatus.ACCEPTED]
    lines_page = Paginator(unaccepted, BOARD_PAGE_SIZE).get_page(lines_page)
    page = [_Tally._make(t) for t in lines_page.object_list]
    shown = open_period_lines(AssignmentLine.objects.filter(pk__in=[t.pk for t in page]))
    shown = shown.in_bulk()
    lines_page.object_list = [Row(shown[t.pk], t.status, t.state) for t in page if t.pk in shown]
    return {
        "people": people_page.object_list,
        "people_page": people_page,
        "rows": lines_page.object_list,
        "lines_page": lines_page,
        "statuses": [WorkStatus(s).label for s in STATUS_ORDER],
    }


def _with_person(entry: PersonRow, person) -> PersonRow:
    entry.person = person
    return entry
