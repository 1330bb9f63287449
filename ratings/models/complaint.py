"""Complaints and petitions (khiếu nại, kiến nghị) of a civil servant about their rating.

Filing one puts the case on hold for verification (Gia Lai plan §IV.4.2.d); resuming the case
resolves it. Attachments are private files served only through a permission-checked view.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ratings.models.append_only import NeverDeletedMixin
from ratings.models.choices import ComplaintStatus
from ratings.models.fields import acted_at, acted_by


class Complaint(NeverDeletedMixin, models.Model):
    case = models.ForeignKey(
        "ratings.RatingCase",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("thời điểm gửi"), default=timezone.now)
    text = models.TextField(_("nội dung kiến nghị"))
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.OPEN,
    )
    resolution = models.TextField(_("kết quả giải quyết"), blank=True)
    resolved_by = acted_by(_("người giải quyết"))
    resolved_at = acted_at(_("thời điểm giải quyết"))

    class Meta:
        verbose_name = _("kiến nghị về kết quả xếp loại")
        verbose_name_plural = pgettext_lazy("plural", "kiến nghị về kết quả xếp loại")
        ordering = ["case", "filed_at", "id"]

    def __str__(self):
        return f"{self.case} · {self.filed_at:%d/%m/%Y}"


class ComplaintAttachment(NeverDeletedMixin, models.Model):
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("kiến nghị"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("tệp đính kèm"), upload_to="ratings/complaints/%Y/", max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm kiến nghị")
        verbose_name_plural = pgettext_lazy("plural", "tệp đính kèm kiến nghị")
        ordering = ["complaint", "id"]

    def __str__(self):
        return self.original_name
