"""Recording failed reviews and delays, and certifying objective-cause exemptions.

Each function runs in one transaction and locks the line, so the line's counter
(``failed_reviews`` / ``delays``) moves exactly once per event, together with its row.
Exemptions need a written reason; a closed or locked period refuses every change.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from audit import history
from scoring.models import AssignmentLine, Deduction
from scoring.models.choices import COUNTER_FIELD, DeductionKind
from scoring.models.guards import ensure_period_open


def _locked_line(line_id: int) -> AssignmentLine:
    line = AssignmentLine.objects.select_for_update().select_related("period").get(pk=line_id)
    ensure_period_open(line.period)
    return line


@transaction.atomic
def record_deduction(line, kind: str, *, user=None, occurred_at=None, note: str = "") -> Deduction:
    """One failed review (``kind="review"``) or one delay (``kind="delay"``) on ``line``."""
    if kind not in DeductionKind.values:
        raise ValidationError(gettext("Loại trừ điểm không hợp lệ."))
    locked = _locked_line(line.pk)
    deduction = Deduction.objects.create(
        line=locked,
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        recorded_by=user,
        note=note,
    )
    counter = COUNTER_FIELD[DeductionKind(kind)]
    AssignmentLine.objects.filter(pk=locked.pk).update(**{counter: F(counter) + 1})
    # The counter moved without a model signal: its history row (audit.history) by hand.
    history.record_rows(AssignmentLine, [locked.pk])
    line.refresh_from_db(fields=[counter])
    return deduction


@transaction.atomic
def remove_deduction(deduction: Deduction) -> None:
    """Delete a wrongly recorded event and take it off the line's counter."""
    locked = _locked_line(deduction.line_id)
    counter = COUNTER_FIELD[DeductionKind(deduction.kind)]
    Deduction.objects.get(pk=deduction.pk).delete()
    AssignmentLine.objects.filter(pk=locked.pk, **{f"{counter}__gt": 0}).update(
        **{counter: F(counter) - 1}
    )
    history.record_rows(AssignmentLine, [locked.pk])


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
