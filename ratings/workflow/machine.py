"""The only way a rating case changes state: ``perform(case, action, user, data=…)``.

1. The action must exist, apply to the case's kind and be allowed from its current state
   (else ``NotAllowed``).
2. The user must hold one of the transition's roles on the case's authority day
   (else ``Forbidden`` — views answer 403).
3. Required data must be present and every guard must pass (else ``Refused`` with all reasons).
4. The effects are written, the state changes, one ``CaseTransition`` row is appended, and —
   after commit — whoever the case now waits on is e-mailed.

Everything runs in one transaction with the case row locked.
"""

import datetime

from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms import retry
from cms.mail import notices
from cms.workflow import Forbidden, NotAllowed, Refused, TransitionError
from ratings.actors import CaseActors, resolve_actors
from ratings.models import CaseState, CaseTransition, RatingCase
from ratings.services.notifications import notify_after_transition
from ratings.workflow.effects import apply_effects
from ratings.workflow.guards import GuardContext
from ratings.workflow.transitions import TRANSITIONS, Transition

# Lazy: read in the language of the request that shows the message, not at import.
FIELD_LABELS = {
    "self_assessment": gettext_lazy("tự nhận xét, đánh giá"),
    "self_level": gettext_lazy("tự đề xuất mức xếp loại"),
    "meeting_date": gettext_lazy("ngày họp"),
    "meeting_comments": gettext_lazy("ý kiến nhận xét tại cuộc họp"),
    "minutes": gettext_lazy("biên bản cuộc họp"),
    "proposal_level": gettext_lazy("mức xếp loại đề xuất"),
    "proposal_comment": gettext_lazy("ý kiến thẩm định"),
    "opinion_text": gettext_lazy("ý kiến"),
    "decision_level": gettext_lazy("mức xếp loại"),
    "decision_ref": gettext_lazy("số quyết định"),
    "decision_date": gettext_lazy("ngày quyết định"),
    "complaint_text": gettext_lazy("nội dung kiến nghị"),
    "comment": gettext_lazy("ý kiến, lý do"),
}


# The errors are the workflow kit's (``cms.workflow``), shared by every approval flow.
__all__ = ["Forbidden", "NotAllowed", "Refused", "TransitionError", "perform"]


def transition_for(case: RatingCase, action: str) -> Transition:
    transition = TRANSITIONS.get(action)
    if transition is None or case.kind not in transition.kinds:
        raise NotAllowed(_("Thao tác không hợp lệ."))
    if case.state not in transition.sources:
        raise NotAllowed(
            _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(state)s”.")
            % {"action": transition.label, "state": case.get_state_display()}
        )
    return transition


def available_actions(case: RatingCase, user, actors: CaseActors | None = None) -> list[Transition]:
    """Actions the user may attempt now (state and role only; guards run on submit)."""
    actors = actors or resolve_actors(case)
    roles = actors.roles_of(user)
    return [
        t
        for t in TRANSITIONS.values()
        if case.kind in t.kinds
        and case.state in t.sources
        and roles & t.actors
        and (t.action != "request_opinion" or actors.opinion_required)
    ]


def _missing(transition: Transition, data: dict, comment: str) -> list[str]:
    missing = [name for name in transition.required if data.get(name) in (None, "")]
    if transition.needs_comment and not comment.strip():
        missing.append("comment")
    return [
        _("Thiếu thông tin bắt buộc: %(field)s.") % {"field": FIELD_LABELS.get(name, name)}
        for name in missing
    ]


def perform(
    case: RatingCase,
    action: str,
    user,
    *,
    data: dict | None = None,
    comment: str = "",
    today: datetime.date | None = None,
) -> CaseTransition:
    data = dict(data or {})
    comment = (comment or data.pop("comment", "") or "").strip()
    today = today or timezone.localdate()
    # Two decisions in one quota group lock each other's cases (each holds its own case and
    # the guard locks the rest of the group): PostgreSQL ends one of them. Run that one again
    # from the start — it then sees the other's decision (and may be refused by the quota with
    # its message). Not inside a caller's transaction, which is lost.
    entry = retry.rerun(
        lambda: _perform(case, action, user, dict(data), comment, today),
        attempts=RETRIES,
        retryable=lambda exc: (
            isinstance(exc, OperationalError)
            and _retryable(exc)
            and not transaction.get_connection().in_atomic_block
        ),
    )
    case.refresh_from_db()
    return entry


#: Attempts of a transition that PostgreSQL ended for a deadlock or a serialization failure.
RETRIES = 5


def _retryable(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in ("40P01", "40001")


def _perform(case, action, user, data, comment, today) -> CaseTransition:
    with transaction.atomic():
        locked = RatingCase.objects.select_for_update().get(pk=case.pk)
        transition = transition_for(locked, action)
        actors = resolve_actors(locked, today)
        roles = actors.roles_of(user) & transition.actors
        if not roles:
            raise Forbidden(_("Bạn không có thẩm quyền thực hiện thao tác này đối với hồ sơ."))
        reasons = _missing(transition, data, comment)
        ctx = GuardContext(case=locked, user=user, actors=actors, today=today, data=data)
        if not reasons:
            reasons = [r for r in (guard(ctx) for guard in transition.guards) if r]
        if reasons:
            raise Refused(reasons)

        from_state = locked.state
        target = transition.target or locked.held_from or CaseState.DRAFT
        written = apply_effects(locked, action, {**data, "comment": comment}, user)
        if target == CaseState.ON_HOLD:
            locked.held_from = from_state
        elif from_state == CaseState.ON_HOLD:
            locked.held_from = ""
        locked.state = target
        locked.save()
        entry = CaseTransition.objects.create(
            case=locked,
            action=action,
            from_state=from_state,
            to_state=target,
            user=user,
            user_name=(user.get_full_name() or user.get_username())[:150],
            roles=sorted(roles),
            comment=comment,
            data=written,
        )
        # The notices are outbox rows of this very transaction (issue 47, review M1): they
        # commit with the action and the worker sends them; nothing here talks to the relay.
        notices(notify_after_transition, locked.pk, action)
    return entry
