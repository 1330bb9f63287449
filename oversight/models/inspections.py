"""Inspections of an agency's evaluation work (kiểm tra công tác đánh giá; issue 19 item 8).

P2 §II.7 and GL §V.2.d: Sở Nội vụ inspects how the agencies follow, evaluate and rate their
civil servants. An ``Inspection`` records the decision that set it up, the team, the period it
covered, its dates and conclusion; its ``InspectionFinding`` rows are what it found, each with a
severity, the remedy required, the date it is due and how far the agency has got; its
``InspectionAttachment`` files (decision, minutes, conclusion) are private files
(``cms.private_files``), served only to who may see the inspection. Sở Nội vụ records them; the
agency's users read their own agency's inspections (``oversight.policy``).
"""

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from cms.private_files import original_name, upload_help, validate_upload
from oversight.forms import PrivateFileInput


class FindingSeverity(models.TextChoices):
    NOTE = "note", _("Lưu ý, khuyến nghị")
    SHORTCOMING = "shortcoming", _("Hạn chế, thiếu sót")
    VIOLATION = "violation", _("Vi phạm quy định")


class RemedyStatus(models.TextChoices):
    OPEN = "open", _("Chưa khắc phục")
    IN_PROGRESS = "in_progress", _("Đang khắc phục")
    DONE = "done", _("Đã khắc phục")


class Inspection(ClusterableModel):
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan được kiểm tra"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    decision_ref = models.CharField(_("số quyết định kiểm tra"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    team = models.TextField(
        _("đoàn kiểm tra"), help_text=_("Trưởng đoàn và các thành viên, mỗi người một dòng.")
    )
    covers_from = models.DateField(_("thời kỳ kiểm tra từ ngày"))
    covers_to = models.DateField(_("đến ngày"))
    started_on = models.DateField(_("ngày bắt đầu kiểm tra"))
    ended_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)
    conclusion_ref = models.CharField(_("số thông báo kết luận"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm ghi nhận"), auto_now_add=True)

    class Meta:
        verbose_name = _("cuộc kiểm tra công tác đánh giá")
        verbose_name_plural = pgettext_lazy("plural", "cuộc kiểm tra công tác đánh giá")
        ordering = ["-decision_date", "-pk"]

    def __str__(self):
        return _("Kiểm tra %(agency)s — QĐ %(ref)s ngày %(day)s") % {
            "agency": self.agency,
            "ref": self.decision_ref,
            "day": f"{self.decision_date:%d/%m/%Y}" if self.decision_date else "",
        }

    def clean(self):
        errors = {}
        if self.covers_from and self.covers_to and self.covers_from > self.covers_to:
            errors["covers_to"] = _("Thời kỳ kiểm tra: ngày kết thúc phải sau ngày bắt đầu.")
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("Ngày kết thúc: không được trước ngày bắt đầu kiểm tra.")
        if self.decision_date and self.started_on and self.started_on < self.decision_date:
            errors["started_on"] = _("Ngày bắt đầu kiểm tra: không được trước ngày quyết định.")
        if errors:
            raise ValidationError(errors)


class InspectionFinding(Orderable):
    inspection = ParentalKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    description = models.TextField(_("nội dung phát hiện"))
    severity = models.CharField(
        _("mức độ"),
        max_length=16,
        choices=FindingSeverity.choices,
        default=FindingSeverity.SHORTCOMING,
    )
    remedy = models.TextField(_("yêu cầu khắc phục"), blank=True)
    remedy_due = models.DateField(_("hạn khắc phục"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng khắc phục"),
        max_length=16,
        choices=RemedyStatus.choices,
        default=RemedyStatus.OPEN,
    )
    status_note = models.TextField(_("kết quả khắc phục"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("phát hiện qua kiểm tra")
        verbose_name_plural = pgettext_lazy("plural", "phát hiện qua kiểm tra")

    def __str__(self):
        return self.description[:80]

    def clean(self):
        if self.remedy_due is None and self.remedy and self.severity != FindingSeverity.NOTE:
            raise ValidationError(
                {"remedy_due": _("Hạn khắc phục: cần ghi khi có yêu cầu khắc phục.")}
            )


def validate_inspection_file(value):
    """The one upload check of private files, on new uploads (a stored file was checked)."""
    if getattr(value, "_committed", True):
        return
    validate_upload(value, label=_("Tệp đính kèm"))


class InspectionAttachment(Orderable):
    inspection = ParentalKey(Inspection, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(
        _("tệp"),
        upload_to="oversight/inspections/%Y/",
        max_length=255,
        validators=[validate_inspection_file],
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("file", widget=PrivateFileInput, help_text=lazy(upload_help, str)()),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("tài liệu kiểm tra")
        verbose_name_plural = pgettext_lazy("plural", "tài liệu kiểm tra")

    def __str__(self):
        return self.title

    @property
    def filename(self) -> str:
        name = self.file.name  # a file field is true when it has a name
        return original_name(name) if name else ""
