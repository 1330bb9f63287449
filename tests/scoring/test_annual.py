"""Annual scores: the mean of the months worked, across a transfer; disqualifiers; quota."""

import datetime
from decimal import Decimal

import pytest

from scoring.models import AnnualScore, Disqualification, Period, PeriodScore
from scoring.services import score_period, score_year
from tests.catalog_factories import catalog_version
from tests.factories import AgencyFactory, UnitFactory, post
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


def month(number):
    return Period.for_date(datetime.date(2026, number, 1), create=True)


def test_annual_follows_a_transfer():
    world = build_world()
    other = AgencyFactory(parent=world.province, code="STP", name="Sở Tư pháp thử nghiệm")
    other_unit = UnitFactory(parent=other, code="STP-P1")
    _v, other_items = catalog_version(other, items=(("T", "1"),))
    person = post(world.unit, end=datetime.date(2026, 2, 28), full_name="Lưu Văn Chuyển")
    post(other_unit, start=datetime.date(2026, 3, 1), person=person)
    jan, feb, mar, apr = month(1), month(2), month(3), month(4)
    for period, total in ((jan, 30), (feb, 20)):
        world.line(person, "X", 2, 2, period=period)
        world.marks(person, total, period=period)
    from scoring.models import AssignmentLine

    AssignmentLine.objects.create(
        civil_servant=person,
        period=mar,
        item=other_items["T"],
        unit=other_unit,
        assigned_quantity=Decimal(4),
        completed_quantity=Decimal(2),
    )
    world.marks(person, 25, period=mar)
    world.marks(person, 25, period=apr)  # April: marks but nothing assigned → not scored
    for period in (jan, feb, mar, apr):
        score_period(period)
    scores = {s.period.number: s for s in PeriodScore.objects.filter(civil_servant=person)}
    assert scores[1].agency == world.unit and scores[3].agency == other_unit
    assert [scores[n].total for n in (1, 2, 3)] == [Decimal(100), Decimal(90), Decimal("60.00")]
    assert not scores[4].scored

    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=person)
    assert annual.agency == other_unit  # the new agency rates (Art. 21)
    assert (annual.periods_counted, annual.periods_skipped) == (3, 1)
    assert annual.score == Decimal("83.33")
    assert annual.rating_before_quota == "good" and annual.rating == "good"
    assert sorted(annual.period_score_ids) == sorted(s.pk for s in scores.values())
    assert annual.framework_revision_id == scores[3].framework_revision_id

    before = AnnualScore.objects.get(pk=annual.pk).computed_at
    assert score_year(2026).written == 0
    assert AnnualScore.objects.get(pk=annual.pk).computed_at == before


def test_a_reprimand_forces_not_completed():
    world = build_world()
    person = world.person("Bạch Văn Kỷ")
    world.full_month(person, 28)
    score_period(world.period)
    Disqualification.objects.create(
        civil_servant=person,
        year=2026,
        kind="discipline_reprimand_or_heavier",
        reference="03/QĐ-KL",
        decided_on=datetime.date(2026, 3, 20),
    )
    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=person)
    assert annual.score == Decimal("98.00") and annual.score_rating == "excellent"
    assert annual.rating_before_quota == "not_completed" == annual.rating
    assert annual.disqualifiers_applied == ["discipline_reprimand_or_heavier"]


def test_the_excellent_quota_is_applied_per_unit_and_group():
    world = build_world()
    for i, total in enumerate([29, 28, 27, 10, 10, 10, 10, 10, 10, 10]):
        person = world.person(f"Người {i}")
        world.line(person, "X", 1, 1)
        world.marks(person, total)
    score_period(world.period)
    score_year(2026)
    rows = AnnualScore.objects.order_by("-score")
    assert [r.rating_before_quota for r in rows[:3]] == ["excellent"] * 3
    # 10 people, 3 candidates: allowed = floor(0.2 × 10 / 1.2) = 1.
    assert [r.rating for r in rows[:3]] == ["excellent", "good", "good"]
    assert all(r.rating == "good" for r in rows[3:])
    demoted = rows[1].explanation
    assert demoted["quota"]["demoted"] and demoted["quota"]["allowed"] == 1
    assert [s["code"] for s in demoted["steps"]][-2:] == ["quota_cap", "quota_demoted"]
