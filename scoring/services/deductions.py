"""Recording failed reviews and delays, and certifying objective-cause exemptions.

Each function runs in one transaction and locks the line, so the line's counter
(``failed_reviews`` / ``delays``) moves exactly once per event, together with its row.
Exemptions need a written reason; a closed or locked period refuses every change.

Per product (Decree 335 Art. 14 b, c [confirmed]): one call may record the same event on
``products`` products of the line, numbered from ``first_product``; the counter moves by
``products`` and, while the line's per-product list (``failed_by_product`` /
``delays_by_product``) accounts for every event of the line, each named product's entry moves
by one. An event without product numbers on a line whose list is used drops the list: the
line's events are then spread over its completed products (the line formula).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit import history
from scoring.models import AssignmentLine, Deduction
from scoring.models.choices import COUNTER_FIELD, DeductionKind
from scoring.models.guards import ensure_period_open

#: The per-product list of each kind of event on ``AssignmentLine``.
BREAKDOWN_FIELD = {
    DeductionKind.REVIEW.value: "failed_by_product",
    DeductionKind.DELAY.value: "delays_by_product",
}


def _locked_line(line_id: int) -> AssignmentLine:
    line = AssignmentLine.objects.select_for_update().select_related("period").get(pk=line_id)
    ensure_period_open(line.period)
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
) -> Deduction:
    """One failed review (``kind="review"``) or one delay (``kind="delay"``) on each of
    ``products`` products of ``line`` (numbered from ``first_product`` when known)."""
    if kind not in DeductionKind.values:
        raise ValidationError(gettext("Loại trừ điểm không hợp lệ."))
    if products < 1 or (first_product is not None and first_product < 1):
        raise ValidationError(gettext("Số sản phẩm bị trừ điểm phải từ 1 trở lên."))
    locked = _locked_line(line.pk)
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
def remove_deduction(deduction: Deduction) -> None:
    """Delete a wrongly recorded event and take it off the line's counter (and products)."""
    locked = _locked_line(deduction.line_id)
    fresh = Deduction.objects.get(pk=deduction.pk)
    fresh.delete()
    _move(locked, fresh.kind, fresh.product_numbers, fresh.products, -1)


@transaction.atomic
def grant_exemption(deduction: Deduction, *, reason: str, user=None) -> Deduction:
    """Certify an objective cause for one event: it no longer costs points."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"exempt_reason": gettext("Miễn trừ phải ghi rõ nguyên nhân khách quan được xác nhận.")}
        )
    _locked_line(deduction.line_id)
    fresh = Deduction.objects.select_for_update().get(pk=deduction.pk)
    fresh.exempt = True
    fresh.exempt_reason = reason
    fresh.exempt_by = user
    fresh.exempt_at = timezone.now()
    fresh.save()
    return fresh


@transaction.atomic
def revoke_exemption(deduction: Deduction, *, user=None) -> Deduction:
    _locked_line(deduction.line_id)
    fresh = Deduction.objects.select_for_update().get(pk=deduction.pk)
    fresh.exempt = False
    fresh.exempt_reason = ""
    fresh.exempt_by = None
    fresh.exempt_at = None
    fresh.save()
    return fresh
