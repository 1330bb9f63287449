"""The public site: a home page that introduces the system and links to public content."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.retry import RetryPolicy


class HomePage(Page):
    intro = RichTextField(_("giới thiệu"), blank=True)
    max_count = 1
    subpage_types = ["catalog_pages.CatalogIndexPage", "dashboards.TransparencyIndexPage"]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("trang chủ")
        verbose_name_plural = pgettext_lazy("plural", "trang chủ")


class AttemptStatus(models.TextChoices):
    """How one attempt ended (a national batch sent, a mail handed to the relay, a source
    pulled): the one outcome every kind of :class:`DeliveryAttempt` records."""

    OK = "ok", _("Thành công")
    FAILED = "failed", _("Lỗi")


class Delivery(models.Model):
    """Something to deliver outside, tried until it gets through (saleor's ``EventDelivery``;
    issue 46): how often it was tried, why the last attempt failed, when the next is due, and
    when it got through. Each kind keeps its own ``status`` (its choices differ) and names the
    three statuses the shared steps set: :attr:`WAITING` after a failed attempt that is tried
    again, :attr:`GIVEN_UP` once the retry policy (``cms.retry``) gives up, :attr:`DELIVERED`.
    The national outbox (``api.OutboxRecord``) and outgoing mail (:class:`OutgoingMail`) derive
    from it; their attempts are :class:`DeliveryAttempt` rows."""

    WAITING: ClassVar[str]
    GIVEN_UP: ClassVar[str]
    DELIVERED: ClassVar[str]

    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    next_attempt_at = models.DateTimeField(_("gửi lại từ"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def after_failure(
        cls, attempts: int, error: str, policy: RetryPolicy, now: datetime.datetime
    ) -> dict:
        """The fields of a delivery whose ``attempts``-th attempt failed with ``error``: the
        count, the error, and the next attempt on ``policy`` (:attr:`WAITING`) — or, once the
        policy gives up, :attr:`GIVEN_UP` (the next attempt left as it was). For a row's
        ``save`` or a queryset's ``update`` alike."""
        fields: dict = {"attempts": attempts, "last_error": error[:2000]}
        retry_at = policy.next_attempt(attempts, now)
        if retry_at is None:
            fields["status"] = cls.GIVEN_UP
        else:
            fields.update(status=cls.WAITING, next_attempt_at=retry_at)
        return fields

    @classmethod
    def after_delivery(cls, now: datetime.datetime) -> dict:
        """The fields of a delivery whose attempt got through at ``now`` (for ``update``)."""
        return {"status": cls.DELIVERED, "sent_at": now, "attempts": F("attempts") + 1}

    def record_failure(self, error: str, policy: RetryPolicy, now: datetime.datetime) -> bool:
        """Count a failed attempt on this row (the caller saves it); True while it is retried."""
        for name, value in self.after_failure(self.attempts + 1, error, policy, now).items():
            setattr(self, name, value)
        return getattr(self, "status", None) != self.GIVEN_UP


class DeliveryAttempt(models.Model):
    """One attempt of a delivery (saleor's ``EventDeliveryAttempt``; issue 46): when it started
    and finished, how it ended, and the error. A national batch (``api.NationalDelivery``), a
    mail handed to the relay (:class:`MailAttempt`) and a pull of a document source
    (``connectors.Run``) derive from it; each adds what its kind gets back."""

    started_at = models.DateTimeField(_("bắt đầu"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    status = models.CharField(
        _("kết quả"), max_length=8, choices=AttemptStatus.choices, default=AttemptStatus.OK
    )
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        abstract = True

    def finish(self, error: str = "", now: datetime.datetime | None = None) -> None:
        """End the attempt (the caller saves it): failed with ``error``, or ok without one."""
        self.status = AttemptStatus.FAILED if error else AttemptStatus.OK
        self.error = error
        self.finished_at = now or timezone.now()


class MailStatus(models.TextChoices):
    PENDING = "pending", _("chờ gửi lại")
    SENT = "sent", _("đã gửi")
    FAILED = "failed", _("không gửi được")


class OutgoingMail(Delivery):
    """An e-mail to send (issue 28, issue 47, reliability review M5 and M1): written in the
    action's own transaction and sent by the worker (``cms.mail``), tried again on the retry
    policy until it gets through or is given up; each attempt is a :class:`MailAttempt`."""

    WAITING = MailStatus.PENDING
    GIVEN_UP = MailStatus.FAILED
    DELIVERED = MailStatus.SENT

    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    from_email = models.CharField(_("người gửi"), max_length=255)
    recipients = models.JSONField(_("người nhận"), default=list)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=MailStatus.choices, default=MailStatus.PENDING
    )

    class Meta:
        verbose_name = _("thư chờ gửi lại")
        verbose_name_plural = _("thư chờ gửi lại")
        ordering = ["next_attempt_at", "id"]

    def __str__(self):
        return self.subject


class MailAttempt(DeliveryAttempt):
    """One attempt to hand an e-mail to the relay (``cms.mail.deliver``), with the relay's
    error when it failed."""

    mail = models.ForeignKey(
        OutgoingMail, verbose_name=_("thư"), on_delete=models.CASCADE, related_name="tries"
    )

    class Meta:
        verbose_name = _("lần gửi thư")
        verbose_name_plural = _("các lần gửi thư")
        ordering = ["started_at", "id"]

    def __str__(self):
        return f"{self.mail} · {timezone.localtime(self.started_at):%d/%m/%Y %H:%M}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không thành công")


#: The statuses of a job still waited on (the sweep requeues one whose task is gone).
LIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class BackgroundJob(models.Model):
    """The one job model (issue 46; the job kit, docs/operations.md "Background work"): every
    table of background work that a task carries out derives from it — scoring runs, import
    jobs, sign-in batches, export jobs (``tests/test_architecture.py`` fails on a job table that
    does not). Its fields: the status (each kind overrides the field with its own choices and
    names its waited-on statuses in :attr:`LIVE_STATUSES`), the task that runs it, how often it
    was tried, when it is tried again and why the last try failed, and when. A kind keeps its
    own label of a field by declaring the field again (the column stays the shared one).

    The listing of every kind for Sở Nội vụ reads these fields (``cms.jobs.KINDS``,
    *Việc chạy nền*)."""

    status = models.CharField(
        _("trạng thái"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    task_id = models.CharField(_("mã tác vụ nền"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần đã thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi lần gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    #: The statuses of a job still waited on (queued or being carried out).
    LIVE_STATUSES: tuple[str, ...] = LIVE_JOB_STATUSES
    #: The statuses of a job that ended in failure.
    FAILED_STATUSES: tuple[str, ...] = (JobStatus.FAILED,)

    class Meta:
        abstract = True

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    @staticmethod
    def error_text(error: BaseException) -> str:
        """What :attr:`last_error` keeps of a failure: its type and message, bounded."""
        return f"{type(error).__name__}: {error}"[:2000]

    def schedule_retry(
        self, error: BaseException, now: datetime.datetime, policy: RetryPolicy
    ) -> datetime.datetime | None:
        """Count a failed attempt (not saved): one more attempt, its error, and when to try
        again by ``policy`` (``cms.retry``, the one retry policy) — ``None`` once it gives up,
        when the caller marks the job failed."""
        self.attempts += 1
        self.last_error = self.error_text(error)
        self.next_attempt_at = policy.next_attempt(self.attempts, now)
        return self.next_attempt_at


class ExportJob(BackgroundJob):
    """A download too long to build inside a request (``cms.exports``): who asked, for what
    (the kind and its parameters, the reach they had), its progress, and the finished file in
    the private storage, which only they download, while they still reach the same rows."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("loại tệp"), max_length=64)
    params = models.JSONField(_("tham số"), default=dict)
    title = models.CharField(_("tên tệp xuất"), max_length=255, blank=True)
    #: A fingerprint of the rows the person reached when asking (``cms.exports.scope_key``).
    scope = models.CharField(_("phạm vi dữ liệu"), max_length=64, blank=True)
    rows_done = models.PositiveIntegerField(_("số dòng đã tạo"), default=0)
    rows_total = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    file = models.FileField(_("tệp"), upload_to="exports/%Y/%m/", max_length=255, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tệp xuất chạy nền")
        verbose_name_plural = pgettext_lazy("plural", "tệp xuất chạy nền")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self):
        return self.title or self.kind
