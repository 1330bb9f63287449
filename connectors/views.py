"""The webhook a document-management system pushes edXML packages to.

``POST /ket-noi/webhook/<source id>/`` with the package as the body and two headers:

* ``X-KPI-Timestamp``: the Unix time of sending (seconds); refused when more than
  ``MAX_SKEW`` away from ours (a captured request cannot be replayed later), and a signature
  already accepted is refused with 409 (it cannot be replayed within the window either;
  ``connectors.rules.first_use``);
* ``X-KPI-Signature``: ``sha256=`` + hex HMAC-SHA256, keyed with the source's shared secret, of
  ``<timestamp>.`` followed by the body.

The package then goes through the same gate as a pulled file (:func:`connectors.ingest.receive`)
and the run is logged. Answers (JSON): 200 ``created``/``updated``/``unchanged``, 202 ``waiting``
(kept in the review queue), 422 ``refused`` with the reason, 401 bad or stale signature, 409 a
signature already accepted, 404 no such active webhook source. The signed timestamp orders two
versions of a document that carry no time of their own (``connectors.ingest``).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import tempfile
import time

from django.db import transaction
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import rules
from .edxml import MAX_BYTES, MAX_MEGABYTES
from .models import Source, SourceKind
from .schedule import log_push

MAX_SKEW = 300
#: A pushed package is kept in memory up to this size, then spooled to a temporary file.
SPOOL_IN_MEMORY = 4 * 1024 * 1024
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
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BYTES:
        return _refuse(413, f"Gói tin lớn hơn {MAX_MEGABYTES} MB.")
    # Read as a stream (not ``request.body``, held in memory and capped by Django far below a
    # package with its scanned attachments), signed as it is read.
    mac = hmac.new(source.secret.encode(), timestamp.encode() + b".", hashlib.sha256)
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - closed below
    try:
        size = 0
        while chunk := request.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_BYTES:
                return _refuse(413, f"Gói tin lớn hơn {MAX_MEGABYTES} MB.")
            mac.update(chunk)
            body.write(chunk)
        if not hmac.compare_digest("sha256=" + mac.hexdigest(), signature):
            return _refuse(401, f"Chữ ký {SIGNATURE_HEADER} không đúng.")
        body.seek(0)
        sent_at = datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
        # The signature is used up with the package it brought: a request that fails (500)
        # leaves it unused, a replay of an accepted one is refused (rules.first_use).
        with transaction.atomic():
            if not rules.first_use(source, signature):
                return _refuse(409, _("Yêu cầu có chữ ký này đã được nhận: không nhận lại."))
            _run, status, package = log_push(source, stream=body, sent_at=sent_at)
    finally:
        body.close()
    answer = {"result": status}
    if package is not None and package.reason:
        answer["detail"] = package.reason  # why refused or waiting; what was withdrawn or skipped
    code = {"waiting": 202, "refused": 422}.get(status, 200)
    return JsonResponse(answer, status=code)
