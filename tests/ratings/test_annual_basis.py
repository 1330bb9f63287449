"""The rating side of the annual score over the time actually worked (Decree 335 Arts. 20–21):
the leaders-only disqualifier over the whole year (legal review U5), the annual score
recomputed after the case was opened (U14), and what a person sees when no annual score was
formed (U4)."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse

from org.models import LeadershipRole
from ratings.services.ceilings import ceiling_for
from scoring.models import AnnualScore, CriteriaFramework, Period
from scoring.services import score_year
from tests.factories import annual_score, corruption_case, period_score, post, with_user

pytestmark = pytest.mark.django_db


def test_u5_the_ceiling_applies_the_leaders_only_case_to_a_head_until_november_art20_4d(world):
    """U5 (Art. 20 cl. 4 d): head of the unit until 30 November, staff on 31 December; the
    unit was implicated in a corruption case → the ceiling is "not completed" (before: the
    role on 31 December made it "excellent")."""
    person = post(
        world.unit,
        role=LeadershipRole.HEAD,
        end=datetime.date(2026, 11, 30),
        full_name="Trưởng Phòng Cũ",
    )
    post(world.unit, start=datetime.date(2026, 12, 1), person=person)
    with_user(person, "truongcu")
    annual_score(person, 92, world.unit)  # the role stored on 31 December: staff
    case = world.case_for(person)
    corruption_case(person)
    ceiling = ceiling_for(case)
    assert ceiling.level == "not_completed"
    assert any("tham ô" in reason for reason in ceiling.reasons)


def test_u5_the_ceiling_ignores_the_leaders_only_case_for_staff_all_year_art20_4d(world):
    """U5, the other side: never a leader in the year → the leaders-only case does not cap."""
    person = world.staff("Nhân Viên Cả Năm", 92)
    case = world.case_for(person)
    corruption_case(person)
    assert ceiling_for(case).level == "excellent"


def test_u14_the_case_page_says_when_the_annual_score_was_recomputed(world, client):
    """U14: the case keeps the score it was opened with (before 15 December); December or Q4
    scored later changes the annual score, and the ceiling reads the current one. The case
    page says so, and that a decision already made does not change by itself."""
    person = world.staff("Lại Văn Tính", 85, username="tinh")
    case = world.decided(person, "good")
    url = reverse("ratings_case", args=[case.pk])
    client.force_login(world.users["giamdoc"])
    assert "case-score-recomputed" not in client.get(url).content.decode()

    AnnualScore.objects.filter(pk=case.annual_score_id).update(
        score=Decimal("91.00"), score_rating="excellent"
    )
    page = client.get(url).content.decode()
    assert "case-score-recomputed" in page
    # Decided on 85,00 (kept with the decision, issue 42): the page shows the current figure
    # and says the decision was made on another one.
    assert "khi quyết định: 85,00; theo số liệu hiện tại: 91,00" in page
    assert "không tự thay đổi" in page


def test_u4_below_the_minimum_worked_time_the_person_sees_why_art21(world, client):
    """U4 (minimum [unknown]; option ``annual.min_months``): with a minimum of 6 months, a
    person with 3 scored months sees "not enough time worked" on their own page, with the
    periods it was computed from."""
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    rules = framework.live_revision.content["rules"]
    rules["annual"]["min_months"] = {"value": "6", "citation": "Kế hoạch của tỉnh"}
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()
    person = post(world.unit, full_name="Mới Về Tháng Mười")
    user = with_user(person, "moive")
    for number in (10, 11, 12):
        period = Period.for_date(datetime.date(2026, number, 1), create=True)
        period_score(person, period, 95, world.unit)
    score_year(2026)
    row = AnnualScore.objects.get(civil_servant=person)
    assert not row.scored and row.months_worked == 3
    client.force_login(user)
    page = client.get(reverse("ratings_my")).content.decode()
    assert "Chưa đủ thời gian công tác để xếp loại: 3 tháng, tối thiểu 6 tháng." in page
    assert "Tháng 10/2026" in page
