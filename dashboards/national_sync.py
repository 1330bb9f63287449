"""Exports to the national civil-servant database that are overdue.

Monitoring results and annual ratings must reach the national database (Cơ sở dữ liệu quốc gia
về cán bộ, công chức, viên chức) within ``KPI_NATIONAL_SYNC_DAYS`` (5) days of existing (Đắk Lắk
plan, §III.4). The API app keeps the outbox of such exports (``api.OutboxRecord``, one record per
final result with its due date; ``OutboxRecord.objects.overdue()`` says which are late). This
module only reads it, grouped in SQL by agency, kind and period.

Without that model (the API app not installed or not migrated to it) :func:`overdue_exports`
returns ``None`` and the dashboard shows a labelled "not available" panel — never invented rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Min, Q
from django.utils import timezone


@dataclass(frozen=True)
class OverdueExport:
    agency_id: int | None
    kind: str
    period_id: int | None
    year: int
    records: int
    failed: int
    oldest_due: datetime.date


def outbox_model():
    try:
        return apps.get_model("api", "OutboxRecord")
    except LookupError:
        return None


def overdue_exports(today: datetime.date | None = None) -> list[OverdueExport] | None:
    """Overdue outbox records grouped by (agency, kind, period, year), oldest first; ``None``
    while there is no outbox to read them from."""
    model = outbox_model()
    if model is None:
        return None
    rows = (
        model.objects.overdue(today or timezone.localdate())
        .order_by()
        .values("agency_id", "kind", "period_id", "year")
        .annotate(
            records=Count("id"),
            failed=Count("id", filter=Q(status="failed")),
            oldest=Min("due_date"),
        )
        .order_by("oldest")
    )
    return [
        OverdueExport(
            agency_id=row["agency_id"],
            kind=row["kind"],
            period_id=row["period_id"],
            year=row["year"],
            records=row["records"],
            failed=row["failed"],
            oldest_due=row["oldest"],
        )
        for row in rows
    ]


def kind_labels() -> dict[str, str]:
    model = outbox_model()
    return dict(model._meta.get_field("kind").choices) if model else {}
