"""Organisation scores follow their inputs (issue 28; legal review D2, N49): an agency whose
missing tasks are then recorded as done no longer keeps its stored "completed" — the refresh
rescores it and the agencies above it, and while it waits the agency's case is refused with
the reason."""

import pytest

from django.db import transaction

from org_scoring.models import OrganisationScore, OrganisationTask
from org_scoring.services import score_organisations
from ratings.services.staleness import case_refusal
from scoring.models import StaleFigure
from tests.factories.org_scoring import YEAR

pytestmark = pytest.mark.django_db


def test_tasks_recorded_as_done_move_the_stored_score(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.complete(world.unit, "on_time", "not_done", "not_done")
        world.complete(world.department)
        world.complete(world.unit2)
    score_organisations(YEAR)
    before = OrganisationScore.objects.get(agency=world.unit, year=YEAR)
    parent_before = OrganisationScore.objects.get(agency=world.department, year=YEAR)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        OrganisationTask.objects.filter(agency=world.unit, outcome="not_done").update(
            outcome="on_time"
        )  # a queryset update sends no signal: the reporting screens save each task
        for task in OrganisationTask.objects.filter(agency=world.unit):
            task.save()
    after = OrganisationScore.objects.get(agency=world.unit, year=YEAR)
    assert after.score > before.score and after.computed_at > before.computed_at
    assert not StaleFigure.objects.exists()
    # Idempotent: the province rescored from scratch gives the same rows.
    stored = {r.agency_id: (r.score, r.rating) for r in OrganisationScore.objects.all()}
    with transaction.atomic():
        OrganisationScore.objects.all().delete()
        score_organisations(YEAR)
        assert stored == {r.agency_id: (r.score, r.rating) for r in OrganisationScore.objects.all()}
        transaction.set_rollback(True)
    assert OrganisationScore.objects.get(agency=world.department, year=YEAR).pk == parent_before.pk


def test_an_agency_case_waits_while_its_score_is_recomputed(world):
    from ratings.services.cases import open_agency_case

    world.complete(world.unit)
    score_organisations(YEAR)
    case = open_agency_case(world.unit, YEAR)[0]
    with transaction.atomic():  # never committed here: the refresh stays queued
        OrganisationTask.objects.filter(agency=world.unit).first().save()
    refusal = case_refusal(case)
    assert refusal and "Điểm của tổ chức năm" in refusal and "đang được tính lại" in refusal
