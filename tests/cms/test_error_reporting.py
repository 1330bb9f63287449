"""Operators hear about failures (issue 31, item 8): with ``SENTRY_DSN`` set, an error in a view,
a failed import and a dead worker each reach the error reporter. The reporter here is a real
HTTP server on 127.0.0.1 that accepts Sentry envelopes, as a province's GlitchTip would; the
real sentry-sdk sends to it (``cms.observability.init_sentry``). Also: nothing is sent without
a DSN, no personal data is sent, ``DJANGO_ADMINS`` is parsed, JSON log lines, sign-in lines and
the health endpoint's checks."""

from __future__ import annotations

import datetime
import gzip
import io
import json
import logging
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import path
from django.utils import timezone

from cms.observability import init_sentry, logging_config, parse_admins


class Receiver:
    """A tiny Sentry-compatible server: records every event of every envelope it is sent."""

    def __init__(self):
        self.events: list[dict] = []
        self.requests: list[dict] = []
        received = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                encoding = self.headers.get("Content-Encoding", "")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "deflate":
                    body = zlib.decompress(body)
                elif encoding == "br":  # pragma: no cover - only when brotli is installed
                    import brotli

                    body = brotli.decompress(body)
                received.requests.append(
                    {"path": self.path, "auth": self.headers.get("X-Sentry-Auth", "")}
                )
                received.events.extend(_events(body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):  # no access log in the test output
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def dsn(self) -> str:
        return f"http://publickey@127.0.0.1:{self.server.server_address[1]}/1"

    def wait(self) -> list[dict]:
        sentry_sdk.flush(timeout=10)
        return self.events

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _events(body: bytes) -> list[dict]:
    """The event items of an envelope: a header line, then item header and payload pairs."""
    stream = io.BytesIO(body)
    stream.readline()  # the envelope's header (event id, dsn, sent at)
    events = []
    while True:
        header_line = stream.readline()
        if not header_line.strip():
            break
        header = json.loads(header_line)
        if "length" in header:
            payload = stream.read(header["length"])
            stream.readline()
        else:
            payload = stream.readline()
        if header.get("type") == "event":
            events.append(json.loads(payload))
    return events


def _text(event) -> str:
    return json.dumps(event, ensure_ascii=False)


@pytest.fixture
def reporter():
    receiver = Receiver()
    assert init_sentry(receiver.dsn, environment="test")
    yield receiver
    sentry_sdk.flush(timeout=5)
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: nothing is sent by the tests that follow
    receiver.close()


# --- an error in a view ------------------------------------------------------------------------


def _broken_view(request):
    raise RuntimeError("sổ điểm bị hỏng")


# This module is its own URLconf for the view test.
urlpatterns = [path("loi/", _broken_view)]
handler500 = "cms.views.server_error"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_error_in_a_view_reaches_the_reporter_without_personal_data(reporter):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "bi-mat"
    response = client.get("/loi/?ma=1", HTTP_USER_AGENT="thu", REMOTE_ADDR="10.1.2.3")
    # The person sees the Vietnamese error page, not a traceback.
    assert response.status_code == 500
    assert "RuntimeError" not in response.content.decode()
    events = [e for e in reporter.wait() if "exception" in e]
    assert events, reporter.events
    exception = events[0]["exception"]["values"][-1]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "sổ điểm bị hỏng"
    assert events[0]["environment"] == "test"
    assert events[0]["transaction"] == "/loi/"
    # send_default_pii is off: no cookie, no client address, no user.
    text = _text(events[0])
    assert "bi-mat" not in text and "10.1.2.3" not in text
    assert "user" not in events[0] or "ip_address" not in events[0]["user"]
    # Nor the values of the frames' variables (names, marks, ratings in real views).
    frames = exception["stacktrace"]["frames"]
    assert frames and not any("vars" in frame for frame in frames)
    assert reporter.requests[0]["path"] == "/api/1/envelope/"
    assert "sentry_key=publickey" in reporter.requests[0]["auth"]


# --- a failed import ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_failed_import_reaches_the_reporter(reporter, monkeypatch):
    """The reader crashes on a file (a bug, not a bad file): the person is told to try again
    later, the operators get the traceback."""
    from importers import pipeline
    from importers.models import ImportJob, ImportKind, ImportStatus
    from importers.tasks import run_validation
    from tests.factories import AgencyFactory

    def crash(*args, **kwargs):
        raise ZeroDivisionError("reader crashed on sheet 2")

    monkeypatch.setattr(pipeline, "analyse", crash)
    job = ImportJob(
        kind=ImportKind.RESULTS,
        agency=AgencyFactory(),
        original_name="ket-qua.xlsx",
        size=4,
        sha256="0" * 64,
        status=ImportStatus.QUEUED,
    )
    job.file.save("ket-qua.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    job.save()

    assert run_validation(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "quản trị viên đã được ghi nhận" in job.issues[0]["message"]
    events = reporter.wait()
    crashed = [e for e in events if f"Import job {job.pk}: validation failed" in _text(e)]
    assert crashed, events
    assert crashed[0]["logger"] == "importers.tasks"
    assert crashed[0]["level"] == "error"
    assert crashed[0]["exception"]["values"][-1]["type"] == "ZeroDivisionError"


# --- a dead worker -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_dead_worker_reaches_the_reporter(reporter):
    """A worker killed while scoring left its run "running"; the next sweep puts it back in
    the queue (it is then carried out) and the operators hear that a worker died."""
    from scoring.models import RunStatus, ScoringRun
    from scoring.services import sweeper
    from tests.scoring.helpers import build_world

    world = build_world()
    stale = ScoringRun.objects.create(
        period=world.period,
        agency=world.unit,
        reason="Nhập Excel, lần nhập số 2",
        status=RunStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=3),
    )
    assert sweeper.sweep()["runs_recovered"] == [stale.pk]
    stale.refresh_from_db()
    assert stale.status == RunStatus.DONE
    events = reporter.wait()
    dead = [e for e in events if "worker that stopped" in _text(e)]
    assert dead, events
    assert dead[0]["logger"] == "scoring.services.rescoring"
    assert dead[0]["level"] == "error"
    assert str(stale.pk) in dead[0]["logentry"]["formatted"]


@pytest.mark.django_db
def test_a_silent_worker_fails_the_health_check_and_reaches_the_reporter(reporter, monkeypatch):
    """With the database queue, a worker that has not swept for five minutes is dead: the
    health endpoint answers 503 with ``worker: error`` (no details on the public endpoint) and
    the reporter gets why."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from dashboards import health_checks
    from scoring.services import rescoring
    from scoring.services.sweeper import sweep_task

    monkeypatch.setattr(rescoring, "database_queue", lambda: True)
    monkeypatch.setattr(health_checks, "_last_reported", {})
    long_ago = timezone.now() - datetime.timedelta(minutes=20)
    DBTaskResult.objects.create(
        status=TaskResultStatus.SUCCESSFUL,
        enqueued_at=long_ago,
        started_at=long_ago,
        finished_at=long_ago,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=sweep_task.module_path,
        backend_name="default",
        queue_name="default",
        run_after=long_ago,
        exception_class_path="",
        traceback="",
    )
    response = Client().get("/healthz/work")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["worker"] == "error"
    assert body["checks"]["database"] == "ok" and body["checks"]["cache"] == "ok"
    assert body["checks"]["storage"] == "ok" and body["checks"]["public_storage"] == "ok"
    assert "kpi-worker" not in response.content.decode()
    events = reporter.wait()
    silent = [e for e in events if "Health check worker failed" in _text(e)]
    assert silent, events
    assert "is the worker (kpi-worker) running?" in _text(silent[0])


# --- without a DSN, mail, logs -----------------------------------------------------------------


@pytest.mark.django_db
def test_nothing_is_sent_without_a_dsn(monkeypatch):
    receiver = Receiver()
    try:
        monkeypatch.delenv("SENTRY_DSN", raising=False)
        assert init_sentry() is False
        logging.getLogger("importers.tasks").error("Import job 1: validation failed")
        sentry_sdk.flush(timeout=2)
        assert receiver.events == [] and receiver.requests == []
    finally:
        receiver.close()


def test_health_endpoint_checks_every_part_when_all_is_well(client, db):
    body = client.get("/healthz/work").json()
    assert body["status"] == "ok"
    assert body["checks"] == {
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "public_storage": "ok",
        "worker": "in-process",
    }


def test_admins_come_from_the_environment_and_errors_are_mailed(settings, caplog):
    assert parse_admins("Trần Văn An <an@snv.gov.vn>, tro.giup@snv.gov.vn") == [
        ("Trần Văn An", "an@snv.gov.vn"),
        ("tro.giup", "tro.giup@snv.gov.vn"),
    ]
    assert parse_admins("") == []
    with pytest.raises(ValueError, match=r"an\.snv\.gov\.vn"):
        parse_admins("an.snv.gov.vn")
    config = logging_config("INFO", json_lines=False, mail_admins=True)
    assert config["root"]["handlers"] == ["console", "mail_admins"]
    assert config["handlers"]["mail_admins"]["level"] == "ERROR"
    # Django's own records go up to the root: a request error is mailed once, not twice.
    assert config["loggers"]["django"]["handlers"] == []


def test_json_log_lines():
    config = logging_config("INFO", json_lines=True, mail_admins=False)
    assert config["handlers"]["console"]["formatter"] == "json"
    import logging.config

    stream = io.StringIO()
    config["handlers"]["console"]["stream"] = stream
    config["handlers"]["console"]["class"] = "logging.StreamHandler"
    config["root"]["handlers"] = ["console"]
    config["disable_existing_loggers"] = False
    logger = logging.getLogger("tests.jsonlog")
    logging.config.dictConfig({**config, "loggers": {"tests.jsonlog": {"level": "INFO"}}})
    try:
        logger.info("Import job %s: committed", 7)
        line = json.loads(stream.getvalue().splitlines()[-1])
    finally:
        from django.conf import settings
        from django.utils.log import configure_logging

        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    assert line["message"] == "Import job 7: committed"
    assert line["level"] == "INFO" and line["logger"] == "tests.jsonlog"


@pytest.mark.django_db
def test_sign_in_events_are_logged_without_the_password(client, caplog):
    from tests.factories import UserFactory

    user = UserFactory(username="canbo.snv")
    user.set_password("mat-khau-dung-1")
    user.save()
    caplog.set_level(logging.INFO, logger="accounts.signin")
    client.post("/admin/login/", {"username": "canbo.snv", "password": "sai-mat-khau"})
    client.post("/admin/login/", {"username": "canbo.snv", "password": "mat-khau-dung-1"})
    lines = [r.getMessage() for r in caplog.records if r.name == "accounts.signin"]
    assert any(line.startswith("Sign-in failed: 'canbo.snv' from") for line in lines), lines
    assert any(line.startswith("Sign-in: canbo.snv from") for line in lines), lines
    assert not any("sai-mat-khau" in line or "mat-khau-dung-1" in line for line in lines)
