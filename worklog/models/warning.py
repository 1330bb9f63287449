"""Deadline warnings already sent: at most one per line and day (``send_deadline_warnings``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WarningState(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


class DeadlineWarning(models.Model):
    line = models.ForeignKey(
        "scoring.AssignmentLine",
        verbose_name=_("dòng giao việc"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("ngày cảnh báo"))
    state = models.CharField(_("loại cảnh báo"), max_length=10, choices=WarningState.choices)
    recipients = models.TextField(_("người nhận"), blank=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True)

    class Meta:
        verbose_name = _("cảnh báo thời hạn đã gửi")
        verbose_name_plural = pgettext_lazy("plural", "cảnh báo thời hạn đã gửi")
        ordering = ["-day", "line"]
        constraints = [
            models.UniqueConstraint(fields=["line", "day"], name="one_warning_per_line_day"),
        ]

    def __str__(self):
        return f"{self.line_id} · {self.day:%d/%m/%Y} · {self.get_state_display()}"
