"""Property (issue 28, "Done when"): a random sequence of writes through the doors users take
— lines added, changed and deleted, marks changed, organisation tasks recorded and reported,
lines pushed by an integration system through the API, results workbooks committed through
the Excel importer, complaints upheld by the evaluator,
postings moved, disqualifications and recognitions of outstanding achievements recorded and
withdrawn, a period closed and reopened — each committed on its own, then the background work
drained → every stored period, annual and organisation score equals a from-scratch
recomputation, and nothing is left marked stale."""

import datetime
import random
from decimal import Decimal

import pytest

from django.db import transaction

from importers import pipeline
from org.access import UNIT_LEADER_GROUP
from org.models import LeadershipRole, Posting
from org_scoring.models import OrganisationScore, OrganisationTask
from org_scoring.services import score_organisations
from ratings.services import period_complaints
from scoring.models import (
    AnnualScore,
    AssignmentLine,
    Disqualification,
    GeneralCriteriaMark,
    OutstandingRecognition,
    Period,
    PeriodScore,
    PeriodStatus,
    ScoringRun,
    StaleFigure,
)
from scoring.services import freshness, rescoring, score_period, score_year
from tests.factories import UserFactory, period_complaint
from tests.factories.org_scoring import marks, tasks
from tests.importers.conftest import fill_results, load, save, template_bytes
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


def _integration_client(world):
    from rest_framework.test import APIClient

    from api.models import IntegrationSystem, IntegrationToken

    system = IntegrationSystem.objects.create(name="Hệ thống văn bản", can_write=True)
    system.agencies.set([world.department])
    _row, token = IntegrationToken.issue(system)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _from_scratch(periods):
    with transaction.atomic():
        # Period scores a complaint holds cannot be deleted (the complaint keeps its score): every
        # period score is recomputed from the inputs and rewritten instead (``force``).
        AnnualScore.objects.all().delete()
        OrganisationScore.objects.all().delete()
        with rescoring.paused():
            for period in periods:
                score_period(period, force=True)
            score_year(2026)
            score_organisations(2026)
        fresh = _stored()
        transaction.set_rollback(True)
    return fresh


@pytest.mark.parametrize("seed", [2811, 2812, 2813])
def test_random_writes_then_drain_equal_a_recomputation(
    seed, django_capture_on_commit_callbacks, tmp_path
):
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

    # Every write inside a block whose on-commit hooks run, as a committed transaction's do.
    with django_capture_on_commit_callbacks(execute=True):
        head = world.person("Hùng", role=LeadershipRole.HEAD)
        head.user = UserFactory(username="hung", groups=[UNIT_LEADER_GROUP])
        head.save()
        for period in periods:
            world.full_month(head, total=27, period=period)
            world.leader_marks(head, period=period)
        api = _integration_client(world)
        filers = {person.pk: UserFactory(username=f"cc{person.pk}") for person in people}

    doors = ["add", "change", "delete", "marks", "task", "api", "excel", "complaint", "posting"]
    doors += ["disqualify", "recognise", "reopen"]
    log = []
    for step in range(24):
        action = rng.choice(doors)
        log.append(action)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            person, period = rng.choice(people), rng.choice(periods)
            period.refresh_from_db()
            if period.is_final and action in ("add", "change", "delete", "marks", "api", "excel"):
                action = "reopen"  # a closed month's inputs are frozen (scoring.models.guards)
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
            elif action == "task":
                task = OrganisationTask.objects.order_by("?").first()
                task.outcome = rng.choice(["on_time", "late", "not_done"])
                task.delays = rng.randint(1, 3) if task.outcome == "late" else 0
                task.save()
            elif action == "api":
                assigned = rng.randint(1, 3)
                answer = api.post(
                    "/api/v1/integration/assignment-lines/",
                    {
                        "external_id": f"VB-{seed}-{step}",
                        "agency": world.department.code,
                        "period": f"{period.year}-{period.number:02d}",
                        "official_id": person.official_id,
                        "product_code": rng.choice("XY"),
                        "assigned": assigned,
                        "completed": rng.randint(0, assigned),
                        "deadline": period.end_date.isoformat(),
                    },
                    format="json",
                )
                assert answer.status_code in (200, 201), answer.content
            elif action == "excel":
                # The clerk's results workbook, from the app's own template, through the
                # importer's commit (the same transaction asks for the rescoring).
                assigned = rng.randint(1, 3)
                workbook = load(template_bytes("results", world.department, period))
                row = [person.official_id, None, rng.choice("XY"), None, assigned]
                row += [rng.randint(0, assigned), period.end_date, None, 0, 0, None, None]
                path = save(fill_results(workbook, [row]), tmp_path / f"ket-qua-{step}.xlsx")
                analysis, job = pipeline.commit(path, allowed_removals=None)
                assert job is not None, [issue.line() for issue in analysis.errors]
            elif action == "complaint":
                score = PeriodScore.objects.filter(civil_servant=person, period=period).first()
                in_unit = Posting.objects.filter(civil_servant=person, agency=world.unit).exists()
                if score is not None and in_unit and not period.is_final:
                    complaint = period_complaint(score, filed_by=filers[person.pk])
                    period_complaints.answer(
                        head.user,
                        complaint,
                        upheld=True,
                        text="Chấp nhận, chấm lại tiêu chí I.1.",
                        corrections=period_complaints.Corrections(
                            criterion="I.1", evaluator_mark=Decimal(rng.randint(0, 3))
                        ),
                    )
            elif action == "posting":
                posting = Posting.objects.get(civil_servant=person)
                posting.agency = world.department if posting.agency == world.unit else world.unit
                posting.save()
            elif action == "disqualify":
                found = Disqualification.objects.filter(civil_servant=person, year=2026)
                if found.exists():
                    found.get().delete()
                else:
                    Disqualification.objects.create(
                        civil_servant=person,
                        year=2026,
                        kind="discipline_reprimand_or_heavier",
                        reference=f"QĐ {step}",
                        decided_on=datetime.date(2026, 6, 1),
                    )
            elif action == "recognise":
                found = OutstandingRecognition.objects.filter(agency=world.department, year=2026)
                if found.exists():
                    found.get().delete()
                else:
                    OutstandingRecognition.objects.create(
                        agency=world.department,
                        year=2026,
                        decision_ref=f"QĐ {step}",
                        decided_on=datetime.date(2026, 12, 1),
                    )
            else:
                # Sở Nội vụ closes the month by its form, then reopens it.
                period.status = (
                    PeriodStatus.OPEN if period.status != PeriodStatus.OPEN else PeriodStatus.CLOSED
                )
                period.save()

    with django_capture_on_commit_callbacks(execute=True):
        for period in Period.objects.filter(status=PeriodStatus.CLOSED):
            period.status = PeriodStatus.OPEN
            period.save()

    stored = _stored()
    assert not StaleFigure.objects.exists(), (
        list(StaleFigure.objects.values_list("subject_id", "reason")),
        list(ScoringRun.objects.values_list("id", "status", "message", "reason")),
        log,
    )
    assert stored == _from_scratch(periods)
    # And draining again writes nothing.
    assert all(value == 0 for value in freshness.refresh_derived().values())
