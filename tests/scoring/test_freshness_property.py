"""Property (issue 28, "Done when"): a random sequence of writes through the doors users take
— lines added, changed and deleted, marks changed, organisation tasks recorded and reported —
each committed on its own, then the background work drained → every stored period, annual and
organisation score equals a from-scratch recomputation, and nothing is left marked stale."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import transaction

from org_scoring.models import OrganisationScore, OrganisationTask
from org_scoring.services import score_organisations
from scoring.models import (
    AnnualScore,
    AssignmentLine,
    GeneralCriteriaMark,
    Period,
    PeriodScore,
    StaleFigure,
)
from scoring.services import freshness, rescoring, score_period, score_year
from tests.factories.org_scoring import marks, tasks
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

FEBRUARY = datetime.date(2026, 2, 1)


def _stored():
    return {
        "period": {
            (row.civil_servant_id, row.period_id): (row.total, row.rating, row.scored)
            for row in PeriodScore.objects.all()
        },
        "annual": {
            row.civil_servant_id: (row.score, row.rating, row.months_worked, row.scored)
            for row in AnnualScore.objects.all()
        },
        "organisation": {
            row.agency_id: (row.score, row.rating, row.scored)
            for row in OrganisationScore.objects.all()
        },
    }


def _from_scratch(periods):
    with transaction.atomic():
        PeriodScore.objects.all().delete()
        AnnualScore.objects.all().delete()
        OrganisationScore.objects.all().delete()
        with rescoring.paused():
            for period in periods:
                score_period(period)
            score_year(2026)
            score_organisations(2026)
        fresh = _stored()
        transaction.set_rollback(True)
    return fresh


@pytest.mark.parametrize("seed", [2811, 2812, 2813])
def test_random_writes_then_drain_equal_a_recomputation(seed, django_capture_on_commit_callbacks):
    rng = random.Random(seed)
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
        february = Period.for_date(FEBRUARY, create=True)
        periods = [february, world.period]
        with rescoring.paused():
            people = [world.person(name) for name in ("An", "Bình", "Cúc")]
            for person in people:
                for period in periods:
                    world.full_month(person, total=27, period=period)
            for agency in (world.department, world.unit):
                marks(agency)
                tasks(agency, "on_time", "pending")
        for period in periods:
            score_period(period)
        score_organisations(2026)

    for _step in range(14):
        action = rng.choice(["add", "change", "delete", "marks", "task"])
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            person, period = rng.choice(people), rng.choice(periods)
            if action == "add":
                world.line(
                    person, rng.choice("XY"), rng.randint(1, 3), rng.randint(0, 1), period=period
                )
            elif action == "change":
                line = AssignmentLine.objects.filter(civil_servant=person, period=period).first()
                if line is not None:
                    line.completed_quantity = Decimal(rng.randint(0, int(line.assigned_quantity)))
                    line.save()
            elif action == "delete":
                lines = AssignmentLine.objects.filter(civil_servant=person, period=period)
                if lines.count() > 1:
                    lines.last().delete()
            elif action == "marks":
                mark = GeneralCriteriaMark.objects.filter(civil_servant=person, period=period)
                mark = mark.order_by("?").first()
                if mark is not None:
                    mark.evaluator_mark = Decimal(rng.randint(0, int(mark.evaluator_mark or 5)))
                    mark.save()
            else:
                task = OrganisationTask.objects.order_by("?").first()
                task.outcome = rng.choice(["on_time", "late", "not_done"])
                task.delays = rng.randint(1, 3) if task.outcome == "late" else 0
                task.save()

    stored = _stored()
    assert not StaleFigure.objects.exists(), list(StaleFigure.objects.values())
    assert stored == _from_scratch(periods)
    # And draining again writes nothing.
    assert all(value == 0 for value in freshness.refresh_derived().values())
