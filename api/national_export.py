"""The daily batch for the national civil-servant database: a JSON document and a CSV table.

We do NOT know the national database's own schema (it is not published); the batch documents
exactly what we send (docs/api.md, "Cơ sở dữ liệu quốc gia") so that an adapter can map it.

A batch for day D holds every unsent record (pending or failed) whose result date is on or
before D and whose back-off has passed. The transport is pluggable
(``KPI_NATIONAL_DB_TRANSPORT``): the file drop writes the two files into
``KPI_NATIONAL_DB_DROP_DIR`` for whatever picks them up; :class:`HttpsTransport` posts the JSON
document to the national side with a bearer token (and a client certificate for mutual TLS when
configured) and reads its receipt. Every attempt is stored (``NationalDelivery``) with the
receipt or the error. After a successful send the records are ``sent`` — ``acknowledged`` at
once for the records the receipt accepts; a failing transport marks them ``failed`` with the
error and a ``next_attempt_at`` that backs off (5 minutes, doubling, at most 6 hours), so a
receiver that is down gets the same records again later, never twice once they are through
(the receiver keys on ``record_id``; docs/national-export.md §6). The worker sends by itself:
:func:`send_due` is a sweeper check (each minute). The receiver may also acknowledge records
through the API (``acknowledged``).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import os
import ssl
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from ipaddress import ip_address
from urllib.parse import urlsplit

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cms import jobs
from cms.jobs import HealthItem
from cms.retry import RetryPolicy
from cms.spreadsheets import csv_safe
from org.models import Agency
from ratings.models.choices import CaseState
from ratings.services.case_figure import case_figure

from . import conf
from .models import UNSENT, NationalDelivery, OutboxRecord, OutboxStatus
from .outbox import collect_final_results

FORMAT = "kpi-congvu/national-db-results"
FORMAT_VERSION = 2  # 2: correction and cancellation records (corrects_record_id, reason)
CSV_COLUMNS = (
    "record_id",
    "kind",
    "official_id",
    "full_name",
    "agency_code",
    "agency_name",
    "year",
    "period_code",
    "period_kind",
    "period_start",
    "period_end",
    "role",
    "position_group",
    "total",
    "rating",
    "quantity",
    "quality",
    "timeliness",
    "task_points",
    "general_points",
    "decision_ref",
    "decision_date",
    "result_date",
    "due_date",
    "corrects_record_id",
    "reason",
)


def batch_name(day: datetime.date) -> str:
    return f"kpi-congvu-{day:%Y%m%d}"


def unsent_until(
    day: datetime.date, now: datetime.datetime | None = None, respect_backoff: bool = True
):
    """Unsent records with a result on or before ``day`` (and, unless told otherwise, whose
    back-off has passed at ``now``, default now)."""
    records = OutboxRecord.objects.filter(status__in=UNSENT, result_date__lte=day)
    if respect_backoff:
        now = now or timezone.now()
        records = records.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    return records.order_by("id")


def held_for_recomputation(record: OutboxRecord) -> bool:
    """An annual record (or its correction) whose figure is being recomputed waits for the next
    batch: a sent figure always equals the recomputation at the time of sending (issue 42)."""
    original = record.corrects or record
    case = original.rating_case if original.rating_case_id else None
    if case is None or case.state not in (CaseState.DECIDED, CaseState.NOTIFIED):
        return False
    return bool(case_figure(case).stale)


def record_entry(record: OutboxRecord) -> dict:
    """One record of the batch: our identifiers and dates around the stored payload."""
    return {
        "record_id": record.pk,
        "kind": record.kind,
        "result_date": record.result_date.isoformat(),
        "due_date": record.due_date.isoformat(),
        "corrects_record_id": record.corrects_id,
        "reason": record.reason,
        **record.payload,
    }


def document(records, name: str, day: datetime.date) -> dict:
    province = Agency.objects.filter(parent__isnull=True).order_by("id").first()
    entries = [record_entry(record) for record in records]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "batch": name,
        "batch_date": day.isoformat(),
        "generated_at": timezone.now().isoformat(),
        "source": {
            "system": "KPI Công vụ",
            "province_code": province.code if province else "",
            "province_name": province.name if province else "",
        },
        "count": len(entries),
        "records": entries,
    }


def to_json(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder).encode()


def csv_rows(doc: dict):
    for entry in doc["records"]:
        result = entry.get("result") or {}
        period = entry.get("period") or {}
        person = entry.get("civil_servant", {})
        agency = entry.get("agency", {})
        yield {
            "record_id": entry["record_id"],
            "kind": entry["kind"],
            "official_id": person.get("official_id", ""),
            "full_name": person.get("full_name", ""),
            "agency_code": agency.get("code", ""),
            "agency_name": agency.get("name", ""),
            "year": entry.get("year") or period.get("year", ""),
            "period_code": period.get("code", ""),
            "period_kind": period.get("kind", ""),
            "period_start": period.get("start_date", ""),
            "period_end": period.get("end_date", ""),
            "role": entry.get("role", ""),
            "position_group": entry.get("position_group", ""),
            "total": result.get("total") or result.get("score") or "",
            "rating": result.get("rating", ""),
            "quantity": result.get("quantity") or "",
            "quality": result.get("quality") or "",
            "timeliness": result.get("timeliness") or "",
            "task_points": result.get("task_points") or "",
            "general_points": result.get("general_points") or "",
            "decision_ref": result.get("decision_ref") or "",
            "decision_date": result.get("decision_date") or "",
            "result_date": entry["result_date"],
            "due_date": entry["due_date"],
            "corrects_record_id": entry.get("corrects_record_id") or "",
            "reason": entry.get("reason") or "",
        }


def to_csv(doc: dict) -> bytes:
    """UTF-8 with a BOM (Excel opens Vietnamese correctly), comma-separated, one header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    # Names are typed by people: no field may reach a spreadsheet program as a formula.
    writer.writerows({key: csv_safe(value) for key, value in row.items()} for row in csv_rows(doc))
    return ("\ufeff" + buffer.getvalue()).encode()


# --------------------------------------------------------------------------- transports


@dataclass
class Receipt:
    """What a transport got back: a reference (receipt id, file path), and, when the receiver
    acknowledges records in its answer, the ids it accepted and those it rejected (with why)."""

    reference: str
    accepted: list[int] | None = None
    rejected: dict[int, str] = field(default_factory=dict)
    response: str = ""


class TransportError(Exception):
    """The batch did not get through; the message says why (it is stored on the records)."""


class Transport:
    """Sends one batch; returns a :class:`Receipt` (or a reference string) or raises."""

    def send(self, name: str, files: dict[str, bytes]) -> Receipt | str:
        raise NotImplementedError


class FileDropTransport(Transport):
    """Writes ``<name>.json`` and ``<name>.csv`` into ``KPI_NATIONAL_DB_DROP_DIR``.

    Files appear atomically (written under a temporary name, then renamed). A second batch of
    the same name gets ``-2``, ``-3``… so nothing already dropped is overwritten.
    """

    def __init__(self, directory=None):
        self.directory = directory or conf.drop_dir()

    def send(self, name: str, files: dict[str, bytes]) -> str:
        os.makedirs(self.directory, exist_ok=True)
        final = name
        suffix = 1
        while any(os.path.exists(os.path.join(self.directory, f"{final}.{ext}")) for ext in files):
            suffix += 1
            final = f"{name}-{suffix}"
        for ext, content in files.items():
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            os.replace(temporary, os.path.join(self.directory, f"{final}.{ext}"))
        return os.path.join(str(self.directory), final)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuses every redirect: the request (and its bearer token) goes to the configured
    address only; a 3xx answer is an :class:`urllib.error.HTTPError`."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpsTransport(Transport):
    """POSTs the JSON document to ``KPI_NATIONAL_DB_URL`` (docs/national-export.md §6).

    Headers: ``Authorization: Bearer <KPI_NATIONAL_DB_TOKEN>``, ``Idempotency-Key: <batch>``,
    ``Content-Type: application/json``. A redirect is **not followed** (it would carry the
    token elsewhere): it fails the send like any other unexpected answer. A 2xx answer is a
    JSON receipt
    ``{"receipt": "…", "accepted": [record ids], "rejected": [{"record_id": …, "reason": "…"}]}``;
    anything else (another status, no answer, a connection refused, a timeout) raises
    :class:`TransportError`. Plain ``http://`` is refused except to a loopback address.
    """

    def __init__(self, url=None, token=None, timeout=None, client_cert=None, ca_file=None):
        self.url = url or conf.https_url()
        self.token = token if token is not None else conf.https_token()
        self.timeout = timeout or conf.timeout()
        self.client_cert = client_cert if client_cert is not None else conf.client_cert()
        self.ca_file = ca_file if ca_file is not None else conf.ca_file()

    def _context(self):
        parts = urlsplit(self.url)
        if parts.scheme == "http" and _loopback(parts.hostname or ""):
            return None
        if parts.scheme != "https":
            raise TransportError(
                _("KPI_NATIONAL_DB_URL phải bắt đầu bằng https:// (đang là “%(url)s”).")
                % {"url": self.url}
            )
        context = ssl.create_default_context(cafile=self.ca_file)
        if self.client_cert:
            context.load_cert_chain(*self.client_cert)
        return context

    def send(self, name: str, files: dict[str, bytes]) -> Receipt:
        if not self.url:
            raise TransportError(_("Chưa cấu hình địa chỉ nhận KPI_NATIONAL_DB_URL."))
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in _context
            self.url,
            data=files["json"],
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": name,
                "User-Agent": "KPI-Cong-vu national export",
            },
        )
        opener = urllib.request.build_opener(
            _NoRedirect(), urllib.request.HTTPSHandler(context=self._context())
        )
        try:
            with opener.open(request, timeout=self.timeout) as response:
                text = response.read(1_000_000).decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            body = error.read(2000).decode("utf-8", "replace")
            raise TransportError(
                _("Bên nhận trả lời HTTP %(code)s: %(body)s") % {"code": error.code, "body": body}
            ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise TransportError(
                _("Không kết nối được bên nhận %(url)s: %(reason)s")
                % {"url": self.url, "reason": reason}
            ) from None
        try:
            answer = json.loads(text)
            rejected = {
                int(item["record_id"]): str(item.get("reason", ""))
                for item in answer.get("rejected") or []
            }
            accepted = [int(pk) for pk in answer.get("accepted") or []]
            return Receipt(str(answer["receipt"]), accepted, rejected, text[:5000])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise TransportError(
                _("Bên nhận trả lời không đúng dạng biên nhận: %(text)s") % {"text": text[:500]}
            ) from None


def get_transport() -> Transport:
    return import_string(conf.transport_path())()


# --------------------------------------------------------------------------- running


@dataclass
class ExportResult:
    batch: str
    count: int
    reference: str = ""
    error: str = ""
    collected: int = 0
    accepted: int = 0
    rejected: int = 0


def retry_policy() -> RetryPolicy:
    """The one retry policy of background work (``cms.retry``), with the province's delays; a
    record is never given up (the national database must get it), so no attempt is the last."""
    return RetryPolicy(
        max_attempts=2**31,
        first=datetime.timedelta(minutes=conf.retry_minutes()),
        longest=datetime.timedelta(minutes=conf.retry_max_minutes()),
    )


def retry_delay(attempts: int) -> datetime.timedelta:
    """The back-off after the ``attempts``-th failed send of a record."""
    return retry_policy().delay(attempts)


def _fail(ids, error: str, now) -> None:
    """Mark ``ids`` failed with ``error``; each backs off by its own number of attempts."""
    records = OutboxRecord.objects.filter(pk__in=ids)
    policy = retry_policy()
    for attempts in set(records.values_list("attempts", flat=True)):
        records.filter(attempts=attempts).update(
            **OutboxRecord.after_failure(attempts + 1, error, policy, now)
        )


def fingerprint(records) -> str:
    """The records of a batch and their versions (the payload sent): the same fingerprint is
    the same batch, whenever it is sent again."""
    digest = hashlib.sha256()
    for record in sorted(records, key=lambda r: r.pk):
        payload = json.dumps(record.payload, sort_keys=True, ensure_ascii=False, default=str)
        digest.update(f"{record.pk}:{hashlib.sha256(payload.encode()).hexdigest()};".encode())
    return digest.hexdigest()


def _batch_name(day: datetime.date, print_: str = "") -> str:
    """The batch's name, which is also its ``Idempotency-Key``: a retry of the same records
    under the same versions keeps the name of its first attempt (reliab L1)."""
    if print_:
        earlier = (
            NationalDelivery.objects.filter(fingerprint=print_)
            .order_by("started_at", "id")
            .values_list("batch", flat=True)
            .first()
        )
        if earlier:
            return earlier
    name = batch_name(day)
    earlier_count = NationalDelivery.objects.filter(batch__startswith=name).count()
    return name if not earlier_count else f"{name}-{earlier_count + 1}"


def export(
    day: datetime.date | None = None,
    transport: Transport | None = None,
    now: datetime.datetime | None = None,
    respect_backoff: bool = True,
) -> ExportResult:
    """Build and send the batch of ``day`` (today by default); mark the records and store the
    attempt. ``now`` is the clock of the back-off (tests move it instead of sleeping); with
    ``respect_backoff=False`` (the daily command, an operator's run) failed records are sent
    again at once."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    collected = collect_final_results()
    transport = transport or get_transport()
    with transaction.atomic():
        records = list(
            unsent_until(day, now if respect_backoff else None, respect_backoff).select_for_update()
        )
        records = [record for record in records if not held_for_recomputation(record)]
        if not records:
            return ExportResult(batch=_batch_name(day), count=0, collected=collected)
        print_ = fingerprint(records)
        name = _batch_name(day, print_)
        doc = document(records, name, day)
        ids = [record.pk for record in records]
        delivery = NationalDelivery(
            batch=name,
            fingerprint=print_,
            transport=type(transport).__name__,
            started_at=now,
            records=len(ids),
        )
        try:
            outcome = transport.send(name, {"json": to_json(doc), "csv": to_csv(doc)})
        except Exception as exc:  # any transport failure is recorded, then retried later  # noqa: BLE001
            error = str(exc) or type(exc).__name__
            _fail(ids, error, now)
            delivery.finish(error[:5000])
            delivery.save()
            return ExportResult(batch=name, count=len(ids), error=error, collected=collected)
        receipt = outcome if isinstance(outcome, Receipt) else Receipt(reference=str(outcome))
        batch = name if isinstance(outcome, Receipt) else os.path.basename(receipt.reference)
        OutboxRecord.objects.filter(pk__in=ids).update(
            **OutboxRecord.after_delivery(now),
            batch=batch[:64],
            last_error="",
            next_attempt_at=None,
        )
        accepted = [pk for pk in (receipt.accepted or []) if pk in set(ids)]
        if accepted:
            OutboxRecord.objects.filter(pk__in=accepted).update(
                status=OutboxStatus.ACKNOWLEDGED, acknowledged_at=now
            )
        for pk, reason in receipt.rejected.items():
            if pk in set(ids):
                OutboxRecord.objects.filter(pk=pk).update(
                    status=OutboxStatus.FAILED,
                    last_error=(_("Bên nhận từ chối: %(reason)s") % {"reason": reason})[:2000],
                    next_attempt_at=now + retry_delay(1),
                )
        delivery.finish()
        delivery.reference = receipt.reference[:500]
        delivery.accepted, delivery.rejected = len(accepted), len(receipt.rejected)
        delivery.response = receipt.response
        delivery.save()
    return ExportResult(
        batch=batch,
        count=len(ids),
        reference=receipt.reference,
        collected=collected,
        accepted=len(accepted),
        rejected=len(receipt.rejected),
    )


def send_due(now: datetime.datetime | None = None):
    """The worker's check: send what is due (new records, and failed ones whose back-off has
    passed). Returns a short summary, or None when there was nothing to send."""
    if not conf.schedule_enabled():
        return None
    now = now or timezone.now()
    if not unsent_until(timezone.localdate(now), now).exists():
        return None
    result = export(now=now)
    return {"batch": result.batch, "count": result.count, "error": result.error}


def scheduled_sending() -> bool:
    """Whether the worker's sweep sends what is due (``send_due``): the schedule is on and
    tasks go to the database queue a worker runs (in-process, as in the demo, nothing sweeps)."""
    return conf.schedule_enabled() and jobs.database_queue()


#: An overdue record the scheduled sending left unsent this long is stuck: the sweep sends
#: what is due every minute, so it is not running (a failed send waits for its back-off).
HEALTH_WAIT = datetime.timedelta(minutes=15)


def health_items(now: datetime.datetime) -> list[HealthItem]:
    """``/healthz/work``'s lines for the national database (``cms.jobs.register_health``).

    The records past their due date and not sent: a deadline is missed. They alarm (stuck)
    only when the scheduled sending is on (:func:`scheduled_sending`) and one has waited
    :data:`HEALTH_WAIT` with no back-off pending — then the sending itself is not running;
    otherwise the operator sends by hand and the line only counts. And the records whose last
    send failed,
    sent again by themselves after the back-off."""
    overdue = OutboxRecord.objects.overdue(timezone.localdate(now))
    late = now - HEALTH_WAIT
    left = overdue.filter(
        Q(next_attempt_at__isnull=True, created_at__lt=late) | Q(next_attempt_at__lt=late)
    )
    return [
        jobs.line(
            "national_overdue",
            _("Kết quả quá hạn gửi Cơ sở dữ liệu quốc gia"),
            overdue,
            since="due_date",
            now=now,
            stuck=scheduled_sending() and left.exists(),
            hint=_(
                "API và tích hợp → Quá hạn gửi CSDL quốc gia: xem lỗi gần nhất của từng bản ghi."
            ),
        ),
        jobs.line(
            "national_failing",
            _("Kết quả gửi Cơ sở dữ liệu quốc gia bị lỗi, chờ gửi lại"),
            OutboxRecord.objects.filter(status=OutboxStatus.FAILED),
            since="created_at",
            now=now,  # sent again after the back-off; left ones alarm above
            hint=_("Tự gửi lại sau thời gian chờ; xem lỗi gần nhất của từng bản ghi."),
        ),
    ]


def acknowledge(ids) -> int:
    """Mark records as received by the national database; returns how many changed."""
    return (
        OutboxRecord.objects.filter(pk__in=list(ids))
        .exclude(status=OutboxStatus.ACKNOWLEDGED)
        .update(status=OutboxStatus.ACKNOWLEDGED, acknowledged_at=timezone.now())
    )
