"""Whether each agency has submitted its period results, from every input path.

Per agency and kind of input (results of assigned work; general-criteria marks) for one period.
An agency may send its inputs by any path, and all of them count:

* results: lines assigned and reported in the worklog, lines sent through the API, and Excel
  uploads (ImportJob, whose committed rows become lines too);
* general-criteria marks: Form 01 marks entered on screen and Excel uploads.

Statuses:

* **received** — a committed upload exists (later re-uploads supersede it), or the period has
  rows entered through the worklog, the API or on screen; **late** when the first Excel commit
  came after the deadline (rows entered continuously in the worklog have no single moment of
  submission and are never "late");
* **in progress** — an upload is being read, awaits confirmation or is being written;
* **errors** — the uploads so far were refused (invalid, unreadable, failed);
* **missing** — nothing usable yet; **overdue** once the deadline has passed.

The deadline is ``KPI_SUBMISSION_DEADLINE_DAYS`` (default 5) days after the period ends — a
province setting, since the decree fixes no date for it. Each answer takes a fixed number of
queries whatever the number of agencies.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboards import conf
from importers.models import ImportJob, ImportKind, ImportStatus
from org.models import Posting
from scoring.aggregates import Tree
from scoring.models import AssignmentLine, GeneralCriteriaMark, LineSource

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


#: Input paths other than an Excel upload, per kind: lines by their source, marks on screen.
SCREEN = "screen"


def source_labels() -> dict[str, str]:
    return {
        LineSource.MANUAL: str(_("Giao việc: %(n)d dòng")),
        LineSource.EXCEL: str(_("Excel: %(n)d dòng")),
        LineSource.API: str(_("API: %(n)d dòng")),
        SCREEN: str(_("Nhập trên màn hình: %(n)d người")),
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
    #: (path, number of rows or people) of the period's inputs by every path, largest first.
    sources: tuple[tuple[str, int], ...] = ()
    last_entry: datetime.datetime | None = None

    @property
    def label(self) -> str:
        return str(LABELS[self.status])

    @property
    def sources_text(self) -> str:
        labels = source_labels()
        return "; ".join(labels[path] % {"n": n} for path, n in self.sources)


def deadline(period) -> datetime.datetime:
    day = period.end_date + datetime.timedelta(days=conf.submission_deadline_days())
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def submission_kinds() -> list[tuple[str, str]]:
    return [(k, str(ImportKind(k).label)) for k in (ImportKind.RESULTS, ImportKind.GENERAL_MARKS)]


def agency_owner(agency_ids, nodes):
    """A function mapping an agency of the tree to the one of ``agency_ids`` it lies under."""
    wanted = set(agency_ids)
    cache: dict[int, int | None] = {}

    def owner(agency_id):
        if agency_id not in cache:
            node = nodes.get(agency_id)
            chain = node.chain if node is not None else []
            cache[agency_id] = next((a for a in reversed(chain) if a in wanted), None)
        return cache[agency_id]

    return owner


def entered(agency_ids, period, tree=None) -> dict[tuple[int, str], dict]:
    """{(agency, kind): {"sources": {path: n}, "last": datetime}} of the period's inputs by
    every path, each row counted for the agency of ``agency_ids`` it lies under: lines by their
    source (worklog, Excel, API) under results, people with marks entered on screen under
    general-criteria marks."""

    if tree is None:
        tree = Tree.load()
    owner = agency_owner(agency_ids, tree.nodes)
    found: dict[tuple[int, str], dict] = {}

    def add(agency_id, kind, path, n, last):
        entry = found.setdefault((agency_id, kind), {"sources": {}, "last": None})
        entry["sources"][path] = entry["sources"].get(path, 0) + n
        if last and (entry["last"] is None or last > entry["last"]):
            entry["last"] = last

    lines = (
        AssignmentLine.objects.filter(period=period)
        .order_by()
        .values("unit_id", "source")
        .annotate(n=Count("id"), last=Max("updated_at"))
    )
    for row in lines:
        agency_id = owner(row["unit_id"])
        if agency_id is not None:
            add(agency_id, ImportKind.RESULTS, row["source"], row["n"], row["last"])
    # Marks have no agency of their own: the person's postings during the period place them.
    marked = (
        GeneralCriteriaMark.objects.filter(period=period)
        .filter(Q(evaluator_mark__isnull=False) | Q(self_mark__isnull=False))
        .order_by()
        .values("civil_servant_id")
        .annotate(last=Max("updated_at"))
    )
    last_by_person = {row["civil_servant_id"]: row["last"] for row in marked}
    placed: dict[int, int] = {}
    postings = (
        Posting.objects.filter(civil_servant_id__in=list(last_by_person))
        .filter(start_date__lte=period.end_date)
        .exclude(end_date__lt=period.start_date)
        .order_by("is_concurrent", "-start_date")
        .values_list("civil_servant_id", "agency_id")
    )
    for person_id, agency_id in postings:
        target = owner(agency_id)
        if target is not None:
            placed.setdefault(person_id, target)  # the main posting first
    for person_id, agency_id in placed.items():
        add(agency_id, ImportKind.GENERAL_MARKS, SCREEN, 1, last_by_person[person_id])
    return found


def statuses(agency_ids, period, now=None, tree=None) -> list[Submission]:
    """One Submission per (agency, kind), agencies in the given order."""

    now = now or timezone.now()
    other_paths = entered(agency_ids, period, tree)
    due = deadline(period)
    kinds = [k for k, _label in submission_kinds()]
    rows = (
        ImportJob.objects.filter(
            period_code=period.code, kind__in=kinds, agency_id__in=list(agency_ids)
        )
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
            uploaded = found.get((agency_id, kind))
            seen = uploaded["statuses"] if uploaded else set()
            paths = other_paths.get((agency_id, kind), {"sources": {}, "last": None})
            # Lines written by an Excel commit are the upload itself, not another path.
            by_other_path = {p: n for p, n in paths["sources"].items() if p != LineSource.EXCEL}
            if uploaded is not None and seen & done:
                late = uploaded["committed"] is not None and uploaded["committed"] > due
                status = LATE if late else RECEIVED
            elif by_other_path:
                status = RECEIVED
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
                    uploads=uploaded["n"] if uploaded else 0,
                    errors=uploaded["errors"] if uploaded else 0,
                    first_commit=uploaded["committed"] if uploaded else None,
                    last_upload=uploaded["last"] if uploaded else None,
                    sources=tuple(
                        sorted(paths["sources"].items(), key=lambda item: (-item[1], item[0]))
                    ),
                    last_entry=paths["last"],
                )
            )
    return result
