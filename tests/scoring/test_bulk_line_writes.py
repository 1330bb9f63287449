"""The lines' bulk entry point (issue 27: ONE place deciding line writes), called as the Excel
results import, the write API and the connectors call it (``scoring.services.lines.write_many``):
who may for every line written and every stored line changed — after a transfer on 01/04 the
former agency writes nothing of April and still corrects March; nobody writes their own lines —
closed periods, and the checks' cost not growing with the number of lines."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org.models import Posting
from org.roles import ensure_roles
from scoring.models import AssignmentLine, Period, PeriodStatus
from scoring.services import lines
from tests.factories import AgencyAccessFactory, AgencyFactory, PostingFactory, UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

D = datetime.date(2026, 4, 1)
OUT_OF_REACH = "Bạn không có quyền ghi dữ liệu này cho công chức, cơ quan đã chọn."


@pytest.fixture
def world():
    ensure_roles()
    world = build_world()
    world.moved = world.person("Trần Thị Chuyển")
    world.stays = world.person("Lê Văn Ở")
    other = AgencyFactory(parent=world.province, code="STC", name="Sở Tài chính thử nghiệm")
    Posting.objects.filter(civil_servant=world.moved).update(
        end_date=D - datetime.timedelta(days=1)
    )
    PostingFactory(civil_servant=world.moved, agency=other, start_date=D)
    world.other = other
    world.april = Period.for_date(D, create=True)
    world.admin = UserFactory(username="quantri.snv", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=world.admin, agency=world.department)
    return world


def target(key, person, period, unit):
    return lines.Target(key, person.pk, period.pk, unit.pk)


class Writes:
    """A door's bulk statement that records whether it ran."""

    def __init__(self):
        self.calls = 0

    def __call__(self, _stored):
        self.calls += 1
        return "written"


def test_the_former_agency_writes_no_line_of_the_transfer_month_and_still_corrects_march(world):
    write = Writes()
    with pytest.raises(lines.BulkRefused) as refused:
        lines.write_many(
            world.admin,
            targets=[
                target(1, world.stays, world.april, world.unit),
                target(2, world.moved, world.april, world.unit),
                target(3, world.moved, world.period, world.unit),
            ],
            write=write,
        )
    assert refused.value.problems == [(2, OUT_OF_REACH)]
    assert refused.value.message == OUT_OF_REACH
    assert write.calls == 0  # nothing written

    assert (
        lines.write_many(
            world.admin,
            targets=[
                target(1, world.stays, world.april, world.unit),
                target(3, world.moved, world.period, world.unit),
            ],
            write=write,
        )
        == "written"
    )


def test_a_stored_line_of_someone_out_of_reach_is_not_changed_nor_removed(world):
    """The stored line a write changes or removes is asked too: a line of April of the person
    who moved stays the new agency's, whatever the bulk writer was given."""
    line = world.line(world.moved, period=world.april, unit=world.other)
    with pytest.raises(lines.BulkRefused) as refused:
        lines.write_many(
            world.admin,
            targets=[],
            stored=lambda: {
                line.pk: {
                    "civil_servant_id": world.moved.pk,
                    "period_id": world.april.pk,
                    "unit_id": world.other.pk,
                }
            },
            write=Writes(),
        )
    assert refused.value.problems == [(("stored", line.pk), OUT_OF_REACH)]
    assert AssignmentLine.objects.filter(pk=line.pk).exists()


def test_nobody_writes_their_own_lines_in_bulk(world):
    world.stays.user = world.admin
    world.stays.save()
    with pytest.raises(lines.BulkRefused) as refused:
        lines.write_many(
            world.admin, targets=[target(7, world.stays, world.period, world.unit)], write=Writes()
        )
    assert refused.value.problems == [(7, lines.own_line_message())]
    assert "của chính mình" in refused.value.message


def test_home_affairs_and_the_command_line_write_every_line(world):
    home_affairs = UserFactory(username="sonoivu.bulk", groups=[HOME_AFFAIRS_GROUP])
    for user in (home_affairs, None):
        assert (
            lines.write_many(
                user, targets=[target(1, world.moved, world.april, world.unit)], write=Writes()
            )
            == "written"
        )


def test_a_closed_period_refuses_the_whole_write(world):
    Period.objects.filter(pk=world.period.pk).update(status=PeriodStatus.LOCKED)
    write = Writes()
    with pytest.raises(lines.PeriodsClosed) as closed:
        lines.write_many(
            world.admin, targets=[target(1, world.stays, world.period, world.unit)], write=write
        )
    assert closed.value.problems[0][:2] == (1, "period")
    assert write.calls == 0


def test_the_checks_cost_the_same_for_two_lines_and_two_hundred(world):
    """Set-based: the lock, the periods and who may are a fixed number of queries (issue 34
    measures this path)."""
    people = [world.person(f"Người {n}") for n in range(20)]

    def count(n):
        targets = [target(i, people[i % len(people)], world.period, world.unit) for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            lines.write_many(world.admin, targets=targets, write=Writes())
        return len(queries)

    count(2)  # warm the user's cached reach
    assert count(200) == count(2)


def test_a_bulk_write_outside_a_named_writer_is_a_programming_error(world):
    """Every door names who writes: the shared Excel writer refuses to run without one."""
    import pandas as pd

    from importers.lines import store

    with pytest.raises(RuntimeError, match="writing_as"):
        store.insert_lines(
            pd.DataFrame({"person_id": [world.stays.pk], "unit_id": [world.unit.pk]}),
            source="excel",
            created_by_id=None,
            now=None,
            period_id=world.period.pk,
        )
