"""Assigning: only the person's evaluator may assign; units expand to members; recurring work
repeats monthly; a repeated form token creates nothing twice."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import PermissionDenied, ValidationError

from scoring.models import AssignmentLine, LineSource, Period, PeriodStatus
from tests.factories import catalog_version
from tests.worklog.helpers import TODAY
from worklog.models import WorkItem, WorkStatus
from worklog.services.assign import Assignment, assign, monthly_deadlines, unit_members

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_evaluator_assigns_a_manual_line(world):
    line = world.line(note="Báo cáo tháng 3")
    assert line.source == LineSource.MANUAL
    assert line.civil_servant == world.people["nhan"]
    assert line.unit == world.unit
    assert line.period == Period.for_date(D(2026, 3, 20))
    assert (line.assigned_quantity, line.deadline, line.note) == (
        Decimal(1),
        D(2026, 3, 20),
        "Báo cáo tháng 3",
    )
    assert line.created_by == world.users["truong"]
    assert line.work.status == WorkStatus.ASSIGNED


@pytest.mark.parametrize("leader", ["truong2", "nhan", "giamdoc"])
def test_only_the_evaluator_may_assign(world, leader):
    # Another unit's head, a colleague, the director (evaluates unit heads, not their staff).
    with pytest.raises(PermissionDenied):
        world.assign(leader=leader, people=("nhan",))
    assert not AssignmentLine.objects.exists()


def test_director_assigns_to_unit_heads(world):
    line = world.line(leader="giamdoc", people=("truong",))
    assert line.civil_servant == world.people["truong"]


def test_one_forbidden_person_refuses_the_whole_request(world):
    with pytest.raises(PermissionDenied, match="Hoàng Thị Khác"):
        world.assign(people=("nhan", "khac"))
    assert not AssignmentLine.objects.exists()


def test_unit_assignment_is_one_line_per_member(world):
    members = unit_members(world.users["truong"], world.unit, TODAY)
    assert {p.pk for p in members} == {world.people["nhan"].pk, world.people["binh"].pk}
    result = assign(
        world.users["truong"],
        Assignment(
            people=members,
            item=world.items["Y"],
            quantity=Decimal(2),
            deadline=D(2026, 3, 31),
        ),
        TODAY,
    )
    assert len(result.created) == 2


def test_recurring_assignment_across_months(world):
    result = world.assign(people=("nhan", "binh"), quantity=5, deadline=D(2026, 3, 31), months=3)
    assert len(result.created) == 6
    deadlines = sorted({line.deadline for line in result.created})
    assert deadlines == [D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31)]
    assert {line.period.code for line in result.created} == {"2026-03", "2026-04", "2026-05"}
    assert len({w.batch for w in WorkItem.objects.all()}) == 1


def test_monthly_deadlines_clamp_to_month_end():
    assert monthly_deadlines(D(2026, 1, 31), 3) == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)]
    assert monthly_deadlines(D(2026, 1, 30), 2) == [D(2026, 1, 30), D(2026, 2, 28)]
    assert monthly_deadlines(D(2026, 11, 15), 3) == [
        D(2026, 11, 15),
        D(2026, 12, 15),
        D(2027, 1, 15),
    ]


def test_a_repeated_token_creates_nothing_twice(world):
    first = world.assign(token="6f1c7a52-3b8e-4d1e-9a57-2c1f0b9d4e11", months=2)
    again = world.assign(token="6f1c7a52-3b8e-4d1e-9a57-2c1f0b9d4e11", months=2)
    assert len(first.created) == 2 and not again.created
    assert {line.pk for line in again.existing} == {line.pk for line in first.created}
    assert AssignmentLine.objects.count() == 2


def test_newer_catalog_version_is_used_in_later_periods(world):
    version2, items2 = catalog_version(world.department, effective_from=D(2026, 4, 1))
    # Same product (uid) carried into version 2.
    from catalog_pages.models import CatalogVersionItem

    CatalogVersionItem.objects.filter(pk=items2["X"].pk).update(uid=world.items["X"].uid)
    result = world.assign(months=2, deadline=D(2026, 3, 25))
    versions = {line.period.code: line.item.version_id for line in result.created}
    assert versions == {"2026-03": world.items["X"].version_id, "2026-04": version2.pk}


def test_closed_period_refuses_assignment(world):
    period = Period.for_date(D(2026, 3, 1), create=True)
    period.status = PeriodStatus.CLOSED
    period.save()
    with pytest.raises(ValidationError):
        world.assign()
    assert not AssignmentLine.objects.exists()


def test_quantity_and_months_are_checked(world):
    with pytest.raises(ValidationError):
        world.assign(quantity=0)
    with pytest.raises(ValidationError):
        world.assign(months=13)
