"""The national outbox sends by itself over HTTPS to a receiver started here as its own process
(tests/api/national_receiver.py, which checks the documented format): delivered with receipts,
the receiver down for an hour (retries with back-off on a moved clock — no sleeping — nothing
lost or doubled), and a correction sent after a decision changed."""

from __future__ import annotations

import datetime
import json
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from django.utils import timezone

from api.models import (
    NationalDelivery,
    OutboxKind,
    OutboxRecord,
    OutboxStatus,
)
from api.national_export import HttpsTransport, TransportError, send_due
from cms.models import AttemptStatus
from ratings.models import RatingCase
from tests.api.world import build_world

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "token-of-the-national-side"
#: The test's clock: after the annual decisions (20/12/2026), so everything final is due.
T0 = datetime.datetime(2027, 1, 5, 9, 0, tzinfo=datetime.UTC)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Receiver:
    def __init__(self, port: int):
        self.port = port
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [
                sys.executable,
                "-m",
                "tests.api.national_receiver",
                "--port",
                str(self.port),
                "--token",
                TOKEN,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        assert line.startswith("READY"), line

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def received(self) -> dict:
        url = f"http://127.0.0.1:{self.port}/received"
        with urllib.request.urlopen(url, timeout=10) as answer:
            return json.loads(answer.read())


@pytest.fixture
def receiver(settings):
    port = _free_port()
    settings.KPI_NATIONAL_DB_TRANSPORT = "api.national_export.HttpsTransport"
    settings.KPI_NATIONAL_DB_URL = f"http://127.0.0.1:{port}/records"
    settings.KPI_NATIONAL_DB_TOKEN = TOKEN
    settings.KPI_NATIONAL_DB_TIMEOUT = 5
    server = Receiver(port)
    yield server
    server.stop()


@pytest.fixture
def world(db):
    return build_world()


def test_delivered_with_a_receipt_and_acknowledged(world, receiver):
    receiver.start()
    summary = send_due(T0)
    total = OutboxRecord.objects.count()
    assert total >= 5
    assert summary == {"batch": "kpi-congvu-20270105", "count": total, "error": ""}
    assert OutboxRecord.objects.filter(status=OutboxStatus.ACKNOWLEDGED).count() == total
    delivery = NationalDelivery.objects.get()
    assert (delivery.status, delivery.reference, delivery.accepted) == (
        AttemptStatus.OK,
        "RCPT-1",
        total,
    )
    held = receiver.received()
    assert sorted(r["record_id"] for r in held["records"]) == sorted(
        OutboxRecord.objects.values_list("pk", flat=True)
    )
    # Nothing more is due: the worker's next sweeps send nothing.
    assert send_due(T0 + datetime.timedelta(minutes=1)) is None


def test_the_receiver_down_for_an_hour_loses_and_doubles_nothing(world, receiver):
    total = OutboxRecord.objects.count()
    attempts = []
    minute = datetime.timedelta(minutes=1)
    # The receiver is down for an hour; the worker sweeps every minute.
    for tick in range(61):
        summary = send_due(T0 + tick * minute)
        if summary is not None:
            attempts.append(tick)
            assert "Không kết nối được bên nhận" in summary["error"]
    # Back-off: 5, 10, 20 minutes… — four tries in the hour, not sixty.
    assert attempts == [0, 5, 15, 35]
    failed = OutboxRecord.objects.filter(status=OutboxStatus.FAILED)
    assert failed.count() == total
    assert {r.attempts for r in failed} == {4}
    assert "Không kết nối được bên nhận" in failed.first().last_error
    assert NationalDelivery.objects.filter(status=AttemptStatus.FAILED).count() == 4

    receiver.start()
    for tick in range(61, 90):
        summary = send_due(T0 + tick * minute)
        if summary is not None:
            attempts.append(tick)
    assert attempts[4:] == [75]  # the next try after the back-off of 40 minutes
    assert OutboxRecord.objects.filter(status=OutboxStatus.ACKNOWLEDGED).count() == total
    held = receiver.received()
    ids = [r["record_id"] for r in held["records"]]
    assert len(ids) == len(set(ids)) == total
    assert held["duplicates"] == 0


def test_a_changed_decision_is_sent_as_a_correction(world, receiver):
    receiver.start()
    send_due(T0)
    case = RatingCase.objects.filter(civil_servant=world.people["alice"]).get()
    original = OutboxRecord.objects.get(rating_case=case)
    case.decision_level = "excellent"
    case.decision_ref = "15/QĐ-SNV"
    case.decision_date = datetime.date(2027, 1, 4)
    case.save()
    correction = OutboxRecord.objects.get(kind=OutboxKind.CORRECTION)
    assert correction.corrects == original

    later = T0 + datetime.timedelta(days=1)
    assert send_due(later)["count"] == 1
    held = {r["record_id"]: r for r in receiver.received()["records"]}
    sent = held[correction.pk]
    assert sent["kind"] == "correction"
    assert sent["corrects_record_id"] == original.pk
    assert sent["result"]["rating"] == "excellent"
    assert sent["reason"].startswith("Quyết định xếp loại được điều chỉnh (số 15/QĐ-SNV")
    assert held[original.pk]["result"]["rating"] == "good"  # the original stays as it was
    correction.refresh_from_db()
    assert correction.status == OutboxStatus.ACKNOWLEDGED


def test_a_wrong_token_or_a_plain_http_address_fails_with_why(world, receiver, settings):
    receiver.start()
    settings.KPI_NATIONAL_DB_TOKEN = "wrong"
    summary = send_due(T0)
    assert summary["error"].startswith("Bên nhận trả lời HTTP 401")
    assert not OutboxRecord.objects.filter(status=OutboxStatus.ACKNOWLEDGED).exists()
    with pytest.raises(TransportError, match="phải bắt đầu bằng https://"):
        HttpsTransport(url="http://example.org/records", token="x").send("b", {"json": b"{}"})


def test_the_worker_sweep_sends(world, receiver):
    from scoring.services import sweeper

    receiver.start()
    report = sweeper.sweep()
    assert report["national_outbox"]["error"] == ""
    today = timezone.localdate()
    assert not OutboxRecord.objects.filter(
        status=OutboxStatus.PENDING, result_date__lte=today
    ).exists()
    assert NationalDelivery.objects.get().status == AttemptStatus.OK
