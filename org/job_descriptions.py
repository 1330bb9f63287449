"""The life of a job description version: submit, return, approve, start a new version.

Each step is one transaction and checks the version's status first; who may take it is asked
of ``org.access`` by the view (``may(user, "approve", version)`` and the like), never here.
The change history (who, when, how) is kept by ``audit.history`` for every tracked model: each
step sets the reason the historical row carries (``_change_reason``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms import workflow
from org.models import (
    JobDescription,
    JobDescriptionCompetency,
    JobDescriptionRequirement,
    JobDescriptionTask,
    JobPosition,
)
from org.models.job_description import (
    FROZEN_STATUSES,
    OPEN_STATUSES,
    OPEN_VERSION_EXISTS,
    DescriptionStatus,
)


@dataclass(frozen=True)
class Decision:
    """The approval decision (quyết định phê duyệt)."""

    number: str
    date: datetime.date
    signer: str
    effective_from: datetime.date


def _locked(version: JobDescription) -> JobDescription:
    return JobDescription.objects.select_for_update().get(pk=version.pk)


def _refuse(message: str, field: str | None = None):
    raise ValidationError({field: message} if field else message)


def _save(version: JobDescription, reason: str, fields: list[str]) -> None:
    version._change_reason = reason
    version.save(update_fields=fields)


def content_problems(version: JobDescription) -> list[str]:
    """What a version lacks before it may be submitted or approved."""
    problems = []
    if not version.tasks.exists():
        problems.append(_("Chưa có nhiệm vụ nào."))
    if not version.competencies.exists():
        problems.append(_("Chưa có năng lực yêu cầu nào."))
    for row in version.competencies.select_related("competency"):
        if row.required_level > row.competency.level_count:
            problems.append(
                _("Năng lực %(code)s: cấp độ yêu cầu %(level)s vượt quá %(top)s cấp độ.")
                % {
                    "code": row.competency.code,
                    "level": row.required_level,
                    "top": row.competency.level_count,
                }
            )
    return problems


def _content_guard(ctx: workflow.Context) -> list[str]:
    return content_problems(ctx.obj)


def _approval_guard(ctx: workflow.Context):
    """The content first; then the decision, field by field."""
    return content_problems(ctx.obj) or decision_problems(ctx.obj, ctx.data["decision"])


D = DescriptionStatus
#: The life of a version (``cms.workflow``). Who may take a step is asked of ``org.access`` by
#: the view (``org.job_description_views.allowed``), so the steps name no roles here.
FLOW = workflow.Flow(
    (
        workflow.Transition(
            "submit",
            gettext_lazy("Trình phê duyệt"),
            frozenset({D.DRAFT}),
            D.SUBMITTED,
            guards=(_content_guard,),
            wrong_state=gettext_lazy("Chỉ phiên bản đang soạn mới được trình phê duyệt."),
        ),
        workflow.Transition(
            "return",
            gettext_lazy("Trả lại"),
            frozenset({D.SUBMITTED}),
            D.DRAFT,
            wrong_state=gettext_lazy("Chỉ phiên bản đang trình mới được trả lại."),
        ),
        workflow.Transition(
            "approve",
            gettext_lazy("Phê duyệt"),
            frozenset({D.SUBMITTED}),
            D.APPROVED,
            guards=(_approval_guard,),
            wrong_state=gettext_lazy("Chỉ phiên bản đã trình mới được phê duyệt."),
        ),
    ),
)


def _check(version: JobDescription, action: str, user=None, **data) -> workflow.Move:
    try:
        return FLOW.check(version, action, user, data=data)
    except workflow.Refused as exc:
        fields = [r for r in exc.reasons if isinstance(r, dict)]
        if fields:
            raise ValidationError(fields[0]) from exc
        raise ValidationError([str(r) for r in exc.reasons]) from exc
    except workflow.TransitionError as exc:
        raise ValidationError(str(exc.reasons[0])) from exc


@transaction.atomic
def submit(version: JobDescription) -> JobDescription:
    version = _locked(version)
    FLOW.advance(_check(version, "submit"))
    version.submitted_at = timezone.now()
    _save(version, _("Trình phê duyệt bản mô tả công việc"), ["status", "submitted_at"])
    return version


@transaction.atomic
def return_to_draft(version: JobDescription) -> JobDescription:
    version = _locked(version)
    FLOW.advance(_check(version, "return"))
    version.submitted_at = None
    _save(version, _("Trả lại bản mô tả công việc để sửa"), ["status", "submitted_at"])
    return version


def decision_problems(version: JobDescription, decision: Decision) -> dict[str, str]:
    """Field name → message for a decision that cannot approve ``version``."""
    problems: dict[str, str] = {}
    if not decision.number.strip():
        problems["decision_number"] = _("Nhập số quyết định phê duyệt.")
    if not decision.signer.strip():
        problems["signer"] = _("Nhập người ký quyết định.")
    if decision.effective_from < decision.date:
        problems["effective_from"] = _(
            "Ngày áp dụng không được trước ngày ký quyết định (%(day)s)."
        ) % {"day": date_format(decision.date, "d/m/Y")}
    current = (
        JobDescription.objects.filter(
            job_position_id=version.job_position_id, status=DescriptionStatus.APPROVED
        )
        .exclude(pk=version.pk)
        .first()
    )
    if (
        current is not None
        and current.effective_from
        and decision.effective_from <= (current.effective_from)
    ):
        problems["effective_from"] = _(
            "Ngày áp dụng phải sau ngày áp dụng của phiên bản %(number)s đang có hiệu lực "
            "(%(day)s)."
        ) % {"number": current.number, "day": date_format(current.effective_from, "d/m/Y")}
    return problems


@transaction.atomic
def approve(version: JobDescription, decision: Decision, user) -> JobDescription:
    """Approve ``version`` (which must have been submitted): it becomes read-only, and the
    version approved before it is marked superseded (still in force until the new one's
    effective date, see ``JobDescriptionQuerySet.in_force_on``)."""
    JobPosition.objects.select_for_update().filter(pk=version.job_position_id).first()
    version = _locked(version)
    move = _check(version, "approve", user, decision=decision)
    for previous in JobDescription.objects.select_for_update().filter(
        job_position_id=version.job_position_id, status=DescriptionStatus.APPROVED
    ):
        previous.status = DescriptionStatus.SUPERSEDED
        _save(
            previous,
            _("Được thay thế bởi phiên bản %(number)s") % {"number": version.number},
            ["status"],
        )
    FLOW.advance(move)
    version.decision_number = decision.number.strip()
    version.decision_date = decision.date
    version.signer = decision.signer.strip()
    version.effective_from = decision.effective_from
    version.approved_by = user if getattr(user, "pk", None) else None
    version.approved_at = timezone.now()
    _save(
        version,
        _("Phê duyệt theo Quyết định số %(number)s") % {"number": version.decision_number},
        [
            "status",
            "decision_number",
            "decision_date",
            "signer",
            "effective_from",
            "approved_by",
            "approved_at",
        ],
    )
    return version


def open_version(position: JobPosition) -> JobDescription | None:
    return JobDescription.objects.filter(job_position=position, status__in=OPEN_STATUSES).first()


@transaction.atomic
def new_version(position: JobPosition, user=None) -> JobDescription:
    """A new draft of ``position``'s description, a copy of its latest approved version (or an
    empty one). Refused while another version is being written."""
    JobPosition.objects.select_for_update().filter(pk=position.pk).first()
    if open_version(position) is not None:
        _refuse(str(OPEN_VERSION_EXISTS))
    source = (
        JobDescription.objects.filter(job_position=position, status__in=FROZEN_STATUSES)
        .order_by("-number")
        .first()
    )
    last = JobDescription.objects.filter(job_position=position).aggregate(n=Max("number"))["n"]
    draft = JobDescription(
        job_position=position,
        number=(last or 0) + 1,
        purpose=source.purpose if source else "",
        note=source.note if source else "",
        created_by=user if getattr(user, "pk", None) else None,
    )
    draft._change_reason = (
        _("Phiên bản mới, sao từ phiên bản %(number)s") % {"number": source.number}
        if source
        else _("Phiên bản mới")
    )
    draft.save()
    if source is not None:
        for task in source.tasks.all():
            JobDescriptionTask.objects.create(
                description=draft,
                name=task.name,
                output=task.output,
                frequency=task.frequency,
                sort_order=task.sort_order,
            )
        for row in source.requirements.all():
            JobDescriptionRequirement.objects.create(
                description=draft, kind=row.kind, text=row.text, sort_order=row.sort_order
            )
        for row in source.competencies.all():
            JobDescriptionCompetency.objects.create(
                description=draft,
                competency_id=row.competency_id,
                required_level=row.required_level,
                sort_order=row.sort_order,
            )
    return draft


def in_force(position: JobPosition, day: datetime.date) -> JobDescription | None:
    return JobDescription.objects.in_force_on(day).filter(job_position=position).first()
