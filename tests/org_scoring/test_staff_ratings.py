"""The organisation's rating rests on its civil servants' ratings where the framework says so
(Gia Lai plan §II.2.b, legal review M2): option ``organisation.staff_ratings``, default
``not_considered`` (nothing changes); ``like_subunits``: a civil servant of the organisation
rated not completed for the year fails the levels that require no failed sub-unit, with its
explanation line."""

import copy

import pytest

from org.models import LeadershipRole
from org_scoring.models import OrganisationScore
from org_scoring.services import organisation_framework, score_organisations
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
