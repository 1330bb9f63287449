"""The one write service for failed reviews and delays (``scoring.Deduction`` and the line's
counters), and for certifying objective-cause exemptions.

It holds, in one place (issue 27, one gate per write):

* **who may** (:func:`refusal`), asked again under the line's lock: the evaluator of the line's
  person on the day whose authority decides the line's period (``scoring.services.postings.
  authority_day``: after a transfer on day D the former head records events on the work dated
  before D, the new head on the work from D on — the worklog's reviewer), or a user whose row
  reach takes the line **by its period** (``org.access.refusal``: an agency admin or unit
  leader of the agency that had the person in that month); **never the person themselves**
  (nobody changes the inputs of their own score). A decision taken elsewhere under its own
  gate — an upheld complaint (``ratings.workflow``: the case's roles) — says so with
  ``decided_by`` (the decision's name) instead;
* **the lock and the period**: the line's row (``SELECT … FOR UPDATE``), a closed or locked
  period refusing every change;
* **the counter**: each event moves the line's counter (``failed_reviews`` / ``delays``) exactly
  once, together with its row;
* **history and rescoring**: the line's history row (``audit.history``) and, through the line's
  ``updated_at``, the period's rescoring.

Each function runs in one transaction. A refusal raises ``org.write_gate.Refused`` (its
sentence); nothing is written then. Exemptions need a written reason.

Per product (Decree 335 Art. 14 b, c [confirmed]): one call may record the same event on
``products`` products of the line, numbered from ``first_product``; the counter moves by
``products`` and, while the line's per-product list (``failed_by_product`` /
``delays_by_product``) accounts for every event of the line, each named product's entry moves
by one. An event without product numbers on a line whose list is used drops the list: the
line's events are then spread over its completed products (the line formula).

Doors: the worklog's review (return, accept after the deadline) → :func:`record_deduction`,
:func:`grant_exemption`; an upheld period complaint → :func:`grant_exemption` with
``decided_by``. The Excel results import and the write API give a line's counters whole
(``importers.lines.records``, the lines' reach rule).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit import history
from org import access, write_gate
from org.access import CHANGE
from scoring.models import AssignmentLine, Deduction
from scoring.models.choices import COUNTER_FIELD, DeductionKind
from scoring.models.guards import ensure_period_open
from scoring.services import write_rights

#: The per-product list of each kind of event on ``AssignmentLine``.
BREAKDOWN_FIELD = {
    DeductionKind.REVIEW.value: "failed_by_product",
    DeductionKind.DELAY.value: "delays_by_product",
}


def own_input_message() -> str:
    return gettext(
        "Không ai được ghi nhận hay miễn trừ lần chưa đạt, chậm tiến độ trên kết quả của chính "
        "mình; người đánh giá của bạn hoặc cán bộ tổ chức cơ quan ghi nhận việc này."
    )


def no_writer_message() -> str:
    return gettext("Chưa rõ ai ghi nhận lần chưa đạt, chậm tiến độ này: chưa ghi gì.")


def refusal(user, line, *, today: datetime.date | None = None) -> str | None:
    """Why ``user`` may not record, remove or exempt an event on ``line``, or None: the
    evaluator of the line's period, or a user whose reach takes the line by its period; never
    the person themselves."""
    if user is None or not getattr(user, "is_authenticated", False):
        return no_writer_message()
    if write_rights.is_own(user, line.civil_servant_id):
        return own_input_message()
    if write_rights.evaluates(user, line.civil_servant_id, line.period, today):
        return None
    return access.refusal(user, CHANGE, line)


def _locked_line(
    line_id: int, user=None, *, decided_by: str | None = None, today=None
) -> AssignmentLine:
    """The line under its lock, its period open, and the writer's right asked under the lock
    (``decided_by``: a decision taken elsewhere under its own gate)."""
    line = AssignmentLine.objects.select_for_update().select_related("period").get(pk=line_id)
    if not decided_by:
        reason = refusal(user, line, today=today)
        if reason is not None:
            raise write_gate.Refused(reason)
    ensure_period_open(line.period, line.unit)
    return line


def moved_breakdown(breakdown: list, total: int, products: range | None, step: int) -> list[int]:
    """The per-product list after ``step`` (+1 or -1) events on ``products``.

    Kept only while it accounts for every event of the line (its sum is the counter
    ``total`` before the change) and the products are named; otherwise no breakdown (``[]``).
    """
    if products is None or sum(breakdown) != total or (total and not breakdown):
        return []
    counts = list(breakdown)
    if len(counts) < products.stop - 1:
        counts += [0] * (products.stop - 1 - len(counts))
    for number in products:
        counts[number - 1] += step
        if counts[number - 1] < 0:
            return []
    while counts and counts[-1] == 0:
        counts.pop()
    return counts


@transaction.atomic
def record_deduction(
    line,
    kind: str,
    *,
    user=None,
    occurred_at=None,
    note: str = "",
    products: int = 1,
    first_product: int | None = None,
    decided_by: str | None = None,
    today: datetime.date | None = None,
) -> Deduction:
    """One failed review (``kind="review"``) or one delay (``kind="delay"``) on each of
    ``products`` products of ``line`` (numbered from ``first_product`` when known), recorded by
    ``user`` (who may: :func:`refusal`, unless ``decided_by`` names the decision)."""
    if kind not in DeductionKind.values:
        raise ValidationError(gettext("Loại trừ điểm không hợp lệ."))
    if products < 1 or (first_product is not None and first_product < 1):
        raise ValidationError(gettext("Số sản phẩm bị trừ điểm phải từ 1 trở lên."))
    locked = _locked_line(line.pk, user, decided_by=decided_by, today=today)
    deduction = Deduction.objects.create(
        line=locked,
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        recorded_by=user,
        note=note,
        products=products,
        first_product=first_product,
    )
    _move(locked, kind, deduction.product_numbers, products, +1)
    line.refresh_from_db(fields=[COUNTER_FIELD[DeductionKind(kind)], BREAKDOWN_FIELD[kind]])
    return deduction


def _move(locked: AssignmentLine, kind: str, numbers, products: int, step: int) -> None:
    counter = COUNTER_FIELD[DeductionKind(kind)]
    field = BREAKDOWN_FIELD[kind]
    total = getattr(locked, counter)
    breakdown = moved_breakdown(getattr(locked, field), total, numbers, step)
    # Counter and list move in one UPDATE on the locked row (never below 0).
    AssignmentLine.objects.filter(pk=locked.pk).update(
        **{counter: max(0, total + step * products), field: breakdown}
    )
    # The line moved without a model signal: its history row (audit.history) by hand.
    history.record_rows(AssignmentLine, [locked.pk])


@transaction.atomic
def remove_deduction(deduction: Deduction, *, user=None, decided_by: str | None = None) -> None:
    """Delete a wrongly recorded event and take it off the line's counter (and products)."""
    locked = _locked_line(deduction.line_id, user, decided_by=decided_by)
    fresh = Deduction.objects.get(pk=deduction.pk)
    fresh.delete()
    _move(locked, fresh.kind, fresh.product_numbers, fresh.products, -1)


@transaction.atomic
def grant_exemption(
    deduction: Deduction,
    *,
    reason: str,
    user=None,
    decided_by: str | None = None,
    today: datetime.date | None = None,
) -> Deduction:
    """Certify an objective cause for one event: it no longer costs points."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"exempt_reason": gettext("Miễn trừ phải ghi rõ nguyên nhân khách quan được xác nhận.")}
        )
    _locked_line(deduction.line_id, user, decided_by=decided_by, today=today)
    fresh = Deduction.objects.select_for_update().get(pk=deduction.pk)
    fresh.exempt = True
    fresh.exempt_reason = reason
    fresh.exempt_by = user
    fresh.exempt_at = timezone.now()
    fresh.save()
    return fresh


@transaction.atomic
def revoke_exemption(
    deduction: Deduction, *, user=None, decided_by: str | None = None
) -> Deduction:
    _locked_line(deduction.line_id, user, decided_by=decided_by)
    fresh = Deduction.objects.select_for_update().get(pk=deduction.pk)
    fresh.exempt = False
    fresh.exempt_reason = ""
    fresh.exempt_by = None
    fresh.exempt_at = None
    fresh.save()
    return fresh
