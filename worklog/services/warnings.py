"""Deadline warnings: which lines to warn about today, who hears about it, and the e-mails.

A line is warned about when its work is still open (assigned, in progress, returned) in an open
period and it is ``due_soon`` or ``overdue`` on the working-day calendar. The assignee and
their evaluator (the leader who reviews it) are told — on their admin dashboard always, and by
e-mail once per line and day (``DeadlineWarning`` rows), grouped into one message per person.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext

from cms import mail
from cms.ids import AnyId
from org.authority import AuthorityError, resolve_authority
from scoring.models import AssignmentLine
from worklog import calendar as cal
from worklog.access import evaluated_person_ids
from worklog.models import OPEN_STATUSES, DeadlineWarning
from worklog.services.tracking import LineStates, Row, build_rows, open_period_ids
from worklog.services.work import status_expression

WARN_STATES = (cal.OVERDUE, cal.DUE_SOON)


def open_lines(periods: list[int] | None = None):
    """Lines still to be done: tracked and open, or untracked and not completed; ``periods``:
    the open periods' ids when the caller has read them (:func:`open_period_ids`)."""
    tracked_open = AssignmentLine.objects.filter(work__status__in=OPEN_STATUSES)
    untracked = AssignmentLine.objects.filter(work__isnull=True, completed_on__isnull=True)
    if periods is None:
        periods = open_period_ids()
    return (tracked_open | untracked).filter(period__in=periods, deadline__isnull=False)


def warned_rows(lines, today: datetime.date) -> list[Row]:
    lines = lines.select_related("work", "item", "period", "civil_servant__user", "unit")
    return [row for row in build_rows(lines, today) if row.state in WARN_STATES]


@dataclass
class Warned:
    """The most urgent warned lines (``rows``, whole) and how many are warned in all."""

    rows: list[Row]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def first_warned(lines, today: datetime.date, limit: int) -> Warned:
    """The ``limit`` most urgent lines of :func:`warned_rows` and the number of them all: the
    states are worked out from three columns a line (the status by the database), and only
    the lines shown are read whole. A unit head's team at a month-end has thousands of open
    lines (20,000 at a unit of 1,300 people): the dashboard read and listed them all, 0.8 s of
    the page at 100,000 people (issue 48); it now shows the first ones and links to the board
    for the rest."""
    rows = list(
        lines.order_by()
        .annotate(line_status=status_expression())
        .values_list("pk", "deadline", "line_status")
    )
    if not rows:
        return Warned([], 0)
    state_of = LineStates([row[1] for row in rows], today).of
    keyed = []
    for pk, deadline, status in rows:
        state, order = state_of(deadline, status)
        if state in WARN_STATES:
            keyed.append((order, deadline, pk))
    keyed.sort()
    shown = [pk for _state, _deadline, pk in keyed[:limit]]
    # Read by their ids alone: they were just read through ``lines`` (whose conditions, tested
    # again with the ids, made PostgreSQL walk the team's lines a second time).
    whole = warned_rows(AssignmentLine.objects.filter(pk__in=shown), today) if shown else []
    return Warned(whole, len(keyed))


def my_warnings(person, today: datetime.date, periods: list[int] | None = None) -> list[Row]:
    return warned_rows(open_lines(periods).filter(civil_servant=person), today)


def team_warnings(user, today: datetime.date) -> list[Row]:
    people = evaluated_person_ids(user, today)
    if not people:
        return []
    return warned_rows(open_lines().filter(AnyId("civil_servant_id", people)), today)


def first_team_warnings(
    user, today: datetime.date, limit: int, periods: list[int] | None = None
) -> Warned:
    """:func:`team_warnings`, the first ``limit`` of them with the number of all."""
    people = evaluated_person_ids(user, today)
    if not people:
        return Warned([], 0)
    lines = open_lines(periods).filter(AnyId("civil_servant_id", people))
    return first_warned(lines, today, limit)


def _address(person) -> str:
    if person is None:
        return ""
    if person.user_id and person.user.email:
        return person.user.email
    return person.email


def _evaluator(person, today):
    try:
        return resolve_authority(person, today).evaluator.person
    except AuthorityError:
        return None


@dataclass
class WarningReport:
    lines: int = 0
    messages: int = 0
    without_address: list[str] = field(default_factory=list)


def _collect(rows, today):
    """(assignee address → rows, leader address → rows, line id → addresses, no address)."""
    mine, team, recipients = defaultdict(list), defaultdict(list), defaultdict(set)
    leaders, missing = {}, set()
    for row in rows:
        person = row.line.civil_servant
        address = _address(person)
        if address:
            mine[address].append(row)
            recipients[row.line.pk].add(address)
        else:
            missing.add(person.full_name)
        if person.pk not in leaders:
            leaders[person.pk] = _evaluator(person, today)
        leader_address = _address(leaders[person.pk])
        if leader_address:
            team[leader_address].append(row)
            recipients[row.line.pk].add(leader_address)
    return mine, team, recipients, sorted(missing)


def _send(address, mine, team, today) -> None:
    context = {"mine": mine, "team": team, "today": today}
    subject = gettext("[KPI Công vụ] Việc sắp đến hạn, quá hạn ngày %(day)s") % {
        "day": today.strftime("%d/%m/%Y")
    }
    body = render_to_string("worklog/emails/deadline_warning.txt", context)
    mail.send(subject, body, [address])  # a relay down: queued for a retry (cms.mail)


def send_deadline_warnings(today: datetime.date, dry_run: bool = False) -> WarningReport:
    """E-mail today's warnings for every line not yet warned about today (idempotent)."""
    already = DeadlineWarning.objects.filter(day=today).values("line_id")
    rows = warned_rows(open_lines().exclude(pk__in=already), today)
    mine, team, recipients, missing = _collect(rows, today)
    report = WarningReport(lines=len(rows), without_address=missing)
    addresses = sorted(set(mine) | set(team))
    report.messages = len(addresses)
    if dry_run or not rows:
        return report
    with transaction.atomic():
        DeadlineWarning.objects.bulk_create(
            [
                DeadlineWarning(
                    line=row.line,
                    day=today,
                    state=row.state,
                    recipients=", ".join(sorted(recipients[row.line.pk])),
                )
                for row in rows
            ],
            ignore_conflicts=True,
        )
        for address in addresses:
            _send(address, mine.get(address, []), team.get(address, []), today)
    return report
