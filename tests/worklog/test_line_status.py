"""The board and the dashboard read a line's status worked out by the database
(``status_expression``); the pages showing one line work it out in Python (``status_from``).
Both must give the same status for every case: a tracked line keeps its work item's status; an
untracked one is accepted once completed on a date with its whole quantity, else assigned."""

import datetime
import itertools
from decimal import Decimal

from scoring.models import AssignmentLine
from worklog.models import WorkItem, WorkStatus
from worklog.services.work import status_expression, status_from, status_of

WORK_STATUSES = [None, *WorkStatus.values]
COMPLETED_ON = [None, datetime.date(2026, 3, 18)]
COMPLETED = [Decimal("0"), Decimal("2.99"), Decimal("3"), Decimal("3.01")]


def test_the_database_and_python_give_every_line_the_same_status(world):
    cases = list(itertools.product(WORK_STATUSES, COMPLETED_ON, COMPLETED))
    lines = [world.line(quantity=3) for _case in cases]
    expected = {}
    for line, (work_status, completed_on, completed) in zip(lines, cases, strict=True):
        AssignmentLine.objects.filter(pk=line.pk).update(
            completed_on=completed_on, completed_quantity=completed
        )
        WorkItem.objects.filter(line=line).delete()
        if work_status is not None:
            WorkItem.objects.create(line=line, status=work_status)
        expected[line.pk] = status_from(work_status, completed_on, completed, Decimal("3"))
    read = dict(
        AssignmentLine.objects.filter(pk__in=expected)
        .annotate(line_status=status_expression())
        .values_list("pk", "line_status")
    )
    assert read == expected
    # The one line's own status (its page, the review) agrees as well.
    whole = AssignmentLine.objects.filter(pk__in=expected).select_related("work")
    assert {line.pk: status_of(line) for line in whole} == expected
    # Every status appears, and an untracked line is accepted only when complete on a date.
    assert set(expected.values()) == set(WorkStatus.values)
    untracked = {
        case[1:]: expected[line.pk]
        for line, case in zip(lines, cases, strict=True)
        if case[0] is None
    }
    assert untracked[(COMPLETED_ON[1], Decimal("3"))] == WorkStatus.ACCEPTED
    assert untracked[(COMPLETED_ON[1], Decimal("2.99"))] == WorkStatus.ASSIGNED
    assert untracked[(None, Decimal("3.01"))] == WorkStatus.ASSIGNED
