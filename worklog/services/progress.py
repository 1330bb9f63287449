"""What the civil servant does on their own line: progress, evidence, report of completion.

The completion report carries the REAL completion date: logging it days later is not a delay
(only the date the leader confirms on acceptance is compared with the deadline). A report
needs at least one piece of evidence on the line. Reporting again while the report waits for
review changes nothing, so a double-submitted form is harmless.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from cms.private_files import file_facts, original_name, validate_upload
from scoring.models import Evidence
from worklog.access import is_assignee
from worklog.models import OPEN_STATUSES, WorkItem, WorkStatus
from worklog.services import flow
from worklog.services import seen as line_seen
from worklog.services.work import locked_work


@dataclass
class EvidenceInput:
    file: UploadedFile | None = None
    url: str = ""
    document_number: str = ""
    description: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.file or self.url.strip() or self.document_number.strip())


def _require_assignee(user, line) -> None:
    if not is_assignee(user, line):
        raise PermissionDenied(gettext("Chỉ công chức được giao mới cập nhật được việc này."))


def _require_open(work: WorkItem, action: str = "progress") -> flow.workflow.Move:
    """The step from the item's state: refused unless the item is open (its status named)."""
    return flow.check(work, action)


def _create_evidence(user, line, evidence: EvidenceInput) -> Evidence:
    facts = {"file_name": "", "file_size": None, "content_type": "", "sha256": ""}
    if evidence.file:
        validate_upload(evidence.file, label=gettext("Tệp minh chứng"))
        upload_facts = file_facts(evidence.file)
        facts = {
            "file_name": original_name(evidence.file.name),
            "file_size": upload_facts["size"],
            "content_type": upload_facts["content_type"],
            "sha256": upload_facts["sha256"],
        }
    row = Evidence(
        line=line,
        file=evidence.file or None,
        **facts,
        url=evidence.url.strip(),
        document_number=evidence.document_number.strip(),
        description=evidence.description.strip(),
        added_by=user,
    )
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def add_evidence(user, line, evidence: EvidenceInput) -> Evidence:
    _require_assignee(user, line)
    work = locked_work(line)
    if work.status == WorkStatus.ACCEPTED:
        raise ValidationError(gettext("Sản phẩm đã được nghiệm thu: không thêm minh chứng."))
    if evidence.is_empty:
        raise ValidationError(
            gettext("Minh chứng cần có tài liệu đính kèm, đường dẫn hoặc số, ký hiệu văn bản.")
        )
    return _create_evidence(user, work.line, evidence)


@transaction.atomic
def update_progress(
    user, line, *, percent: int, note: str = "", seen: str | None = None
) -> WorkItem:
    """The assignee's progress; refused with the differences when the page they saw (``seen``)
    is no longer what is stored — a reviewer decided, the line changed (nothing written).
    Sending the stored progress again (a double-submitted form) changes nothing."""
    _require_assignee(user, line)
    work = locked_work(line)
    unchanged = work.progress == percent and work.progress_note == note.strip()
    if unchanged and work.status in OPEN_STATUSES:
        return work
    line_seen.check(seen, work.line, work)
    _require_open(work)
    if not 0 <= percent <= 100:
        raise ValidationError(gettext("Tiến độ phải từ 0 đến 100%."))
    work.progress = percent
    work.progress_note = note.strip()
    work.progress_at = timezone.now()
    if work.status == WorkStatus.ASSIGNED and percent > 0:
        flow.FLOW.advance(flow.check(work, "start"))
    work.save()
    return work


@transaction.atomic
def submit_completion(
    user,
    line,
    *,
    quantity: Decimal,
    completed_on: datetime.date,
    today: datetime.date,
    evidence: EvidenceInput | None = None,
    note: str = "",
) -> WorkItem:
    """Report the line completed on ``completed_on`` (may be earlier than today)."""
    _require_assignee(user, line)
    work = locked_work(line)
    if work.status == WorkStatus.SUBMITTED:
        return work  # already reported: a repeated submit is a no-op
    move = _require_open(work, "submit")
    errors = {}
    if completed_on > today:
        errors["completed_on"] = gettext("Ngày hoàn thành không được sau ngày hôm nay.")
    if not 0 < quantity <= work.line.assigned_quantity:
        errors["quantity"] = gettext("Số lượng hoàn thành phải lớn hơn 0 và không quá %(n)s.") % {
            "n": f"{work.line.assigned_quantity.normalize():f}"
        }
    has_evidence = work.line.evidence.exists() or (evidence is not None and not evidence.is_empty)
    if not has_evidence:
        errors["evidence"] = gettext("Cần ít nhất một minh chứng trước khi báo cáo hoàn thành.")
    if errors:
        raise ValidationError(errors)
    if evidence is not None and not evidence.is_empty:
        _create_evidence(user, work.line, evidence)
    work.round += 1
    flow.FLOW.advance(move)
    work.progress = 100
    work.claimed_quantity = quantity
    work.claimed_completed_on = completed_on
    work.submitted_at = timezone.now()
    if note.strip():
        work.progress_note = note.strip()
    work.save()
    return work


@transaction.atomic
def report_from_source(line, *, quantity: Decimal, completed_on: datetime.date, note: str) -> bool:
    """A completion reported by a document-management system (``connectors``): the line waits
    for its evaluator's acceptance (``worklog.services.review``) exactly as the assignee's own
    report does — nothing is written on the line itself. A line already accepted stays as the
    evaluator decided; the same report again changes nothing. Returns whether it changed."""
    work = locked_work(line)
    if work.status == WorkStatus.ACCEPTED:
        return False
    if (
        work.status == WorkStatus.SUBMITTED
        and work.claimed_quantity == quantity
        and work.claimed_completed_on == completed_on
    ):
        return False
    if work.status != WorkStatus.SUBMITTED:
        work.round += 1
    flow.FLOW.advance(flow.check(work, "report"))
    work.progress = 100
    work.claimed_quantity = quantity
    work.claimed_completed_on = completed_on
    work.submitted_at = timezone.now()
    work.progress_note = note
    work.save()
    return True
