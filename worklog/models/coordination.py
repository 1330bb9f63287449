"""Shared tasks and the related units' rating of coordination (issue 33 item 3; Nghệ An plan
§I.2, §III.2.1: "năng lực phối hợp" is one of the four indicator groups).

An assignment line (the person's task) is **shared** with other units — đơn vị phối hợp — by
the person's evaluator, who assigned it: one :class:`CoordinatingUnit` row per related unit.
The leader of that unit rates, once per task, how the person coordinated with it (5 … 1); the
rating is stored on the same row. Both writes go through one service
(``worklog.services.coordination``); the ratings feed the framework's ``coordination`` rule
(``scoring.engine.coordination``) through ``scoring.services.feeds``.

Why the assignment line, not the organisation task: the four groups of the Nghệ An plan are
indicators of the civil servant ("đánh giá … cán bộ, công chức, viên chức"), and the
coordination criterion (C.2 "Phối hợp với cơ quan, đơn vị liên quan") sits in the person's
framework; the organisation's framework (Gia Lai §III: 30 + 70 points) has no coordination
criterion for a rating of a unit to feed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import track


class CoordinationLevel(models.IntegerChoices):
    """The rating scale (five levels, best first in the form)."""

    VERY_GOOD = 5, _("Phối hợp rất tốt")
    GOOD = 4, _("Phối hợp tốt")
    FAIR = 3, _("Phối hợp đạt yêu cầu")
    POOR = 2, _("Phối hợp chưa tốt")
    VERY_POOR = 1, _("Không phối hợp")


class CoordinatingUnit(models.Model):
    line = models.ForeignKey(
        "scoring.AssignmentLine",
        verbose_name=_("dòng giao việc"),
        on_delete=models.CASCADE,
        related_name="coordinating_units",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("đơn vị phối hợp"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi đơn vị phối hợp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)
    rating = models.PositiveSmallIntegerField(
        _("đánh giá phối hợp"), choices=CoordinationLevel.choices, null=True, blank=True
    )
    comment = models.TextField(_("nhận xét về phối hợp"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá phối hợp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("thời điểm đánh giá phối hợp"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị phối hợp")
        verbose_name_plural = _("đơn vị phối hợp")
        ordering = ["line", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["line", "agency"], name="one_row_per_related_unit"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="coordination_rating_scale",
            ),
        ]

    def __str__(self):
        return f"{self.line_id} · {self.agency}"


track(CoordinatingUnit)
