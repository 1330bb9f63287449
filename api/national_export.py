"""The daily batch for the national civil-servant database: a JSON document and a CSV table.

We do NOT know the national database's own schema (it is not published); the batch documents
exactly what we send (docs/api.md, "Cơ sở dữ liệu quốc gia") so that an adapter can map it.

A batch for day D holds every unsent record (pending or failed) whose result date is on or
before D. The transport is pluggable (``KPI_NATIONAL_DB_TRANSPORT``); the default drops the two
files into ``KPI_NATIONAL_DB_DROP_DIR`` for whatever picks them up. After a successful send
the records are ``sent``; a failing transport marks them ``failed`` with the error, and the next
run retries them. The receiver acknowledges records through the API (``acknowledged``).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import tempfile
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from cms.spreadsheets import csv_safe
from org.models import Agency

from . import conf
from .models import UNSENT, OutboxRecord, OutboxStatus
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


def unsent_until(day: datetime.date):
    return OutboxRecord.objects.filter(status__in=UNSENT, result_date__lte=day).order_by("id")


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


class Transport:
    """Sends one batch; returns a reference (file path, receipt id…) or raises."""

    def send(self, name: str, files: dict[str, bytes]) -> str:
        raise NotImplementedError


class FileDropTransport(Transport):
    """Writes ``<name>.json`` and ``<name>.csv`` into ``KPI_NATIONAL_DB_DROP_DIR``.

    Files appear atomically (written under a temporary name, then renamed). A second batch on
    the same day gets ``-2``, ``-3``… so nothing already dropped is overwritten.
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


def export(day: datetime.date | None = None, transport: Transport | None = None) -> ExportResult:
    """Build and send the batch of ``day`` (today by default); mark the records."""
    day = day or timezone.localdate()
    collected = collect_final_results()
    name = batch_name(day)
    with transaction.atomic():
        records = list(unsent_until(day).select_for_update())
        if not records:
            return ExportResult(batch=name, count=0, collected=collected)
        doc = document(records, name, day)
        ids = [record.pk for record in records]
        try:
            reference = (transport or get_transport()).send(
                name, {"json": to_json(doc), "csv": to_csv(doc)}
            )
        except Exception as exc:  # any transport failure is recorded, then reported
            OutboxRecord.objects.filter(pk__in=ids).update(
                status=OutboxStatus.FAILED, attempts=F("attempts") + 1, last_error=str(exc)[:2000]
            )
            return ExportResult(batch=name, count=len(ids), error=str(exc), collected=collected)
        OutboxRecord.objects.filter(pk__in=ids).update(
            status=OutboxStatus.SENT,
            sent_at=timezone.now(),
            batch=os.path.basename(reference)[:64],
            attempts=F("attempts") + 1,
            last_error="",
        )
    return ExportResult(batch=name, count=len(ids), reference=reference, collected=collected)


def acknowledge(ids) -> int:
    """Mark records as received by the national database; returns how many changed."""
    return (
        OutboxRecord.objects.filter(pk__in=list(ids))
        .exclude(status=OutboxStatus.ACKNOWLEDGED)
        .update(status=OutboxStatus.ACKNOWLEDGED, acknowledged_at=timezone.now())
    )
