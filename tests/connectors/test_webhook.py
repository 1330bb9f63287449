"""The webhook: a document system pushes signed edXML packages; bad or stale signatures are
refused and write nothing; the same package twice changes nothing."""

import time

from django.test import Client

from connectors.ingest import external_id
from connectors.models import Package, Run, RunTrigger, SourceKind, TaskTypeMapping
from connectors.views import sign
from scoring.models import AssignmentLine
from tests.connectors.world import document, ident, status


def _push(source, body, secret=None, timestamp=None):
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    return Client().post(
        f"/ket-noi/webhook/{source.pk}/",
        data=body,
        content_type="application/xml",
        HTTP_X_KPI_TIMESTAMP=timestamp,
        HTTP_X_KPI_SIGNATURE=sign(secret or source.secret, timestamp, body),
    )


def _source(world, **options):
    source = world.source(name="iOffice Sở Tư pháp", kind=SourceKind.WEBHOOK, **options)
    TaskTypeMapping.objects.create(source=source, external_type="CV", product_code="CV")
    return source


def test_a_signed_push_creates_the_line_and_its_completion(world):
    source = _source(world, completion_needs_review=False)
    answer = _push(source, document())
    assert answer.status_code == 200
    assert answer.json() == {"result": "created"}
    answer = _push(source, status(when="2026-11-19"))
    assert answer.json() == {"result": "updated"}
    line = AssignmentLine.objects.get(external_id=external_id(source, ident("DOC-1")))
    assert line.completed_on.isoformat() == "2026-11-19"
    assert line.delays == 0
    assert list(Run.objects.values_list("trigger", "received")) == [
        (RunTrigger.WEBHOOK, 1),
        (RunTrigger.WEBHOOK, 1),
    ]
    # Sent again (a retry of the other system, signed again): nothing changes.
    again = _push(source, document(), timestamp=str(int(time.time()) + 1))
    assert again.json() == {"result": "unchanged"}
    assert AssignmentLine.objects.count() == 1


def test_a_wrong_signature_or_an_old_timestamp_is_refused_and_stores_nothing(world):
    source = _source(world)
    wrong = _push(source, document(), secret="not-the-secret")
    assert wrong.status_code == 401
    assert wrong.json()["detail"] == "Chữ ký X-KPI-Signature không đúng."
    stale = _push(source, document(), timestamp=str(int(time.time()) - 3600))
    assert stale.status_code == 401
    assert "X-KPI-Timestamp" in stale.json()["detail"]
    assert not Package.objects.exists()
    assert not AssignmentLine.objects.exists()


def test_a_waiting_or_refused_package_is_answered_with_why(world):
    source = _source(world)
    waiting = _push(source, document(email="ai@khac.vn"))
    assert waiting.status_code == 202
    assert waiting.json() == {
        "result": "waiting",
        "detail": "Chưa xác định được công chức của người xử lý “ai@khac.vn”.",
    }
    refused = _push(source, b"<khong-phai-edxml/>")
    assert refused.status_code == 422
    assert refused.json()["detail"] == "Không phải gói tin edXML: thiếu phần MessageHeader."


def test_only_active_webhook_sources_answer(world, tmp_path):
    folder = world.source(tmp_path)
    response = _push(folder, document())
    assert response.status_code == 404
    assert not AssignmentLine.objects.exists()  # nothing written for a folder source
    assert Client().get(f"/ket-noi/webhook/{folder.pk}/").status_code == 405


def test_a_task_completed_before_its_deadlines_month_counts_in_the_month_it_was_done(world):
    """Due 02/12, done 25/11: the result belongs to November (the results rules keep a
    completion date inside its line's period); the deadline stays 02/12, no delay. (A source
    whose completions are taken as accepted; by default the line waits for the evaluator.)"""
    source = _source(world, completion_needs_review=False)
    assert _push(source, document(due="2026-12-02")).json() == {"result": "created"}
    line = AssignmentLine.objects.get()
    assert line.period.code == "2026-12"
    assert _push(source, status(when="2026-11-25")).json() == {"result": "updated"}
    line.refresh_from_db()
    assert (line.period.code, line.deadline.isoformat()) == ("2026-11", "2026-12-02")
    assert (line.completed_on.isoformat(), line.delays) == ("2026-11-25", 0)
