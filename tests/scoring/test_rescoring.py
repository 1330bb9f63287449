"""Scores follow their inputs in the background (issue 13, "Scores without a shell"): a saved
input queues a run for the people concerned once its transaction commits, the task worker
rescores them, and nothing is queued for a closed period or a rolled-back change."""

from decimal import Decimal

import pytest
from django.db import transaction

from scoring.models import GeneralCriteriaMark, PeriodScore, PeriodStatus, RunStatus, ScoringRun
from scoring.services import rescoring
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    with rescoring.paused():
        world.person("Trần Văn Bình")
        world.full_month(world.people["Trần Văn Bình"], total=27)
    return world


def test_saved_marks_rescore_the_person_once_the_change_commits(
    world, django_capture_on_commit_callbacks
):
    person = world.people["Trần Văn Bình"]
    assert not PeriodScore.objects.filter(civil_servant=person).exists()
    with django_capture_on_commit_callbacks(execute=True):
        mark = GeneralCriteriaMark.objects.get(civil_servant=person, criterion="I.1")
        mark.evaluator_mark = Decimal("4")
        mark.save()
        # Several changes of one transaction make one run.
        world.line(person, "X", 2, 2)
    run = ScoringRun.objects.get()
    assert (run.status, run.people, run.agency) == (RunStatus.DONE, [person.pk], world.unit)
    assert run.finished_at is not None and run.written == 1
    score = PeriodScore.objects.get(civil_servant=person, period=world.period)
    assert score.scored and score.total is not None


def test_a_rolled_back_change_queues_nothing(world, django_capture_on_commit_callbacks):
    person = world.people["Trần Văn Bình"]
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        world.line(person, "X", 2, 2)
        raise RuntimeError("rolled back")
    assert not ScoringRun.objects.exists()


def test_a_closed_period_is_not_rescored(world, django_capture_on_commit_callbacks):
    world.period.status = PeriodStatus.CLOSED
    world.period.save()
    person = world.people["Trần Văn Bình"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        rescoring.request_rescore(world.period, people=[person.pk], reason="Sửa điểm")
    assert not ScoringRun.objects.exists()


def test_a_request_joins_the_run_still_waiting(world):
    """The worker is busy: a second request for the same period and agency joins the waiting
    run; a whole-agency request turns it into a run for everyone."""
    other = world.person("Lê Thị Cúc")
    first = world.people["Trần Văn Bình"]
    queued = ScoringRun.objects.create(
        period=world.period, agency=world.unit, people=[first.pk], people_count=1, reason="x"
    )
    rescoring._create_runs({(world.period.pk, None): _wanted({other.pk})})
    queued.refresh_from_db()
    assert ScoringRun.objects.count() == 1 and queued.people == sorted([first.pk, other.pk])
    rescoring._create_runs({(world.period.pk, world.unit.pk): _wanted(set())})
    queued.refresh_from_db()
    assert ScoringRun.objects.count() == 1 and queued.people == []


def _wanted(people):
    wanted = rescoring._Wanted("thử", None)
    wanted.people = set(people)
    return wanted


def test_a_run_is_carried_out_once(world):
    run = ScoringRun.objects.create(
        period=world.period, agency=world.unit, reason="Nhập Excel, lần nhập số 1"
    )
    assert rescoring.run(run.pk) == RunStatus.DONE
    assert rescoring.run(run.pk) == "skipped"
    run.refresh_from_db()
    assert run.people_count == 1 and run.written == 1


def test_a_committed_import_rescores_its_agency(world, django_capture_on_commit_callbacks):
    """The import pipeline asks for its agency and period (the Excel path has no model
    signals): after the commit the person's score exists without anyone running a command."""
    person = world.people["Trần Văn Bình"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        rescoring.request_rescore(world.period, agency=world.department, reason="Nhập Excel")
    run = ScoringRun.objects.get()
    assert run.status == RunStatus.DONE and run.agency == world.department
    assert PeriodScore.objects.filter(civil_servant=person, period=world.period).exists()


def test_a_run_left_running_by_a_dead_worker_runs_again(world):
    """A worker killed mid-run wrote nothing (one transaction) and its row is no longer locked:
    the next worker queues it again and it completes (issue 17, a worker killed mid scoring)."""
    import datetime

    from django.utils import timezone

    stale = ScoringRun.objects.create(
        period=world.period,
        agency=world.unit,
        reason="Nhập Excel, lần nhập số 2",
        status=RunStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=3),
    )
    fresh = ScoringRun.objects.create(
        period=world.period,
        agency=world.department,
        reason="vừa nhận",
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
    )
    assert rescoring.recover_interrupted_runs() == [stale.pk]
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == RunStatus.DONE and "dừng giữa chừng" in stale.message
    assert fresh.status == RunStatus.RUNNING  # claimed seconds ago: maybe alive


def test_a_worker_restarted_at_once_waits_out_the_claim_grace(world, monkeypatch):
    """The supervisor restarts a killed worker within seconds: the run it left, claimed less
    than CLAIM_GRACE ago, is checked again once the grace has passed instead of staying
    "running" until the next restart (found by scripts/ci-production.sh, fault "scoring")."""
    from django.utils import timezone

    slept = []
    monkeypatch.setattr(rescoring.time, "sleep", slept.append)
    young = ScoringRun.objects.create(
        period=world.period,
        agency=world.unit,
        reason="vừa nhận",
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
    )
    assert rescoring.recover_interrupted_runs(wait=True) == [young.pk]
    assert slept and 0 < slept[0] <= rescoring.CLAIM_GRACE.total_seconds()
    young.refresh_from_db()
    assert "dừng giữa chừng" in young.message
