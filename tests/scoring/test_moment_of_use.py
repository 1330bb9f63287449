"""Issue 42 (legal review F1, reliability review H1): a figure is checked at the moment of use.

An input change marks the annual score it moves in its own transaction; until the period run
it queued has succeeded, a decision, an export or a print on that year is refused with the
reason, and a year only marked (its months current) is recomputed on the spot."""

import io
import types
from decimal import Decimal

import pytest

from django.db import transaction
from django.test import override_settings

from ratings.services.bonus import annual_export_refusal
from ratings.workflow.guards import GuardContext, scores_are_fresh
from scoring.models import AnnualScore, PeriodScore, ScoringRun, StaleFigure, StaleKind
from scoring.services import freshness, rescoring, score_period, score_year
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
        with rescoring.paused():
            person = world.person("Trần Văn Bình")
            world.full_month(person, total=27)
        score_period(world.period)
    return world


def _recomputed(person, year=2026):
    with transaction.atomic():
        AnnualScore.objects.filter(year=year).delete()
        score_year(year)
        row = AnnualScore.objects.get(civil_servant=person, year=year)
        fresh = (row.score, row.rating)
        transaction.set_rollback(True)
    return fresh


def _guard(person):
    case = types.SimpleNamespace(is_agency_case=False, civil_servant_id=person.pk, year=2026)
    ctx = GuardContext(case=case, user=None, actors=None, today=None)
    ctx.data["decision_level"] = "good"
    return scores_are_fresh(ctx)


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_change_refuses_the_decision_and_the_export_before_the_worker_runs(world):
    """Legal F1 (L55, L56): an API line of undone products, the worker not yet run."""
    person = world.people["Trần Văn Bình"]
    assert _guard(person) is None and annual_export_refusal(world.department, 2026) is None
    with transaction.atomic():  # the door's own transaction: line and run commit together
        world.line(person, "X", 3, 0)
    assert ScoringRun.objects.filter(status="queued").exists()
    # The year is marked in the change's transaction, not when the run stores the month.
    assert StaleFigure.objects.filter(kind=StaleKind.ANNUAL, subject_id=person.pk).exists()
    refusal = _guard(person)
    assert refusal and "Điểm năm 2026 đang được tính lại sau thay đổi lúc" in refusal
    assert "quyết định xếp loại chưa thực hiện được" in refusal
    export = annual_export_refusal(world.department, 2026)
    assert export and "Chưa xuất được" in export and "đang được tính lại" in export
    with pytest.raises(freshness.StaleFigureError) as refused:
        freshness.fresh_annual(person, 2026, "in Phiếu 02")
    assert "in Phiếu 02 chưa thực hiện được" in refused.value.reason

    # Even once a refresh has cleared the year's mark, the run still owes the month.
    freshness.refresh_derived()
    assert not StaleFigure.objects.filter(kind=StaleKind.ANNUAL).exists()
    assert _guard(person) is not None

    # The worker runs: the month, then the year, follow; the use goes through.
    for run in ScoringRun.objects.filter(status="queued"):
        rescoring.run(run.pk)
    row = freshness.fresh_annual(person, 2026)
    assert _guard(person) is None
    assert (row.score, row.rating) == _recomputed(person)
    assert row.score < Decimal("90")


def test_a_marked_year_is_recomputed_at_the_moment_of_use(world):
    person = world.people["Trần Văn Bình"]
    # The month moved, its year only marked (as the period-score store leaves it).
    PeriodScore.objects.filter(civil_servant=person).update(total=Decimal("61.50"))
    with transaction.atomic():
        freshness.mark_annual([(person.pk, 2026)], "Kết quả kỳ đánh giá thay đổi")
    assert freshness.annual_refusal(person.pk, 2026) is not None
    row = freshness.fresh_annual(person, 2026)
    assert row.score == Decimal("61.50") and (row.score, row.rating) == _recomputed(person)
    assert not StaleFigure.objects.exists()


def _fail_once(monkeypatch, times=1):
    """An injected deadlock in the period-score store, ``times`` times (the review's trigger
    raising SQLSTATE 40P01 on the first write)."""
    from django.db import OperationalError

    from scoring.services import person as person_module

    calls = {"n": 0}
    real = person_module.score_person

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= times:
            raise OperationalError("deadlock detected")
        return real(*args, **kwargs)

    monkeypatch.setattr(rescoring, "score_person", flaky)
    return calls


def _run_due(now=None):
    """The worker: run the queued runs (whatever their delay)."""
    for run in ScoringRun.objects.filter(status="queued").order_by("id"):
        rescoring.run(run.pk)


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_run_that_fails_once_is_retried_and_succeeds(world, monkeypatch):
    """Reliability H1: a run failing once used to stay failed for ever, its scores stale."""
    from dashboards import stuck_work

    person = world.people["Trần Văn Bình"]
    _fail_once(monkeypatch)
    with transaction.atomic():
        world.line(person, "X", 3, 0)
    run = ScoringRun.objects.get(status="queued")
    assert rescoring.run(run.pk) == rescoring.RETRYING
    run.refresh_from_db()
    assert run.status == "queued" and run.attempts == 1 and run.next_attempt_at is not None
    assert "OperationalError: deadlock detected" in run.last_error
    assert "Lần thử 1 bị lỗi; tự thử lại lúc" in run.message
    # Its task waits for the delay in the queue: the sweep leaves it alone.
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(run_after__isnull=False).exists()
    assert freshness.annual_refusal(person.pk, 2026) is not None
    assert not any(item.stuck for item in stuck_work.report())

    _run_due()
    run.refresh_from_db()
    assert run.status == "done"
    freshness.refresh_derived()
    assert freshness.annual_refusal(person.pk, 2026) is None
    row = freshness.fresh_annual(person, 2026)
    assert (row.score, row.rating) == _recomputed(person)


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_run_that_keeps_failing_is_shown_failed_and_its_year_stays_stale(
    world, monkeypatch, client
):
    from dashboards import stuck_work

    person = world.people["Trần Văn Bình"]
    _fail_once(monkeypatch, times=100)
    with transaction.atomic():
        world.line(person, "X", 3, 0)
    run = ScoringRun.objects.get(status="queued")
    for _attempt in range(rescoring.RETRY.max_attempts):
        _run_due()
    run.refresh_from_db()
    assert run.status == "failed" and run.attempts == rescoring.RETRY.max_attempts
    assert "đã thử 5 lần" in run.message
    response = client.get("/healthz/work")
    assert response.status_code == 503
    assert response.json()["items"]["runs_failed"] == {
        "count": 1,
        "oldest_age_seconds": response.json()["items"]["runs_failed"]["oldest_age_seconds"],
        "stuck": True,
    }
    failed = next(item for item in stuck_work.report() if item.key == "runs_failed")
    assert failed.stuck and "deadlock detected" in failed.rows[0]
    # Nobody decides on the year meanwhile, even after the refresh ran.
    freshness.refresh_derived()
    assert "đang được tính lại" in freshness.annual_refusal(person.pk, 2026)

    # The cause gone, the daily job gives it a fresh round: the run succeeds, the year is free.
    from django.core.management import call_command

    monkeypatch.undo()
    call_command("sweep_background_work", "--daily", stdout=io.StringIO())
    run.refresh_from_db()
    assert run.status == "queued" and run.attempts == 0
    _run_due()
    freshness.refresh_derived()
    assert freshness.annual_refusal(person.pk, 2026) is None
    assert not any(item.stuck for item in stuck_work.report())


# --- the refresh waits for the scoring work queued behind it (issue 48) ----------------------


def _refresh_tasks():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status="READY", task_path=freshness.refresh_derived_task.module_path
    )


@override_settings(TASKS=DATABASE_QUEUE, KPI_REFRESH_WAIT_SECONDS=300)
def test_the_refresh_waits_for_the_runs_queued_behind_it_then_refreshes_once(world):
    """At a month-end each agency's import is followed by its run and the leaders' run, each
    moving the same people's period scores again: a refresh between them recomputed the annual
    step for nothing (about 165 s of the worker in the June 2026 rehearsal's results phase at
    100,000 people). It waits, looked at again every 5 s, the figures still refused; once
    the runs are done it refreshes, and after ``KPI_REFRESH_WAIT_SECONDS`` it no longer waits."""
    import datetime

    from django.utils import timezone

    person = world.people["Trần Văn Bình"]
    with transaction.atomic():  # a door's change: the line, its run and the year's mark
        world.line(person, "X", 3, 0)
    assert ScoringRun.objects.filter(status="queued").exists()
    _refresh_tasks().delete()

    before = timezone.now()
    assert freshness.refresh_derived_task.call() == {"waiting": 1}
    assert StaleFigure.objects.filter(kind=StaleKind.ANNUAL, subject_id=person.pk).exists()
    assert "đang được tính lại" in freshness.annual_refusal(person.pk, 2026)
    (again,) = _refresh_tasks()
    assert before + datetime.timedelta(seconds=5) <= again.run_after
    # Asked again meanwhile (the sweep, another commit): still the one waiting refresh.
    assert freshness.refresh_derived_task.call() == {"waiting": 1}
    assert _refresh_tasks().count() == 1

    # A run held for later (a leaders' run's window, a retry's delay) leaves the worker idle:
    # the refresh does not wait for it.
    runs = ScoringRun.objects.filter(status="queued")
    runs.update(next_attempt_at=timezone.now() + datetime.timedelta(seconds=60))
    assert not freshness.waits_for_upstream()
    runs.update(next_attempt_at=None)
    for run in ScoringRun.objects.filter(status="queued"):
        rescoring.run(run.pk)
    summary = freshness.refresh_derived_task.call()
    assert summary["annual:2026"] == 1
    assert freshness.annual_refusal(person.pk, 2026) is None
    row = AnnualScore.objects.get(civil_servant=person, year=2026)
    assert (row.score, row.rating) == _recomputed(person)

    # Runs that keep coming never hold it longer than the setting after the oldest change.
    with transaction.atomic():
        world.line(person, "X", 3, 3)
    StaleFigure.objects.update(since=timezone.now() - datetime.timedelta(seconds=301))
    assert "annual:2026" in freshness.refresh_derived_task.call()


@override_settings(TASKS=DATABASE_QUEUE, KPI_REFRESH_WAIT_SECONDS=300)
def test_the_refresh_waits_for_an_import_being_committed(world):
    from importers.models import ImportJob, ImportKind, ImportStatus

    person = world.people["Trần Văn Bình"]
    with transaction.atomic():
        freshness.mark_annual([(person.pk, 2026)], "Kết quả kỳ đánh giá thay đổi")
    job = ImportJob.objects.create(
        kind=ImportKind.RESULTS,
        agency=world.department,
        period_code="2026-03",
        file="imports/2026/03/ket-qua.xlsx",
        original_name="ket-qua-thang-3.xlsx",
        sha256="0" * 64,
        status=ImportStatus.COMMITTING,
    )
    assert freshness.refresh_derived_task.call() == {"waiting": 1}
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.COMMITTED)
    assert "annual:2026" in freshness.refresh_derived_task.call()
    assert not StaleFigure.objects.filter(kind=StaleKind.ANNUAL).exists()


@override_settings(TASKS=DATABASE_QUEUE, KPI_REFRESH_WAIT_SECONDS=0)
def test_with_the_wait_off_the_refresh_runs_at_once(world):
    person = world.people["Trần Văn Bình"]
    with transaction.atomic():
        world.line(person, "X", 3, 0)
    assert ScoringRun.objects.filter(status="queued").exists()
    assert "annual:2026" in freshness.refresh_derived_task.call()
