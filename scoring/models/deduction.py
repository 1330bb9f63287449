"""Deduction events on a line: one failed quality review or one delay (Decree 335 Art. 14).

Each event costs 25 % of one product's points unless a competent level certifies an objective
cause (nguyên nhân khách quan): then ``exempt`` is set with the reason, who certified it and when.
Create, exempt and remove events through ``scoring.services.deductions`` so the line's counters
move in the same transaction.

One row may stand for the same event on several products of the line (Art. 14 b, c
[confirmed]: each product is one event): ``products`` of them, numbered ``first_product`` …
``first_product + products - 1``. An exemption covers every product of its row. Rows recorded
before products were tracked have no ``first_product``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scoring.models.choices import DeductionKind
from scoring.models.guards import PeriodInputMixin


class Deduction(PeriodInputMixin, models.Model):
    period_path = "line__period"
    agency_path = "line__unit"

    line = models.ForeignKey(
        "scoring.AssignmentLine",
        verbose_name=_("dòng giao việc"),
        on_delete=models.CASCADE,
        related_name="deductions",
    )
    kind = models.CharField(_("loại"), max_length=8, choices=DeductionKind.choices)
    occurred_at = models.DateTimeField(_("thời điểm xảy ra"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("nội dung"), blank=True)
    products = models.PositiveIntegerField(
        _("số sản phẩm"),
        default=1,
        db_default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Mỗi sản phẩm là một lần bị trừ điểm."),
    )
    first_product = models.PositiveIntegerField(
        _("từ sản phẩm số"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    exempt = models.BooleanField(_("miễn trừ do nguyên nhân khách quan"), default=False)
    exempt_reason = models.TextField(_("lý do miễn trừ"), blank=True)
    exempt_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận miễn trừ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exempt_at = models.DateTimeField(_("thời điểm xác nhận miễn trừ"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần bị trừ điểm")
        verbose_name_plural = _("các lần bị trừ điểm")
        ordering = ["line", "occurred_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exempt=False) | ~models.Q(exempt_reason=""),
                name="deduction_exemption_has_reason",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.occurred_at:%d/%m/%Y}"

    @property
    def product_numbers(self) -> range | None:
        """The products this row counts one event for (``None`` for older rows)."""
        if self.first_product is None:
            return None
        return range(self.first_product, self.first_product + self.products)

    def clean(self):
        super().clean()
        if self.exempt and not self.exempt_reason.strip():
            raise ValidationError(
                {"exempt_reason": _("Miễn trừ phải ghi rõ nguyên nhân khách quan được xác nhận.")}
            )
