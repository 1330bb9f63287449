"""Annual scores: the mean over the time worked, across a transfer; disqualifiers; quota."""

import datetime
from decimal import Decimal

import pytest

from org.models import LeadershipRole
from scoring.explain import render_steps
from scoring.models import AnnualScore, Disqualification, Period, PeriodKind, PeriodScore
from scoring.services import score_period, score_year
from tests.factories import (
    AgencyFactory,
    UnitFactory,
    catalog_version,
    corruption_case,
    period_score,
    post,
)
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


# --- Time actually worked (Decree 335 Art. 21 [confirmed]; legal review W6, U4, U5) ---------


def quarter(number):
    return Period.objects.get_or_create(kind=PeriodKind.QUARTER, year=2026, number=number)[0]


def transfer(world, on, name="Đinh Văn Chuyển"):
    """A person posted to the (monthly) unit until the day before ``on``, then to a quarterly
    agency."""
    other = AgencyFactory(parent=world.province, code="STC", name="Sở Tài chính thử nghiệm")
    person = post(world.unit, end=on - datetime.timedelta(days=1), full_name=name)
    post(other, start=on, person=person)
    return person, other


def test_w6_transfer_on_1_august_counts_q3_for_august_and_september_art21():
    """W6 (Art. 21): months Jan–Jul at 95 at the old agency, Q3 = Q4 = 60 at the new one.
    Before: Q3 was dropped (90,63 excellent). Now Q3 stands for August–September."""
    world = build_world()
    person, other = transfer(world, datetime.date(2026, 8, 1))
    for number in range(1, 8):
        period_score(person, month(number), 95, world.unit)
    for number in (3, 4):
        period_score(person, quarter(number), 60, other)
    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=person)
    assert annual.agency == other  # the new agency rates (Art. 21)
    assert annual.score == Decimal("80.42")  # (7 × 95 + 2 × 60 + 3 × 60) / 12, by months
    assert annual.rating_before_quota == "good"
    assert annual.months_worked == 12 and annual.periods_counted == 9
    inputs = annual.explanation["inputs"]
    assert inputs["weighting"] == "months" and inputs["min_months"] == 0
    q3 = next(p for p in inputs["periods"] if p["kind"] == "quarter" and p["number"] == 3)
    assert (q3["status"], q3["months"], q3["weight"], q3["total"]) == (
        "counted",
        [8, 9],
        2,
        "60.00",
    )
    assert len(annual.period_score_ids) == 9
    text = render_steps(annual.explanation["steps"])
    assert "Quý III: 60,00 điểm, tính cho tháng 8, 9 (trọng số 2)." in text


def test_w6_an_unscored_july_does_not_drop_q3_art21():
    """W6 (Art. 21): the July row is "not scored"; Q3 still counts, for July–September."""
    world = build_world()
    person, other = transfer(world, datetime.date(2026, 8, 1))
    for number in range(1, 7):
        period_score(person, month(number), 95, world.unit)
    period_score(person, month(7), 0, world.unit, scored=False)
    for number in (3, 4):
        period_score(person, quarter(number), 60, other)
    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=person)
    periods = {(p["kind"], p["number"]): p for p in annual.explanation["inputs"]["periods"]}
    assert periods[("month", 7)]["status"] == "not_scored"
    assert periods[("quarter", 3)]["months"] == [7, 8, 9]
    assert annual.score == Decimal("77.50")  # (6 × 95 + 6 × 60) / 12
    assert (annual.periods_counted, annual.periods_skipped) == (8, 1)


def test_w6_transfer_on_1_march_quarterly_to_monthly_keeps_january_and_february_art21():
    """W6 (Art. 21): Q1 at a quarterly agency, then monthly from 1 March: Q1 stands for
    January–February (before: Q1 dropped, the year was 95 excellent)."""
    world = build_world()
    quarterly = AgencyFactory(parent=world.province, code="STC", name="Sở Tài chính thử nghiệm")
    person = post(quarterly, end=datetime.date(2026, 2, 28), full_name="Lò Văn Sang")
    post(world.unit, start=datetime.date(2026, 3, 1), person=person)
    period_score(person, quarter(1), 60, quarterly)
    for number in range(3, 13):
        period_score(person, month(number), 95, world.unit)
    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=person)
    assert annual.agency == world.unit
    q1 = next(p for p in annual.explanation["inputs"]["periods"] if p["kind"] == "quarter")
    assert (q1["months"], q1["weight"]) == ([1, 2], 2)
    assert annual.score == Decimal("89.17") and annual.rating_before_quota == "good"


def test_a_quarter_scored_for_a_newcomer_stands_for_the_months_in_post_art21():
    """Art. 21 (time actually worked): posted from 1 August only, Q3 stands for 2 months."""
    world = build_world()
    other = AgencyFactory(parent=world.province, code="STC", name="Sở Tài chính thử nghiệm")
    person = post(other, start=datetime.date(2026, 8, 1), full_name="Mới Vào")
    period_score(person, quarter(3), 80, other)
    period_score(person, quarter(4), 90, other)
    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=person)
    assert annual.months_worked == 5
    assert annual.score == Decimal("86.00")  # (2 × 80 + 3 × 90) / 5


def _set_annual_option(**options):
    from scoring.models import CriteriaFramework

    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    rules = framework.live_revision.content["rules"]
    rules.setdefault("annual", {}).update(options)
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()


def test_below_the_minimum_worked_time_the_person_sees_not_enough_time_u4_art21():
    """U4 (minimum [unknown]; Decree 90 used 6 months): with ``annual.min_months`` = 6 a person
    with 3 scored months gets no annual score, stored with the reason, not dropped."""
    _set_annual_option(min_months={"value": "6", "citation": "Kế hoạch của tỉnh"})
    world = build_world()
    person = world.person("Ít Tháng")
    for number in (1, 2, 3):
        period_score(person, month(number), 95, world.unit)
    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=person)
    assert not annual.scored and annual.score is None and annual.rating == ""
    assert annual.months_worked == 3
    assert annual.explanation["inputs"]["not_scored_reason"] == "min_months"
    assert render_steps(annual.explanation["steps"])[-1] == (
        "Chưa đủ thời gian công tác để xếp loại: 3 tháng, tối thiểu 6 tháng."
    )


def _head_until_november_implicated():
    """Head of the unit until 30 November, staff from 1 December, 95 points, the unit
    implicated in a corruption case: the annual score of 2026."""
    world = build_world()
    person = post(
        world.unit,
        role=LeadershipRole.HEAD,
        end=datetime.date(2026, 11, 30),
        full_name="Trưởng Cũ",
    )
    post(world.unit, start=datetime.date(2026, 12, 1), person=person)
    period_score(person, month(3), 95, world.unit)
    corruption_case(person)
    score_year(2026)
    return AnnualScore.objects.get(civil_servant=person)


def test_u5_a_head_until_november_is_a_leader_for_the_year_art20_4d():
    """U5 (Art. 20 cl. 4 d): headed the unit until 30 November, staff on 31 December: the
    leaders-only disqualifier applies (before: ignored, the role on 31/12 decided)."""
    annual = _head_until_november_implicated()
    assert annual.role == LeadershipRole.STAFF
    assert annual.score_rating == "excellent"
    assert annual.rating_before_quota == "not_completed"
    assert annual.disqualifiers_applied == ["unit_corruption_case"]
    inputs = annual.explanation["inputs"]
    assert inputs["is_leader"] is True and inputs["leader_roles"] == ["head"]


def test_u5_never_a_leader_in_the_year_the_leaders_only_case_does_not_apply_art20_4d():
    """U5, the other side: staff all year — the leaders-only disqualifier is ignored."""
    world = build_world()
    person = world.person("Chuyên Viên")
    period_score(person, month(3), 95, world.unit)
    corruption_case(person)
    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=person)
    assert annual.rating_before_quota == "excellent" and annual.disqualifiers_applied == []
    assert annual.explanation["inputs"]["is_leader"] is False


def test_u5_the_year_end_reading_is_a_framework_option_art20_4d():
    """U5: ``annual.leader_role`` = ``year_end`` restores the role on 31 December."""
    _set_annual_option(leader_role={"value": "year_end"})
    annual = _head_until_november_implicated()
    assert annual.rating_before_quota == "excellent"


def test_the_annual_score_page_shows_its_basis_in_vietnamese_art21(client):
    """Art. 21: the stored annual score keeps what it was computed from — every period, the
    months it counted for, its weight — and its admin page shows it in Vietnamese."""
    from django.urls import reverse

    from org.access import HOME_AFFAIRS_GROUP
    from tests.factories import UserFactory

    world = build_world()
    person, other = transfer(world, datetime.date(2026, 8, 1))
    for number in range(1, 8):
        period_score(person, month(number), 95, world.unit)
    period_score(person, quarter(3), 60, other)
    score_year(2026)
    annual = AnnualScore.objects.get(civil_servant=person)
    client.force_login(UserFactory(groups=[HOME_AFFAIRS_GROUP]))
    url = reverse("wagtailsnippets_scoring_annualscore:inspect", args=[annual.pk])
    page = client.get(url).content.decode()
    assert "bình quân theo số tháng mỗi kỳ được tính" in page
    assert "Quý III/2026" in page and "8, 9" in page
    assert "Điểm năm = tổng (điểm kỳ × số tháng) / tổng số tháng" in page
