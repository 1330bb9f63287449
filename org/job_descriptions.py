"""The life of a job description version: submit, appraise, return, approve, start a new version.

An agency (or a body of the Party or Front bloc) drafts the description of its own positions and
submits it; the lead body of its bloc appraises it and approves it (``org.blocs``: Sở Nội vụ for
the state bloc, Ban Tổ chức Tỉnh ủy / the Front's standing committee where the province gave them
their bloc); the province's common descriptions (no agency) are Sở Nội vụ's alone. Each step is
one transaction and checks the version's status and the user's role on it (:data:`FLOW`, the
workflow kit ``cms.workflow``); the roles are a permission plus the row's reach.
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
from org import blocs
from org.access import CHANGE, is_home_affairs, may
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
    OPEN_VERSION_EXISTS_FOR_AGENCY,
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


#: The roles of a version's path: the drafting body's writer, the appraiser, the approver.
AUTHOR, APPRAISER, APPROVER = "author", "appraiser", "approver"


def roles_of(user, version: JobDescription, _today=None) -> set[str]:
    """The roles ``user`` holds on ``version``: writing it is the ``change`` permission on a row
    in reach (``org.access.may``, whose write guard keeps each agency to its own drafts);
    appraising and approving are their permissions held by the lead body of the drafting
    agency's bloc (``org.blocs.appraises``), or by Sở Nội vụ for a common description."""

    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    roles = set()
    if may(user, CHANGE, version):
        roles.add(AUTHOR)
    leads = (
        blocs.appraises(user, version.agency)
        if version.agency_id
        else (is_home_affairs(user) or user.is_superuser)
    )
    if leads and user.has_perm("org.appraise_jobdescription"):
        roles.add(APPRAISER)
    if leads and user.has_perm("org.approve_jobdescription"):
        roles.add(APPROVER)
    return roles


D = DescriptionStatus
#: The life of a version (``cms.workflow``): draft → submitted → appraised → approved, or back
#: to draft from either of the middle two with the reason.
FLOW = workflow.Flow(
    (
        workflow.Transition(
            "submit",
            gettext_lazy("Trình thẩm định"),
            frozenset({D.DRAFT}),
            D.SUBMITTED,
            frozenset({AUTHOR}),
            guards=(_content_guard,),
            wrong_state=gettext_lazy("Chỉ phiên bản đang soạn mới được trình thẩm định."),
        ),
        workflow.Transition(
            "appraise",
            gettext_lazy("Thẩm định đạt"),
            frozenset({D.SUBMITTED}),
            D.APPRAISED,
            frozenset({APPRAISER}),
            guards=(_content_guard,),
            wrong_state=gettext_lazy("Chỉ phiên bản đã trình mới được thẩm định."),
        ),
        workflow.Transition(
            "return",
            gettext_lazy("Trả lại"),
            frozenset({D.SUBMITTED, D.APPRAISED}),
            D.DRAFT,
            frozenset({APPRAISER, APPROVER}),
            needs_comment=True,
            wrong_state=gettext_lazy("Chỉ phiên bản đang trình mới được trả lại."),
        ),
        workflow.Transition(
            "approve",
            gettext_lazy("Phê duyệt"),
            frozenset({D.APPRAISED}),
            D.APPROVED,
            frozenset({APPROVER}),
            guards=(_approval_guard,),
            wrong_state=gettext_lazy("Chỉ phiên bản đã thẩm định mới được phê duyệt."),
        ),
    ),
    roles=roles_of,
    forbidden=gettext_lazy("Bạn không có quyền thực hiện bước này với bản mô tả công việc này."),
    missing=gettext_lazy("%(field)s: bắt buộc khi trả lại."),
    field_labels={"comment": gettext_lazy("Lý do trả lại")},
)


def holds_role(user, action: str, version: JobDescription) -> bool:
    """Whether ``user`` holds a role of step ``action`` on ``version``, whatever its status."""
    transition = FLOW.transitions.get(action)
    return transition is not None and bool(FLOW.roles_of(user, version) & transition.actors)


def may_take(user, action: str, version: JobDescription) -> bool:
    """Whether ``user`` may take ``action`` on ``version`` now (its status and their role)."""
    return any(t.action == action for t in FLOW.available(version, user))


def _check(
    version: JobDescription, action: str, user=None, comment: str = "", **data
) -> workflow.Move:
    try:
        return FLOW.check(version, action, user, data=data, comment=comment)
    except workflow.Refused as exc:
        fields = [r for r in exc.reasons if isinstance(r, dict)]
        if fields:
            raise ValidationError(fields[0]) from exc
        raise ValidationError([str(r) for r in exc.reasons]) from exc
    except workflow.TransitionError as exc:
        raise ValidationError(str(exc.reasons[0])) from exc


@transaction.atomic
def submit(version: JobDescription, user) -> JobDescription:
    version = _locked(version)
    move = _check(version, "submit", user)
    FLOW.advance(move)
    version.submitted_at = timezone.now()
    _save(version, _("Trình thẩm định bản mô tả công việc"), ["status", "submitted_at"])
    FLOW.record(move)
    return version


@transaction.atomic
def appraise(version: JobDescription, user, comment: str = "") -> JobDescription:
    """The appraiser finds the version ready for approval (with an optional comment)."""
    version = _locked(version)
    move = _check(version, "appraise", user)
    FLOW.advance(move)
    version.appraised_by = user if getattr(user, "pk", None) else None
    version.appraised_at = timezone.now()
    version.appraisal_comment = comment.strip()
    _save(
        version,
        _("Thẩm định đạt bản mô tả công việc"),
        ["status", "appraised_by", "appraised_at", "appraisal_comment"],
    )
    FLOW.record(move)
    return version


@transaction.atomic
def return_to_draft(version: JobDescription, user, comment: str) -> JobDescription:
    """Back to the drafting body, with the reason (kept as the appraisal comment)."""
    version = _locked(version)
    move = _check(version, "return", user, comment=comment)
    FLOW.advance(move)
    version.submitted_at = None
    version.appraised_by = None
    version.appraised_at = None
    version.appraisal_comment = comment.strip()
    _save(
        version,
        _("Trả lại bản mô tả công việc để sửa: %(reason)s") % {"reason": comment.strip()},
        ["status", "submitted_at", "appraised_by", "appraised_at", "appraisal_comment"],
    )
    FLOW.record(move)
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
            job_position_id=version.job_position_id,
            agency_id=version.agency_id,
            status=DescriptionStatus.APPROVED,
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
        job_position_id=version.job_position_id,
        agency_id=version.agency_id,
        status=DescriptionStatus.APPROVED,
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
    FLOW.record(move)
    return version


def open_version(position: JobPosition, agency=None) -> JobDescription | None:
    return JobDescription.objects.filter(
        job_position=position, agency=agency, status__in=OPEN_STATUSES
    ).first()


@transaction.atomic
def new_version(position: JobPosition, user=None, agency=None, source=None) -> JobDescription:
    """A new draft of ``position``'s description by ``agency`` (None: the province's common
    one), a copy of that body's latest approved version — or, for an agency's first version,
    of the province's common one in force (or an empty one). Refused while another version of
    the same body is being written. ``source``: the approved version to copy when the body
    has none of its own yet (an agency adapting the common description it read)."""
    JobPosition.objects.select_for_update().filter(pk=position.pk).first()
    if open_version(position, agency) is not None:
        _refuse(str(OPEN_VERSION_EXISTS_FOR_AGENCY if agency else OPEN_VERSION_EXISTS))
    own = (
        JobDescription.objects.filter(
            job_position=position, agency=agency, status__in=FROZEN_STATUSES
        )
        .order_by("-number")
        .first()
    )
    source = own or (source if source is not None and source.is_frozen else None)
    if source is None and agency is not None:
        source = in_force(position, timezone.localdate())
    last = JobDescription.objects.filter(job_position=position, agency=agency).aggregate(
        n=Max("number")
    )["n"]
    draft = JobDescription(
        job_position=position,
        agency=agency,
        number=(last or 0) + 1,
        purpose=source.purpose if source else "",
        note=source.note if source else "",
        created_by=user if getattr(user, "pk", None) else None,
    )
    draft._change_reason = (
        _("Phiên bản mới, sao từ %(source)s") % {"source": source} if source else _("Phiên bản mới")
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


def in_force(position: JobPosition, day: datetime.date, agency=None) -> JobDescription | None:
    """The description in force on ``day`` of ``position`` for ``agency``: the agency's own
    approved one, else the province's common one (``agency`` None: the common one)."""
    return in_force_for(agency, [position.pk], day).get(position.pk)


def in_force_for(agency, position_ids, day: datetime.date) -> dict[int, JobDescription]:
    """Position id → the description in force on ``day`` for ``agency`` (its own where it has
    one, else the province's common one), tasks loaded, in a fixed number of queries."""
    ids = {pk for pk in position_ids if pk is not None}
    if not ids:
        return {}
    versions = (
        JobDescription.objects.in_force_on(day)
        .for_agency(agency)
        .filter(job_position_id__in=ids)
        .select_related("job_position", "agency")
        .prefetch_related("tasks")
    )
    found: dict[int, JobDescription] = {}
    for version in versions:
        if version.agency_id is not None or version.job_position_id not in found:
            found[version.job_position_id] = version
    return found
