"""Sources of work in document-management systems, what they delivered, and how it maps.

* ``Source``: one agency's configured source — a watched folder (drop directory) pulled on a
  schedule, or a webhook the other system pushes to (HMAC-signed with the shared secret).
* ``Run``: every pull or push, with its counts (received, created, updated, unchanged, waiting,
  refused) and its error; the next scheduled attempt backs off after a failure.
* ``Package``: one edXML package received (a document or a status), keyed per source so a
  second delivery of the same package changes nothing; its state (applied, waiting for a
  mapping, refused with the reason) is what the review queue and the reconciliation report read.
* ``TaskTypeMapping`` / ``PersonMapping``: what the edXML standard does not carry — which
  catalog item a document type is, and which civil servant a handling officer is when the
  official ID or e-mail does not say it.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import DeliveryAttempt


class SourceKind(models.TextChoices):
    FOLDER = "folder", _("Thư mục nhận gói tin (thư mục trao đổi)")
    WEBHOOK = "webhook", _("Hệ thống nguồn tự gửi (webhook)")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Source(models.Model):
    name = models.CharField(_("tên nguồn"), max_length=200, unique=True)
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Việc nhận từ nguồn này chỉ được giao cho công chức của cơ quan này và các đơn vị "
            "trực thuộc."
        ),
    )
    kind = models.CharField(
        _("cách nhận"), max_length=10, choices=SourceKind.choices, default=SourceKind.FOLDER
    )
    folder = models.CharField(
        _("thư mục nhận gói tin"),
        max_length=500,
        blank=True,
        help_text=_("Đường dẫn trên máy chủ nơi phần mềm quản lý văn bản đặt các gói edXML."),
    )
    secret = models.CharField(
        _("khóa bí mật dùng chung (webhook)"),
        max_length=100,
        default=new_secret,
        help_text=_("Hệ thống nguồn ký mỗi lần gửi bằng HMAC-SHA256 với khóa này."),
    )
    interval_minutes = models.PositiveIntegerField(_("chu kỳ lấy gói tin (phút)"), default=60)
    default_quantity = models.DecimalField(
        _("số lượng giao mỗi văn bản"), max_digits=6, decimal_places=2, default=1
    )
    completion_needs_review = models.BooleanField(
        _("hoàn thành cần lãnh đạo nghiệm thu"),
        default=True,
        help_text=_(
            "Khi phần mềm nguồn báo “đã hoàn thành”, dòng giao việc chờ người theo dõi, đánh giá "
            "nghiệm thu trên trang Giao việc (mặc định). Bỏ chọn nếu tỉnh quyết định lấy ngày "
            "hoàn thành của phần mềm nguồn làm ngày được xác nhận."
        ),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    cursor = models.CharField(
        _("vị trí đã đọc đến"),
        max_length=300,
        blank=True,
        help_text=_("Tệp cuối cùng đã đọc (thời điểm sửa và tên tệp)."),
    )
    scanned_at = models.DateTimeField(
        _("lần cuối liệt kê thư mục"),
        null=True,
        blank=True,
        help_text=_(
            "Thời điểm lần lấy thành công gần nhất liệt kê thư mục: tệp được đặt vào sau đó vẫn "
            "được đọc dù thời điểm sửa của tệp cũ hơn vị trí đã đọc."
        ),
    )
    next_run_at = models.DateTimeField(_("lần lấy tiếp theo"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("số lần lỗi liên tiếp"), default=0)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("nguồn văn bản")
        verbose_name_plural = _("nguồn văn bản")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def is_due(self, now: datetime.datetime) -> bool:
        return self.is_active and (self.next_run_at is None or self.next_run_at <= now)


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Theo lịch")
    MANUAL = "manual", _("Chạy tay")
    WEBHOOK = "webhook", _("Hệ thống nguồn gửi")


class Run(DeliveryAttempt):
    """One pull or push of a source (a :class:`~cms.models.DeliveryAttempt`: started, finished,
    ok or failed with the error) and what it received; the source's next pull backs off after a
    failed one (``connectors.schedule``)."""

    source = models.ForeignKey(
        Source, verbose_name=_("nguồn"), on_delete=models.CASCADE, related_name="runs"
    )
    trigger = models.CharField(_("cách chạy"), max_length=10, choices=RunTrigger.choices)
    received = models.PositiveIntegerField(_("gói nhận được"), default=0)
    created = models.PositiveIntegerField(_("dòng mới"), default=0)
    updated = models.PositiveIntegerField(_("dòng cập nhật"), default=0)
    unchanged = models.PositiveIntegerField(_("không thay đổi"), default=0)
    waiting = models.PositiveIntegerField(_("chờ ánh xạ"), default=0)
    refused = models.PositiveIntegerField(_("bị từ chối"), default=0)

    class Meta:
        verbose_name = _("lần nhận gói tin")
        verbose_name_plural = _("nhật ký nhận gói tin")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.source} · {timezone.localtime(self.started_at):%d/%m/%Y %H:%M}"


class PackageKind(models.TextChoices):
    DOCUMENT = "document", _("Văn bản giao việc")
    STATUS = "status", _("Trạng thái xử lý")


class PackageState(models.TextChoices):
    APPLIED = "applied", _("Đã ghi vào giao việc")
    WAITING = "waiting", _("Chờ ánh xạ")
    REFUSED = "refused", _("Bị từ chối")
    WITHDRAWN = "withdrawn", _("Đã thu hồi hoặc được thay thế")


class Package(models.Model):
    source = models.ForeignKey(
        Source, verbose_name=_("nguồn"), on_delete=models.CASCADE, related_name="packages"
    )
    key = models.CharField(_("mã gói tin"), max_length=200)
    kind = models.CharField(_("loại gói tin"), max_length=10, choices=PackageKind.choices)
    document_id = models.CharField(_("mã định danh văn bản"), max_length=200, blank=True)
    sha256 = models.CharField(_("sha256 nội dung"), max_length=64)
    file_name = models.CharField(_("tên tệp"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("thời điểm nhận"), default=timezone.now)
    month = models.DateField(_("tháng"), help_text=_("Ngày đầu của tháng đối chiếu."))
    data = models.JSONField(_("nội dung đọc được"), default=dict)
    state = models.CharField(_("tình trạng"), max_length=10, choices=PackageState.choices)
    reason = models.TextField(_("lý do"), blank=True)
    #: What is missing while waiting: "person" or "task_type" (and its key in the source).
    missing = models.CharField(_("thiếu ánh xạ"), max_length=12, blank=True)
    missing_key = models.CharField(_("giá trị chưa ánh xạ"), max_length=200, blank=True)
    line = models.ForeignKey(
        "scoring.AssignmentLine",
        verbose_name=_("dòng giao việc"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("gói tin nhận được")
        verbose_name_plural = _("gói tin nhận được")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="one_package_per_key"),
        ]
        indexes = [models.Index(fields=["source", "month", "state"])]

    def __str__(self):
        return self.data.get("code") or self.key


class TaskTypeMapping(models.Model):
    source = models.ForeignKey(
        Source, verbose_name=_("nguồn"), on_delete=models.CASCADE, related_name="task_types"
    )
    external_type = models.CharField(
        _("loại văn bản ở nguồn"),
        max_length=100,
        help_text=_("Giá trị DocumentType/Type (hoặc tên loại) trong gói edXML, ví dụ “CV”."),
    )
    product_code = models.CharField(
        _("mã sản phẩm trong danh mục"),
        max_length=32,
        help_text=_("Mã sản phẩm/công việc trong danh mục đã phê duyệt của cơ quan."),
    )

    class Meta:
        verbose_name = _("ánh xạ loại việc")
        verbose_name_plural = _("ánh xạ loại việc")
        ordering = ["source", "external_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_type"], name="one_task_type_mapping"
            ),
        ]

    def __str__(self):
        return f"{self.external_type} → {self.product_code}"


class PersonMapping(models.Model):
    source = models.ForeignKey(
        Source, verbose_name=_("nguồn"), on_delete=models.CASCADE, related_name="people"
    )
    external_person = models.CharField(
        _("người xử lý ở nguồn"),
        max_length=200,
        help_text=_("Tên đăng nhập, thư điện tử hoặc họ tên người xử lý trong gói edXML."),
    )
    civil_servant = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("công chức"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ánh xạ người xử lý")
        verbose_name_plural = _("ánh xạ người xử lý")
        ordering = ["source", "external_person"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_person"], name="one_person_mapping"
            ),
        ]

    def __str__(self):
        return f"{self.external_person} → {self.civil_servant}"


class AcceptedSignature(models.Model):
    """A webhook signature already accepted: the same signed request is never accepted twice
    (kept for the timestamp window, ``connectors.views.MAX_SKEW``)."""

    source = models.ForeignKey(
        Source, verbose_name=_("nguồn"), on_delete=models.CASCADE, related_name="+"
    )
    signature = models.CharField(_("chữ ký"), max_length=100)
    accepted_at = models.DateTimeField(_("thời điểm nhận"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("chữ ký đã nhận")
        verbose_name_plural = _("chữ ký đã nhận")
        constraints = [
            models.UniqueConstraint(fields=["source", "signature"], name="one_accepted_signature"),
        ]

    def __str__(self):
        return f"{self.source_id} · {self.accepted_at:%Y-%m-%d %H:%M:%S}"


class PlanItemMatch(models.Model):
    """A received task (a document package) matched to an item of an approved work plan
    (Đắk Lắk §III.3: evaluation rests on the agency's work plans). Suggested by the catalog's
    name matcher, confirmed by the clerk (``connectors.plan_matching``); the package's line then
    counts for the item's fulfilment, and a package still waiting for a mapping takes the item's
    owner and product (``connectors.ingest``)."""

    package = models.OneToOneField(
        Package,
        verbose_name=_("gói tin"),
        on_delete=models.CASCADE,
        related_name="plan_match",
    )
    item = models.ForeignKey(
        "workplans.WorkPlanItem",
        verbose_name=_("mục kế hoạch"),
        on_delete=models.CASCADE,
        related_name="matched_packages",
    )
    score = models.DecimalField(_("độ giống khi gợi ý"), max_digits=4, decimal_places=2, default=0)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    matched_at = models.DateTimeField(_("thời điểm xác nhận"), default=timezone.now)

    class Meta:
        verbose_name = _("văn bản khớp với mục kế hoạch")
        verbose_name_plural = _("văn bản khớp với mục kế hoạch")
        ordering = ["-matched_at", "-id"]

    def __str__(self):
        return f"{self.package} → {self.item}"
