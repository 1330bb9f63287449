"""Opinions of related bodies on an annual rating case (Gia Lai §IV.4.2.c): the case's
appraiser asks a body with a deadline; a person who speaks for the body (its head, its agency
admin) answers before the deadline; after it, the body's silence is what the case records.

Who may: asking is the case's ``appraiser`` role (``ratings.actors``) while the case is
being prepared (self-assessed to opinion given, not decided, held or cancelled); answering is
the body's head today or an agency admin of the body's subtree (``org.access``) — never the one
who asked (an appraiser who also administers the body would answer their own request), nor the
rated side of the case (the person rated, or who speaks for the rated agency:
:func:`own_side`). Reading: the case's readers and the body's answerers.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.mail import notices
from org import access
from org.authority import head_posting
from org.models import AccessRole, Agency
from ratings.actors import APPRAISER, resolve_actors
from ratings.models import CaseState, RatingCase, RelatedOpinion
from ratings.policy import CASE_READERS
from ratings.services.notifications import _send

#: The states in which the appraiser still gathers opinions.
OPEN_STATES = frozenset(
    {
        CaseState.SELF_ASSESSED,
        CaseState.REVIEWED,
        CaseState.APPRAISED,
        CaseState.OPINION_REQUESTED,
        CaseState.OPINION_GIVEN,
    }
)


def _day(day: datetime.date | None) -> datetime.date:
    return day or timezone.localdate()


def may_request(user, case: RatingCase) -> bool:
    return case.state in OPEN_STATES and APPRAISER in resolve_actors(case).roles_of(user)


def speaks_for(user, body: Agency) -> bool:
    """Whether ``user`` answers for ``body``: its head today, or an agency admin reaching it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if any(agency.pk == body.pk for agency in access.headed_agencies(user)):
        return True
    return access.has_grant(user, AccessRole.AGENCY_ADMIN) and access.can_access_agency(user, body)


def may_be_asked(user) -> bool:
    """Whether ``user`` may speak for some body (the menu entry and the list of requests): a
    head of an agency today, or an agency admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(access.headed_agencies(user)) or access.has_grant(user, AccessRole.AGENCY_ADMIN)


def own_side(user, opinion: RelatedOpinion) -> str | None:
    """Why ``user``, who may speak for the body, still does not answer this request: they asked
    it, or they are the rated side of the case (issue 45 action matrix). None otherwise."""
    if opinion.requested_by_id is not None and opinion.requested_by_id == user.pk:
        return _(
            "Bạn là người đề nghị cho ý kiến: người đứng đầu hoặc quản trị khác của %(body)s trả "
            "lời đề nghị này."
        ) % {"body": opinion.body.name}
    if user.pk in resolve_actors(opinion.case).subject_user_ids:
        return _(
            "Bạn là người được đánh giá trong hồ sơ này (hoặc đại diện cho cơ quan được đánh "
            "giá): không tự cho ý kiến về mình."
        )
    return None


def may_answer(user, opinion: RelatedOpinion, day: datetime.date | None = None) -> bool:
    return (
        opinion.answered_at is None
        and _day(day) <= opinion.deadline
        and speaks_for(user, opinion.body)
        and own_side(user, opinion) is None
    )


def may_read(user, opinion: RelatedOpinion) -> bool:
    return speaks_for(user, opinion.body) or access.reads(user, opinion.case, extra=CASE_READERS)


@transaction.atomic
def request(
    user,
    case: RatingCase,
    body: Agency,
    deadline: datetime.date,
    question: str,
    today: datetime.date | None = None,
) -> RelatedOpinion:
    """Ask ``body`` for its opinion on ``case`` by ``deadline``."""
    case = RatingCase.objects.select_for_update().get(pk=case.pk)
    if not may_request(user, case):
        raise PermissionDenied(
            _("Chỉ bộ phận thẩm định của hồ sơ xin ý kiến, khi hồ sơ đang được thẩm định.")
        )
    problems: dict[str, str] = {}
    if not question.strip():
        problems["question"] = _("Nhập nội dung xin ý kiến.")
    if deadline <= _day(today):
        problems["deadline"] = _("Hạn trả lời phải sau hôm nay (%(day)s).") % {
            "day": _day(today).strftime("%d/%m/%Y")
        }
    subject_agency = case.subject_agency if case.is_agency_case else None
    if subject_agency is not None and body.pk == subject_agency.pk:
        problems["body"] = _("Cơ quan được đánh giá không tự cho ý kiến về mình.")
    if RelatedOpinion.objects.filter(case=case, body=body).exists():
        problems["body"] = _("Đã xin ý kiến của %(body)s cho hồ sơ này.") % {"body": body.name}
    if problems:
        raise ValidationError(problems)
    opinion = RelatedOpinion.objects.create(
        case=case, body=body, deadline=deadline, question=question.strip(), requested_by=user
    )
    # The body learns it was asked (review of issue 45 item 4: it was only listed on a page
    # it had no reason to open): an outbox row of this transaction, sent by the worker.
    notices(_tell_the_body, opinion.pk, _day(today))
    return opinion


def speakers(body: Agency, day: datetime.date) -> list:
    """The users who answer for ``body`` (``speaks_for``): its head on ``day`` and the agency
    admins whose grant reaches it."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    users = list(
        User.objects.filter(
            agency_accesses__role=AccessRole.AGENCY_ADMIN,
            agency_accesses__agency__in=body.ancestors(include_self=True),
            is_active=True,
        ).distinct()
    )
    head = head_posting(body, day)
    person = head.civil_servant if head else None
    if person is not None and person.user_id and person.user.is_active:
        users.append(person.user)
    unique: dict[int, object] = {}
    for user in users:
        unique.setdefault(user.pk, user)
    return list(unique.values())


def _tell_the_body(opinion_id: int, day: datetime.date) -> int:
    from django.conf import settings
    from django.urls import reverse

    opinion = RelatedOpinion.objects.select_related("case", "body").get(pk=opinion_id)
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "ratings_opinion_answer", args=[opinion.pk]
    )
    subject = _("Đề nghị cho ý kiến về xếp loại: %(subject)s") % {
        "subject": opinion.case.subject_name
    }
    body = _(
        "%(body)s được đề nghị cho ý kiến về việc đánh giá, xếp loại chất lượng năm %(year)d của "
        "%(subject)s.\n\nNội dung: %(question)s\nHạn trả lời: %(deadline)s (sau hạn, hồ sơ ghi "
        "nhận cơ quan không có ý kiến).\n\nTrả lời tại: %(link)s"
    ) % {
        "body": opinion.body.name,
        "year": opinion.case.year,
        "subject": opinion.case.subject_name,
        "question": opinion.question,
        "deadline": opinion.deadline.strftime("%d/%m/%Y"),
        "link": link,
    }
    return sum(
        _send(user, subject, body)
        for user in speakers(opinion.body, day)
        if own_side(user, opinion) is None
    )


@transaction.atomic
def answer(
    user, opinion: RelatedOpinion, text: str, today: datetime.date | None = None
) -> RelatedOpinion:
    """The body's answer, given before the deadline."""
    opinion = RelatedOpinion.objects.select_for_update().select_related("body").get(pk=opinion.pk)
    if not speaks_for(user, opinion.body):
        raise PermissionDenied(
            _("Chỉ người đứng đầu hoặc quản trị của %(body)s trả lời đề nghị này.")
            % {"body": opinion.body.name}
        )
    reason = own_side(user, opinion)
    if reason is not None:
        raise PermissionDenied(reason)
    if opinion.answered_at is not None:
        raise ValidationError(_("Cơ quan đã trả lời đề nghị này."))
    if _day(today) > opinion.deadline:
        raise ValidationError(
            _(
                "Đã quá hạn trả lời (%(day)s): hồ sơ ghi nhận cơ quan không có ý kiến. Liên hệ bộ "
                "phận thẩm định nếu cần bổ sung."
            )
            % {"day": opinion.deadline.strftime("%d/%m/%Y")}
        )
    if not text.strip():
        raise ValidationError({"answer": _("Nhập ý kiến của cơ quan.")})
    opinion.answer = text.strip()
    opinion.answered_by = user
    opinion.answered_at = timezone.now()
    opinion.save(update_fields=["answer", "answered_by", "answered_at"])
    return opinion


def asked_of(user):
    """The opinions ``user`` answers for (their bodies'), newest first."""
    opinions = RelatedOpinion.objects.select_related("case", "body", "case__civil_servant")
    return [o for o in opinions.order_by("-requested_at") if speaks_for(user, o.body)]


def printed_rows(case: RatingCase, day: datetime.date | None = None) -> list[tuple[str, str]]:
    """(body, what it said) for Form 02: its answer with the date, its silence past the
    deadline, or that the answer is awaited."""
    day = _day(day)
    rows = []
    for opinion in case.related_opinions.select_related("body").order_by("requested_at", "pk"):
        if opinion.answered_at is not None:
            said = _("%(answer)s (trả lời ngày %(day)s)") % {
                "answer": opinion.answer,
                "day": timezone.localtime(opinion.answered_at).strftime("%d/%m/%Y"),
            }
        elif day > opinion.deadline:
            said = _("Không có ý kiến (hết hạn trả lời ngày %(day)s)") % {
                "day": opinion.deadline.strftime("%d/%m/%Y")
            }
        else:
            said = _("Đang chờ ý kiến (hạn trả lời ngày %(day)s)") % {
                "day": opinion.deadline.strftime("%d/%m/%Y")
            }
        rows.append((opinion.body.name, said))
    return rows
