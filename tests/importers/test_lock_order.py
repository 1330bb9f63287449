"""An API bulk write and an Excel import of the same agency and month, at the same time
(review 2026-11-23 reliab.md M1, issue 28): both must be written, one after the other.

Before: the Excel commit held ``FOR UPDATE`` on the agency row, the API write ``FOR UPDATE`` on
the period row, and at COMMIT the deferred foreign-key checks of each (the lines' ``unit`` is
the agency row itself for the director and deputies; their ``period`` is the period row) asked
``FOR KEY SHARE`` on the row the other held: PostgreSQL killed one of them ("deadlock
detected"). Now both doors take the same locks in the same order
(:func:`scoring.services.input_locks.lock_inputs`: the agency, then the period, ``FOR NO KEY
UPDATE``), so the second waits for the first.
"""

import threading
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from django.db import connection, connections

from api.models import IntegrationSystem, IntegrationToken
from importers import pipeline
from importers.kinds.results import ResultsKind
from importers.lines import records
from org.models import LeadershipRole
from scoring.models import AssignmentLine, LineSource
from tests.factories import CivilServantFactory, post
from tests.importers.conftest import results_file

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and deferred foreign-key checks at COMMIT: PostgreSQL only "
        "(SQLite writes one transaction at a time)",
    ),
]

D31 = "2026-03-31"


def excel_line(official, product="STP-001", assigned=3):
    return [official, None, product, None, assigned, 1, D31, None, 0, 0, None, None]


def test_api_bulk_write_and_excel_import_of_the_same_agency_and_month_both_commit(
    world, tmp_path, monkeypatch
):
    justice = world["justice"]
    # The director: posted to the agency row itself, as in every department.
    director = post(
        justice,
        LeadershipRole.HEAD,
        person=CivilServantFactory(official_id="CT0009", full_name="Giám đốc Sở"),
        job_position=world["position"],
    )
    system = IntegrationSystem.objects.create(name="QLVB Sở Tư pháp", can_write=True)
    system.agencies.set([justice])
    _row, token = IntegrationToken.issue(system)
    path = results_file(world, tmp_path, [excel_line("CT0002"), excel_line("CT0003")])

    excel_locked, api_wrote = threading.Event(), threading.Event()
    real_lock, real_write, real_upsert = pipeline._lock, ResultsKind.write, records._write

    def lock_then_signal(context):
        real_lock(context)
        excel_locked.set()

    def write_then_wait(self, context, result):
        real_write(self, context, result)
        api_wrote.wait(4)  # the API writes its lines before the import commits (if it can)

    def upsert_then_signal(*args, **kwargs):
        upserted = real_upsert(*args, **kwargs)
        api_wrote.set()
        return upserted

    monkeypatch.setattr(pipeline, "_lock", lock_then_signal)
    monkeypatch.setattr(ResultsKind, "write", write_then_wait)
    monkeypatch.setattr(records, "_write", upsert_then_signal)

    outcome: dict = {}

    def excel():
        try:
            analysis, job = pipeline.commit(path)
            outcome["excel"] = (job is not None, [issue.line() for issue in analysis.errors])
        except Exception as exc:  # reported to the test's main thread  # noqa: BLE001
            outcome["excel"] = exc
        finally:
            connections.close_all()

    def api():
        try:
            assert excel_locked.wait(30)
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            items = [
                {
                    "external_id": f"VB-{official}",
                    "agency": "STP",
                    "period": "2026-03",
                    "official_id": official,
                    "product_code": "STP-001",
                    "assigned": 2,
                    "completed": 2,
                }
                for official in (director.official_id, "CT0001")
            ]
            response = client.post(
                "/api/v1/integration/assignment-lines/bulk/", {"items": items}, format="json"
            )
            outcome["api"] = (response.status_code, response.content[:500])
        except Exception as exc:  # reported to the test's main thread  # noqa: BLE001
            outcome["api"] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=excel), threading.Thread(target=api)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert outcome["excel"] == (True, []), outcome
    assert outcome["api"][0] == 200, outcome
    assert AssignmentLine.objects.filter(source=LineSource.EXCEL).count() == 2
    api_lines = AssignmentLine.objects.filter(source=LineSource.API)
    assert sorted(api_lines.values_list("civil_servant__official_id", flat=True)) == [
        "CT0001",
        "CT0009",
    ]
    assert api_lines.get(civil_servant=director).unit == justice
    assert api_lines.get(civil_servant=director).assigned_quantity == Decimal(2)
