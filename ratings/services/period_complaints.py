"""Complaints and re-checks of a monthly/quarterly result (kiến nghị, phúc tra kết quả
tháng/quý; Nghệ An plan §IV.1.2, §IV.2.2). docs/ratings.md §13.

* **Filing** — only the civil servant whose ``PeriodScore`` it is, from the day after the
  period's last day (or the day the stored result was last recomputed, if later) up to
  ``period_complaint_days`` days later (``RatingCalendar`` of the period's year, default 10
  [giả định — tỉnh cần xác nhận]); one open complaint per result.
* **Answering** — the evaluator of the authority rules (``org.authority``) on the period's last
  day, the same person who enters the marks that count on Form 01. Upheld: the corrections
  named are written to the score inputs through their own models (general-criteria mark,
  a line's completed quantity, the exemption of a failed review), so ``audit.history`` keeps
  who, when and the complaint as the reason; the person is rescored at once, with the leaders
  above whose score counts them (``scoring.services.score_person`` cascade); the result before
  and after is kept on the complaint. Rejected: the reasons are required, nothing changes.
* **Re-check** (phúc tra) — the civil servant may ask Sở Nội vụ within the same number of days
  after the answer; Sở Nội vụ upholds (same corrections, same rescoring) or confirms.
* **Closed or locked period** — an upheld answer is refused: a result made final is never
  changed silently. Sở Nội vụ reopens the period (its status) first, then the complaint can be
  upheld; the refusal says so.

Every step leaves a ``PeriodComplaintEvent`` and an e-mail to whoever acts next.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.history import acting
from cms import workflow
from cms.formats.values import shown
from cms.mail import notices
from org import access, blocs, write_gate
from org.access import HOME_AFFAIRS_GROUP, is_home_affairs
from org.authority import AuthorityError
from org.categories import category_label
from org.models import AccessRole
from ratings.deadlines import (
    DEFAULT_PERIOD_ANSWER_DAYS,
    DEFAULT_PERIOD_COMPLAINT_DAYS,
    period_complaint_window,
)
from ratings.models import (
    PeriodComplaint,
    PeriodComplaintAttachment,
    PeriodComplaintEvent,
    PeriodComplaintStatus,
    RatingCalendar,
)
from ratings.services.form01_entry import entry_rights
from ratings.services.notifications import _send
from scoring.models import AssignmentLine, Deduction, GeneralCriteriaMark, PeriodScore
from scoring.services import general_marks, lines, rescoring, score_person
from scoring.services.deductions import grant_exemption
from scoring.services.postings import period_authority

S = PeriodComplaintStatus
FILED, UPHELD, REJECTED, RECHECK, RECHECK_UPHELD, RECHECK_REJECTED = (
    "filed",
    "upheld",
    "rejected",
    "recheck",
    "recheck_upheld",
    "recheck_rejected",
)


def event_label(action: str) -> str:
    return {
        FILED: _("Gửi kiến nghị"),
        UPHELD: _("Người đánh giá chấp nhận, tính lại điểm"),
        REJECTED: _("Người đánh giá không chấp nhận"),
        RECHECK: _("Đề nghị phúc tra"),
        RECHECK_UPHELD: _("Phúc tra: chấp nhận, tính lại điểm"),
        RECHECK_REJECTED: _("Phúc tra: giữ nguyên kết quả"),
    }.get(action, action)


# --- configuration and windows --------------------------------------------------------------


def days_for(year: int) -> tuple[int, int]:
    """(filing/re-check window, answer time) in days for periods of ``year``."""
    row = RatingCalendar.objects.filter(year=year).first()
    if row is None:
        return DEFAULT_PERIOD_COMPLAINT_DAYS, DEFAULT_PERIOD_ANSWER_DAYS
    return row.period_complaint_days, row.period_answer_days


def available_on(score: PeriodScore) -> datetime.date:
    """The day the result counts as available: the day after the period's last day, or the day
    it was last recomputed if later (a changed result may be contested anew)."""
    after_end = score.period.end_date + datetime.timedelta(days=1)
    computed = timezone.localdate(score.computed_at) if score.computed_at else after_end
    return max(after_end, computed)


def filing_window(
    score: PeriodScore, days: int | None = None
) -> tuple[datetime.date, datetime.date]:
    """The days ``score`` may be contested; ``days``: the window of its year, when the caller
    has read it already (:func:`days_for`)."""
    if days is None:
        days, _answer = days_for(score.period.year)
    return period_complaint_window(available_on(score), days)


def with_open_complaint(scores):
    """``scores`` with ``open_complaint``: whether a complaint about it waits for its answer,
    read with the scores (a page listing many asks :func:`filing_refusal` of each)."""
    waiting = PeriodComplaint.objects.filter(score=OuterRef("pk"), status__in=[S.OPEN, S.RECHECK])
    return scores.annotate(open_complaint=Exists(waiting))


def filing_refusals(user, scores, today: datetime.date | None = None) -> dict[int, str | None]:
    """:func:`filing_refusal` of each of ``scores`` (by id), for a page listing many: each
    year's window read once; pass ``scores`` through :func:`with_open_complaint` so the waiting
    complaints are read with them."""
    windows: dict[int, int] = {}
    refusals = {}
    for score in scores:
        year = score.period.year
        if year not in windows:
            windows[year] = days_for(year)[0]
        refusals[score.pk] = filing_refusal(user, score, today, days=windows[year])
    return refusals


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def filing_refusal(
    user, score: PeriodScore, today: datetime.date | None = None, *, days: int | None = None
) -> str | None:
    """Why ``user`` may not contest ``score`` today (``None``: they may); ``days`` as for
    :func:`filing_window` (a page listing many scores reads each year's window once)."""
    today = today or timezone.localdate()
    person = score.civil_servant
    if person.user_id is None or person.user_id != getattr(user, "pk", None):
        return _("Chỉ công chức có kết quả này mới được kiến nghị.")
    first, last = filing_window(score, days)
    if today < first:
        return _("Chưa đến thời hạn kiến nghị: kết quả %(period)s được kiến nghị từ %(first)s.") % {
            "period": score.period.label,
            "first": _day(first),
        }
    if today > last:
        return _("Đã hết thời hạn kiến nghị kết quả %(period)s (đến hết ngày %(last)s).") % {
            "period": score.period.label,
            "last": _day(last),
        }
    pending = getattr(score, "open_complaint", None)  # read with the scores (with_open_complaint)
    if pending is None:
        pending = score.complaints.filter(status__in=[S.OPEN, S.RECHECK]).exists()
    if pending:
        return _("Kết quả này đang có kiến nghị chờ trả lời.")
    return None


# --- who may see and act --------------------------------------------------------------------


def visible_period_complaints(user):
    """The complaints ``user`` may open: the one permission layer (``org.access`` through the
    row scope declared in ``ratings.policy``), plus those they are the evaluator of."""
    rows = access.visible(user, PeriodComplaint)
    if user is not None and user.is_authenticated and not is_home_affairs(user):
        rows = PeriodComplaint.objects.filter(Q(pk__in=rows.values("pk")) | Q(evaluator__user=user))
    return rows


def can_view(user, complaint: PeriodComplaint) -> bool:
    return visible_period_complaints(user).filter(pk=complaint.pk).exists()


def is_evaluator(user, complaint: PeriodComplaint, today=None) -> bool:
    """The evaluator of the authority rules on the period's last day (Form 01's evaluator)."""
    return entry_rights(user, complaint.civil_servant, complaint.period, today).evaluate


def is_subject(user, complaint: PeriodComplaint) -> bool:
    return complaint.civil_servant.user_id is not None and (
        complaint.civil_servant.user_id == getattr(user, "pk", None)
    )


def recheck_last_day(complaint: PeriodComplaint) -> datetime.date | None:
    if complaint.answered_at is None:
        return None
    days, _answer = days_for(complaint.period.year)
    return timezone.localdate(complaint.answered_at) + datetime.timedelta(days=days)


EVALUATOR, SUBJECT, HOME_AFFAIRS = "evaluator", "subject", "home_affairs"


def _roles(user, complaint: PeriodComplaint, today=None) -> set[str]:
    """The evaluator of the period; the subject while the re-check window is open (the
    window belongs to the role: past it, nobody may ask); Sở Nội vụ."""
    today = today or timezone.localdate()
    roles = set()
    if complaint.status == S.OPEN and is_evaluator(user, complaint, today):
        roles.add(EVALUATOR)
    if is_subject(user, complaint) and today <= (recheck_last_day(complaint) or today):
        roles.add(SUBJECT)
    if rechecks(user, complaint):
        roles.add(HOME_AFFAIRS)
    return roles


def rechecks(user, complaint: PeriodComplaint) -> bool:
    """Whether ``user`` re-checks ``complaint``: the lead body of its bloc — Sở Nội vụ for the
    state bloc, the appraisers of Ban Tổ chức Tỉnh ủy or the Front's standing committee where
    the province gave them their bloc (``org.blocs``; review 2026-11-25, coverage A8, H2)."""
    return blocs.appraises(user, complaint.agency)


def person_label(complaint: PeriodComplaint) -> str:
    """What the person is called on the complaint's page: "Công chức", "Viên chức", "Người
    lao động hợp đồng" from the posting the score was computed on (review 2026-11-25, ux M7)."""
    posting = complaint.score.posting if complaint.score_id else None
    return category_label(posting.category if posting else "")


#: door → (message when refused, message when the text is missing)
_DOORS = {
    "answer": (
        gettext_lazy("Bạn không phải người đánh giá đang chờ trả lời kiến nghị này."),
        gettext_lazy("Trả lời: phải ghi rõ lý do chấp nhận hoặc không."),
    ),
    "recheck_request": (
        gettext_lazy(
            "Chỉ công chức có kiến nghị đã được trả lời, trong thời hạn, được đề nghị phúc tra."
        ),
        gettext_lazy("Lý do đề nghị phúc tra: không được để trống."),
    ),
    "recheck": (
        gettext_lazy(
            "Chỉ cơ quan chủ trì khối của cơ quan này (Sở Nội vụ với khối chính quyền) phúc "
            "tra kiến nghị đang chờ phúc tra."
        ),
        gettext_lazy("Kết luận phúc tra: không được để trống."),
    ),
}
#: transition (= the event's action in the complaint's log) → the door that takes it
DOOR_OF = {
    UPHELD: "answer",
    REJECTED: "answer",
    RECHECK: "recheck_request",
    RECHECK_UPHELD: "recheck",
    RECHECK_REJECTED: "recheck",
}


def _step(action, sources, target, role):
    return workflow.Transition(
        action, action, frozenset(sources), target, frozenset({role}), needs_comment=True
    )


#: A complaint's path (``cms.workflow``): open → upheld/rejected by the evaluator → re-check
#: asked by the subject within the window → re-checked by Sở Nội vụ. The log is
#: ``PeriodComplaintEvent`` (``_event``).
FLOW = workflow.Flow(
    (
        _step(UPHELD, (S.OPEN,), S.UPHELD, EVALUATOR),
        _step(REJECTED, (S.OPEN,), S.REJECTED, EVALUATOR),
        _step(RECHECK, (S.UPHELD, S.REJECTED), S.RECHECK, SUBJECT),
        _step(RECHECK_UPHELD, (S.RECHECK,), S.RECHECK_UPHELD, HOME_AFFAIRS),
        _step(RECHECK_REJECTED, (S.RECHECK,), S.RECHECK_REJECTED, HOME_AFFAIRS),
    ),
    roles=_roles,
    wrong_state=lambda t, _c: _DOORS[DOOR_OF[t.action]][0],
    forbidden=lambda t, _c: _DOORS[DOOR_OF[t.action]][0],
    missing=lambda t, _c: str(_DOORS[DOOR_OF[t.action]][1]).replace("%", "%%"),
)


def actions_for(user, complaint: PeriodComplaint, today=None) -> list[str]:
    """What ``user`` may do on ``complaint`` now: "answer", "recheck_request", "recheck"."""
    found = []
    for transition in FLOW.available(complaint, user, today or timezone.localdate()):
        door = DOOR_OF[transition.action]
        if door not in found:
            found.append(door)
    return found


def _check(user, complaint, action, text, today) -> workflow.Move:
    try:
        return FLOW.check(
            complaint, action, user, comment=text, today=today or timezone.localdate()
        )
    except workflow.Refused as exc:
        raise ValidationError({"text": str(exc.reasons[0])}) from exc
    except workflow.TransitionError as exc:
        raise PermissionDenied(str(exc.reasons[0])) from exc


def waiting_for(user):
    """The complaints waiting for ``user``'s answer: as evaluator, or Sở Nội vụ's re-checks."""
    if user is None or not user.is_authenticated:
        return PeriodComplaint.objects.none()
    query = Q(status=S.OPEN, evaluator__user=user)
    if is_home_affairs(user) or blocs.is_bloc_appraiser(user):
        query |= Q(status=S.RECHECK, agency__in=blocs.appraised_agencies(user))
    return (
        PeriodComplaint.objects.filter(query)
        .select_related("civil_servant", "period", "agency")
        .order_by("answer_due", "filed_at")
    )


# --- corrections ----------------------------------------------------------------------------


@dataclass
class Corrections:
    """What an upheld answer changes in the score inputs (each optional)."""

    line: AssignmentLine | None = None
    completed_quantity: Decimal | None = None
    exempt: Deduction | None = None
    criterion: str = ""
    evaluator_mark: Decimal | None = None
    done: list = field(default_factory=list)

    def apply(self, complaint: PeriodComplaint, user, reason: str) -> list[dict]:
        person, period = complaint.civil_servant, complaint.period
        changes = []
        if self.line is not None and self.completed_quantity is not None:
            line = AssignmentLine.objects.select_related("unit").get(pk=self.line.pk)
            if line.civil_servant_id != person.pk or line.period_id != period.pk:
                raise ValidationError(_("Sản phẩm/công việc không thuộc kết quả bị kiến nghị."))
            before = line.completed_quantity
            # The one write service of lines: its lock order, the open period, the history.
            line = lines.correct(
                line,
                {"completed_quantity": self.completed_quantity},
                user=user,
                label=_("Số lượng hoàn thành"),
            )
            changes.append(
                {
                    "what": "completed_quantity",
                    "line": line.pk,
                    "label": str(line.item),
                    "before": str(before),
                    "after": str(line.completed_quantity),
                }
            )
        if self.exempt is not None:
            deduction = self.exempt
            if deduction.line.civil_servant_id != person.pk or deduction.line.period_id != (
                period.pk
            ):
                raise ValidationError(_("Lần đánh giá chưa đạt không thuộc kết quả bị kiến nghị."))
            # Who decided is the case's gate (ratings.workflow); the deductions service
            # still locks the line, refuses a closed period and records the history.
            grant_exemption(
                deduction, reason=reason, user=user, decided_by=f"period-complaint:{complaint.pk}"
            )
            changes.append(
                {
                    "what": "exempt",
                    "line": deduction.line_id,
                    "label": str(deduction.line.item),
                    "deduction": deduction.pk,
                }
            )
        if self.criterion and self.evaluator_mark is not None:
            mark_before = (
                GeneralCriteriaMark.objects.filter(
                    civil_servant=person, period=period, component="general"
                )
                .filter(criterion=self.criterion)
                .values_list("evaluator_mark", flat=True)
                .first()
            )
            # The marks' one write service: who decided is the case's gate (ratings.workflow);
            # the service locks agency then period, refuses a closed period, validates and
            # records the history.
            try:
                general_marks.save(
                    user,
                    person,
                    period,
                    {("general", self.criterion): {"evaluator_mark": self.evaluator_mark}},
                    evaluator=user,
                    decided_by=f"period-complaint:{complaint.pk}",
                    label=_("Điểm tiêu chí %(code)s") % {"code": self.criterion},
                )
            except write_gate.Refused as refused:
                raise ValidationError(refused.message) from refused
            changes.append(
                {
                    "what": "evaluator_mark",
                    "criterion": self.criterion,
                    "before": None if mark_before is None else str(mark_before),
                    "after": str(self.evaluator_mark),
                }
            )
        return changes


# --- the steps ------------------------------------------------------------------------------


def _event(complaint, action, user, text="", changes=()):
    PeriodComplaintEvent.objects.create(
        complaint=complaint, action=action, user=user, text=text, changes=list(changes)
    )


@transaction.atomic
def file_complaint(
    user,
    score: PeriodScore,
    *,
    text: str,
    lines=(),
    criteria=(),
    attachments=(),
    today: datetime.date | None = None,
) -> PeriodComplaint:
    today = today or timezone.localdate()
    refusal = filing_refusal(user, score, today)
    if refusal:
        raise PermissionDenied(refusal)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Nội dung kiến nghị: phải ghi rõ lý do kiến nghị.")})
    person, period = score.civil_servant, score.period
    for line in lines:
        if line.civil_servant_id != person.pk or line.period_id != period.pk:
            raise ValidationError({"lines": _("Sản phẩm/công việc không thuộc kết quả này.")})
    try:
        evaluator = period_authority(person, period, period.end_date).evaluator.person
    except AuthorityError:
        evaluator = None
    _days, answer_days = days_for(period.year)
    complaint = PeriodComplaint.objects.create(
        score=score,
        civil_servant=person,
        period=period,
        agency=score.agency,
        evaluator=evaluator,
        filed_by=user,
        text=text,
        criteria=sorted(set(criteria)),
        answer_due=today + datetime.timedelta(days=answer_days),
        total_before=score.total,
        rating_before=score.rating,
    )
    complaint.lines.set(lines)
    for upload in attachments:
        PeriodComplaintAttachment.objects.create(
            complaint=complaint, file=upload, original_name=upload.name[:255]
        )
    _event(complaint, FILED, user, text)
    notices(notify, complaint.pk, FILED)  # outbox rows of this transaction
    return complaint


def _upheld_reason(complaint) -> str:
    return _("Kiến nghị số %(n)d về kết quả %(period)s được chấp nhận") % {
        "n": complaint.pk,
        "period": complaint.period.label,
    }


def _uphold(complaint, user, corrections: Corrections | None) -> list[dict]:
    period = complaint.period
    if period.is_final:
        raise ValidationError(
            _(
                "%(period)s đã khóa sổ: kết quả đã chốt không được thay đổi. Nếu kiến nghị có "
                "căn cứ, đề nghị Sở Nội vụ mở lại kỳ (Sở Nội vụ bấm “Mở lại…” ở dòng của kỳ "
                "trong Chấm điểm → Kỳ đánh giá) rồi chấp nhận kiến nghị; nếu không, trả lời "
                "không chấp nhận."
            )
            % {"period": period.label}
        )
    if period.closed_for(complaint.agency):
        # Closed by the lead body of the complaint's bloc (coverage A8): the same rule as a
        # province close, the body that reopens named.
        raise ValidationError(
            _(
                "%(period)s đã khóa sổ: kết quả đã chốt không được thay đổi. Nếu kiến nghị có "
                "căn cứ, đề nghị %(lead)s mở lại kỳ cho khối (bấm “Mở lại…” ở dòng của kỳ "
                "trong Báo cáo khối) rồi chấp nhận kiến nghị; nếu không, trả lời không chấp "
                "nhận."
            )
            % {"period": period.label, "lead": blocs.lead_name(complaint.agency)}
        )
    reason = _upheld_reason(complaint)
    # Scored right below with the cascade to the leaders above: no background run as well.
    with acting(user, reason), rescoring.paused():
        changes = corrections.apply(complaint, user, reason) if corrections else []
    # The leaders above: right here in a small tree, in the period's leaders' run in a large
    # one (counted as owed until it has run; ``rescoring.LeadersLater``).
    later = rescoring.LeadersLater(
        period,
        user=user,
        reason=_("Lãnh đạo cấp trên của %(name)s (kiến nghị được chấp nhận)")
        % {"name": complaint.civil_servant.full_name},
    )
    score = score_person(complaint.civil_servant, period, leaders_later=later)
    score = score or PeriodScore.objects.get(pk=complaint.score_id)
    complaint.total_after, complaint.rating_after = score.total, score.rating
    complaint.rescored_at = timezone.now()
    # Not stored: what the answering page adds (the leaders above rescored in the background).
    complaint.leaders_note = later.message()
    return changes


@transaction.atomic
def answer(user, complaint, *, upheld: bool, text: str, corrections=None, today=None):
    complaint = PeriodComplaint.objects.select_for_update().get(pk=complaint.pk)
    move = _check(user, complaint, UPHELD if upheld else REJECTED, text, today)
    text = move.context.comment
    changes = _uphold(complaint, user, corrections) if upheld else []
    FLOW.advance(move)
    complaint.answer, complaint.answered_by, complaint.answered_at = text, user, timezone.now()
    complaint.save()
    action = UPHELD if upheld else REJECTED
    _event(complaint, action, user, text, changes)
    notices(notify, complaint.pk, action)  # outbox rows of this transaction
    return complaint


@transaction.atomic
def request_recheck(user, complaint, *, text: str, today=None):
    complaint = PeriodComplaint.objects.select_for_update().get(pk=complaint.pk)
    move = _check(user, complaint, RECHECK, text, today)
    text = move.context.comment
    FLOW.advance(move)
    complaint.recheck_reason, complaint.recheck_requested_at = text, timezone.now()
    complaint.save()
    _event(complaint, RECHECK, user, text)
    notices(notify, complaint.pk, RECHECK)  # outbox rows of this transaction
    return complaint


@transaction.atomic
def recheck(user, complaint, *, upheld: bool, text: str, corrections=None, today=None):
    complaint = PeriodComplaint.objects.select_for_update().get(pk=complaint.pk)
    move = _check(user, complaint, RECHECK_UPHELD if upheld else RECHECK_REJECTED, text, today)
    text = move.context.comment
    changes = _uphold(complaint, user, corrections) if upheld else []
    FLOW.advance(move)
    complaint.recheck_answer, complaint.rechecked_by = text, user
    complaint.rechecked_at = timezone.now()
    complaint.save()
    action = RECHECK_UPHELD if upheld else RECHECK_REJECTED
    _event(complaint, action, user, text, changes)
    notices(notify, complaint.pk, action)  # outbox rows of this transaction
    return complaint


# --- notifications ------------------------------------------------------------------------


def complaint_url(complaint) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "ratings_period_complaint", args=[complaint.pk]
    )


def _recipients(complaint, action) -> list:
    person_user = complaint.civil_servant.user
    if action == FILED:
        evaluator = complaint.evaluator
        return [evaluator.user] if evaluator is not None and evaluator.user_id else []
    if action == RECHECK:
        if blocs.lead_of(complaint.agency) is not None:
            return [
                user
                for user in User.objects.filter(
                    agency_accesses__role=AccessRole.BLOC_APPRAISER, is_active=True
                ).distinct()
                if blocs.appraises(user, complaint.agency)
            ]
        return list(User.objects.filter(groups__name=HOME_AFFAIRS_GROUP, is_active=True))
    found = [person_user] if person_user is not None else []
    rechecked = action in (RECHECK_UPHELD, RECHECK_REJECTED)
    if rechecked and complaint.evaluator_id and complaint.evaluator.user_id:
        found.append(complaint.evaluator.user)
    return found


def notify(complaint_id: int, action: str) -> int:
    complaint = PeriodComplaint.objects.select_related(
        "civil_servant__user", "evaluator__user", "period"
    ).get(pk=complaint_id)
    subject = _("Kiến nghị kết quả %(period)s của %(name)s: %(step)s") % {
        "period": complaint.period.label,
        "name": complaint.civil_servant.full_name,
        "step": event_label(action),
    }
    body = _("%(step)s.\n\nXem chi tiết: %(url)s") % {
        "step": event_label(action),
        "url": complaint_url(complaint),
    }
    return sum(_send(user, subject, body) for user in _recipients(complaint, action))


# --- what the score pages show --------------------------------------------------------------


def notes_for_score(score) -> list[dict]:
    """The complaints of a stored score, for its explain page: upheld ones say the score was
    recomputed because of them."""
    notes = []
    for complaint in score.complaints.order_by("filed_at"):
        if complaint.rescored_at is not None:
            text = _(
                "Kết quả đã được tính lại lúc %(at)s do kiến nghị số %(n)d được chấp nhận: "
                "trước %(before)s, sau %(after)s."
            ) % {
                "at": timezone.localtime(complaint.rescored_at).strftime("%d/%m/%Y %H:%M"),
                "n": complaint.pk,
                "before": _points(complaint.total_before),
                "after": _points(complaint.total_after),
            }
        else:
            text = _("Kiến nghị số %(n)d (%(status)s).") % {
                "n": complaint.pk,
                "status": complaint.get_status_display(),
            }
        url = reverse("ratings_period_complaint", args=[complaint.pk])
        notes.append({"text": text, "url": url})
    return notes


def _points(value) -> str:
    return "—" if value is None else shown(value, exact=True)
