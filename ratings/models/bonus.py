"""Bonus regulation (quy chế chi thu nhập tăng thêm, tiền thưởng) of one agency.

The Đắk Lắk plan §IV.4 asks every agency to issue a regulation tying extra income and bonuses to
the monthly/quarterly tracking and the annual rating. A regulation maps each annual rating level
and each period band (the level a period total falls in) to a coefficient; the one in force for
a period is the latest ``effective_from`` on or before the period start, looked up on the
person's agency, then up the tree (a unit follows its agency's regulation unless it has one).
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

COEFFICIENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "default": 0,
    "validators": [MinValueValidator(0)],
}

#: (field prefix, rating code) pairs; fields are ``annual_<code>`` and ``period_<code>``.
LEVEL_CODES = ("excellent", "good", "completed", "not_completed")


class BonusRegulation(models.Model):
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name="bonus_regulations",
    )
    name = models.CharField(_("tên quy chế"), max_length=255)
    decision_ref = models.CharField(_("số quyết định ban hành"), max_length=64, blank=True)
    effective_from = models.DateField(_("áp dụng từ ngày"))

    annual_excellent = models.DecimalField(_("năm — hoàn thành xuất sắc"), **COEFFICIENT)
    annual_good = models.DecimalField(_("năm — hoàn thành tốt"), **COEFFICIENT)
    annual_completed = models.DecimalField(_("năm — hoàn thành"), **COEFFICIENT)
    annual_not_completed = models.DecimalField(_("năm — không hoàn thành"), **COEFFICIENT)
    period_excellent = models.DecimalField(_("tháng/quý — từ 90 điểm"), **COEFFICIENT)
    period_good = models.DecimalField(_("tháng/quý — từ 70 đến dưới 90 điểm"), **COEFFICIENT)
    period_completed = models.DecimalField(_("tháng/quý — từ 50 đến dưới 70 điểm"), **COEFFICIENT)
    period_not_completed = models.DecimalField(_("tháng/quý — dưới 50 điểm"), **COEFFICIENT)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("quy chế chi thu nhập tăng thêm")
        verbose_name_plural = pgettext_lazy("plural", "quy chế chi thu nhập tăng thêm")
        ordering = ["agency__path", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "effective_from"], name="unique_bonus_regulation_start"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"

    def coefficient(self, scope: str, level: str):
        """``scope`` is "annual" or "period"; ``level`` a rating code."""
        if scope not in ("annual", "period") or level not in LEVEL_CODES:
            return None
        return getattr(self, f"{scope}_{level}")
