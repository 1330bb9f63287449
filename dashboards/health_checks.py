"""The system's own parts, checked for the health endpoint ``/healthz/work`` (docs/operations.md,
"Errors, logs and health"): the database answers, the cache stores and returns a value, both
file storages accept, return and delete a small file, and the background worker is alive (it
sweeps every minute, ``scoring.services.sweeper``; a worker that has not swept for
``WORKER_SILENT`` is dead or stuck).

A failing check makes the endpoint answer 503 and is logged at ERROR level, so it reaches the
error reporter and the admins' mail (``cms.observability``) — at most once per
``REPORT_EVERY`` and process, as a monitor polls every few seconds."""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

from scoring.services import rescoring
from scoring.services.sweeper import STARTING_PRIORITY, sweep_task

logger = logging.getLogger(__name__)

#: The worker sweeps every minute; this long without a finished sweep, it is not working.
WORKER_SILENT = datetime.timedelta(minutes=5)
#: A worker that queued its start-up sweep this recently and has not swept since is "starting"
#: (it recovers interrupted work first, then drains what waits), not down.
STARTING_GRACE = datetime.timedelta(minutes=10)
#: A failing check is logged again after this long (per process).
REPORT_EVERY = datetime.timedelta(minutes=10)
_last_reported: dict[str, float] = {}


def _database(now) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone()[0] != 1:
            raise RuntimeError("SELECT 1 did not return 1")
    return "ok"


def _cache(now) -> str:
    key, value = f"healthz:{uuid.uuid4().hex}", now.isoformat()
    cache.set(key, value, 30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return the value just stored")
    finally:
        cache.delete(key)
    return "ok"


def _storage(alias: str) -> Callable[[datetime.datetime], str]:
    def check(now) -> str:
        storage = storages[alias]
        name = storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        try:
            with storage.open(name) as handle:
                if handle.read() != b"ok":
                    raise RuntimeError(f"storage {alias!r} returned other bytes")
        finally:
            storage.delete(name)
        return "ok"

    return check


def _worker(now) -> str:
    """The worker's periodic sweep finished recently; "starting" when a worker announced its
    start (``sweeper.announce_start``) less than ``STARTING_GRACE`` ago and has not swept yet;
    "in-process" when tasks run in the web process (development, tests), where there is no
    worker to die."""
    if not rescoring.database_queue():
        return "in-process"
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    last = (
        DBTaskResult.objects.filter(
            task_path=sweep_task.module_path, status=TaskResultStatus.SUCCESSFUL
        )
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    if last is None or last < now - WORKER_SILENT:
        started = DBTaskResult.objects.filter(
            task_path=sweep_task.module_path,
            priority=STARTING_PRIORITY,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
            enqueued_at__gte=now - STARTING_GRACE,
        ).exists()
        if started:
            return "starting"
        since = last.isoformat() if last else "never"
        raise RuntimeError(
            f"no background sweep finished since {since}: is the worker (kpi-worker) running?"
        )
    return "ok"


CHECKS: dict[str, Callable[[datetime.datetime], str]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage("default"),
    "public_storage": _storage("public"),
    "worker": _worker,
}


def run(now=None) -> dict[str, str]:
    """Each check's answer: "ok" (or "in-process") or "error". The endpoint is public: what
    failed and why goes to the log (and so to the error reporter), not into the answer."""
    now = now or timezone.now()
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check(now)
        except Exception as exc:  # any failure is the answer, reported below  # noqa: BLE001
            results[name] = "error"
            _report(name, exc)
    return results


def _report(name: str, exc: Exception) -> None:
    moment = time.monotonic()
    last = _last_reported.get(name)
    if last is not None and moment - last < REPORT_EVERY.total_seconds():
        return
    _last_reported[name] = moment
    logger.error("Health check %s failed: %s", name, exc, exc_info=exc)
