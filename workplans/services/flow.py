"""A work plan's path inside its agency (``cms.workflow``): the unit or the agency's office
drafts it and submits it; the head of the agency approves it or returns it with the reason.
Once approved, the plan is frozen and its items become assignments through the worklog's one
assignment service (``worklog.services.assign.assign``: the evaluator of the day assigns, the
catalog version in force gives the product, the lines' write service writes them).

Roles: the **author** holds ``change`` on the plan (``org.access.may``: the model permission
and the plan's agency in reach); the **approver** heads the agency that owns the plan today
(``org.access.headed_agencies``). Sở Nội vụ reads and may help draft every plan, but a plan is
the agency's own decision: Sở Nội vụ approves only the plans of the agency it is, through its
own head (before the issue-45 matrix it approved every agency's plans).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms import workflow
from org import access
from worklog.services.assign import Assignment, assign
from workplans.models import PlanStatus, WorkPlan, WorkPlanItem

AUTHOR, APPROVER = "author", "approver"


def heads_plan_agency(user, plan: WorkPlan) -> bool:
    """Whether ``user`` heads, today, the agency owning ``plan`` (a unit's plan is approved by
    its agency's head, not by the unit's own)."""
    owner = plan.agency.owning_agency if plan.agency_id else None
    if owner is None:
        return False
    return any(agency.pk == owner.pk for agency in access.headed_agencies(user))


def roles_of(user, plan: WorkPlan, _today=None) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    roles = set()
    if access.may(user, access.CHANGE, plan):
        roles.add(AUTHOR)
    if heads_plan_agency(user, plan):
        roles.add(APPROVER)
    return roles


def _has_items(ctx: workflow.Context):
    plan = ctx.obj
    if not plan.items.exists():
        return _("Kế hoạch chưa có mục nào: thêm ít nhất một mục rồi trình.")
    return None


S = PlanStatus
FLOW = workflow.Flow(
    (
        workflow.Transition(
            "submit",
            gettext_lazy("Trình phê duyệt"),
            frozenset({S.DRAFT}),
            S.SUBMITTED,
            frozenset({AUTHOR}),
            guards=(_has_items,),
            wrong_state=gettext_lazy("Chỉ kế hoạch đang soạn mới được trình."),
        ),
        workflow.Transition(
            "approve",
            gettext_lazy("Phê duyệt"),
            frozenset({S.SUBMITTED}),
            S.APPROVED,
            frozenset({APPROVER}),
            guards=(_has_items,),
            wrong_state=gettext_lazy("Chỉ kế hoạch đã trình mới được phê duyệt."),
        ),
        workflow.Transition(
            "return",
            gettext_lazy("Trả lại"),
            frozenset({S.SUBMITTED}),
            S.DRAFT,
            frozenset({APPROVER}),
            needs_comment=True,
            wrong_state=gettext_lazy("Chỉ kế hoạch đã trình mới được trả lại."),
        ),
    ),
    roles=roles_of,
    forbidden=gettext_lazy("Bạn không có quyền thực hiện bước này với kế hoạch này."),
    missing=gettext_lazy("%(field)s: bắt buộc khi trả lại."),
    field_labels={"comment": gettext_lazy("Lý do trả lại")},
)


def may_take(user, action: str, plan: WorkPlan) -> bool:
    return any(t.action == action for t in FLOW.available(plan, user))


def holds_role(user, action: str, plan: WorkPlan) -> bool:
    transition = FLOW.transitions.get(action)
    return transition is not None and bool(FLOW.roles_of(user, plan) & transition.actors)


def _check(plan, action, user, comment=""):
    try:
        return FLOW.check(plan, action, user, comment=comment)
    except workflow.Forbidden as exc:
        raise PermissionDenied(str(exc.reasons[0])) from exc
    except workflow.Refused as exc:
        raise ValidationError([str(r) for r in exc.reasons]) from exc
    except workflow.TransitionError as exc:
        raise ValidationError(str(exc.reasons[0])) from exc


@transaction.atomic
def take(plan: WorkPlan, action: str, user, comment: str = "") -> WorkPlan:
    """Submit, approve or return ``plan`` (locked), as ``user``."""
    plan = WorkPlan.objects.select_for_update().select_related("agency").get(pk=plan.pk)
    move = _check(plan, action, user, comment)
    FLOW.advance(move)
    fields = ["status"]
    if action == "approve":
        plan.approved_by = user
        plan.approved_at = timezone.now()
        plan.return_reason = ""
        fields += ["approved_by", "approved_at", "return_reason"]
        reason = _("Phê duyệt kế hoạch công tác")
    elif action == "return":
        plan.return_reason = comment.strip()
        fields.append("return_reason")
        reason = _("Trả lại kế hoạch công tác: %(reason)s") % {"reason": comment.strip()}
    else:
        reason = _("Trình phê duyệt kế hoạch công tác")
    plan._change_reason = reason
    plan.save(update_fields=fields)
    return plan


def assignable(item: WorkPlanItem) -> bool:
    return item.owner_id is not None and item.product_id is not None and not item.lines.exists()


def _token(item: WorkPlanItem) -> str:
    """The same item always gives the same assignment token: drawing twice creates nothing."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kpi-congvu:workplan-item:{item.pk}"))


def assign_plan(user, plan: WorkPlan, today=None) -> tuple[int, list[str]]:
    """Draw the assignments of an approved plan's items that name a person and a product and
    have none yet, each through ``worklog.services.assign.assign`` (its own checks: the
    evaluator of the day, the open period, the catalog in force). Returns the number of lines
    created and, per item refused, the reason (the other items are still assigned)."""
    today = today or timezone.localdate()
    if not plan.is_approved:
        raise ValidationError(_("Chỉ giao việc từ kế hoạch đã phê duyệt."))
    created, problems = 0, []
    items = plan.items.select_related("owner", "product").order_by("sort_order", "pk")
    for item in items:
        if not assignable(item):
            continue
        request = Assignment(
            people=[item.owner],
            item=item.product,
            quantity=item.quantity,
            deadline=item.deadline,
            note=_("Theo kế hoạch: %(plan)s — %(item)s") % {"plan": plan.title, "item": item.name},
            token=_token(item),
        )
        try:
            with transaction.atomic():
                result = assign(user, request, today)
                item.lines.add(*result.created, *result.existing)
        except (PermissionDenied, ValidationError) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            problems.append(f"{item.name}: {' '.join(str(m) for m in messages)}")
            continue
        created += len(result.created)
    return created, problems
