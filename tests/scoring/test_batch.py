"""Batch scoring: order (a leader's d sees fresh staff results), scope, and equivalence with
the single-person path and with ``org.authority``."""

from decimal import Decimal

import pytest

from org.authority import people_evaluated_by
from org.models import LeadershipRole
from scoring.models import PeriodScore
from scoring.services import score_period, score_person
from scoring.services.org_snapshot import OrgSnapshot
from tests.factories import UnitFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    r = LeadershipRole
    world.person("Giám đốc", agency=world.department, role=r.HEAD)
    world.person("Phó Giám đốc", agency=world.department, role=r.DEPUTY)
    world.person("Chuyên viên sở", agency=world.department)
    world.person("Trưởng phòng", role=r.HEAD)
    world.person("Phó phòng", role=r.DEPUTY)
    world.person("Chuyên viên giỏi")
    world.person("Chuyên viên yếu")
    other = UnitFactory(parent=world.department, code="SNV-P2", name="Phòng Tổ chức")
    world.unit2 = other
    world.person("Trưởng phòng 2", agency=other, role=r.HEAD)
    world.person("Chuyên viên phòng 2", agency=other)
    for name, person in world.people.items():
        if name == "Chuyên viên yếu":
            world.line(person, "X", 4, 0, unit=world.unit)
            world.marks(person, 10)
        else:
            world.line(person, "X", 2, 2, unit=person.postings.get().agency)
            world.marks(person, 27)
        if person.postings.get().role != r.STAFF:
            world.leader_marks(person, 100, 100)
    return world


def stored(world, name):
    return PeriodScore.objects.get(civil_servant=world.people[name], period=world.period)


def test_leaders_d_uses_the_staff_results_of_the_same_batch(world):
    assert not PeriodScore.objects.exists()
    report = score_period(world.period)
    assert report.written == len(world.people) and report.with_errors == 0
    assert stored(world, "Chuyên viên yếu").rating == "not_completed"
    head = stored(world, "Trưởng phòng")
    assert head.unit_results == Decimal("50.00")
    assert head.explanation["subordinates"][str(world.people["Chuyên viên yếu"].pk)] == (
        "not_completed"
    )
    assert stored(world, "Phó phòng").unit_results == Decimal("50.00")  # the unit's staff
    assert stored(world, "Trưởng phòng 2").unit_results == Decimal("100.00")
    director = stored(world, "Giám đốc")
    subordinates = {int(pk) for pk in director.explanation["subordinates"]}
    # Art. 15 cl. 3 d: every civil servant of the department's subtree, unit staff included.
    assert subordinates == {p.pk for n, p in world.people.items() if n != "Giám đốc"}
    assert director.unit_results == Decimal("50.00")


def test_a_corrected_staff_result_flows_up_on_the_next_batch(world):
    score_period(world.period)
    weak = world.people["Chuyên viên yếu"]
    line = weak.assignment_lines.get()
    line.completed_quantity = Decimal(4)
    line.save()
    world.marks(weak, 27)
    report = score_period(world.period)
    # The staff member, the unit head, the unit deputy and the director (all count them in d).
    assert report.written == 4
    assert stored(world, "Trưởng phòng").unit_results == Decimal("100.00")


def test_single_person_path_matches_the_batch(world):
    score_period(world.period)
    for person in world.people.values():
        before = PeriodScore.objects.get(civil_servant=person)
        after = score_person(person, world.period)
        assert after.computed_at == before.computed_at  # same inputs hash: nothing rewritten


@pytest.mark.parametrize("tree", ["small", "large"])
def test_score_person_cascades_to_the_leaders_when_a_rating_changes(world, monkeypatch, tree):
    """One by one in a small tree; in a large one (issue 48: about 20 s for one Form 01 saved
    at 100,000 people, the chairman reading the province again for each leader) every leader
    above from one reading of the province. The same figures: a from-scratch computation
    afterwards changes nothing."""
    from scoring.services import person as person_service

    score_period(world.period)
    before = {name: stored(world, name) for name in ("Trưởng phòng", "Phó phòng", "Giám đốc")}
    if tree == "large":
        monkeypatch.setattr(person_service, "CASCADE_BATCH_FROM", 1)
    one_by_one = []
    original = person_service.score_person

    def recording(person, period, **kwargs):
        one_by_one.append(person.full_name)
        return original(person, period, **kwargs)

    monkeypatch.setattr(person_service, "score_person", recording)
    weak = world.people["Chuyên viên yếu"]
    line = weak.assignment_lines.get()
    line.completed_quantity = Decimal(4)
    line.save()
    world.marks(weak, 27)
    score_person(weak, world.period)
    assert stored(world, "Trưởng phòng").unit_results == Decimal("100.00")
    assert stored(world, "Phó phòng").unit_results == Decimal("100.00")
    for name, score in before.items():
        assert stored(world, name).total > score.total, name
    assert ("Giám đốc" in one_by_one) is (tree == "small")
    assert score_period(world.period).written == 0


def test_scope_is_one_agency_subtree(world):
    report = score_period(world.period, agency=world.unit2)
    assert report.written == 2
    assert set(PeriodScore.objects.values_list("civil_servant__full_name", flat=True)) == {
        "Trưởng phòng 2",
        "Chuyên viên phòng 2",
    }


def test_snapshot_evaluators_agree_with_org_authority(world):
    """The snapshot's evaluator of each person is org.authority's (a head's d covers their
    whole subtree, a wider set: tests/scoring/test_unit_results_scope.py)."""
    snapshot = OrgSnapshot.load(world.period)
    day = world.period.end_date
    for name in ("Giám đốc", "Trưởng phòng", "Trưởng phòng 2"):
        leader = world.people[name]
        expected = {p.pk for p in people_evaluated_by(leader, day)}
        found = {p for p in snapshot.governing if snapshot.evaluator(p)[1] == leader.pk}
        assert found == expected, name
        assert expected <= set(snapshot.subordinates(leader.pk)), name


def test_leader_without_leader_marks_is_reported(world):
    from scoring.models import LeaderMark

    LeaderMark.objects.filter(civil_servant=world.people["Trưởng phòng 2"]).delete()
    score_period(world.period)
    head = stored(world, "Trưởng phòng 2")
    assert not head.scored and "leader" in head.input_errors
