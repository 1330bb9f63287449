"""The webhook a document-management system pushes edXML packages to.

``POST /ket-noi/webhook/<source id>/`` with the package as the body and two headers:

* ``X-KPI-Timestamp``: the Unix time of sending (seconds); refused when more than
  ``MAX_SKEW`` away from ours (a captured request cannot be replayed later);
* ``X-KPI-Signature``: ``sha256=`` + hex HMAC-SHA256, keyed with the source's shared secret, of
  ``<timestamp>.`` followed by the body.

The package then goes through the same gate as a pulled file (:func:`connectors.ingest.receive`)
and the run is logged. Answers (JSON): 200 ``created``/``updated``/``unchanged``, 202 ``waiting``
(kept in the review queue), 422 ``refused`` with the reason, 401 bad or stale signature, 404 no
such active webhook source.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .edxml import MAX_BYTES
from .models import Source, SourceKind
from .schedule import log_push

MAX_SKEW = 300
SIGNATURE_HEADER = "X-KPI-Signature"
TIMESTAMP_HEADER = "X-KPI-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def _refuse(status: int, message: str) -> JsonResponse:
    return JsonResponse({"result": "error", "detail": message}, status=status)


@csrf_exempt
@require_POST
def webhook(request, pk: int):
    source = Source.objects.filter(pk=pk, is_active=True, kind=SourceKind.WEBHOOK).first()
    if source is None:
        return _refuse(404, "Không có nguồn nhận gói tin này.")
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_SKEW:
        return _refuse(401, f"Thiếu hoặc sai {TIMESTAMP_HEADER} (thời điểm gửi, giây Unix).")
    if len(request.body) > MAX_BYTES:
        return _refuse(413, "Gói tin lớn hơn 30 MB.")
    body = request.body
    if not hmac.compare_digest(sign(source.secret, timestamp, body), signature):
        return _refuse(401, f"Chữ ký {SIGNATURE_HEADER} không đúng.")
    _run, status, package = log_push(source, body)
    answer = {"result": status}
    if status in ("waiting", "refused") and package is not None:
        answer["detail"] = package.reason
    code = {"waiting": 202, "refused": 422}.get(status, 200)
    return JsonResponse(answer, status=code)
