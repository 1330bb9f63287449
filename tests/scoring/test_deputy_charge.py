"""A deputy's criterion d follows their charge (phân công phụ trách) when one is in force on the
period's last day; without one, the staff of their own agency or unit."""

import datetime
from decimal import Decimal

import pytest

from org.charges import charge_problems
from org.models import DeputyCharge
from scoring.services import score_period
from scoring.services.org_snapshot import OrgSnapshot
from tests.scoring.test_batch import stored, world  # noqa: F401  (the batch test's province)

pytestmark = pytest.mark.django_db


def charge(world, units=(), people=(), start=None, end=None):  # noqa: F811
    start = start or world.period.start_date
    item = DeputyCharge.objects.create(
        deputy=world.people["Phó Giám đốc"], start_date=start, end_date=end, decision_ref="12/QĐ"
    )
    item.units.set(units)
    item.people.set(people)
    item.save()  # parental many-to-many relations are written on save
    return item


def subordinates(world, name="Phó Giám đốc"):  # noqa: F811
    return set(OrgSnapshot.load(world.period).subordinates(world.people[name].pk))


def names(world, pks):  # noqa: F811
    return {name for name, person in world.people.items() if person.pk in pks}


def test_without_a_charge_a_deputy_director_answers_for_the_departments_own_staff(world):  # noqa: F811
    assert names(world, subordinates(world)) == {"Chuyên viên sở"}
    score_period(world.period)
    assert stored(world, "Phó Giám đốc").unit_results == Decimal("100.00")


def test_units_in_charge_cover_everyone_posted_there(world):  # noqa: F811
    charge(world, units=[world.unit])
    assert names(world, subordinates(world)) == {
        "Trưởng phòng",
        "Phó phòng",
        "Chuyên viên giỏi",
        "Chuyên viên yếu",
    }
    score_period(world.period)
    deputy = stored(world, "Phó Giám đốc")
    assert deputy.unit_results == Decimal("50.00")  # Chuyên viên yếu is not completed
    assert str(world.people["Chuyên viên yếu"].pk) in deputy.explanation["subordinates"]


def test_a_charge_of_the_other_unit_only(world):  # noqa: F811
    charge(world, units=[world.unit2])
    assert names(world, subordinates(world)) == {"Trưởng phòng 2", "Chuyên viên phòng 2"}
    score_period(world.period)
    assert stored(world, "Phó Giám đốc").unit_results == Decimal("100.00")


def test_people_named_in_the_charge(world):  # noqa: F811
    charge(world, people=[world.people["Chuyên viên yếu"]])
    assert names(world, subordinates(world)) == {"Chuyên viên yếu"}


def test_a_charge_ended_before_the_periods_last_day_does_not_apply(world):  # noqa: F811
    charge(world, units=[world.unit], end=world.period.end_date - datetime.timedelta(days=1))
    assert names(world, subordinates(world)) == {"Chuyên viên sở"}


def test_a_new_charge_changes_the_stored_score(world):  # noqa: F811
    score_period(world.period)
    assert stored(world, "Phó Giám đốc").unit_results == Decimal("100.00")
    charge(world, units=[world.unit])
    score_period(world.period)
    assert stored(world, "Phó Giám đốc").unit_results == Decimal("50.00")


def test_checks_on_a_charge(world):  # noqa: F811
    deputy, start = world.people["Phó Giám đốc"], world.period.start_date
    assert charge_problems(deputy, start, None, [world.unit], []) == {}
    assert "units" in charge_problems(deputy, start, None, [], [])
    staff = world.people["Chuyên viên giỏi"]
    assert "deputy" in charge_problems(staff, start, None, [world.unit], [])
    # A unit deputy cannot be put in charge of the other unit.
    unit_deputy = world.people["Phó phòng"]
    problems = charge_problems(unit_deputy, start, None, [world.unit2], [])
    assert "không thuộc cơ quan, đơn vị" in problems["units"][0]
    assert "people" in charge_problems(deputy, start, None, [], [deputy])


@pytest.mark.parametrize("read_by", ["ids", "tree"])
def test_one_persons_scoring_counts_a_charge_reaching_another_department(
    world,  # noqa: F811
    monkeypatch,
    read_by,
):
    """Review of session 37: a deputy with a concurrent deputy posting in another department,
    in charge of a unit there and of a person named there (``org.charges`` allows both). The
    province's batch counted them; one person's scoring (``score_person``, the explain page, a
    leaders' run scoring a deputy whose charge reaches outside its tree) read the deputy's own
    agency only and left them out — the stored d then changed with the path that last scored
    the deputy. Both readings of the charge now give the batch's figures."""
    from org.models import LeadershipRole
    from scoring.models import PeriodScore
    from scoring.services import person as person_service
    from scoring.services import score_person
    from tests.factories import AgencyFactory, UnitFactory, post

    if read_by == "tree":
        monkeypatch.setattr(person_service, "CHARGE_BY_TREE_FROM", 1)
    deputy = world.people["Phó Giám đốc"]
    health = AgencyFactory(parent=world.province, name="Sở Y tế thử nghiệm")
    post(health, person=deputy, role=LeadershipRole.DEPUTY, is_concurrent=True)
    ward = UnitFactory(parent=health, name="Phòng Nghiệp vụ Y")
    far = post(ward, full_name="Chuyên viên phòng Y")
    named = post(health, full_name="Chuyên viên sở Y")
    world.line(far, "X", 4, 0, unit=ward)  # not completed
    world.marks(far, 10)
    world.line(named, "X", 2, 2, unit=health)
    world.marks(named, 27)
    charge(world, units=[ward], people=[named])
    score_period(world.period)
    batch = stored(world, "Phó Giám đốc")
    assert set(batch.explanation["subordinates"]) == {str(far.pk), str(named.pk)}
    assert batch.unit_results == Decimal("50.00")

    PeriodScore.objects.filter(civil_servant=deputy).delete()
    alone = score_person(deputy, world.period, cascade=False)
    assert alone.explanation["subordinates"] == batch.explanation["subordinates"]
    assert (alone.unit_results, alone.total, alone.inputs_hash) == (
        batch.unit_results,
        batch.total,
        batch.inputs_hash,
    )
