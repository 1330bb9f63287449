"""Organisation tasks' quality and effectiveness (Gia Lai §III.3 a–b, legal review M3): a task
reported as not ensuring them keeps its points but fails the excellent and good levels
(framework option ``organisation.task_quality``, docs/scoring.md §14)."""

import pytest

from org_scoring.models import OrganisationScore, OrganisationTask
from org_scoring.services import score_organisations
from scoring.explain import render_steps
from tests.factories.org_scoring import YEAR

pytestmark = pytest.mark.django_db


def test_a_task_not_ensuring_quality_fails_excellent_and_good(world):
    world.complete(world.unit, "exceeded", "on_time", "on_time")
    score_organisations(YEAR)
    stored = OrganisationScore.objects.get(agency=world.unit, year=YEAR)
    assert stored.rating == "excellent"
    assert not any("quality_ensured" in t for t in stored.inputs["tasks"])  # hashes unchanged

    task = OrganisationTask.objects.filter(agency=world.unit).order_by("pk").last()
    task.quality_ensured = True
    task.save()
    score_organisations(YEAR)
    stored.refresh_from_db()
    assert stored.rating == "excellent"

    task.quality_ensured = False
    task.save()
    score_organisations(YEAR)
    stored.refresh_from_db()
    assert stored.score == 100
    assert stored.rating == "completed"
    assert stored.inputs["tasks"][-1]["quality_ensured"] is False
    text = render_steps(stored.explanation)
    assert any("Chưa bảo đảm chất lượng, hiệu quả." in line for line in text), text
    assert any(
        "Chưa đủ điều kiện mức “Hoàn thành tốt nhiệm vụ”: có nhiệm vụ chưa bảo đảm chất "
        "lượng, hiệu quả." in line
        for line in text
    ), text
