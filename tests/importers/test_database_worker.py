"""Production's task set-up: an upload is queued in the database and answered at once; the
separate worker (`manage.py db_worker`) validates it, and a confirmation is committed the same
way. Nothing runs inside the web request."""

import pytest
from django_tasks_db.models import DBTaskResult

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from importers.models import ImportStatus
from tests.importers.test_pipeline_web import latest_job, line, lines, results_bytes, upload

# The worker commits and closes its database connections as a real worker does, so the test
# cannot live inside a rolled-back transaction; serialized rollback restores the migration data.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


@override_settings(TASKS=DATABASE_QUEUE)
def test_upload_and_confirm_go_through_the_database_worker(client, world, tmp_path):
    client.force_login(world["justice_admin"])
    response = upload(client, world, results_bytes(world, [line(), line("CT0002")], tmp_path))
    job = latest_job()
    assert response.status_code == 302
    assert job.status == ImportStatus.QUEUED  # the request only queued the work
    assert DBTaskResult.objects.filter(id=job.task_id).exists()
    page = client.get(reverse("importers_job", args=[job.pk])).content.decode()
    assert 'data-running="true"' in page

    run_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW and job.rows_new == 2
    assert not lines().exists()

    client.post(reverse("importers_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status in (ImportStatus.QUEUED, ImportStatus.COMMITTING)
    assert not lines().exists()
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED and lines().count() == 2
    # Everything ran; only the worker's next periodic sweep waits for its minute.
    done = DBTaskResult.objects.exclude(task_path__endswith="sweep_task")
    assert set(done.values_list("status", flat=True)) == {"SUCCESSFUL"}


@override_settings(TASKS=DATABASE_QUEUE)
def test_after_each_task_the_worker_gives_its_freed_memory_back(
    client, world, tmp_path, monkeypatch
):
    """docs/operations.md §10: the soak's worker grew with the number of tasks; after each task
    it now calls glibc's malloc_trim (cms.memory), once per task, the sweep's included; it
    settles before a task, never after one (cms.memory.before_task)."""
    from cms import memory

    calls, settled = [], []
    monkeypatch.setattr(memory, "release", lambda: calls.append(1) or True)
    monkeypatch.setattr(memory, "settle", lambda: settled.append(memory._tasks) or 0)
    monkeypatch.setattr(memory, "settles_after", lambda count: count >= 1)
    monkeypatch.setattr(memory, "_tasks", 0)
    client.force_login(world["justice_admin"])
    upload(client, world, results_bytes(world, [line()], tmp_path))
    run_worker()
    finished = DBTaskResult.objects.exclude(status__in=["READY", "RUNNING"]).count()
    assert latest_job().status == ImportStatus.PREVIEW
    assert finished >= 1 and len(calls) == finished
    # Before each task after the first (every one here: settles_after is made always true),
    # the worker set what it keeps aside from the garbage collector, never after a task.
    assert settled == list(range(1, finished))


def test_giving_memory_back_is_glibc_malloc_trim_and_can_be_turned_off(monkeypatch):
    from cms import memory

    assert memory._load() is not False  # Debian: glibc
    memory.release()  # nothing raised; True or False by what glibc had to give back
    monkeypatch.setattr(memory, "ENABLED", False)
    assert memory.release() is False
