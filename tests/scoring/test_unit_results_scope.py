"""Who counts in a leader's criterion d (Decree 335 Art. 15 cl. 3 d: "toàn bộ công chức thuộc
phạm vi quản lý" — every civil servant under the leader's management).

* a head: everyone whose governing posting lies in the subtree of an agency or unit they head
  (the unit staff of a department count for its director, not only the people the director
  evaluates directly);
* a deputy: the charge in force (units with their subtrees, named people); without one, the
  staff evaluated by the head of their own agency or unit (docs/scoring.md §13.4);
* an empty scope gives the highest level (nobody is below "completed"); a subordinate's
  disqualifier (a fact of the year) does not change their period rating, so it does not enter d.
"""

from decimal import Decimal

import pytest

from scoring.models import Disqualification
from scoring.services import score_period, score_person
from scoring.services.org_snapshot import OrgSnapshot
from tests.factories import UnitFactory, post
from tests.scoring.test_batch import stored, world  # noqa: F401  (the batch test's province)

pytestmark = pytest.mark.django_db


def names(world, pks):  # noqa: F811
    return {name for name, person in world.people.items() if person.pk in pks}


def test_a_directors_d_counts_every_civil_servant_of_the_department_subtree(world):  # noqa: F811
    """Art. 15 cl. 3 d: the director answers for the unit staff too (W1: 7 of 21 counted)."""
    snapshot = OrgSnapshot.load(world.period)
    director = world.people["Giám đốc"]
    assert names(world, snapshot.subordinates(director.pk)) == set(world.people) - {"Giám đốc"}
    score_period(world.period)
    # "Chuyên viên yếu" of Phòng Công chức is not completed: the director's d falls to 50 %.
    row = stored(world, "Giám đốc")
    assert row.unit_results == Decimal("50.00")
    assert row.explanation["subordinates"][str(world.people["Chuyên viên yếu"].pk)] == (
        "not_completed"
    )


def test_a_unit_heads_d_covers_nested_units(world):  # noqa: F811
    """Art. 15 cl. 3 d: a unit head manages the sub-units nested under the unit."""
    nested = UnitFactory(parent=world.unit, code="SNV-P1-T1", name="Tổ một cửa")
    person = post(nested, full_name="Chuyên viên tổ")
    snapshot = OrgSnapshot.load(world.period)
    assert person.pk in snapshot.subordinates(world.people["Trưởng phòng"].pk)
    assert person.pk not in snapshot.subordinates(world.people["Trưởng phòng 2"].pk)


def test_a_single_person_rescore_reaches_every_leader_counting_them(world):  # noqa: F811
    """The cascade of score_person follows the same scope: the unit head, the unit deputy and
    the director all count a unit's staff member."""
    from scoring.services.org_snapshot import leaders_counting

    weak = world.people["Chuyên viên yếu"]
    snapshot_leaders = names(world, leaders_counting(world.period, weak.pk))
    assert snapshot_leaders == {"Trưởng phòng", "Phó phòng", "Giám đốc"}
    score_period(world.period)
    assert stored(world, "Giám đốc").unit_results == Decimal("50.00")
    line = weak.assignment_lines.get()
    line.completed_quantity = Decimal(4)
    line.save()
    world.marks(weak, 27)
    score_person(weak, world.period)
    assert stored(world, "Giám đốc").unit_results == Decimal("100.00")


def test_an_empty_scope_gives_the_highest_level(world):  # noqa: F811
    """Nobody under management is below "completed" (vacuously true) → d = 100 %."""
    lonely = UnitFactory(parent=world.department, code="SNV-P3", name="Phòng mới")
    head = post(lonely, role="head", full_name="Trưởng phòng mới")
    world.people["Trưởng phòng mới"] = head
    world.line(head, "X", 2, 2, unit=lonely)
    world.marks(head, 27)
    world.leader_marks(head)
    score_period(world.period)
    row = stored(world, "Trưởng phòng mới")
    assert row.explanation["subordinates"] == {}
    assert row.unit_results == Decimal("100.00")


def test_a_subordinates_disqualifier_does_not_enter_the_period_d(world):  # noqa: F811
    """Disqualifiers are facts of the year (Art. 20 cl. 4) applied to the annual rating; the
    period rating a leader's d reads is the band of the period total."""
    good = world.people["Chuyên viên phòng 2"]
    Disqualification.objects.create(
        civil_servant=good,
        year=2026,
        kind="discipline_reprimand_or_heavier",
        reference="1/QĐ-KL",
        decided_on=world.period.start_date,
    )
    score_period(world.period)
    assert stored(world, "Trưởng phòng 2").unit_results == Decimal("100.00")
