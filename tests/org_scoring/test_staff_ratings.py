"""The organisation's rating rests on its civil servants' ratings where the framework says so
(Gia Lai plan §II.2.b, legal review M2): option ``organisation.staff_ratings``, default
``not_considered`` (nothing changes); ``like_subunits``: a civil servant of the organisation
rated not completed for the year fails the levels that require no failed sub-unit, with its
explanation line."""

import copy

import pytest

from org.models import LeadershipRole
from org_scoring.frameworks import organisation_framework
from org_scoring.models import OrganisationScore
from org_scoring.services import score_organisations
from scoring.explain import render_steps
from scoring.models import AnnualScore, CriteriaFramework
from tests.factories import annual_score, post
from tests.factories.org_scoring import YEAR

pytestmark = pytest.mark.django_db


def staff_ratings(world, value):
    resolved = organisation_framework(world.unit, YEAR)
    framework = CriteriaFramework.objects.get(pk=resolved.framework_id)
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    rules["organisation"]["staff_ratings"] = {"value": value, "confidence": "inferred"}
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()


def stored(world):
    score_organisations(YEAR)
    return OrganisationScore.objects.get(agency=world.unit, year=YEAR)


def test_a_civil_servant_not_completed_keeps_the_unit_from_excellent_only_when_chosen(world):
    world.complete(world.unit, "exceeded", "on_time", "on_time")
    good = post(world.unit, full_name="Nguyễn Văn Tốt")
    failing = post(world.unit, role=LeadershipRole.STAFF, full_name="Lê Văn Chưa")
    annual_score(good, 85, world.unit, year=YEAR)
    annual_score(failing, 40, world.unit, year=YEAR)  # below 50: not completed
    assert AnnualScore.objects.get(civil_servant=failing).rating == "not_completed"

    # Default: the civil servants' ratings are not read; the stored inputs are unchanged.
    score = stored(world)
    assert score.rating == "excellent"
    assert "staff_ratings" not in score.inputs

    staff_ratings(world, "like_subunits")
    score = stored(world)
    assert score.inputs["staff_ratings"] == {
        str(good.pk): "good",
        str(failing.pk): "not_completed",
    }
    assert score.rating != "excellent"
    text = render_steps(score.explanation)
    assert any(
        "Kết quả của công chức thuộc tổ chức (kế hoạch Gia Lai mục II.2.b): 2 người đã có kết "
        "quả năm, 1 người không hoàn thành nhiệm vụ." in line
        for line in text
    ), text
    assert any(
        "Chưa đủ điều kiện mức “Hoàn thành xuất sắc nhiệm vụ”: có công chức của tổ chức không "
        "hoàn thành nhiệm vụ." in line
        for line in text
    ), text


def test_with_every_civil_servant_completed_the_unit_stays_excellent(world):
    world.complete(world.unit, "exceeded", "on_time", "on_time")
    person = post(world.unit, full_name="Nguyễn Văn Đạt")
    annual_score(person, 60, world.unit, year=YEAR)  # completed
    other = post(world.unit2, full_name="Trần Văn Khác")
    annual_score(other, 40, world.unit2, year=YEAR)  # another unit's: not counted
    staff_ratings(world, "like_subunits")
    score = stored(world)
    assert score.rating == "excellent"
    assert score.inputs["staff_ratings"] == {str(person.pk): "completed"}


def _store_year(person, score, rating):
    """A person's year stored through the annual store (what ``score_year`` writes)."""
    from decimal import Decimal

    from django.db import transaction

    from scoring.services.store import upsert_annual_scores

    row = AnnualScore.objects.get(civil_servant=person, year=YEAR)
    values = {
        f.attname: getattr(row, f.attname)
        for f in AnnualScore._meta.concrete_fields
        if f.attname != "id"
    }
    values.update(
        score=Decimal(score),
        score_rating=rating,
        rating_before_quota=rating,
        rating=rating,
    )
    with transaction.atomic():
        upsert_annual_scores([values])


def test_the_organisation_follows_a_changed_staff_year_whatever_ran_first(world):
    """Legal review F4 (L45, L80, L81): under ``like_subunits`` the organisation was scored
    before (or without) its civil servant's new year and stayed "excellent"; the agency
    ceiling read it. Storing the year now marks the organisation in the same transaction."""
    from scoring.models import StaleFigure, StaleKind
    from scoring.services import freshness

    world.complete(world.unit, "exceeded", "on_time", "on_time")
    person = post(world.unit, full_name="Lê Văn Sau")
    annual_score(person, 85, world.unit, year=YEAR)
    staff_ratings(world, "like_subunits")
    assert stored(world).rating == "excellent"
    StaleFigure.objects.all().delete()

    _store_year(person, "40.00", "not_completed")  # a reprimand, a corrected month…
    assert StaleFigure.objects.filter(
        kind=StaleKind.ORGANISATION, subject_id=world.unit.pk, year=YEAR
    ).exists()
    refusal = freshness.organisation_refusal(world.unit.pk, YEAR, "quyết định xếp loại")
    assert refusal and "Điểm của tổ chức năm" in refusal and "đang được tính lại" in refusal
    freshness.refresh_derived()
    assert OrganisationScore.objects.get(agency=world.unit, year=YEAR).rating != "excellent"
    assert freshness.organisation_refusal(world.unit.pk, YEAR) is None


def test_under_the_default_a_staff_year_marks_no_organisation(world):
    from scoring.models import StaleFigure, StaleKind

    world.complete(world.unit, "exceeded", "on_time", "on_time")
    person = post(world.unit, full_name="Lê Văn Mặc")
    annual_score(person, 85, world.unit, year=YEAR)
    stored(world)
    StaleFigure.objects.all().delete()
    _store_year(person, "40.00", "not_completed")
    assert not StaleFigure.objects.filter(kind=StaleKind.ORGANISATION).exists()
