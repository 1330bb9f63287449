"""Background scoring runs: who or what asked for scores to be recomputed, and how it went.

Every change of a score input (an import confirmed, a line reviewed, marks saved, a posting
changed, a period closed) asks for the people concerned to be rescored
(``scoring.services.rescoring``); the run is queued, picked up by the task worker and leaves its
counts here, so the admin shows when scores were last computed and what is still waiting.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import BackgroundJob


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("đang chờ")
    RUNNING = "running", _("đang tính")
    DONE = "done", _("đã tính xong")
    SKIPPED = "skipped", _("bỏ qua")
    FAILED = "failed", _("lỗi")


class ScoringRun(BackgroundJob):
    """One background scoring run (a job of the job kit, ``cms.models.BackgroundJob``: its
    status, task, attempts, next attempt and last error are the shared fields, under the
    labels the scoring screens have always used)."""

    period = models.ForeignKey(
        "scoring.Period",
        verbose_name=_("kỳ đánh giá"),
        on_delete=models.CASCADE,
        related_name="scoring_runs",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scoring_runs",
        help_text=_("Cơ quan, đơn vị được tính lại (cả các đơn vị trực thuộc)."),
    )
    people = models.JSONField(
        _("công chức được tính lại"),
        default=list,
        blank=True,
        help_text=_("Để trống khi tính lại cả cơ quan, đơn vị."),
    )
    leaders_above = models.JSONField(
        _("lãnh đạo cấp trên được tính lại cùng lượt"),
        default=list,
        blank=True,
        help_text=_(
            "Người đứng đầu các cơ quan, đơn vị cấp trên và cấp phó được phân công phụ trách "
            "những người được tính lại: tiêu chí d và kết quả nhiệm vụ của họ phụ thuộc vào "
            "những người này."
        ),
    )
    reason = models.CharField(_("lý do"), max_length=255)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu tính"), null=True, blank=True)
    finished_at = models.DateTimeField(_("tính xong lúc"), null=True, blank=True)
    people_count = models.PositiveIntegerField(_("số người"), default=0)
    written = models.PositiveIntegerField(_("số kết quả thay đổi"), default=0)
    with_errors = models.PositiveIntegerField(_("số người thiếu dữ liệu"), default=0)
    message = models.TextField(_("ghi chú"), blank=True)
    final = models.BooleanField(
        _("tính điểm cuối kỳ"),
        default=False,
        help_text=_(
            "Lượt tính khi khóa sổ: tính cả kỳ đã khóa (bắt buộc), và được xếp hàng lại như "
            "mọi lượt tính khác nếu máy xử lý nền dừng giữa chừng."
        ),
    )
    leaders = models.BooleanField(
        _("lượt của lãnh đạo cấp trên"),
        default=False,
        help_text=_(
            "Lượt tính lại lãnh đạo cấp trên được các lượt khác chuyển sang khi còn lượt đang "
            "chờ: lãnh đạo phụ trách nhiều người (như Chủ tịch tỉnh) được tính một lần sau cả "
            "đợt, không phải sau từng lượt."
        ),
    )
    attempts = models.PositiveSmallIntegerField(
        _("số lần thử lỗi"),
        default=0,
        help_text=_(
            "Lượt tính lỗi được tự thử lại sau một khoảng chờ tăng dần, tối đa một số lần; "
            "sau đó hiện là lỗi cho đến khi được tính lại thành công."
        ),
    )
    last_error = models.TextField(_("lỗi lần thử gần nhất"), blank=True)
    task_id = models.CharField(
        _("mã việc nền"),
        max_length=64,
        blank=True,
        help_text=_("Việc nền đang mang lượt tính này; trống khi chưa xếp hàng được."),
    )

    LIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)

    class Meta:
        verbose_name = _("lượt tính điểm")
        verbose_name_plural = _("lượt tính điểm tự động")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "period"])]

    def __str__(self):
        return f"{self.period} · {self.reason}"


class StaleKind(models.TextChoices):
    ANNUAL = "annual", _("điểm năm của công chức")
    ORGANISATION = "organisation", _("điểm của cơ quan, tổ chức")


class StaleFigure(models.Model):
    """A stored derived figure whose inputs changed after it was stored: one person's annual
    score of a year, or one agency's organisation score of a year (``subject_id`` empty: every
    one of that year). Written in the same transaction as the change that makes the figure
    stale (a period score stored, a disqualification, an organisation task…), deleted by the
    job that recomputes it (``scoring.services.freshness``) — only the rows that job saw before
    it read the inputs, so a change committed while it runs keeps its row and is taken next
    time. While a row exists the figure is shown "đang tính lại" and a decision or an export
    that would use it waits."""

    kind = models.CharField(_("số liệu"), max_length=16, choices=StaleKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    subject_id = models.IntegerField(
        _("công chức hoặc cơ quan"),
        null=True,
        blank=True,
        help_text=_("Để trống: mọi số liệu của năm."),
    )
    since = models.DateTimeField(_("dữ liệu đầu vào thay đổi lúc"), default=timezone.now)
    reason = models.CharField(_("lý do"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("số liệu chờ tính lại")
        verbose_name_plural = _("số liệu chờ tính lại")
        ordering = ["since", "id"]
        indexes = [models.Index(fields=["kind", "year", "subject_id"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} · {self.subject_id or '*'}"
