"""Facts of the year that force "not completed" (Decree 335 Art. 20 cl. 4), e.g. a reprimand.

``kind`` is a disqualifier code of the framework that applies to the person (for example
``discipline_reprimand_or_heavier``); the annual rating applies it. That the code is one of the
live frameworks' is checked by the write service (``scoring.services.disqualifications.check``)
and the admin form that calls it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Disqualification(models.Model):
    civil_servant = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("công chức"),
        on_delete=models.PROTECT,
        related_name="disqualifications",
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    kind = models.CharField(
        _("trường hợp"),
        max_length=64,
        help_text=_("Mã trường hợp trong khung đánh giá, ví dụ discipline_reprimand_or_heavier."),
    )
    reference = models.CharField(_("số quyết định, kết luận"), max_length=64)
    decided_on = models.DateField(_("ngày quyết định"))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("trường hợp không hoàn thành nhiệm vụ")
        verbose_name_plural = _("trường hợp không hoàn thành nhiệm vụ")
        ordering = ["-year", "civil_servant"]
        indexes = [models.Index(fields=["year", "civil_servant"])]

    def __str__(self):
        return f"{self.kind} ({self.reference})"
