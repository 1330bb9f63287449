"""Evidence (minh chứng) attached to an assignment line: a file, a link or a document number.

The file is a private upload (``cms.private_files``, stored under KPI_PRIVATE_MEDIA_ROOT): never
a public Wagtail document, served only through the worklog's checked view. Its original name,
size, type and sha256 are kept with it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.models.guards import PeriodInputMixin


class Evidence(PeriodInputMixin, models.Model):
    period_path = "line__period"
    agency_path = "line__unit"

    line = models.ForeignKey(
        "scoring.AssignmentLine",
        verbose_name=_("dòng giao việc"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(
        _("tệp đính kèm"), upload_to="evidence/%Y/%m/", blank=True, max_length=255
    )
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("dung lượng tệp (byte)"), null=True, blank=True)
    content_type = models.CharField(_("loại tệp"), max_length=100, blank=True)
    sha256 = models.CharField(_("mã băm SHA-256 của tệp"), max_length=64, blank=True)
    url = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    document_number = models.CharField(_("số, ký hiệu văn bản"), max_length=64, blank=True)
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thêm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("thời điểm thêm"), auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["line", "id"]

    def __str__(self):
        return self.document_number or self.description or self.url or self.file_name

    def clean(self):
        super().clean()
        if not (self.file or self.url or self.document_number.strip()):
            raise ValidationError(
                _("Minh chứng cần có tài liệu đính kèm, đường dẫn hoặc số, ký hiệu văn bản.")
            )
