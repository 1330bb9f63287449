"""Integration systems and their tokens, the access log, and the national-database outbox.

* ``IntegrationSystem``: an outside program (a document-management system, a payroll system…)
  allowed to call the API for some agencies and everything below them in the tree.
* ``IntegrationToken``: a secret of a system. Only the sha256 of the token is stored; the token
  itself is shown once, by ``manage.py create_integration_token``.
* ``ApiAccessLog``: one row per read of personal data by a token. Append-only.
* ``OutboxRecord``: one final result (a period score of a closed period, or a decided annual
  rating) to be sent to the national civil-servant database, with its due date and status.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms.models import Delivery, DeliveryAttempt

TOKEN_PREFIX = "kpi_"  # noqa: S105 - a visible marker, not a secret


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class IntegrationSystem(models.Model):
    name = models.CharField(_("tên hệ thống"), max_length=200, unique=True)
    agencies = models.ManyToManyField(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị được phép"),
        related_name="+",
        blank=True,
        help_text=_(
            "Hệ thống được đọc và ghi dữ liệu của các cơ quan, đơn vị này và mọi đơn vị trực thuộc."
        ),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    can_write = models.BooleanField(
        _("được gửi giao việc, kết quả"),
        default=True,
        help_text=_("Bỏ chọn nếu hệ thống chỉ được đọc dữ liệu."),
    )
    national_export = models.BooleanField(
        _("được nhận dữ liệu gửi Cơ sở dữ liệu quốc gia"),
        default=False,
        help_text=_(
            "Cho phép đọc lô dữ liệu gửi Cơ sở dữ liệu quốc gia về cán bộ, công chức, viên chức "
            "và xác nhận đã nhận."
        ),
    )
    contact = models.CharField(_("đầu mối liên hệ"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("hệ thống tích hợp")
        verbose_name_plural = _("hệ thống tích hợp")
        ordering = ["name"]

    def __str__(self):
        return self.name


class IntegrationTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, system__is_active=True)


class IntegrationToken(models.Model):
    system = models.ForeignKey(
        IntegrationSystem,
        verbose_name=_("hệ thống tích hợp"),
        on_delete=models.PROTECT,
        related_name="tokens",
    )
    key_hash = models.CharField(_("sha256 của mã truy cập"), max_length=64, unique=True)
    prefix = models.CharField(
        _("đầu mã"), max_length=12, help_text=_("Vài ký tự đầu của mã để nhận ra mã.")
    )
    label = models.CharField(_("ghi chú"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True)

    objects = IntegrationTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["system", "-created_at"]

    def __str__(self):
        return f"{self.system} · {self.prefix}…"

    @classmethod
    def issue(cls, system: IntegrationSystem, label: str = "") -> tuple[IntegrationToken, str]:
        """A new token for ``system``: returns the row and the token (never stored)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = cls.objects.create(
            system=system, key_hash=hash_token(token), prefix=token[:12], label=label
        )
        return row, token

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


# --------------------------------------------------------------------------- access log


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an access-log row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(gettext("Nhật ký truy cập chỉ được ghi thêm."))

    def delete(self):
        raise AppendOnlyError(gettext("Nhật ký truy cập chỉ được ghi thêm."))

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(gettext("Nhật ký truy cập chỉ được ghi thêm."))


class ApiAccessLog(models.Model):
    """A read of personal data through the API by an integration system (append-only)."""

    system = models.ForeignKey(
        IntegrationSystem,
        verbose_name=_("hệ thống tích hợp"),
        on_delete=models.PROTECT,
        related_name="access_logs",
    )
    token = models.ForeignKey(
        IntegrationToken,
        verbose_name=_("mã truy cập"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(_("phương thức"), max_length=8)
    path = models.CharField(_("địa chỉ"), max_length=1000)
    object_type = models.CharField(_("loại dữ liệu"), max_length=64)
    count = models.PositiveIntegerField(_("số bản ghi"))
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký truy cập API")
        verbose_name_plural = _("nhật ký truy cập API")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["system", "at"])]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.system} · {self.object_type} × {self.count} · {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(gettext("Nhật ký truy cập chỉ được ghi thêm."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(gettext("Nhật ký truy cập chỉ được ghi thêm."))


# --------------------------------------------------------------------------- outbox


class OutboxKind(models.TextChoices):
    PERIOD_RESULT = "period_result", _("Kết quả theo dõi, đánh giá theo kỳ")
    ANNUAL_RATING = "annual_rating", _("Kết quả xếp loại chất lượng năm")
    CORRECTION = "correction", _("Điều chỉnh kết quả đã gửi")
    CANCELLATION = "cancellation", _("Hủy kết quả đã gửi")


#: Kinds that change a record already sent (``OutboxRecord.corrects``).
CORRECTION_KINDS = (OutboxKind.CORRECTION, OutboxKind.CANCELLATION)


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    ACKNOWLEDGED = "acknowledged", _("Đã được xác nhận")
    FAILED = "failed", _("Gửi lỗi")


#: Records still to be (re)sent.
UNSENT = (OutboxStatus.PENDING, OutboxStatus.FAILED)


class OutboxQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(status__in=UNSENT)

    def overdue(self, today=None):
        return self.unsent().filter(due_date__lt=today or timezone.localdate())


class OutboxRecord(Delivery):
    """One final result to send (a :class:`~cms.models.Delivery`: attempts, last error, next
    attempt, sent at; each batch that carried it is a :class:`NationalDelivery`). ``payload`` is
    the snapshot that is sent; the foreign keys are for finding and filtering and are emptied,
    not blocking, if their row ever disappears. A failed record waits as ``failed`` and is never
    given up: the national database must get it."""

    WAITING = GIVEN_UP = OutboxStatus.FAILED
    DELIVERED = OutboxStatus.SENT

    kind = models.CharField(_("loại kết quả"), max_length=16, choices=OutboxKind.choices)
    period_score = models.OneToOneField(
        "scoring.PeriodScore",
        verbose_name=_("kết quả theo kỳ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rating_case = models.OneToOneField(
        "ratings.RatingCase",
        verbose_name=_("hồ sơ xếp loại"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    civil_servant = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("công chức"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    period = models.ForeignKey(
        "scoring.Period",
        verbose_name=_("kỳ đánh giá"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("điều chỉnh bản ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
        help_text=_("Bản ghi đã gửi mà bản ghi điều chỉnh, hủy này thay thế."),
    )
    reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    payload = models.JSONField(_("dữ liệu gửi"), default=dict)
    result_date = models.DateField(_("ngày có kết quả"))
    due_date = models.DateField(_("hạn gửi"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    batch = models.CharField(_("lô gửi"), max_length=64, blank=True)
    acknowledged_at = models.DateTimeField(_("thời điểm được xác nhận"), null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản ghi gửi Cơ sở dữ liệu quốc gia")
        verbose_name_plural = _("dữ liệu gửi Cơ sở dữ liệu quốc gia")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        person = self.payload.get("civil_servant", {}).get("official_id", "")
        return f"{self.get_kind_display()} · {person} · {self.year}"

    @property
    def official_id(self) -> str:
        return self.payload.get("civil_servant", {}).get("official_id", "")

    @property
    def full_name(self) -> str:
        return self.payload.get("civil_servant", {}).get("full_name", "")

    @property
    def is_overdue(self) -> bool:
        return self.status in UNSENT and self.due_date < timezone.localdate()

    def clean(self):
        if self.due_date and self.result_date and self.due_date < self.result_date:
            raise ValidationError({"due_date": _("Hạn gửi không được trước ngày có kết quả.")})


class NationalDelivery(DeliveryAttempt):
    """One attempt to send a batch to the national database (a
    :class:`~cms.models.DeliveryAttempt`), with the receipt it got back."""

    #: The attempt's start is the moment the batch was sent, and reads so on every screen.
    started_at = models.DateTimeField(_("thời điểm gửi"), default=timezone.now, db_index=True)
    batch = models.CharField(_("lô gửi"), max_length=64)
    #: The SHA-256 of the records sent and their versions: a retry of the same records under
    #: the same versions is sent under the same batch name (its Idempotency-Key).
    fingerprint = models.CharField(_("dấu vân bản ghi"), max_length=64, blank=True, db_index=True)
    transport = models.CharField(_("cách gửi"), max_length=100)
    records = models.PositiveIntegerField(_("số bản ghi"), default=0)
    accepted = models.PositiveIntegerField(_("được xác nhận"), default=0)
    rejected = models.PositiveIntegerField(_("bị từ chối"), default=0)
    reference = models.CharField(
        _("biên nhận"),
        max_length=500,
        blank=True,
        help_text=_("Mã biên nhận của bên nhận, hoặc đường dẫn tệp đã đặt."),
    )
    response = models.TextField(_("trả lời của bên nhận"), blank=True)

    class Meta:
        verbose_name = _("lần gửi CSDL quốc gia")
        verbose_name_plural = _("biên nhận gửi CSDL quốc gia")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.batch} · {self.get_status_display()}"
