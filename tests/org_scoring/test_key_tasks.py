"""Key tasks (nhiệm vụ trọng tâm) as data: the task's flag, the framework's weight (docs/
organisation-scoring.md §1 "Key tasks")."""

import copy
from decimal import Decimal

import pytest

from org_scoring.frameworks import organisation_framework
from org_scoring.models import OrganisationScore, OrganisationTask
from org_scoring.services import score_organisations
from scoring.models import CriteriaFramework
from tests.factories.org_scoring import YEAR

pytestmark = pytest.mark.django_db


def test_key_task_flag_is_stored_and_weighted_by_the_framework(world):
    world.complete(world.unit)
    tasks = list(OrganisationTask.objects.filter(agency=world.unit).order_by("pk"))
    for task, outcome in zip(tasks, ("on_time", "not_done", "on_time"), strict=True):
        task.outcome = outcome
        task.completed_on = None if outcome == "not_done" else task.completed_on
        task.is_key_task = task is tasks[0]
        task.save()
    score_organisations(YEAR)
    stored = OrganisationScore.objects.get(agency=world.unit, year=YEAR)
    assert [t.get("key", False) for t in stored.inputs["tasks"]] == [True, False, False]
    assert stored.task_percent == Decimal("66.67")  # weight 1 by default

    resolved = organisation_framework(world.unit, YEAR)
    framework = CriteriaFramework.objects.get(pk=resolved.framework_id)
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    rules["organisation"]["key_task_weight"] = {"value": "2", "confidence": "inferred"}
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()
    score_organisations(YEAR)
    stored.refresh_from_db()
    assert stored.task_percent == Decimal("75.00")  # (2 × 100 + 0 + 100) / 4
