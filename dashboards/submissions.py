"""Whether each agency has submitted its period results, read from the importer's ImportJob.

Per agency and template kind (results; general-criteria marks) for one period, in one grouped
query:

* **received** — a committed upload exists (later re-uploads supersede it);
  **late** when the first commit came after the deadline;
* **in progress** — an upload is being read, awaits confirmation or is being written;
* **errors** — the uploads so far were refused (invalid, unreadable, failed);
* **missing** — nothing usable yet; **overdue** once the deadline has passed.

The deadline is ``KPI_SUBMISSION_DEADLINE_DAYS`` (default 5) days after the period ends — a
province setting, since the decree fixes no date for it. Results entered by hand or through the
API do not go through ImportJob and are not seen here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboards import conf

RECEIVED, LATE, IN_PROGRESS, ERRORS, MISSING, OVERDUE = (
    "received",
    "late",
    "in_progress",
    "errors",
    "missing",
    "overdue",
)
LABELS = {
    RECEIVED: _("Đã nhận"),
    LATE: _("Đã nhận, nộp muộn"),
    IN_PROGRESS: _("Đang xử lý"),
    ERRORS: _("Có lỗi, chưa nhận"),
    MISSING: _("Chưa nộp"),
    OVERDUE: _("Chưa nộp, quá hạn"),
}


@dataclass(frozen=True)
class Submission:
    agency_id: int
    kind: str
    status: str
    uploads: int
    errors: int
    first_commit: datetime.datetime | None
    last_upload: datetime.datetime | None

    @property
    def label(self) -> str:
        return str(LABELS[self.status])


def available() -> bool:
    """True when the importers app (and its ImportJob model) is installed."""
    try:
        apps.get_model("importers", "ImportJob")
    except LookupError:
        return False
    return True


def deadline(period) -> datetime.datetime:
    day = period.end_date + datetime.timedelta(days=conf.submission_deadline_days())
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def submission_kinds() -> list[tuple[str, str]]:
    from importers.models import ImportKind

    return [(k, str(ImportKind(k).label)) for k in (ImportKind.RESULTS, ImportKind.GENERAL_MARKS)]


def statuses(agency_ids, period, now=None) -> list[Submission]:
    """One Submission per (agency, kind), agencies in the given order."""
    from importers.models import ImportStatus

    now = now or timezone.now()
    due = deadline(period)
    kinds = [k for k, _label in submission_kinds()]
    rows = (
        apps.get_model("importers", "ImportJob")
        .objects.filter(period_code=period.code, kind__in=kinds, agency_id__in=list(agency_ids))
        .order_by()
        .values("agency_id", "kind", "status")
        .annotate(
            n=Count("id"),
            errors=Sum("error_count"),
            committed=Min("committed_at"),
            last=Max("created_at"),
        )
    )
    found: dict[tuple, dict] = {}
    for row in rows:
        entry = found.setdefault(
            (row["agency_id"], row["kind"]),
            {"statuses": set(), "n": 0, "errors": 0, "committed": None, "last": None},
        )
        entry["statuses"].add(row["status"])
        entry["n"] += row["n"]
        entry["errors"] += row["errors"] or 0
        first = entry["committed"]
        if row["committed"] and (first is None or row["committed"] < first):
            entry["committed"] = row["committed"]
        if row["last"] and (entry["last"] is None or row["last"] > entry["last"]):
            entry["last"] = row["last"]
    done = {ImportStatus.COMMITTED, ImportStatus.SUPERSEDED}
    working = {
        ImportStatus.QUEUED,
        ImportStatus.PARSING,
        ImportStatus.PREVIEW,
        ImportStatus.COMMITTING,
    }
    refused = {ImportStatus.INVALID, ImportStatus.UNREADABLE, ImportStatus.FAILED}
    result = []
    for agency_id in agency_ids:
        for kind in kinds:
            entry = found.get((agency_id, kind))
            seen = entry["statuses"] if entry else set()
            if seen & done:
                late = entry["committed"] is not None and entry["committed"] > due
                status = LATE if late else RECEIVED
            elif seen & working:
                status = IN_PROGRESS
            elif seen & refused:
                status = ERRORS
            else:
                status = OVERDUE if now > due else MISSING
            result.append(
                Submission(
                    agency_id=agency_id,
                    kind=kind,
                    status=status,
                    uploads=entry["n"] if entry else 0,
                    errors=entry["errors"] if entry else 0,
                    first_commit=entry["committed"] if entry else None,
                    last_upload=entry["last"] if entry else None,
                )
            )
    return result
