"""Tracking state of one assignment line: progress, the claimed and confirmed completion,
and the leader's reviews.

The line itself (``scoring.AssignmentLine``) stays the one record scoring reads: quantities,
deadline, ``completed_on`` and the ``failed_reviews``/``delays`` counters. ``WorkItem`` only adds
what the daily workflow needs; ``ReviewEvent`` keeps each review round, at most one per round,
which is what makes a double-submitted review a no-op.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WorkStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Đã giao")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    SUBMITTED = "submitted", _("Chờ nghiệm thu")
    RETURNED = "returned", _("Trả lại để làm lại")
    ACCEPTED = "accepted", _("Đã nghiệm thu")


#: Statuses in which the civil servant still has work to do (deadline warnings apply).
OPEN_STATUSES = (WorkStatus.ASSIGNED, WorkStatus.IN_PROGRESS, WorkStatus.RETURNED)


class ReviewOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Đạt, nghiệm thu")
    RETURNED = "returned", _("Chưa đạt, trả lại để làm lại")


class WorkItem(models.Model):
    line = models.OneToOneField(
        "scoring.AssignmentLine",
        verbose_name=_("dòng giao việc"),
        on_delete=models.CASCADE,
        related_name="work",
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=WorkStatus.choices, default=WorkStatus.ASSIGNED
    )
    progress = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    progress_note = models.TextField(_("ghi chú tiến độ"), blank=True)
    progress_at = models.DateTimeField(_("thời điểm cập nhật tiến độ"), null=True, blank=True)
    round = models.PositiveIntegerField(
        _("số lần báo cáo hoàn thành"),
        default=0,
        help_text=_("Tăng mỗi lần công chức báo cáo hoàn thành; mỗi lần được đánh giá một lần."),
    )
    claimed_quantity = models.DecimalField(
        _("số lượng báo cáo hoàn thành"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    claimed_completed_on = models.DateField(
        _("ngày hoàn thành thực tế (công chức kê khai)"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("thời điểm báo cáo hoàn thành"), null=True, blank=True)
    confirmed_completed_on = models.DateField(
        _("ngày hoàn thành được xác nhận"), null=True, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    delay_deduction = models.OneToOneField(
        "scoring.Deduction",
        verbose_name=_("lần chậm tiến độ đã ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    batch = models.UUIDField(_("đợt giao việc"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("theo dõi thực hiện")
        verbose_name_plural = pgettext_lazy("plural", "theo dõi thực hiện")
        ordering = ["line"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="work_progress_max"),
        ]

    def __str__(self):
        return f"{self.line_id} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReviewEvent(models.Model):
    work = models.ForeignKey(
        WorkItem,
        verbose_name=_("theo dõi thực hiện"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    round = models.PositiveIntegerField(_("lần báo cáo"))
    outcome = models.CharField(_("kết quả"), max_length=10, choices=ReviewOutcome.choices)
    comment = models.TextField(_("nhận xét"), blank=True)
    deduction = models.OneToOneField(
        "scoring.Deduction",
        verbose_name=_("lần bị trừ điểm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("thời điểm đánh giá"), auto_now_add=True)

    class Meta:
        verbose_name = _("lần đánh giá sản phẩm")
        verbose_name_plural = pgettext_lazy("plural", "lần đánh giá sản phẩm")
        ordering = ["work", "round"]
        constraints = [
            models.UniqueConstraint(fields=["work", "round"], name="one_review_per_round"),
        ]

    def __str__(self):
        return f"{self.work_id} #{self.round} · {self.get_outcome_display()}"
