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

from catalog_pages.models import AgencyCatalogPage
from cms import workflow
from org import access, blocs
from org.models import Agency
from scoring.models import CriteriaFramework, FrameworkProposal, PeriodKind
from scoring.services import proposals
from scoring.services.frameworks import FrameworkResolver
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
        open_change(request, change_kind, user)
    request.save()
    FLOW.record(move, data={"change_kind": change_kind} if action == CONVERT else {})
    return request


# --- the draft change a conversion opens ----------------------------------------------------


def _reference(request: SupportRequest) -> str:
    return _("Theo vướng mắc, kiến nghị #%(pk)d “%(title)s” của %(agency)s") % {
        "pk": request.pk,
        "title": request.title,
        "agency": request.agency.name,
    }


def _change_text(request: SupportRequest) -> str:
    """The draft's explanation: where it comes from, what was asked, what was answered."""
    lines = [f"{_reference(request)}:", request.body]
    if request.answer:
        lines += ["", _("Ý kiến khi chuyển: %(answer)s") % {"answer": request.answer}]
    return "\n".join(lines)


def open_change(request: SupportRequest, change_kind: str, user) -> None:
    """Open the draft change ``request`` is converted into, prefilled from it, for the agency
    that raised it to complete and submit (docs/support.md "Converting a request"):

    * a framework change: a new framework proposal of the agency (``scoring.services.proposals
      .start``), based on the province framework in force for the agency this month; where the
      agency already works under its own approved variant, the draft starts from the variant's
      rules (what it changes is its current framework);
    * a catalog change: a draft revision of the agency's catalog page — its latest draft where
      the agency is already editing one, else the catalog in force — with the request in the
      catalog's notes; refused while an amendment of that catalog waits for appraisal.

    Raises ``ValidationError`` (nothing written) when the draft cannot be opened."""
    agency = request.agency.owning_agency or request.agency
    if change_kind == ChangeKind.FRAMEWORK:
        request.framework_proposal = _framework_draft(request, agency, user)
    elif change_kind == ChangeKind.CATALOG:
        request.catalog_page = _catalog_draft(request, agency, user)


def _framework_draft(request: SupportRequest, agency: Agency, user):
    import copy

    resolved = FrameworkResolver().resolve(agency.path, PeriodKind.MONTH, timezone.localdate())
    if resolved is None:
        raise ValidationError(
            _(
                "Chưa có khung tiêu chí nào áp dụng cho %(agency)s: Sở Nội vụ giao khung cho cơ "
                "quan trước, rồi chuyển thành đề nghị sửa khung."
            )
            % {"agency": agency.name}
        )
    base = CriteriaFramework.objects.get(pk=resolved.framework_id)
    rules = {}
    variant_of = FrameworkProposal.objects.filter(framework=base).select_related("base").first()
    if variant_of is not None:
        base, rules = variant_of.base, copy.deepcopy(resolved.rules.to_dict())
    proposal = FrameworkProposal(
        agency=agency,
        base=base,
        name=(
            _("Sửa khung theo kiến nghị #%(pk)d: %(title)s")
            % {
                "pk": request.pk,
                "title": request.title,
            }
        )[:255],
        explanation=_change_text(request),
        rules=rules,
    )
    try:
        return proposals.start(proposal, user)
    except proposals.ProposalError as exc:
        raise ValidationError([str(problem) for problem in exc.problems]) from exc


def _catalog_draft(request: SupportRequest, agency: Agency, user):
    from django.utils.html import escape

    page = AgencyCatalogPage.objects.filter(agency=agency).first()
    if page is None:
        raise ValidationError(
            _("%(agency)s chưa có danh mục sản phẩm/công việc để sửa đổi.") % {"agency": agency}
        )
    if page.workflow_in_progress:
        raise ValidationError(
            _(
                "Danh mục của %(agency)s đang có một bản sửa đổi chờ thẩm định: hãy chuyển sau "
                "khi bản đó được phê duyệt hoặc trả lại, hoặc trả lời vướng mắc, kiến nghị này."
            )
            % {"agency": agency.name}
        )
    draft = page.get_latest_revision_as_object()
    note = "".join(f"<p>{escape(line)}</p>" for line in _change_text(request).splitlines() if line)
    draft.intro = f"{draft.intro or ''}{note}"
    draft.save_revision(user=user, log_action=True)
    return page


def change_links(request: SupportRequest) -> list[tuple[str, str]]:
    """(label, admin URL) of the draft change ``request`` was converted into."""
    from django.urls import reverse

    links = []
    proposal = request.framework_proposal if request.framework_proposal_id else None
    if proposal is not None:
        links.append(
            (
                proposal.name,
                reverse(
                    "wagtailsnippets_scoring_frameworkproposal:edit",
                    args=[request.framework_proposal_id],
                ),
            )
        )
    page = request.catalog_page if request.catalog_page_id else None
    if page is not None:
        links.append(
            (
                _("Bản sửa đổi danh mục của %(agency)s") % {"agency": page.agency},
                reverse("wagtailadmin_pages:edit", args=[request.catalog_page_id]),
            )
        )
    return links


def requests_behind(obj) -> list[tuple[str, str]]:
    """(label, URL) of the support requests converted into ``obj`` (a framework proposal or a
    catalog page): the link back, shown on the draft's edit page (``cms.backlinks``)."""
    from django.urls import reverse

    if isinstance(obj, FrameworkProposal):
        rows = SupportRequest.objects.filter(framework_proposal=obj)
    elif isinstance(obj, AgencyCatalogPage):
        rows = SupportRequest.objects.filter(catalog_page=obj)
    else:
        return []
    return [
        (
            _("Vướng mắc, kiến nghị #%(pk)d: %(title)s") % {"pk": row.pk, "title": row.title},
            reverse("support_request", args=[row.pk]),
        )
        for row in rows.order_by("pk")
    ]


def actions_for(user, request: SupportRequest) -> list[workflow.Transition]:
    return FLOW.available(request, user)


def waiting_for(user):
    """The open requests addressed to the body ``user`` answers for, oldest deadline first
    (review 2026-11-25, ux L10: Sở Nội vụ's home had no panel for them). Sở Nội vụ: those
    addressed to it; a bloc's appraisers: their bloc's."""
    if access.is_home_affairs(user):
        rows = SupportRequest.objects.filter(addressee=HOME_AFFAIRS)
    elif blocs.is_bloc_appraiser(user):
        rows = SupportRequest.objects.filter(
            addressee=BLOC_LEAD, agency__in=blocs.appraised_agencies(user)
        )
    else:
        return SupportRequest.objects.none()
    return rows.filter(status=Status.OPEN).select_related("agency").order_by("deadline", "pk")
