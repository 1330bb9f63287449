"""The path of an agency's framework proposal (docs/scoring.md §13.7).

Every change of status goes through :func:`apply`: it checks who may take the step
(``scoring.policy`` permissions + ``org.access`` reach), what the step needs (a comment, a
decision), runs the engine's framework checks and the province's ``VariantPolicy`` where the
step publishes or forwards the rules, and writes the new status, a ``ProposalTransition`` and
an audit entry (Wagtail's log, shown in the proposal's history) in one transaction.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from wagtail.log_actions import log

from cms import workflow
from org import access, blocs
from scoring.engine import FrameworkError, parse_framework
from scoring.models import (
    EDITABLE_STATUSES,
    AppliesTo,
    CriteriaFramework,
    FrameworkAssignment,
    FrameworkProposal,
    ProposalScope,
    ProposalStatus,
    ProposalTransition,
    VariantPolicy,
    rules_errors,
)
from scoring.services.frameworks import live_framework

S = ProposalStatus

SUBMIT, RETURN, RECOMMEND, APPROVE, REJECT = "submit", "return", "recommend", "approve", "reject"

#: The roles of the proposal's path: each a permission besides reach (``org.access``).
AUTHOR, APPRAISER, APPROVER = "author", "appraiser", "approver"
ROLE_PERMISSIONS = {
    AUTHOR: ("scoring.change_frameworkproposal", access.CHANGE),
    APPRAISER: ("scoring.appraise_frameworkproposal", access.VIEW),
    APPROVER: ("scoring.approve_frameworkproposal", access.VIEW),
}


def _roles(user, proposal, _today=None) -> set[str]:
    roles = {
        role
        for role, (permission, action) in ROLE_PERMISSIONS.items()
        if user.has_perm(permission) and access.may(user, action, proposal)
    }
    # Appraising and approving belong to the lead body of the agency's bloc: Sở Nội vụ for the
    # state bloc, Ban Tổ chức Tỉnh ủy / the Front's standing committee where the province says
    # so (org.blocs, Nghệ An §V.1–V.4).
    if roles & {APPRAISER, APPROVER} and not blocs.appraises(user, proposal.agency):
        roles -= {APPRAISER, APPROVER}
    # Nobody appraises or approves what they sent themselves (issue 45 action matrix: Sở Nội vụ
    # could write an agency's proposal, send it and approve it alone).
    if roles & {APPRAISER, APPROVER} and sent_by(user, proposal):
        roles -= {APPRAISER, APPROVER}
    return roles


def sent_by(user, proposal) -> bool:
    """Whether ``user`` sent ``proposal`` in its current round (the last submission)."""
    if proposal.pk is None or proposal.status not in (S.SUBMITTED, S.RECOMMENDED):
        return False
    last = (
        ProposalTransition.objects.filter(proposal=proposal, to_status=S.SUBMITTED)
        .order_by("-pk")
        .values_list("by_id", flat=True)
        .first()
    )
    return last is not None and last == user.pk


SENT_BY_YOU = gettext_lazy(
    "Bạn đã gửi khung đề xuất này: người khác của cơ quan thẩm định thẩm định, phê duyệt."
)


def _proposal_guard(ctx: workflow.Context) -> list[str]:
    return proposal_problems(ctx.obj)


def _decision_guard(ctx: workflow.Context) -> list[str]:
    return _decision_problems(ctx.data.get("decision"), ctx.obj)


def _step(action, sources, target, role, *, needs_comment=False, guards=()):
    return workflow.Transition(
        action,
        action,
        frozenset(sources),
        target,
        frozenset({role}),
        needs_comment=needs_comment,
        guards=guards,
    )


#: The path of a proposal (``cms.workflow``): draft/returned → submitted → recommended →
#: approved, or returned / rejected with a comment.
FLOW = workflow.Flow(
    (
        _step(SUBMIT, EDITABLE_STATUSES, S.SUBMITTED, AUTHOR, guards=(_proposal_guard,)),
        _step(RETURN, (S.SUBMITTED, S.RECOMMENDED), S.RETURNED, APPRAISER, needs_comment=True),
        _step(RECOMMEND, (S.SUBMITTED,), S.RECOMMENDED, APPRAISER, guards=(_proposal_guard,)),
        _step(
            APPROVE,
            (S.RECOMMENDED,),
            S.APPROVED,
            APPROVER,
            guards=(_proposal_guard, _decision_guard),
        ),
        _step(REJECT, (S.SUBMITTED, S.RECOMMENDED), S.REJECTED, APPROVER, needs_comment=True),
    ),
    roles=_roles,
    unknown=gettext_lazy("Bước xử lý không hợp lệ."),
    wrong_state=lambda _t, proposal: (
        _("Trạng thái: khung đề xuất đang “%(status)s”, không thực hiện được bước này.")
        % {"status": proposal.get_status_display()}
    ),
    forbidden=gettext_lazy("Bạn không có quyền thực hiện bước này."),
    missing=gettext_lazy("%(field)s: bắt buộc khi trả lại hoặc không phê duyệt."),
    field_labels={"comment": pgettext_lazy("field", "Ý kiến")},
)
#: step → (statuses it starts from, status it leads to) — read from the flow.
STEPS = {t.action: (tuple(t.sources), t.target) for t in FLOW.transitions.values()}

#: Parts of a framework a variant never changes, with their legal basis.
FIXED_PARTS = {
    "total_max": "Nghị định 335/2025/NĐ-CP, Điều 12",
    "period_type": "",
    "position_groups": "",
    "task_method": "Nghị định 335/2025/NĐ-CP, Điều 14–16",
    "leader_criteria": "Nghị định 335/2025/NĐ-CP, Điều 15",
    "bands": "Nghị định 335/2025/NĐ-CP, Điều 20",
    "disqualifiers": "Nghị định 335/2025/NĐ-CP, Điều 20",
    "quota": "Nghị định 335/2025/NĐ-CP, Điều 20 khoản 5",
    "annual": "Nghị định 335/2025/NĐ-CP, Điều 21",
    "rounding": "",
    "marks": "",
    "organisation": "",
}
#: Keys of a component a variant never changes (the 30/70 split is the component maxima).
FIXED_COMPONENT_KEYS = ("code", "kind", "max_points", "max_points_by_group", "label", "groups")


class ProposalError(Exception):
    """A step refused; ``problems`` are Vietnamese messages, each naming its field."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Decision:
    number: str
    date: datetime.date | None
    effective_from: datetime.date | None


# --- the allowed changes ---------------------------------------------------------------------


def policy_for(base: CriteriaFramework) -> VariantPolicy:
    """The province's allowed changes for variants of ``base`` (the model's defaults when Sở
    Nội vụ has set none)."""
    return VariantPolicy.objects.filter(base=base).first() or VariantPolicy(base=base)


def base_rules(proposal: FrameworkProposal) -> dict:
    """The province's rules the proposal started from (its base revision, else the live one)."""
    revision = proposal.base_revision  # None without a query when no revision is set
    if revision is not None:
        data = revision.content.get("rules")
    else:
        resolved = live_framework(proposal.base)
        data = resolved.rules.to_dict() if resolved else proposal.base.rules
    if isinstance(data, str):
        import json

        data = json.loads(data)
    return parse_framework(data).to_dict()


def _basis(citation: str) -> str:
    return f" ({citation})" if citation else ""


def policy_problems(base: dict, variant: dict, policy: VariantPolicy) -> list[str]:  # noqa: C901
    """What ``variant`` changes beyond ``policy`` compared with ``base`` (both
    ``FrameworkRules.to_dict()`` shapes); Vietnamese messages prefixed with the field."""
    problems: list[str] = []
    fixed = _("không được thay đổi so với khung của tỉnh")
    for key, citation in FIXED_PARTS.items():
        if base.get(key) != variant.get(key):
            problems.append(f"framework.{key}: {fixed}{_basis(citation)}")
    base_components = base.get("components", [])
    components = variant.get("components", [])
    if [c.get("code") for c in base_components] != [c.get("code") for c in components]:
        problems.append(
            "framework.components: "
            + _("phải giữ đúng các thành phần của khung tỉnh (tỷ lệ 30/70, Nghị định 335, Điều 12)")
        )
        return problems
    minimum = policy.min_criterion_points
    for i, (old, new) in enumerate(zip(base_components, components, strict=True)):
        path = f"framework.components[{i}]"
        for key in FIXED_COMPONENT_KEYS:
            if old.get(key) != new.get(key):
                problems.append(f"{path}.{key}: {fixed}{_basis(FIXED_PARTS['total_max'])}")
        old_criteria = {c["code"]: c for c in old.get("criteria", [])}
        added = 0
        for j, criterion in enumerate(new.get("criteria", [])):
            here = f"{path}.criteria[{j}]"
            before = old_criteria.get(criterion.get("code"))
            points = _decimal(criterion.get("max_points"))
            if points is not None and points < minimum:
                problems.append(
                    f"{here}.max_points: "
                    + _("phải từ %(min)s điểm trở lên") % {"min": _number(minimum)}
                )
            if before is None:
                added += 1
                if not policy.may_add_criteria:
                    problems.append(
                        f"{here}: "
                        + _("tỉnh không cho phép thêm tiêu chí thành phần ('%(code)s')")
                        % {"code": criterion.get("code")}
                    )
                if not str(criterion.get("label", "")).strip():
                    problems.append(f"{here}.label: " + _("không được để trống"))
                continue
            if not policy.may_reword and criterion.get("label") != before.get("label"):
                problems.append(
                    f"{here}.label: " + _("tỉnh không cho phép sửa nội dung tiêu chí thành phần")
                )
            if not policy.may_change_points and _decimal(criterion.get("max_points")) != _decimal(
                before.get("max_points")
            ):
                problems.append(
                    f"{here}.max_points: "
                    + _("tỉnh không cho phép thay đổi điểm tiêu chí thành phần")
                )
            if criterion.get("group", "") != before.get("group", ""):
                problems.append(f"{here}.group: {fixed}")
        if policy.may_add_criteria and added > policy.max_added_criteria:
            problems.append(
                f"{path}.criteria: "
                + _("thêm %(added)s tiêu chí thành phần, tỉnh cho phép tối đa %(max)s")
                % {"added": added, "max": policy.max_added_criteria}
            )
        if not policy.may_remove_criteria:
            kept = {c.get("code") for c in new.get("criteria", [])}
            for code in old_criteria:
                if code not in kept:
                    problems.append(
                        f"{path}.criteria: "
                        + _("không được bỏ tiêu chí thành phần '%(code)s' của khung tỉnh")
                        % {"code": code}
                    )
    return problems


def _decimal(value):
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _number(value) -> str:
    from django.utils.formats import number_format

    return number_format(value.normalize() if hasattr(value, "normalize") else value)


#: The one part of a framework an agency's organisation criteria set (GL §V.1.b–c: "tiêu chí
#: kết quả thực hiện nhiệm vụ trọng tâm của sở, ngành, địa phương"); everything else — the
#: 30/70 split, levels, conditions, the individual rules — stays the province's.
ORGANISATION_PART = "key_tasks"


def organisation_problems(base: dict, variant: dict) -> list[str]:
    """What an organisation-criteria proposal changes beyond its key tasks and their weights
    (both ``FrameworkRules.to_dict()`` shapes); Vietnamese messages prefixed with the field."""
    fixed = _("không được thay đổi so với khung của tỉnh")
    problems = [
        f"framework.{key}: {fixed}"
        for key in sorted(set(base) | set(variant))
        if key != "organisation" and base.get(key) != variant.get(key)
    ]
    old, new = base.get("organisation") or {}, variant.get("organisation") or {}
    problems += [
        f"framework.organisation.{key}: {fixed}"
        for key in sorted(set(old) | set(new))
        if key != ORGANISATION_PART and old.get(key) != new.get(key)
    ]
    if not new.get(ORGANISATION_PART):
        problems.append(
            f"framework.organisation.{ORGANISATION_PART}: "
            + _("cần ít nhất một nhiệm vụ trọng tâm (tên nhiệm vụ và hệ số).")
        )
    return problems


def proposal_problems(proposal: FrameworkProposal) -> list[str]:
    """The engine's framework checks, then the province's allowed changes (for organisation
    criteria: only the key tasks and their weights)."""
    problems = rules_errors(proposal.rules, proposal.base.period_type)
    if problems:
        return problems
    try:
        variant = parse_framework(proposal.rules).to_dict()
    except FrameworkError as exc:  # pragma: no cover - rules_errors reported it
        return [f"{exc.path}: {exc.message}"]
    if proposal.is_organisation:
        return organisation_problems(base_rules(proposal), variant)
    return policy_problems(base_rules(proposal), variant, policy_for(proposal.base))


# --- who may do what ---------------------------------------------------------------------------


def may_take(user, step: str, proposal: FrameworkProposal) -> bool:
    return any(t.action == step for t in FLOW.available(proposal, user))


def steps_for(user, proposal: FrameworkProposal) -> list[str]:
    return [t.action for t in FLOW.available(proposal, user)]


def may_edit(user, proposal: FrameworkProposal) -> bool:
    return proposal.is_editable and access.may(user, access.CHANGE, proposal)


# --- writing -----------------------------------------------------------------------------------


def _variant_code(proposal: FrameworkProposal) -> str:
    stem = slugify(f"{proposal.base.code}-{proposal.agency.code}")[:50] or "bien-the"
    code, n = stem, 1
    while CriteriaFramework.objects.filter(code=code).exists():
        n += 1
        code = f"{stem}-{n}"
    return code


@transaction.atomic
def start(proposal: FrameworkProposal, user) -> FrameworkProposal:
    """Save a new proposal: a copy of the base framework's live rules, the variant's
    (unpublished) framework row, and the first step."""
    resolved = live_framework(proposal.base)
    if resolved is None:
        raise ProposalError(
            [_("Khung của tỉnh: khung “%(name)s” chưa được ban hành.") % {"name": proposal.base}]
        )
    organisation = proposal.scope == ProposalScope.ORGANISATION
    if organisation and resolved.rules.organisation is None:
        raise ProposalError(
            [
                _(
                    "Khung của tỉnh: khung “%(name)s” không có phần đánh giá, xếp loại tổ chức; "
                    "chọn khung có phần này để đề xuất tiêu chí đánh giá tổ chức."
                )
                % {"name": proposal.base}
            ]
        )
    proposal.base_revision_id = resolved.revision_id
    if not proposal.rules:
        proposal.rules = copy.deepcopy(resolved.rules.to_dict())
    proposal.created_by = user
    proposal.status = S.DRAFT
    proposal.save()
    # Organisation criteria make an organisation framework: it rates the agency only, never
    # its civil servants (``org_scoring.frameworks`` reads organisation ones first).
    framework = CriteriaFramework(
        name=proposal.name,
        code=_variant_code(proposal),
        period_type=proposal.base.period_type,
        applies_to=AppliesTo.ORGANISATION if organisation else proposal.base.applies_to,
        rules=proposal.rules,
        description=(
            _("Tiêu chí đánh giá tổ chức đề xuất của %(agency)s (chưa phê duyệt).")
            if organisation
            else _("Khung tiêu chí đề xuất của %(agency)s (chưa phê duyệt).")
        )
        % {"agency": proposal.agency},
        live=False,
        has_unpublished_changes=True,
    )
    framework.save()
    proposal.framework = framework
    proposal.save(update_fields=["framework"])
    _record(proposal, "", S.DRAFT, user, "")
    return proposal


@transaction.atomic
def update_rules(proposal: FrameworkProposal, rules: dict, user) -> FrameworkProposal:
    """Write the agency's edited rules into its proposal (the structured editor's one door):
    only while the proposal is a draft or returned, by someone who may change it; the rules
    must pass the engine's checks (the province's allowed changes are checked again on
    submission). Logged in the proposal's history."""
    proposal = FrameworkProposal.objects.select_for_update().get(pk=proposal.pk)
    if not may_edit(user, proposal):
        if not proposal.is_editable:
            raise ProposalError(
                [
                    _(
                        "Khung đề xuất đang “%(status)s”: chỉ sửa được khi đang soạn hoặc bị trả "
                        "lại."
                    )
                    % {"status": proposal.get_status_display()}
                ]
            )
        raise ProposalError([_("Bạn không có quyền sửa khung đề xuất này.")])
    problems = rules_errors(rules, proposal.base.period_type)
    if problems:
        raise ProposalError(problems)
    proposal.rules = rules
    proposal.save(update_fields=["rules"])
    log(instance=proposal, action="wagtail.edit", user=user)
    return proposal


def key_tasks_of(proposal: FrameworkProposal) -> list[dict]:
    """The key tasks (code, label, weight) an organisation-criteria proposal sets."""
    return list((proposal.rules.get("organisation") or {}).get(ORGANISATION_PART) or [])


def update_key_tasks(proposal: FrameworkProposal, rows: list[dict], user) -> FrameworkProposal:
    """Write the agency's key tasks and their weights (``code``, ``label``, ``weight``, and
    ``plan_fulfilment`` = ``ratio`` for the one measured from the agency's work plans, Đắk Lắk
    §III.3) into its organisation-criteria proposal through :func:`update_rules` (who may, the
    status, the engine's checks, the history)."""
    if not proposal.is_organisation:
        raise ProposalError(
            [_("Khung đề xuất này là tiêu chí đánh giá công chức, không có nhiệm vụ trọng tâm.")]
        )
    rules = copy.deepcopy(proposal.rules)
    rules.setdefault("organisation", {})[ORGANISATION_PART] = [
        {
            "code": str(row["code"]).strip(),
            "label": str(row["label"]).strip(),
            "weight": str(row["weight"]),
            # Written only when set, like the framework's own dump (``OMIT_DEFAULT``).
            **({"plan_fulfilment": "ratio"} if row.get("plan_fulfilment") else {}),
        }
        for row in rows
    ]
    return update_rules(proposal, rules, user)


def _record(proposal, from_status, to_status, user, comment) -> ProposalTransition:
    row = ProposalTransition.objects.create(
        proposal=proposal,
        from_status=from_status,
        to_status=to_status,
        by=user,
        comment=comment,
    )
    log(
        instance=proposal,
        action=f"scoring.proposal.{to_status}",
        user=user,
        data={"from": from_status, "to": to_status, "comment": comment},
    )
    return row


@transaction.atomic
def apply(
    proposal: FrameworkProposal,
    step: str,
    user,
    comment: str = "",
    decision: Decision | None = None,
) -> FrameworkProposal:
    """Take ``step`` (SUBMIT, RETURN, RECOMMEND, APPROVE, REJECT) or raise ProposalError."""
    proposal = FrameworkProposal.objects.select_for_update().get(pk=proposal.pk)
    if step != SUBMIT and sent_by(user, proposal):
        raise ProposalError([str(SENT_BY_YOU)])
    try:
        move = FLOW.check(proposal, step, user, data={"decision": decision}, comment=comment)
    except workflow.TransitionError as exc:
        raise ProposalError([str(r) for r in exc.reasons]) from exc
    from_status, target, comment = move.from_state, move.to_state, move.context.comment
    FLOW.advance(move)
    if step == APPROVE:
        if decision is None:  # pragma: no cover - the decision guard refused it (FLOW.check)
            raise ProposalError(_decision_problems(decision, proposal))
        proposal.decision_number = decision.number.strip()
        proposal.decision_date = decision.date
        proposal.effective_from = decision.effective_from
        proposal.approved_by = user
        _publish(proposal, user)
        if proposal.is_organisation:
            _assign(proposal)
    proposal.save()
    _record(proposal, from_status, target, user, comment)
    return proposal


def _assign(proposal: FrameworkProposal) -> None:
    """Approved organisation criteria apply to the agency from the approval's effective date
    (1 January of a year not yet rated: the next evaluation year), with nobody's hand needed;
    an earlier approval stays in force for the years before (the resolver takes the latest
    date not after the year's end)."""
    if proposal.effective_from is None:  # pragma: no cover - the decision guard requires it
        return
    FrameworkAssignment.objects.get_or_create(
        framework=proposal.framework,
        agency=proposal.agency,
        effective_from=proposal.effective_from,
        defaults={
            "decision_ref": proposal.decision_number,
            "note": _(
                "Tiêu chí đánh giá tổ chức của %(agency)s, phê duyệt theo quyết định %(number)s."
            )
            % {"agency": proposal.agency, "number": proposal.decision_number},
        },
    )


def _decision_problems(decision: Decision | None, proposal=None) -> list[str]:
    if decision is None:
        return [_("Số quyết định phê duyệt: bắt buộc.")]
    problems = []
    if not (decision.number or "").strip():
        problems.append(_("Số quyết định phê duyệt: bắt buộc."))
    if decision.date is None:
        problems.append(_("Ngày quyết định: bắt buộc (dd/mm/yyyy)."))
    if decision.effective_from is None:
        problems.append(_("Áp dụng từ ngày: bắt buộc (dd/mm/yyyy)."))
    if decision.date and decision.effective_from and decision.effective_from < decision.date:
        problems.append(
            _("Áp dụng từ ngày: không được trước ngày quyết định (không áp dụng hồi tố).")
        )
    elif (
        proposal is not None
        and proposal.is_organisation
        and decision.effective_from
        and (decision.effective_from.day, decision.effective_from.month) != (1, 1)
    ):
        # A year's organisation rating is on one set of rules: criteria start with a year.
        problems.append(
            _(
                "Áp dụng từ ngày: tổ chức được đánh giá theo năm, nên tiêu chí đánh giá tổ chức "
                "áp dụng từ ngày 01/01 của năm đánh giá sau (ví dụ 01/01/%(year)d)."
            )
            % {"year": decision.effective_from.year + 1}
        )
    return problems


def _publish(proposal: FrameworkProposal, user) -> None:
    framework = proposal.framework
    if framework is None:  # pragma: no cover - start() saves the framework row with the proposal
        raise CriteriaFramework.DoesNotExist(f"proposal {proposal.pk} has no framework row")
    framework.name = proposal.name
    framework.rules = proposal.rules
    framework.description = _(
        "Khung tiêu chí của %(agency)s, phê duyệt theo quyết định %(number)s."
    ) % {
        "agency": proposal.agency,
        "number": proposal.decision_number,
    }
    framework.legal_basis = proposal.decision_number
    framework.save()
    # The step was checked by :func:`may_take` (the lead body of the agency's bloc approves,
    # who holds no permission to publish the province's frameworks): publish as that user.
    framework.save_revision(user=user, log_action=True).publish(
        user=user, skip_permission_checks=True
    )
