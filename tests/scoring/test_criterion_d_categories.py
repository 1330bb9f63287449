"""Criterion d and a leader's pooled a, b, c count the công chức in the charge — not a contract
worker, not a viên chức (legal review 2026-11-23 D1; Decree 335 Art. 15 cl. 3 d [confirmed]:
"toàn bộ công chức thuộc phạm vi quản lý"). The rule is per category, in ``org.categories``."""

from decimal import Decimal

import pytest

from org.models import Agency, LeadershipRole, PersonCategory
from scoring.models import PeriodScore
from scoring.services import score_period
from tests.factories import CivilServantFactory, post
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


def stored(world, person) -> PeriodScore:
    return PeriodScore.objects.get(civil_servant=person, period=world.period)


@pytest.fixture
def unit():
    """N20: a unit head (general 30, đ = e = 100, own line 2/2), a civil servant completing
    4/4, and a contract worker failing (4 assigned, 1 done) in the same unit."""
    world = build_world()
    Agency.objects.filter(pk=world.department.pk).update(applies_to_contract_workers=True)
    head = world.person("Trưởng phòng", role=LeadershipRole.HEAD)
    world.marks(head, 30)
    world.leader_marks(head, 100, 100)
    world.line(head, "X", 2, 2)
    staff = world.person("Chuyên viên")
    world.line(staff, "X", 4, 4)
    world.marks(staff, 27)
    worker = post(
        world.unit,
        person=CivilServantFactory(full_name="Người hợp đồng", official_id="HD-0001"),
        category=PersonCategory.CONTRACT_WORKER,
    )
    world.line(worker, "X", 4, 1)
    world.marks(worker, 10)
    world.people.update(head=head, staff=staff, worker=worker)
    return world


def test_a_failing_contract_worker_neither_lowers_d_nor_joins_the_heads_lines(unit):
    score_period(unit.period)
    worker = stored(unit, unit.people["worker"])
    assert worker.scored and worker.rating == "not_completed"
    head = stored(unit, unit.people["head"])
    assert head.unit_results == Decimal("100.00")
    assert {entry[0] for entry in head.explanation["unit_lines"]} == {unit.people["staff"].pk}
    # a = b = c = (2 + 4) / (2 + 4) = 100 %; d = đ = e = 100 → 70 task points + 30 general.
    assert head.quantity == Decimal("100.00")
    assert head.total == Decimal("100.00")


def test_a_viên_chức_under_a_viên_chức_head_counts(unit):
    """The same rule for the public employees' own leader (a public-service unit's head)."""
    world = build_world()
    head = world.person("Giám đốc trung tâm", role=LeadershipRole.HEAD)
    head.postings.update(category=PersonCategory.PUBLIC_EMPLOYEE)
    world.marks(head, 30)
    world.leader_marks(head, 100, 100)
    employee = world.person("Viên chức")
    employee.postings.update(category=PersonCategory.PUBLIC_EMPLOYEE)
    world.line(employee, "X", 4, 1)
    world.marks(employee, 10)
    score_period(world.period)
    assert stored(world, head).unit_results == Decimal("50.00")


@pytest.mark.parametrize("read_by", ["ids", "tree"])
def test_a_large_charge_read_by_its_tree_leaves_the_contract_worker_out_too(
    unit, monkeypatch, read_by
):
    """Issue 48: from ``CHARGE_BY_TREE_FROM`` people in the charge, one person's scoring
    (``score_person``, the explanation page, the worklog's preview) reads the charge's inputs
    by the tree the leader heads — the contract worker's lines and rating are read then, and
    must still count for nothing. The same figures and inputs hash as the batch's."""
    from scoring.services import person as person_service
    from scoring.services.person import prepare_person, score_person

    if read_by == "tree":
        monkeypatch.setattr(person_service, "CHARGE_BY_TREE_FROM", 1)
    score_period(unit.period)
    head = unit.people["head"]
    batch = stored(unit, head)
    _data, prepared = prepare_person(head, unit.period)
    assert prepared.inputs_hash == batch.inputs_hash
    assert set(prepared.subordinates) == {unit.people["staff"].pk}
    PeriodScore.objects.filter(civil_servant=head).delete()
    again = score_person(head, unit.period)
    assert (again.unit_results, again.quantity, again.total) == (
        Decimal("100.00"),
        Decimal("100.00"),
        Decimal("100.00"),
    )
    assert {entry[0] for entry in again.explanation["unit_lines"]} == {unit.people["staff"].pk}
