"""The leader's review of a reported product: accept it, or return it for rework.

Decree 335 Art. 14 b, c [confirmed]: each failed review and each delay removes 25 % of *that
product's* points, so events are recorded per product (review 2026-11-22, W3 and W8):

* Each return is ONE failed review of each product returned — by default every product of the
  report (``returned=None``), or the number the leader gives. Recorded through
  ``scoring.services.deductions`` (the line's ``failed_reviews`` counter, its per-product list
  and a ``Deduction`` row with who, when and which products move together); when the leader
  certifies an objective cause, the events are exempted, which needs a written reason.
  Products are numbered 1 … n as reported; the returned ones are the LAST ``returned`` of the
  report (a product returned again is one returned before; when fewer products are accepted
  in the end, the unaccepted ones are those that were returned, and their failures cost
  nothing more — case C25).
* Acceptance confirms the real completion date and quantity onto the line (``completed_on``,
  ``completed_quantity``). A confirmed date after the deadline records ONE delay on each
  product completed after the deadline — by default every accepted product (``late=None``),
  or the number the leader counts (the last ones) — once per line, whatever happens later
  (case C26); the date the work was logged never matters.
* Each report round is reviewed at most once (``ReviewEvent`` is unique per round): a repeated
  POST for a round already reviewed returns the first decision and changes nothing.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from org import write_gate
from scoring.models import DeductionKind
from scoring.services import lines
from scoring.services.deductions import grant_exemption, record_deduction
from worklog.access import can_review
from worklog.models import ReviewEvent, ReviewOutcome
from worklog.services import flow
from worklog.services import seen as line_seen
from worklog.services.work import locked_work


@dataclass
class Exemption:
    """The leader certifies an objective cause (nguyên nhân khách quan) for the event."""

    granted: bool = False
    reason: str = ""

    def check(self, field: str) -> None:
        if self.granted and not self.reason.strip():
            raise ValidationError(
                {field: gettext("Miễn trừ phải ghi rõ nguyên nhân khách quan được xác nhận.")}
            )


def _require_reviewer(user, line, today) -> None:
    if not can_review(user, line, today):
        raise PermissionDenied(
            gettext("Chỉ người theo dõi, đánh giá của công chức mới đánh giá được sản phẩm.")
        )


def _previous(line, round_number: int) -> ReviewEvent | None:
    return ReviewEvent.objects.filter(work__line=line, round=round_number).first()


def _pending_work(line, round_number: int, seen=None, user=None, outcome=None, comment=""):
    """The locked work item, or the existing decision when this round was already reviewed by
    the same reviewer the same way (a double-submitted form). When the page the reviewer saw
    (``seen``, ``worklog.services.seen``) is no longer what is stored — another reviewer
    decided this round, the report or the line changed — ``StaleLine`` names the differences
    and nothing is written."""
    work = locked_work(line)
    existing = ReviewEvent.objects.filter(work=work, round=round_number).first()
    if (
        existing is not None
        and existing.decided_by_id == getattr(user, "pk", None)
        and existing.outcome == outcome
    ):
        return work, existing, None
    line_seen.check(seen, work.line, work)
    if existing is not None:
        return work, existing, None
    action = "return" if outcome == ReviewOutcome.RETURNED else "accept"
    if work.round != round_number:
        # Another round than the page's: the report changed since (the flow's own sentence).
        raise ValidationError(str(flow.FLOW.transitions[action].wrong_state(None, work)))
    return work, None, flow.check(work, action, user, comment=comment)


def reported_products(work) -> int:
    """Products in the report under review: the claimed quantity, a fractional last product
    counting as one."""
    claimed = work.claimed_quantity or Decimal(0)
    return max(1, int(claimed.to_integral_value(rounding=ROUND_CEILING)))


def _product_count(value: int | None, reported: int, field: str, message: str) -> int:
    count = reported if value is None else value
    if not 1 <= count <= reported:
        raise ValidationError({field: message % {"n": reported}})
    return count


def _exempt(deduction, exemption: Exemption, user, today):
    if exemption.granted:
        return grant_exemption(deduction, reason=exemption.reason, user=user, today=today)
    return deduction


def _refused_on_the_page(refused: write_gate.Refused) -> ValidationError:
    """The deductions service's refusal, asked again under the line's lock (a transfer or a
    new head recorded since the page was opened), shown on the page: nothing written."""
    return ValidationError(refused.message)


def return_for_rework(
    user,
    line,
    *,
    round_number: int,
    comment: str,
    today: datetime.date,
    exemption: Exemption | None = None,
    returned: int | None = None,
    seen: str | None = None,
) -> ReviewEvent:
    """Return the report: one failed review on each of ``returned`` products (default all)."""
    _require_reviewer(user, line, today)
    exemption = exemption or Exemption()
    if not comment.strip():
        raise ValidationError({"comment": gettext("Cần ghi nhận xét khi trả lại sản phẩm.")})
    exemption.check("reason")
    try:
        with transaction.atomic():
            work, existing, move = _pending_work(
                line, round_number, seen, user, ReviewOutcome.RETURNED, comment.strip()
            )
            if existing is not None:
                return existing
            reported = reported_products(work)
            count = _product_count(
                returned,
                reported,
                "returned",
                gettext("Số sản phẩm bị trả lại phải từ 1 đến %(n)d (số sản phẩm đã báo cáo)."),
            )
            deduction = record_deduction(
                work.line,
                DeductionKind.REVIEW,
                user=user,
                note=comment.strip(),
                products=count,
                first_product=reported - count + 1,
                today=today,
            )
            deduction = _exempt(deduction, exemption, user, today)
            event = flow.FLOW.record(move, round=round_number, deduction=deduction)
            flow.FLOW.advance(move)
            work.save()
            return event
    except write_gate.Refused as refused:
        raise _refused_on_the_page(refused) from refused
    except IntegrityError:  # a concurrent request reviewed this round first
        previous = _previous(line, round_number)
        if previous is None:
            raise
        return previous


def _delay_note(deadline, completed_on, products: int) -> str:
    return gettext(
        "Hoàn thành ngày %(done)s, sau hạn %(deadline)s: %(n)d sản phẩm chậm tiến độ."
    ) % {
        "done": completed_on.strftime("%d/%m/%Y"),
        "deadline": deadline.strftime("%d/%m/%Y"),
        "n": products,
    }


def accept(
    user,
    line,
    *,
    round_number: int,
    confirmed_on: datetime.date,
    today: datetime.date,
    comment: str = "",
    delay_exemption: Exemption | None = None,
    late: int | None = None,
    seen: str | None = None,
) -> ReviewEvent:
    """Accept the reported products with the completion date the leader confirms; when that
    date is after the deadline, ``late`` products (default all accepted) get one delay each."""
    _require_reviewer(user, line, today)
    delay_exemption = delay_exemption or Exemption()
    if confirmed_on > today:
        raise ValidationError(
            {"confirmed_on": gettext("Ngày hoàn thành không được sau ngày hôm nay.")}
        )
    is_late = line.deadline is not None and confirmed_on > line.deadline
    if is_late:
        delay_exemption.check("delay_reason")
    try:
        with transaction.atomic():
            work, existing, move = _pending_work(
                line, round_number, seen, user, ReviewOutcome.ACCEPTED, comment.strip()
            )
            if existing is not None:
                return existing
            target = lines.accept_completion(
                work.line, quantity=work.claimed_quantity, completed_on=confirmed_on, user=user
            )
            if is_late and work.delay_deduction_id is None:
                accepted = reported_products(work)
                count = _product_count(
                    late,
                    accepted,
                    "late",
                    gettext(
                        "Số sản phẩm hoàn thành sau hạn phải từ 1 đến %(n)d (số sản phẩm được "
                        "nghiệm thu)."
                    ),
                )
                delay = record_deduction(
                    target,
                    DeductionKind.DELAY,
                    user=user,
                    note=_delay_note(target.deadline, confirmed_on, count),
                    products=count,
                    first_product=accepted - count + 1,
                    today=today,
                )
                work.delay_deduction = _exempt(delay, delay_exemption, user, today)
            event = flow.FLOW.record(move, round=round_number)
            flow.FLOW.advance(move)
            work.confirmed_completed_on = confirmed_on
            work.confirmed_by = user
            work.confirmed_at = timezone.now()
            work.save()
            return event
    except write_gate.Refused as refused:
        raise _refused_on_the_page(refused) from refused
    except IntegrityError:
        previous = _previous(line, round_number)
        if previous is None:
            raise
        return previous
