"""The one door of support requests (vướng mắc / kiến nghị): raising, answering, converting
into a change request, re-opening and closing. Every move goes through the approval-workflow
kit (``cms.workflow``) and appends one ``SupportRequestLog`` row; reads go through
``org.access.visible`` (``support.policy``).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms import workflow
from org import access, blocs
from org.models import Agency
from support.models import (
    ChangeKind,
    Status,
    SupportAttachment,
    SupportRequest,
    SupportRequestLog,
    SupportSettings,
)

S = Status
HOME_AFFAIRS, BLOC_LEAD = "home_affairs", "bloc_lead"
RAISER, ANSWERER = "raiser", "answerer"
ANSWER, CONVERT, REOPEN, CLOSE = "answer", "convert", "reopen", "close"


# --- who answers ---------------------------------------------------------------------------


def lead_body_for(agency: Agency) -> str:
    """The body a request of ``agency`` goes to: the lead body of its bloc where the province
    gave the bloc to one (Ban Tổ chức Tỉnh ủy, the Front's standing committee: ``org.blocs``,
    Nghệ An §V.1–V.4), Sở Nội vụ otherwise."""
    return BLOC_LEAD if blocs.lead_of(agency) is not None else HOME_AFFAIRS


def addressee_name(request: SupportRequest) -> str:
    """The name of the body the request went to, for its page."""
    if request.addressee == BLOC_LEAD:
        return blocs.lead_name(request.agency)
    return _("Sở Nội vụ")


def is_answerer(user, request: SupportRequest) -> bool:
    """Whether ``user`` answers for the body ``request`` is addressed to: the appraisers of
    the bloc's lead body; Sở Nội vụ answers its own and may answer any (it oversees every
    bloc's use of the method and of the software)."""
    if access.is_home_affairs(user):
        return True
    if request.addressee == BLOC_LEAD:
        return blocs.appraises(user, request.agency)
    return False


def _roles(user, request: SupportRequest, _today=None) -> set[str]:
    roles = set()
    if getattr(user, "pk", None) is not None and request.raised_by_id == user.pk:
        roles.add(RAISER)
    if is_answerer(user, request):
        roles.add(ANSWERER)
    return roles


def _change_kind_guard(ctx: workflow.Context) -> str | None:
    if ctx.data.get("change_kind") not in ChangeKind.values:
        return _("Chuyển thành: chọn đề nghị sửa danh mục hoặc sửa khung tiêu chí.")
    return None


#: The path of a request: open → answered (→ re-opened by the raiser, or closed), or
#: open/answered → converted into a catalog or framework change request.
FLOW = workflow.Flow(
    (
        workflow.Transition(
            ANSWER,
            gettext_lazy("Trả lời"),
            frozenset({S.OPEN}),
            S.ANSWERED,
            frozenset({ANSWERER}),
            needs_comment=True,
        ),
        workflow.Transition(
            CONVERT,
            gettext_lazy("Chuyển thành đề nghị sửa đổi"),
            frozenset({S.OPEN, S.ANSWERED}),
            S.CONVERTED,
            frozenset({ANSWERER}),
            needs_comment=True,
            guards=(_change_kind_guard,),
        ),
        workflow.Transition(
            REOPEN,
            gettext_lazy("Chưa rõ, hỏi lại"),
            frozenset({S.ANSWERED}),
            S.OPEN,
            frozenset({RAISER}),
            needs_comment=True,
        ),
        workflow.Transition(
            CLOSE,
            gettext_lazy("Đóng"),
            frozenset({S.ANSWERED}),
            S.CLOSED,
            frozenset({RAISER, ANSWERER}),
        ),
    ),
    roles=_roles,
    wrong_state=lambda t, request: (
        _("Không thể “%(action)s” khi vướng mắc, kiến nghị đang “%(status)s”.")
        % {"action": t.label, "status": request.get_status_display()}
    ),
    forbidden=gettext_lazy("Bạn không có quyền thực hiện thao tác này với vướng mắc, kiến nghị."),
    missing=gettext_lazy("Thiếu thông tin bắt buộc: %(field)s."),
    field_labels={"comment": gettext_lazy("nội dung trả lời, ý kiến")},
    record=lambda move, **extra: SupportRequestLog.append(move, request=move.context.obj, **extra),
)


# --- reading -------------------------------------------------------------------------------


def visible(user):
    """The requests ``user`` may read: their agencies' (``support.policy``), their own, and all
    of them for the body that answers."""
    rows = access.visible(user, SupportRequest)
    own = SupportRequest.objects.filter(raised_by_id=getattr(user, "pk", None))
    return (rows | own).distinct().select_related("agency", "raised_by", "person")


def may_read(user, request: SupportRequest) -> bool:
    return visible(user).filter(pk=request.pk).exists()


def raising_agencies(user, today: datetime.date | None = None):
    """Agencies ``user`` may raise a request for: where their person is posted today and the
    agencies granted to them."""
    today = today or timezone.localdate()
    person = access.civil_servant_of(user)
    ids = set(access.granted_agencies(user).values_list("pk", flat=True))
    if person is not None:
        ids |= {
            p.agency_id
            for p in person.postings.all()
            if p.start_date <= today and (p.end_date is None or p.end_date >= today)
        }
    return Agency.objects.filter(pk__in=ids).order_by("name")


# --- writing -------------------------------------------------------------------------------


@transaction.atomic
def raise_request(
    user,
    *,
    agency: Agency,
    kind: str,
    category: str,
    title: str,
    body: str,
    attachments=(),
    today: datetime.date | None = None,
) -> SupportRequest:
    today = today or timezone.localdate()
    if not raising_agencies(user, today).filter(pk=agency.pk).exists():
        raise PermissionDenied(
            _("Chỉ gửi được vướng mắc, kiến nghị của cơ quan, đơn vị mình đang công tác.")
        )
    problems = {}
    if not (title or "").strip():
        problems["title"] = _("Tiêu đề: không được để trống.")
    if not (body or "").strip():
        problems["body"] = _("Nội dung: hãy mô tả vướng mắc hoặc kiến nghị.")
    if problems:
        raise ValidationError(problems)
    days = SupportSettings.load().answer_days
    request = SupportRequest.objects.create(
        agency=agency,
        person=access.civil_servant_of(user),
        raised_by=user,
        addressee=lead_body_for(agency),
        kind=kind,
        category=category,
        title=title.strip(),
        body=body.strip(),
        deadline=today + datetime.timedelta(days=days),
    )
    for upload in attachments:
        SupportAttachment.objects.create(request=request, file=upload, original_name=upload.name)
    SupportRequestLog.objects.create(
        request=request,
        action="raise",
        to_state=S.OPEN,
        user=user,
        user_name=(user.get_full_name() or user.get_username())[:150],
    )
    return request


@transaction.atomic
def act(user, request: SupportRequest, action: str, *, text: str = "", change_kind: str = ""):
    """Take ``action`` (answer, convert, reopen, close) on ``request`` or raise
    ``PermissionDenied`` / ``ValidationError`` with the kit's message."""
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    try:
        move = FLOW.check(request, action, user, data={"change_kind": change_kind}, comment=text)
    except workflow.Forbidden as exc:
        raise PermissionDenied(str(exc.reasons[0])) from exc
    except workflow.TransitionError as exc:
        raise ValidationError([str(r) for r in exc.reasons]) from exc
    FLOW.advance(move)
    if action in (ANSWER, CONVERT):
        request.answer = move.context.comment
        request.answered_by = user
        request.answered_at = timezone.now()
    if action == CONVERT:
        request.change_kind = change_kind
    request.save()
    FLOW.record(move, data={"change_kind": change_kind} if action == CONVERT else {})
    return request


def actions_for(user, request: SupportRequest) -> list[workflow.Transition]:
    return FLOW.available(request, user)
