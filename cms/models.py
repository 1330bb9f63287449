"""The public site: a home page that introduces the system and links to public content."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    intro = RichTextField(_("giới thiệu"), blank=True)
    max_count = 1
    subpage_types = ["catalog_pages.CatalogIndexPage", "dashboards.TransparencyIndexPage"]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("trang chủ")
        verbose_name_plural = pgettext_lazy("plural", "trang chủ")


class MailStatus(models.TextChoices):
    PENDING = "pending", _("chờ gửi lại")
    SENT = "sent", _("đã gửi")
    FAILED = "failed", _("không gửi được")


class OutgoingMail(models.Model):
    """An e-mail the relay refused or could not be reached for (issue 28, reliability review
    M5): kept here and sent again by the sweep (``cms.mail.retry_pending``), so a saved action
    never turns into an error page and no notification is lost."""

    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    from_email = models.CharField(_("người gửi"), max_length=255)
    recipients = models.JSONField(_("người nhận"), default=list)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần đã thử"), default=1)
    last_error = models.TextField(_("lỗi lần gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), db_index=True)
    sent_at = models.DateTimeField(_("gửi được lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư chờ gửi lại")
        verbose_name_plural = _("thư chờ gửi lại")
        ordering = ["next_attempt_at", "id"]

    def __str__(self):
        return self.subject
