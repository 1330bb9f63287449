"""The tracking record of a line: created on demand, locked for every change.

Lines entered elsewhere (scoring admin, imports) get their ``WorkItem`` the first time the
worklog touches them; until then their status is derived from the line (``status_of``).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Coalesce

from scoring.models import AssignmentLine
from scoring.models.guards import ensure_period_open
from scoring.services.input_locks import lock_inputs
from worklog.models import WorkItem, WorkStatus


def derived_status(line: AssignmentLine) -> str:
    return status_from(None, line.completed_on, line.completed_quantity, line.assigned_quantity)


def status_from(work_status, completed_on, completed_quantity, assigned_quantity) -> str:
    """A line's status from its columns: its ``WorkItem``'s when it has one, else derived."""
    if work_status is not None:
        return work_status
    if completed_on and completed_quantity >= assigned_quantity:
        return WorkStatus.ACCEPTED
    return WorkStatus.ASSIGNED


def status_expression():
    """:func:`status_from` as an expression on lines, worked out by the database: a list that
    counts tens of thousands of lines reads one short text a line instead of a status, a date
    and two decimals (issue 48). The same rule; ``tests/worklog/test_line_status.py`` checks
    both give the same status for every case."""
    derived = Case(
        When(
            Q(completed_on__isnull=False, completed_quantity__gte=F("assigned_quantity")),
            then=Value(WorkStatus.ACCEPTED.value),
        ),
        default=Value(WorkStatus.ASSIGNED.value),
        output_field=CharField(),
    )
    return Coalesce(F("work__status"), derived, output_field=CharField())


def work_of(line: AssignmentLine) -> WorkItem | None:
    try:
        return line.work
    except ObjectDoesNotExist:
        return None


def status_of(line: AssignmentLine) -> str:
    work = work_of(line)
    return work.status if work is not None else derived_status(line)


def _owners(line: AssignmentLine) -> list[int]:
    if not line.unit_id:
        return []
    agency = line.unit.owning_agency or line.unit
    return [agency.pk]


def locked_work(line: AssignmentLine) -> WorkItem:
    """The line's ``WorkItem``, locked (inside the caller's transaction); the period must be
    open."""
    assert transaction.get_connection().in_atomic_block, "call inside transaction.atomic"
    # The period first, before any other row of the line (scoring.services.input_locks): an
    # import or API write of the same month, which holds it until COMMIT, is waited for
    # instead of deadlocking on the line (ci-production's review drill).
    # The owning agency, then the period: the one lock order of every input door
    # (``scoring.services.lines.lock``), which the acceptance takes again.
    lock_inputs(_owners(line), [line.period_id])
    fresh = AssignmentLine.objects.select_related("period", "unit").get(pk=line.pk)
    ensure_period_open(fresh.period, fresh.unit)
    WorkItem.objects.get_or_create(line=fresh, defaults={"status": derived_status(fresh)})
    return WorkItem.objects.select_for_update().select_related("line__period").get(line=fresh)
