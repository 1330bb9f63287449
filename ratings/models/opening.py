"""Opening the year's rating cases in the background (``ratings.tasks``): a whole province's
cases take longer than a request may (about 7 ms a case: 100,000 people are 12 minutes, and
production's gunicorn ends a request after 60 s)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms.models import BackgroundJob


class CaseOpening(BackgroundJob):
    """One "Lập hồ sơ" of the case list: who asked, for which year and which agencies, and
    what it did (cases created, already there, people without an annual score). A job of the
    job kit (``cms.models.BackgroundJob``); opening is idempotent, so a job that stopped is
    simply run again."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    #: The agencies whose subtrees are opened; empty for the whole province (Sở Nội vụ).
    root_ids = models.JSONField(_("cơ quan, đơn vị"), default=list, blank=True)
    whole_province = models.BooleanField(_("toàn tỉnh"), default=False)
    scope_label = models.CharField(_("phạm vi"), max_length=255, blank=True)
    total = models.PositiveIntegerField(_("tổng số người và cơ quan, đơn vị"), default=0)
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    created_count = models.PositiveIntegerField(_("hồ sơ đã tạo"), default=0)
    existing_count = models.PositiveIntegerField(_("hồ sơ đã có"), default=0)
    skipped_count = models.PositiveIntegerField(_("người chưa đủ dữ liệu"), default=0)

    class Meta:
        verbose_name = _("lượt lập hồ sơ xếp loại")
        verbose_name_plural = pgettext_lazy("plural", "lượt lập hồ sơ xếp loại")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self):
        at = timezone.localtime(self.created_at)
        return f"{self.year}: {self.scope_label} ({at:%d/%m/%Y %H:%M})"
