"""Fault drill of 2026-11-22 (scripts/ci-production.sh): a db_worker killed during an import
commit left the job "Đang ghi dữ liệu" for ever (the task stayed "running"). PostgreSQL rolls
the commit back; the next worker ends the job as failed, saying nothing was written."""

import datetime

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from importers.models import ImportJob, ImportKind, ImportStatus
from importers.recovery import recover_interrupted_jobs
from tests.factories import AgencyFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks with NOWAIT: PostgreSQL only"
    ),
]


def task(status=TaskResultStatus.RUNNING, started_ago=datetime.timedelta(minutes=1)):
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        started_at=now - started_ago,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="importers.tasks.commit_import",
        backend_name="default",
        queue_name="default",
        run_after=now,
        exception_class_path="",
        traceback="",
    )


def job(status, task_result):
    row = ImportJob(
        kind=ImportKind.RESULTS,
        agency=AgencyFactory(),
        original_name="ket-qua.xlsx",
        size=4,
        sha256="0" * 64,
        status=status,
        task_id=str(task_result.pk),
    )
    row.file.save("ket-qua.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    row.save()
    return row


def test_a_commit_left_by_a_dead_worker_ends_failed_with_nothing_written():
    orphan = job(ImportStatus.COMMITTING, task())
    assert recover_interrupted_jobs() == [orphan.pk]
    orphan.refresh_from_db()
    assert orphan.status == ImportStatus.FAILED
    assert "không có dữ liệu nào được ghi" in orphan.issues[0]["message"]
    assert DBTaskResult.objects.get(pk=orphan.task_id).status == TaskResultStatus.FAILED


def test_jobs_still_waiting_or_just_claimed_are_left_alone():
    waiting = job(ImportStatus.COMMITTING, task(status=TaskResultStatus.READY))
    just_claimed = job(ImportStatus.COMMITTING, task(started_ago=datetime.timedelta(seconds=1)))
    assert recover_interrupted_jobs() == []
    for row in (waiting, just_claimed):
        row.refresh_from_db()
        assert row.status == ImportStatus.COMMITTING


def test_a_worker_starting_seconds_after_its_predecessor_died_still_ends_the_job():
    """CI production check: the supervisor restarted db_worker within the claim grace of the
    killed worker's task, and the job stayed 'committing' for ever."""
    orphan = job(ImportStatus.COMMITTING, task(started_ago=datetime.timedelta(seconds=4)))
    assert recover_interrupted_jobs(wait=True) == [orphan.pk]
    orphan.refresh_from_db()
    assert orphan.status == ImportStatus.FAILED
