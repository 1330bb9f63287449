"""Deputy charges (phân công phụ trách): the units and people a deputy leader is in charge of.

Criterion d of a leader's task results is the share of the people they manage rated
"completed" or better (Decree 335 Art. 8; docs/scoring.md). For a deputy the decree counts only
the field in their charge: a deputy director in charge of two units answers for those units'
people, not the whole department. The charge is set by the head's assignment decision and
changes over time, so it is dated; the one in force on the last day of a period applies. A
deputy without a charge in force keeps the default: the staff of their own agency or unit.
"""

import datetime

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeputyChargeQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date):
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class DeputyCharge(ClusterableModel):
    deputy = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("cấp phó"),
        on_delete=models.CASCADE,
        related_name="charges",
    )
    units = ParentalManyToManyField(
        "org.Agency",
        verbose_name=_("đơn vị phụ trách"),
        blank=True,
        related_name="deputy_charges",
        help_text=_("Mọi người công tác tại các đơn vị này (kể cả đơn vị trực thuộc)."),
    )
    people = ParentalManyToManyField(
        "org.CivilServant",
        verbose_name=_("công chức phụ trách"),
        blank=True,
        related_name="deputy_charges_over",
        help_text=_("Thêm từng người ngoài các đơn vị trên, nếu có."),
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    decision_ref = models.CharField(_("số văn bản phân công"), max_length=64, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = DeputyChargeQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công phụ trách của cấp phó")
        verbose_name_plural = _("phân công phụ trách của cấp phó")
        ordering = ["deputy__full_name", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="deputy_charge_end_after_start",
            )
        ]

    def __str__(self):
        return _("%(deputy)s phụ trách từ %(start)s") % {
            "deputy": self.deputy.full_name if self.deputy_id else "—",
            "start": self.start_date.strftime("%d/%m/%Y") if self.start_date else "—",
        }

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Ngày kết thúc phải sau ngày bắt đầu.")})
