"""Art. 20 cl. 5(b): an agency recognised for outstanding achievements in a year (and its units)
may rate up to 25 % of the people finally "good" as "excellent" instead of 20 %."""

import datetime

import pytest

from scoring.models import AnnualScore, OutstandingRecognition, recognised_outstanding
from scoring.services import score_period, score_year
from tests.factories import UnitFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


def recognise(agency, year=2026):
    return OutstandingRecognition.objects.create(
        agency=agency, year=year, decision_ref="88/QĐ-UBND", decided_on=datetime.date(2027, 1, 20)
    )


def ten_people_three_excellent(world):
    for i, total in enumerate([29, 28, 27, 10, 10, 10, 10, 10, 10, 10]):
        person = world.person(f"Người {i}")
        world.line(person, "X", 1, 1)
        world.marks(person, total)
    score_period(world.period)


def test_recognition_covers_the_agency_and_its_units_for_that_year_only():
    world = build_world()
    sibling = UnitFactory(parent=world.department)
    recognise(world.unit)
    assert recognised_outstanding(world.unit.path, 2026)
    assert not recognised_outstanding(world.department.path, 2026)
    assert not recognised_outstanding(sibling.path, 2026)
    assert not recognised_outstanding(world.unit.path, 2025)
    recognise(world.department)
    assert recognised_outstanding(sibling.path, 2026)


def test_a_recognised_unit_keeps_two_excellent_instead_of_one():
    world = build_world()
    ten_people_three_excellent(world)
    score_year(2026)
    ratings = list(AnnualScore.objects.order_by("-score").values_list("rating", flat=True))
    assert ratings[:3] == ["excellent", "good", "good"]  # floor(0.20 × 10 / 1.20) = 1

    recognise(world.department)  # the department: covers the unit below it
    report = score_year(2026)
    assert report.written > 0  # the final ratings changed, so the stored rows were rewritten
    rows = AnnualScore.objects.order_by("-score")
    assert [r.rating for r in rows[:3]] == ["excellent", "excellent", "good"]  # floor(2.5/1.25)
    assert rows[2].explanation["quota"]["allowed"] == 2
