"""No crash point of an import's commit loses the rescoring it owes (issue 28; reliability
review H1, variant F2c: "the worker is killed after the import's COMMIT and before the run row
exists; then no run exists at all, and nothing remembers that a rescore is owed").

The scoring run is written in the import's own transaction. A worker killed at any point
therefore leaves either nothing (before the COMMIT: the file is not written either) or the
file and its queued run together (after it), which the sweep carries out. Each test kills
the commit at one point and checks the stored scores against a from-scratch computation."""

import datetime

import pytest

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from importers import pipeline
from scoring.models import (
    AnnualScore,
    AssignmentLine,
    PeriodScore,
    RunStatus,
    ScoringRun,
    StaleFigure,
)
from scoring.services import rescoring, score_period, score_year, sweeper
from tests.importers.conftest import results_file
from tests.importers.test_silent_wrong_data import line

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: nothing after it runs, no ``except Exception`` catches it."""


def _kill_after(monkeypatch, name):
    real = getattr(pipeline, name, None)
    if name == "write":

        def killed(*args, **kwargs):
            raise WorkerKilled

        monkeypatch.setattr(pipeline.KINDS["results"], "write", killed, raising=False)
        return

    def killed(*args, **kwargs):
        real(*args, **kwargs)
        raise WorkerKilled

    monkeypatch.setattr(pipeline, name, killed)


def _scores():
    return {
        (row.civil_servant_id, row.period_id): (row.total, row.rating, row.inputs_hash)
        for row in PeriodScore.objects.all()
    }, {
        row.civil_servant_id: (row.score, row.rating, row.inputs_hash)
        for row in AnnualScore.objects.all()
    }


def _from_scratch(period, agency):
    """Every score the import's agency owes, deleted and computed again by the batch."""
    with transaction.atomic():
        PeriodScore.objects.all().delete()
        AnnualScore.objects.all().delete()
        with rescoring.paused():
            score_period(period, agency)
            score_year(period.year)
        fresh = _scores()
        transaction.set_rollback(True)
    return fresh


@pytest.mark.parametrize("point", ["write", "_record", "_rescore"])
def test_killed_before_the_commit_leaves_nothing(
    world, tmp_path, monkeypatch, point, django_capture_on_commit_callbacks
):
    """Killed inside the transaction (while writing, after recording the job, after asking
    for the rescore): the file is not written and no run is left behind."""
    _kill_after(monkeypatch, point)
    path = results_file(world, tmp_path, [line("CT0002", assigned=4, completed=2)])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkerKilled):
        pipeline.commit(path, user=world["justice_admin"])
    assert not AssignmentLine.objects.exists()
    assert not ScoringRun.objects.exists()
    assert not StaleFigure.objects.exists()


def test_killed_right_after_the_commit_the_sweep_carries_out_the_run(
    world, tmp_path, django_capture_on_commit_callbacks
):
    """Killed between the COMMIT and its on-commit hooks (the enqueue): the run committed with
    the file; the sweep queues it, and every stored score equals a from-scratch computation."""
    binh = world["people"]["binh"]
    path = results_file(world, tmp_path, [line("CT0002", assigned=4, completed=2)])
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        _analysis, job = pipeline.commit(path, user=world["justice_admin"])
    assert job is not None and hooks  # the hooks that a dead worker never runs
    run = ScoringRun.objects.get()
    assert (run.status, run.agency, run.task_id) == (RunStatus.QUEUED, world["justice"], "")
    assert run.reason == f"Nhập Excel, lần nhập số {job.pk}"
    assert not PeriodScore.objects.filter(civil_servant=binh).exists()

    # The worker comes back a minute later; its sweep finds the run with no task.
    ScoringRun.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        report = sweeper.sweep()
        sweeper.sweep()  # idempotent
    assert report["runs_requeued"] == [run.pk]
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert PeriodScore.objects.filter(civil_servant=binh, period=world["march"]).exists()
    assert not StaleFigure.objects.exists()
    assert _scores() == _from_scratch(world["march"], world["justice"])


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_on_the_database_queue_the_task_commits_with_the_file(
    world, tmp_path, django_capture_on_commit_callbacks
):
    """Production's queue: the run's task row is written in the import's transaction too, so a
    worker killed right after the COMMIT leaves a READY task that the next worker runs."""
    from django_tasks_db.models import DBTaskResult

    path = results_file(world, tmp_path, [line("CT0002", assigned=4, completed=2)])
    with django_capture_on_commit_callbacks(execute=False):
        pipeline.commit(path, user=world["justice_admin"])
    run = ScoringRun.objects.get()
    task = DBTaskResult.objects.get(pk=run.task_id)
    assert (run.status, task.status, task.args_kwargs["args"]) == ("queued", "READY", [run.pk])
    assert sweeper.orphaned_runs(grace=datetime.timedelta(0)) == []
    assert rescoring.run(run.pk) == RunStatus.DONE


def test_runs_of_several_transactions_are_carried_out_as_one(
    world, tmp_path, django_capture_on_commit_callbacks
):
    """Each transaction writes its own run (no lock across transactions); the worker that
    takes the first carries out the others of the same period and agency with it."""
    path = results_file(world, tmp_path, [line("CT0002", assigned=4, completed=1)])
    with django_capture_on_commit_callbacks(execute=False):
        pipeline.commit(path, user=world["justice_admin"])
    # Another transaction's run of the same month and agency (a leader's review, say).
    ScoringRun.objects.create(
        period=world["march"],
        agency=world["justice"],
        people=[world["people"]["binh"].pk],
        people_count=1,
        reason="Sửa dữ liệu chấm điểm",
    )
    first, second = ScoringRun.objects.order_by("id")
    assert rescoring.run(first.pk) == RunStatus.DONE
    second.refresh_from_db()
    assert second.status == RunStatus.DONE
    assert second.message == f"Đã gộp vào lượt tính số {first.pk}."
    assert rescoring.run(second.pk) == "skipped"
    with django_capture_on_commit_callbacks(execute=True):
        sweeper.sweep()
    assert _scores() == _from_scratch(world["march"], world["justice"])
