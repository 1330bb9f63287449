"""Packages in, assignment lines out: the one gate every connector door goes through.

:func:`receive` stores one package (idempotent on its key: the same bytes again change nothing)
and :func:`apply` turns it into an assignment line with the **same writer as every system
door**: the Excel results rules (:func:`importers.lines.records.check_records`) and the
idempotent upsert keyed on ``(source "api", "edxml:<source id>:<document id>")``
(:func:`importers.lines.records.upsert_lines`), which refuses closed periods, writes nothing
half-way and requests the people's rescoring. No row is written here directly.

A document becomes a line of the handling officer: the catalog item from the source's
``TaskTypeMapping`` of the document type, the deadline from ``DueDate``, the month from the
deadline (or the promulgation date). A status "đã hoàn thành" (06) of the document completes
the line on the status date, with one delay when that date is after the deadline. Who the
officer is comes from an explicit ``PersonMapping``, else the official ID or the e-mail of a
civil servant of the source's agency — never a guess by name: an unknown officer or document
type waits in the review queue until it is mapped, then the package is applied again.

The rules of identity, time and order are :mod:`connectors.rules` (one module for every
feed); here they are applied. Order: a package whose time (``sent_at``: its trace or status
``Timestamp``, else the door's: the webhook's signed timestamp, the folder file's modification
time) is older than the stored version of the same document never overwrites it, nor does a
package that would bring back a revoked document; it is kept as refused, with the reason. A
replacing or revoking document withdraws the lines of the documents it names (through the
lines' write service), whichever of the two arrives first. One agency receives a document once:
the same identity through a second source of the agency is refused with the first source named,
and a status finds its document in any source of the agency. A "completed" status waits for
the evaluator's acceptance on the worklog (``worklog.services.progress.report_from_source``)
unless the source says otherwise (``Source.completion_needs_review``).
"""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from importers import rules as import_rules
from importers.lines import records, store
from org.models import CivilServant
from scoring.models import AssignmentLine, LineSource, Period, PeriodKind
from scoring.services import lines as line_service
from worklog.services.progress import report_from_source

from . import edxml, rules
from .models import (
    Package,
    PackageKind,
    PackageState,
    PersonMapping,
    PlanItemMatch,
    TaskTypeMapping,
)

MISSING_PERSON = "person"
MISSING_TASK_TYPE = "task_type"
MISSING_DOCUMENT = "document"


@dataclass
class Counts:
    received: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    waiting: int = 0
    refused: int = 0
    #: The package the last ``receive`` stored or found (the webhook answers with its reason).
    last: Package | None = None

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)


def external_id(source, document_id: str) -> str:
    key = (
        document_id
        if len(document_id) <= 60
        else hashlib.sha256(document_id.encode()).hexdigest()[:40]
    )
    return f"edxml:{source.pk}:{key}"


def _first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _day(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class _Hashing(io.RawIOBase):
    """Reads a binary stream and keeps the SHA-256 of what was read."""

    def __init__(self, stream: BinaryIO):
        self.stream, self.digest = stream, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.stream.read(len(buffer))
        self.digest.update(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def finish(self) -> str:
        while chunk := self.stream.read(1024 * 1024):
            self.digest.update(chunk)
        return self.digest.hexdigest()


def refuse(source, reason: str, *, file_name: str = "", key: str = "", counts=None) -> str:
    """Record a package that could not be read at all (unreadable file, a link, too large) in
    the dead-letter list with its reason; "refused" (or "unchanged" when already recorded)."""
    counts = counts if counts is not None else Counts()
    counts.received += 1
    today = timezone.localdate()
    package, created = Package.objects.get_or_create(
        source=source,
        key=(key or f"file:{file_name}")[:200],
        defaults={
            "kind": PackageKind.DOCUMENT,
            "sha256": "",
            "file_name": file_name[:300],
            "month": _first_of_month(today),
            "state": PackageState.REFUSED,
            "reason": reason,
        },
    )
    status = "refused" if created else "unchanged"
    counts.add(status)
    counts.last = package
    return status


def receive(
    source,
    data: bytes | None = None,
    *,
    stream: BinaryIO | None = None,
    file_name: str = "",
    counts: Counts | None = None,
    sent_at: datetime.datetime | None = None,
) -> str:
    """Store one package (``data``, or read from ``stream``) and apply it; returns what
    happened: "created", "updated", "unchanged", "waiting" or "refused". ``sent_at``: the
    time the door vouches for (the webhook's signed timestamp), used to order two versions of
    a document when the package carries no time of its own."""
    counts = counts if counts is not None else Counts()
    counts.received += 1
    reader = _Hashing(stream if stream is not None else io.BytesIO(data or b""))
    today = timezone.localdate()
    try:
        facts = edxml.parse_stream(reader)
        sha = reader.finish()
    except edxml.PackageError as error:
        sha = reader.finish()
        refused, created = Package.objects.get_or_create(
            source=source,
            key=f"sha256:{sha}",
            defaults={
                "kind": PackageKind.DOCUMENT,
                "sha256": sha,
                "file_name": file_name[:300],
                "month": _first_of_month(today),
                "state": PackageState.REFUSED,
                "reason": str(error),
            },
        )
        status = "refused" if created else "unchanged"
        counts.add(status)
        counts.last = refused
        return status
    if not facts.get("sent_at") and sent_at is not None:
        facts["sent_at"] = sent_at.isoformat()
        facts["time_from"] = rules.DOOR_TIME
    if facts["kind"] == "status":
        key = f"status:{facts['document_id']}:{facts['status_code']}"
        day = _day(facts["date"]) or today
    else:
        key = f"document:{facts['document_id']}"
        day = _day(facts["due_date"]) or _day(facts["promulgation_date"]) or today
    key = (
        key
        if len(key) <= 200
        else f"{facts['kind']}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    )
    with transaction.atomic():
        package = Package.objects.select_for_update().filter(source=source, key=key).first()
        if package is not None and package.sha256 == sha:
            counts.add("unchanged")
            counts.last = package
            return "unchanged"
        if package is not None and (
            rules.is_older(facts, package.data) or rules.revives(facts, package.data)
        ):
            reason = (
                rules.older_reason(facts, package.data)
                if rules.is_older(facts, package.data)
                else rules.revoked_reason(package.data)
            )
            stale = _stale(source, facts, sha, file_name, day, reason)
            counts.add("refused")
            counts.last = stale
            return "refused"
        if package is None:
            package = Package(source=source, key=key)
        package.kind = facts["kind"]
        package.document_id = facts["document_id"][:200]
        package.sha256 = sha
        package.file_name = file_name[:300]
        package.received_at = timezone.now()
        package.month = _first_of_month(day)
        package.data = facts
        package.save()
    status = apply(package)
    counts.add(status)
    counts.last = package
    return status


def _stale(source, facts: dict, sha: str, file_name: str, day, reason: str) -> Package:
    """Keep a package that must not overwrite the stored version in the dead-letter list."""
    stale, _created = Package.objects.get_or_create(
        source=source,
        key=f"stale:sha256:{sha}",
        defaults={
            "kind": facts["kind"],
            "document_id": facts["document_id"][:200],
            "sha256": sha,
            "file_name": file_name[:300],
            "month": _first_of_month(day),
            "data": facts,
            "state": PackageState.REFUSED,
            "reason": reason,
        },
    )
    return stale


def _set(package: Package, state: str, reason: str = "", missing: str = "", key: str = "") -> None:
    package.state, package.reason = state, reason
    package.missing, package.missing_key = missing, key[:200]
    package.save(update_fields=["state", "reason", "missing", "missing_key", "line"])


def apply(package: Package) -> str:
    """(Re)apply a stored package; returns "created", "updated", "unchanged", "waiting" or
    "refused" and records the package's state with the reason."""
    if package.kind == PackageKind.STATUS:
        return _apply_status(package)
    return _apply_document(package)


def _documents_of_agency(source):
    """The document packages (read, not kept aside) of every source of the source's agency: one
    agency receives a document once, whichever of its sources brought it."""
    return (
        Package.objects.filter(source__agency_id=source.agency_id, kind=PackageKind.DOCUMENT)
        .exclude(key__startswith="stale:")
        .exclude(key__startswith="sha256:")
        .exclude(key__startswith="file:")
    )


def _document_of(package: Package) -> Package | None:
    """The document a status is about: by its identity (sender and ``DocumentId``; a status
    that does not name the sender: the one document with that id), the one written to the
    worklog first, in the status's source first, then in the other sources of its agency."""
    documents = _documents_of_agency(package.source)
    found = list(documents.filter(document_id=package.document_id))
    bare = package.document_id
    suffix = "|" + bare if "|" not in bare else bare if bare.startswith("|") else ""
    if not found and suffix:  # the status does not name the sender
        found = list(documents.filter(document_id__endswith=suffix))
        if len({other.document_id for other in found}) != 1:
            return None
    found.sort(
        key=lambda other: (
            other.line_id is None,
            other.source_id != package.source_id,
            other.received_at,
            other.pk,
        )
    )
    return found[0] if found else None


def _twin(package: Package) -> Package | None:
    """The same document (same identity) already written to the worklog through another source
    of the same agency."""
    return (
        _documents_of_agency(package.source)
        .filter(document_id=package.document_id, line__isnull=False)
        .exclude(source=package.source)
        .select_related("source")
        .first()
    )


def _superseded_by(package: Package) -> Package | None:
    """A replacing or revoking document of the agency that names this one (whichever of the
    two arrived first)."""
    for other in (
        _documents_of_agency(package.source)
        .filter(data__business_type__in=[rules.REPLACE, rules.REVOKE])
        .exclude(pk=package.pk)
        .order_by("received_at", "id")
    ):
        if package.document_id in rules.names_replaced(other.data):
            return other
    return None


def _apply_status(package: Package) -> str:
    document = _document_of(package)
    if document is None:
        _set(
            package,
            PackageState.WAITING,
            _("Chưa nhận văn bản giao việc có mã %(id)s.") % {"id": package.document_id},
            MISSING_DOCUMENT,
            package.document_id,
        )
        return "waiting"
    status = _apply_document(document)
    if document.state == PackageState.APPLIED:
        package.line = document.line
        _set(package, PackageState.APPLIED)
    else:
        _set(
            package,
            PackageState.WAITING,
            _("Văn bản giao việc %(code)s chưa được ghi: %(reason)s")
            % {
                "code": document.data.get("code") or document.document_id,
                "reason": document.reason,
            },
            MISSING_DOCUMENT,
            package.document_id,
        )
        return "waiting"
    return status


def _people_of(source):
    return CivilServant.objects.filter(
        postings__agency__path__startswith=source.agency.path
    ).distinct()


def find_person(source, staff: dict) -> CivilServant | None:
    """The civil servant a handling officer is: an explicit mapping (by e-mail or name), else
    the person of the source's agency whose official ID is the officer's ``Staff`` or whose
    e-mail is the officer's ``Email``. ``None`` when not exactly one matches."""
    keys = [value for value in (staff.get("email"), staff.get("name")) if value]
    mapping = (
        PersonMapping.objects.filter(source=source, external_person__in=keys)
        .select_related("civil_servant")
        .first()
    )
    if mapping is not None:
        return mapping.civil_servant
    query = Q()
    if staff.get("name"):
        query |= Q(official_id=staff["name"])
    if staff.get("email"):
        query |= Q(email__iexact=staff["email"])
    if not query:
        return None
    found = list(_people_of(source).filter(query)[:2])
    return found[0] if len(found) == 1 else None


def find_product(source, facts: dict) -> str | None:
    keys = [value for value in (facts.get("document_type"), facts.get("type_name")) if value]
    mapping = TaskTypeMapping.objects.filter(source=source, external_type__in=keys).first()
    return mapping.product_code if mapping else None


def _completion(package: Package) -> dict | None:
    ids = Q(document_id=package.document_id)
    _sender, bar, raw = package.document_id.partition("|")
    if bar:  # a status that does not name the sender
        ids |= Q(document_id=raw if "|" not in raw else "|" + raw)
    status = (
        Package.objects.filter(
            source__agency_id=package.source.agency_id,
            kind=PackageKind.STATUS,
            data__status_code=edxml.COMPLETED_STATUS,
        )
        .filter(ids)
        .exclude(key__startswith="stale:")
        .order_by("received_at")
        .first()
    )
    return status.data if status else None


def _withdraw(packages: list[Package], reason: str) -> int:
    """Remove the lines of revoked or replaced documents through the lines' write service
    (closed periods refused: a closed month is not rewritten) and mark their packages; returns
    how many lines were removed. Raises :class:`records.PeriodsClosed`."""
    ids = [package.line_id for package in packages if package.line_id]
    if ids:
        with line_service.writing_as(None, reason=reason):
            store.delete_lines(ids)
    for package in packages:
        package.line = None
        _set(package, PackageState.WITHDRAWN, reason)
    return len(ids)


def _replaced(package: Package) -> list[Package]:
    names = rules.names_replaced(package.data)
    if not names:
        return []
    return list(
        _documents_of_agency(package.source).filter(document_id__in=names).exclude(pk=package.pk)
    )


def _revoke(package: Package) -> str:
    facts = package.data
    reason = _("Văn bản bị thu hồi ở phần mềm nguồn (%(reason)s): dòng giao việc được gỡ.") % {
        "reason": facts.get("business_reason") or "—"
    }
    try:
        removed = _withdraw([package, *_replaced(package)], reason)
    except records.PeriodsClosed as closed:
        _set(
            package,
            PackageState.REFUSED,
            _("Văn bản bị thu hồi nhưng dòng giao việc thuộc kỳ đã khóa: %(reason)s")
            % {"reason": closed.reason},
        )
        return "refused"
    return "updated" if removed else "unchanged"


def _withdraw_replaced(package: Package) -> str:
    """A replacing document ends the lines of the documents it names; "" when done, else the
    reason they stay."""
    replaced = _replaced(package)
    if not replaced:
        return ""
    code = package.data.get("code") or package.document_id
    try:
        _withdraw(
            replaced,
            _("Được thay thế bởi văn bản %(code)s: dòng giao việc được gỡ.") % {"code": code},
        )
    except records.PeriodsClosed as closed:
        return closed.reason
    return ""


def _kept_completion(source, document_id: str) -> dict:
    """What the evaluator already decided on the line (acceptance, delays, failed reviews):
    kept when the document is applied again."""
    line = AssignmentLine.objects.filter(
        source=LineSource.API, external_id=external_id(source, document_id)
    ).first()
    if line is None:
        return {}
    kept: dict[str, object] = {"failed_reviews": line.failed_reviews, "delays": line.delays}
    if line.completed_on is not None:
        kept.update(
            completed=str(line.completed_quantity), completed_on=line.completed_on.isoformat()
        )
    return kept


def _superseded(package: Package, by: Package) -> str:
    """A document that a replacing or revoking document already names: not written (its line,
    if any, removed); "updated" when a line was removed, else "unchanged"."""
    code = by.data.get("code") or by.document_id
    if by.data.get("business_type") == rules.REVOKE:
        reason = _("Văn bản bị thu hồi bởi văn bản %(code)s: không ghi dòng giao việc.")
    elif package.line_id:
        reason = _("Được thay thế bởi văn bản %(code)s: dòng giao việc được gỡ.")
    else:
        reason = _("Được thay thế bởi văn bản %(code)s (nhận trước): không ghi dòng giao việc.")
    reason = reason % {"code": code}
    try:
        removed = _withdraw([package], reason)
    except records.PeriodsClosed as closed:
        _set(
            package,
            PackageState.REFUSED,
            _("Văn bản đã được thay thế nhưng dòng giao việc thuộc kỳ đã khóa: %(reason)s")
            % {"reason": closed.reason},
        )
        return "refused"
    return "updated" if removed else "unchanged"


def _held_back(package: Package) -> str | None:
    """What happens to a document that is not written as its own line (revoked, replaced, or
    already written through another source of the agency); None when it is written."""
    if package.data.get("business_type") == edxml.REVOKE:
        return _revoke(package)
    by = _superseded_by(package)
    if by is not None:
        return _superseded(package, by)
    twin = _twin(package)
    if twin is not None:
        _set(
            package,
            PackageState.REFUSED,
            _(
                "Văn bản này đã được ghi vào giao việc qua nguồn “%(source)s” của cùng cơ quan: "
                "không ghi lần thứ hai. Nếu hai nguồn cùng nhận một phần mềm, hãy tắt một nguồn."
            )
            % {"source": twin.source.name},
        )
        return "refused"
    return None


def _done_on(package: Package, deadline: datetime.date | None) -> datetime.date | None:
    """The day the document system says the document's task was completed, if it did."""
    completion = _completion(package)
    if completion is None:
        return None
    return _day(completion.get("date")) or deadline or timezone.localdate()


def _not_yet_happened(source, done_on: datetime.date | None) -> str | None:
    """The import rules' own check (``importers.rules``): a completion has already happened.
    (Taken as accepted, the results rules check it with the line's record.)"""
    if not source.completion_needs_review:
        return None
    return import_rules.in_the_future(done_on, _("Ngày hoàn thành"), timezone.localdate())


def _apply_document(package: Package) -> str:
    source, facts = package.source, package.data
    held = _held_back(package)
    if held is not None:
        return held
    staff = facts.get("staff") or {}
    matched = _matched_item(package)
    person = find_person(source, staff) or (matched.owner if matched else None)
    if person is None:
        who = staff.get("email") or staff.get("name")
        if not who:
            _set(
                package,
                PackageState.REFUSED,
                _("Gói tin không có người xử lý (StaffInfo): không biết giao việc cho ai."),
            )
            return "refused"
        _set(
            package,
            PackageState.WAITING,
            _("Chưa xác định được công chức của người xử lý “%(who)s”.") % {"who": who},
            MISSING_PERSON,
            who,
        )
        return "waiting"
    product = find_product(source, facts) or (
        matched.product.code if matched is not None and matched.product_id else None
    )
    if product is None:
        kind = facts.get("document_type") or facts.get("type_name") or "—"
        _set(
            package,
            PackageState.WAITING,
            _("Loại văn bản “%(kind)s” chưa được ánh xạ vào sản phẩm của danh mục.")
            % {"kind": kind},
            MISSING_TASK_TYPE,
            kind,
        )
        return "waiting"
    deadline = _day(facts.get("due_date"))
    done_on = _done_on(package, deadline)
    reviewed = source.completion_needs_review
    future = _not_yet_happened(source, done_on)
    if future:
        _set(package, PackageState.REFUSED, future)
        return "refused"
    # An open task belongs to its deadline's month; a completed one (taken as accepted) to the
    # month it was completed in (the results rules: a completion date lies inside its line's
    # period). A completion waiting for the evaluator leaves the line where it is.
    day = (
        (None if reviewed else done_on)
        or deadline
        or _day(facts.get("promulgation_date"))
        or timezone.localdate()
    )
    posting = person.primary_posting_on(day)
    if posting is None or not posting.agency.path.startswith(source.agency.path):
        _set(
            package,
            PackageState.REFUSED,
            _("%(name)s không công tác tại %(agency)s vào ngày %(day)s.")
            % {"name": person.full_name, "agency": source.agency.name, "day": f"{day:%d/%m/%Y}"},
        )
        return "refused"
    owner = posting.agency.owning_agency
    period = Period.for_date(day, PeriodKind.MONTH, create=True)
    record: dict[str, object] = {
        "official_id": person.official_id,
        "product_code": product,
        "assigned": str(source.default_quantity),
        "completed": "0",
        "deadline": deadline.isoformat() if deadline else None,
        "note": _("Văn bản số %(code)s: %(subject)s")
        % {"code": facts.get("code") or "—", "subject": facts.get("subject") or "—"},
    }
    if reviewed:
        record.update(_kept_completion(source, package.document_id))
    elif done_on is not None:
        record.update(completed=str(source.default_quantity), completed_on=done_on.isoformat())
        record["delays"] = 1 if deadline and done_on > deadline else 0
    check = records.check_records(owner, period, {0: record})
    errors = [issue.message for issue in check.issues if issue.is_error]
    if errors or check.lines is None:
        _set(package, PackageState.REFUSED, " ".join(errors) or _("Không ghi được dòng giao việc."))
        return "refused"
    try:
        upserted = records.upsert_lines(
            check.lines,
            source=LineSource.API,
            external_ids={0: external_id(source, package.document_id)},
            reason=_("Nhận từ phần mềm quản lý văn bản “%(source)s”") % {"source": source.name},
        )
    except records.PeriodsClosed as closed:
        _set(package, PackageState.REFUSED, closed.reason)
        return "refused"
    item = upserted.items[0]
    status = item.status
    package.line_id = item.id
    if reviewed and done_on is not None:
        try:
            reported = report_from_source(
                AssignmentLine.objects.get(pk=item.id),
                quantity=source.default_quantity,
                completed_on=done_on,
                note=_("Phần mềm quản lý văn bản “%(source)s” báo đã hoàn thành.")
                % {"source": source.name},
            )
        except ValidationError as error:
            _set(package, PackageState.REFUSED, " ".join(error.messages))
            return "refused"
        if reported and status == "unchanged":
            status = "updated"
    left = _withdraw_replaced(package) if facts.get("business_type") == edxml.REPLACE else ""
    if left:
        _set(
            package,
            PackageState.APPLIED,
            _("Văn bản được thay thế vẫn giữ dòng giao việc: %(reason)s") % {"reason": left},
        )
        attach(package)
        return status
    _set(package, PackageState.APPLIED, attachments_note(facts))
    attach(package)
    return status


def _matched_item(package: Package):
    """The work-plan item the clerk matched this package to (``connectors.plan_matching``):
    its owner and product stand in for a mapping the package still lacks."""
    match = match_of(package) if package.pk else None
    return match.item if match is not None else None


def match_of(package: Package) -> PlanItemMatch | None:
    """The package's match to a work-plan item (``connectors.plan_matching``), if any."""
    return (
        PlanItemMatch.objects.filter(package=package)
        .select_related("item", "item__plan", "item__owner", "item__product")
        .first()
    )


def attach(package: Package) -> None:
    """Count the package's line for its matched item (once a line is written here, or when the
    clerk matches a package already written: ``connectors.plan_matching.confirm``)."""
    match = PlanItemMatch.objects.filter(package=package).select_related("item").first()
    if match is not None and package.line_id:
        match.item.lines.add(package.line_id)


def attachments_note(facts: dict) -> str:
    """What the person reads about the attachments of an applied package (never kept, never a
    reason to refuse it)."""
    sizes = facts.get("attachments") or []
    if not sizes:
        return ""
    total = sum(sizes)
    if total >= 1024 * 1024:
        shown = f"{total / (1024 * 1024):.1f}".replace(".", ",") + " MB"
    else:
        shown = f"{max(1, -(-total // 1024))} KB"
    return _(
        "Gói tin có %(count)d tệp đính kèm (%(size)s): phần mềm không lưu tệp đính kèm, xem "
        "toàn văn ở phần mềm quản lý văn bản."
    ) % {"count": len(sizes), "size": shown}


def reapply_waiting(source) -> Counts:
    """Apply again the source's packages waiting for a mapping (after one was added)."""
    counts = Counts()
    for package in Package.objects.filter(source=source, state=PackageState.WAITING).order_by(
        "kind", "received_at", "id"
    ):
        counts.add(apply(package))
    return counts
