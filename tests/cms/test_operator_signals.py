"""Signals an operator can act on (issue 47; reliability review M3, L3, L8): a database outage
reaches the error reporter once a minute with a count, not once per request; the worker's
health says "starting" (not "error") while a fresh worker recovers and drains its backlog; with
JSON logs on, gunicorn's own access and error lines are JSON too and every time has its zone."""

from __future__ import annotations

import datetime
import io
import json
import logging
import re
import time

import pytest

from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import path
from django.utils import timezone

from cms import observability
from tests.cms.test_error_reporting import reporter  # noqa: F401 - the fixture

ZONED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$")


def _database_down(request, n):
    raise OperationalError(
        f'connection failed: connection to server at "127.0.0.1", port {5000 + len(request.path)} '
        "failed: Connection refused"
    )


urlpatterns = [path("csdl/<int:n>/", _database_down)]
handler500 = "cms.views.server_error"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_database_outage_reaches_the_reporter_once_a_minute_with_a_count(reporter):  # noqa: F811
    client = Client(raise_request_exception=False)
    for n in range(25):
        assert client.get(f"/csdl/{n}/").status_code == 503
    events = [e for e in reporter.wait() if "OperationalError" in json.dumps(e)]
    assert len(events) == 1, [e.get("logger") for e in events]

    # A minute later the cause is reported again, with how many were held meanwhile.
    started = time.monotonic()
    observability.SENTRY_THROTTLE.clock = lambda: started + 61
    assert client.get("/csdl/99/").status_code == 503
    events = [e for e in reporter.wait() if "OperationalError" in json.dumps(e)]
    assert len(events) == 2
    assert events[1]["extra"]["repeated"] >= 24


def test_the_admins_mail_gets_one_error_per_cause_per_minute():
    moment = [0.0]
    throttle_filter = observability.ThrottleFilter()
    throttle_filter.throttle.clock = lambda: moment[0]

    def record(message, *args):
        return logging.LogRecord("importers.tasks", logging.ERROR, __file__, 1, message, args, None)

    passed = [throttle_filter.filter(record("Import job %s failed", n)) for n in range(10)]
    assert passed == [True] + [False] * 9
    assert throttle_filter.filter(record("E-mail %s given up", 3))  # another cause
    moment[0] = 61.0
    again = record("Import job %s failed", 11)
    assert throttle_filter.filter(again)
    assert "+9 like this in the last minute" in again.getMessage()
    info = logging.LogRecord("x", logging.INFO, __file__, 1, "fine", (), None)
    assert all(throttle_filter.filter(info) for _ in range(3))  # only errors are held


def test_json_lines_carry_a_zoned_time_and_gunicorn_logs_are_json(monkeypatch):
    monkeypatch.delenv("KPI_LOG_FORMAT", raising=False)
    assert observability.gunicorn_logconfig() is None  # plain text stays gunicorn's own
    monkeypatch.setenv("KPI_LOG_FORMAT", "json")
    config = observability.gunicorn_logconfig()
    assert set(config["loggers"]) == {"gunicorn.error", "gunicorn.access"}

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        observability.JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    access = logging.getLogger("gunicorn.access.test")
    access.name = "gunicorn.access"
    error = logging.getLogger("gunicorn.error.test")
    for logger in (access, error):
        logger.addHandler(handler)
        logger.propagate = False
        logger.setLevel(logging.INFO)
    try:
        atoms = {"h": "10.0.0.5", "r": "GET /healthz HTTP/1.1", "s": "200", "B": "15", "M": "4"}
        access.info('%(h)s "%(r)s" %(s)s', atoms)
        error.critical("WORKER TIMEOUT (pid:%s)", 4242)
    finally:
        for logger in (access, error):
            logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["level"] for line in lines] == ["INFO", "CRITICAL"]
    assert all(ZONED.match(line["time"]) for line in lines), lines
    assert lines[0]["status"] == "200" and lines[0]["request"] == "GET /healthz HTTP/1.1"
    assert lines[1]["message"] == "WORKER TIMEOUT (pid:4242)"

    app = observability.logging_config("INFO", json_lines=True, mail_admins=False)
    assert app["formatters"]["json"]["()"] == "cms.observability.JsonFormatter"
    with open("deploy/systemd/kpi-web.service", encoding="utf-8") as unit:
        assert "--config /srv/kpi-cong-vu/deploy/gunicorn.conf.py" in unit.read()


def _sweep_row(status, when, priority=0):
    from django_tasks_db.models import DBTaskResult

    from scoring.services.sweeper import sweep_task

    return DBTaskResult.objects.create(
        status=status,
        enqueued_at=when,
        started_at=when if status != "READY" else None,
        finished_at=when if status == "SUCCESSFUL" else None,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=sweep_task.module_path,
        backend_name="default",
        queue_name="default",
        run_after=when,
        priority=priority,
        exception_class_path="",
        traceback="",
    )


@pytest.mark.django_db
def test_a_worker_that_just_started_is_starting_not_down(monkeypatch):
    from django_tasks import TaskResultStatus

    from dashboards import health_checks
    from scoring.services import rescoring, sweeper

    monkeypatch.setattr(rescoring, "database_queue", lambda: True)
    monkeypatch.setattr(health_checks, "_last_reported", {})
    now = timezone.now()
    _sweep_row(TaskResultStatus.SUCCESSFUL, now - datetime.timedelta(hours=3))
    assert Client().get("/healthz/work").json()["checks"]["worker"] == "error"

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        sweeper.announce_start()  # what db_worker does first: its sweep, ahead of any backlog
    response = Client().get("/healthz/work")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == "starting"
    # Still not swept ten minutes later: down.
    later = now + health_checks.STARTING_GRACE + datetime.timedelta(minutes=1)
    assert health_checks.run(later)["worker"] == "error"


@pytest.mark.django_db
def test_task_rows_a_killed_worker_left_running_are_closed_by_the_sweep(monkeypatch):
    """Review L7: a worker killed mid-task left its row RUNNING for ever. The sweep closes it as
    failed (saying why) once no work waits on it; a row live work still points at, and a fresh
    one, are left alone."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from accounts.models import AccountBatch
    from scoring.services import rescoring, sweeper
    from tests.factories import UserFactory

    monkeypatch.setattr(rescoring, "database_queue", lambda: True)
    now = timezone.now()
    hour_ago = now - datetime.timedelta(hours=1)
    dead = _sweep_row(TaskResultStatus.RUNNING, hour_ago)
    fresh = _sweep_row(TaskResultStatus.RUNNING, now - datetime.timedelta(minutes=2))
    awaited = _sweep_row(TaskResultStatus.RUNNING, hour_ago)
    AccountBatch.objects.create(created_by=UserFactory(), task_id=str(awaited.pk), total=1)

    assert sweeper.close_dead_task_rows(now) == 1
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == TaskResultStatus.FAILED
    assert statuses[fresh.pk] == statuses[awaited.pk] == TaskResultStatus.RUNNING
    assert "stopped" in DBTaskResult.objects.get(pk=dead.pk).traceback
    assert sweeper.close_dead_task_rows(now) == 0  # idempotent
