"""The outbox's transport rules (security L4, reliab L1): the bearer token goes to the
configured address only — a redirect is not followed —, and a retry of the same records under
the same versions keeps its batch name, which is its Idempotency-Key."""

from __future__ import annotations

import datetime
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from django.utils import timezone

from api.models import NationalDelivery, OutboxRecord, OutboxStatus
from api.national_export import HttpsTransport, Transport, TransportError, export

FAR = datetime.date(2099, 12, 31)


class _Server:
    """A real HTTP server on loopback that records the headers it receives."""

    def __init__(self, answer):
        seen = self.seen = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                seen.append(dict(self.headers))
                answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/records"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_security_l4_a_redirect_is_not_followed_with_the_token():
    def ok(handler):
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(b'{"receipt": "r", "accepted": [], "rejected": []}')

    elsewhere = _Server(ok)

    def redirect(handler):
        handler.send_response(307)
        handler.send_header("Location", elsewhere.url)
        handler.end_headers()

    receiver = _Server(redirect)
    try:
        transport = HttpsTransport(url=receiver.url, token="bi-mat", timeout=5)
        with pytest.raises(TransportError, match="Bên nhận trả lời HTTP 307"):
            transport.send("kpi-congvu-20991231", {"json": b"{}", "csv": b""})
        assert receiver.seen[0]["Authorization"] == "Bearer bi-mat"
        assert elsewhere.seen == []  # the token never went anywhere else
    finally:
        receiver.close()
        elsewhere.close()


class GarbageTransport(Transport):
    """A receiver that stored the batch but answered something unreadable."""

    names: list[str] = []

    def send(self, name, files):
        GarbageTransport.names.append(name)
        raise TransportError("Bên nhận trả lời không đúng dạng biên nhận: <html>")


@pytest.mark.django_db
def test_reliab_l1_a_retry_keeps_its_idempotency_key(shared_world, tmp_path, settings):
    settings.KPI_NATIONAL_DB_DROP_DIR = str(tmp_path)
    GarbageTransport.names = []
    export(FAR, transport=GarbageTransport())
    later = timezone.now() + datetime.timedelta(days=1)
    export(FAR, transport=GarbageTransport(), now=later, respect_backoff=False)
    assert len(GarbageTransport.names) == 2
    assert GarbageTransport.names[0] == GarbageTransport.names[1] == "kpi-congvu-20991231"
    assert list(NationalDelivery.objects.values_list("batch", flat=True)) == [
        "kpi-congvu-20991231",
        "kpi-congvu-20991231",
    ]
    # A record whose version changed is another batch (another key).
    record = OutboxRecord.objects.filter(status=OutboxStatus.FAILED).first()
    record.payload = {**record.payload, "corrected": True}
    record.save(update_fields=["payload"])
    export(FAR, transport=GarbageTransport(), now=later, respect_backoff=False)
    assert GarbageTransport.names[2] == "kpi-congvu-20991231-3"
