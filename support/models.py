"""Difficulties and proposals raised to Sở Nội vụ (issue 32 item 5), their log, and the
support contact and FAQ page (Wagtail-editable).

A request moves through the approval-workflow kit (``cms.workflow``): open → answered →
closed, or open → converted into a catalog / framework change request; ``support.services``
is its one door, and every move appends a ``SupportRequestLog`` row.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField

from cms.workflow import TransitionLog


class Category(models.TextChoices):
    METHOD = "method", _("Phương pháp đánh giá, chấm điểm")
    CATALOG = "catalog", _("Danh mục vị trí việc làm, sản phẩm")
    FRAMEWORK = "framework", _("Khung tiêu chí")
    SOFTWARE = "software", _("Sử dụng phần mềm")
    ACCOUNT = "account", _("Tài khoản, đăng nhập")
    OTHER = "other", _("Khác")


class Kind(models.TextChoices):
    DIFFICULTY = "difficulty", _("Vướng mắc")
    PROPOSAL = "proposal", _("Kiến nghị")


class Status(models.TextChoices):
    OPEN = "open", _("Chờ trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    CONVERTED = "converted", _("Đã chuyển thành đề nghị sửa đổi")
    CLOSED = "closed", _("Đã đóng")


class ChangeKind(models.TextChoices):
    CATALOG = "catalog", _("Đề nghị sửa danh mục")
    FRAMEWORK = "framework", _("Đề nghị sửa khung tiêu chí")


class SupportRequest(models.Model):
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("cơ quan, đơn vị"), on_delete=models.PROTECT
    )
    person = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("người gửi (hồ sơ)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.PROTECT,
        related_name="support_requests",
    )
    #: Who answers: "home_affairs" today; a bloc's lead body later (``support.services``).
    addressee = models.CharField(_("gửi đến"), max_length=40, default="home_affairs")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("lĩnh vực"), max_length=20, choices=Category.choices)
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    deadline = models.DateField(_("hạn trả lời"))
    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    change_kind = models.CharField(
        _("chuyển thành"), max_length=20, choices=ChangeKind.choices, blank=True
    )
    #: The draft change the conversion opened (``support.services.open_change``): the agency's
    #: framework proposal, or its catalog page with the draft revision to submit.
    framework_proposal = models.ForeignKey(
        "scoring.FrameworkProposal",
        verbose_name=_("khung tiêu chí đề xuất"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    catalog_page = models.ForeignKey(
        "catalog_pages.AgencyCatalogPage",
        verbose_name=_("danh mục cần sửa đổi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    created_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True)

    class Meta:
        verbose_name = _("vướng mắc, kiến nghị")
        verbose_name_plural = pgettext_lazy("plural", "vướng mắc, kiến nghị")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"#{self.pk} {self.title}"


class SupportAttachment(models.Model):
    request = models.ForeignKey(
        SupportRequest,
        verbose_name=_("vướng mắc, kiến nghị"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("tệp đính kèm"), upload_to="support/%Y/", max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm vướng mắc, kiến nghị")
        verbose_name_plural = pgettext_lazy("plural", "tệp đính kèm vướng mắc, kiến nghị")
        ordering = ["request", "id"]

    def __str__(self):
        return self.original_name


class SupportRequestLog(TransitionLog):
    """Append-only: one row per move of a request (the kit's log)."""

    request = models.ForeignKey(
        SupportRequest,
        verbose_name=_("vướng mắc, kiến nghị"),
        on_delete=models.CASCADE,
        related_name="log",
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("lịch sử xử lý vướng mắc, kiến nghị")
        verbose_name_plural = pgettext_lazy("plural", "lịch sử xử lý vướng mắc, kiến nghị")

    @property
    def state_label(self) -> str:
        """The state moved to, in words (review 2026-11-25, ux M2: "open", "answered")."""
        if self.to_state in Status.values:
            return str(Status(self.to_state).label)
        return "—"


@register_setting(icon="help")
class SupportSettings(BaseGenericSetting):
    """The support contact and the FAQ page, edited by Sở Nội vụ in Settings."""

    contact_name = models.CharField(
        _("đơn vị hỗ trợ"), max_length=200, default="Sở Nội vụ — Phòng Công chức, viên chức"
    )
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    hours = models.CharField(_("thời gian hỗ trợ"), max_length=200, blank=True)
    answer_days = models.PositiveSmallIntegerField(
        _("số ngày trả lời"),
        default=10,
        help_text=_("Hạn trả lời một vướng mắc, kiến nghị: số ngày kể từ ngày gửi."),
    )
    faq = RichTextField(_("câu hỏi thường gặp"), blank=True)

    class Meta:
        verbose_name = _("liên hệ hỗ trợ và câu hỏi thường gặp")
