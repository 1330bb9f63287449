"""Every upload is an ImportJob: who, when, which file (kept under MEDIA), what it held, what
became of it. Committed jobs form the history of each submission (kind + agency + period): a new
commit marks the previous one ``superseded`` and points to it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.models import BackgroundJob
from importers.changes import Change
from importers.issues import Issue
from scoring.models import Period, parse_period_code


class ImportKind(models.TextChoices):
    PERSONNEL = "personnel", _("Cơ cấu tổ chức, công chức")
    CATALOG = "catalog", _("Danh mục sản phẩm/công việc")
    RESULTS = "results", _("Kết quả thực hiện nhiệm vụ trong kỳ")
    GENERAL_MARKS = "general_marks", _("Điểm tiêu chí chung")
    # Registered by the feedback app (feedback.survey_import).
    SATISFACTION_SURVEY = "satisfaction", _("Phiếu khảo sát hài lòng (hệ thống một cửa)")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    PARSING = "parsing", _("Đang đọc và kiểm tra")
    PREVIEW = "preview", _("Chờ xác nhận")
    INVALID = "invalid", _("Có lỗi, không nhập được")
    UNREADABLE = "unreadable", _("Không đọc được tệp")
    DUPLICATE = "duplicate", _("Trùng tệp đã nhập")
    COMMITTING = "committing", _("Đang ghi dữ liệu")
    COMMITTED = "committed", _("Đã nhập")
    SUPERSEDED = "superseded", _("Đã được thay bằng lần nhập sau")
    CANCELLED = "cancelled", _("Đã huỷ")
    FAILED = "failed", _("Lỗi hệ thống")


# Statuses in which a background task is (or should be) working on the job.
RUNNING_STATUSES = (ImportStatus.QUEUED, ImportStatus.PARSING, ImportStatus.COMMITTING)
# Statuses the person who started a job may cancel (a commit actually writing excepted: the
# cancel view waits for it, importers.recovery.commit_idle).
CANCELLABLE_STATUSES = (
    ImportStatus.PREVIEW,
    ImportStatus.INVALID,
    ImportStatus.QUEUED,
    ImportStatus.PARSING,
    ImportStatus.COMMITTING,
)
FINAL_STATUSES = (
    ImportStatus.INVALID,
    ImportStatus.UNREADABLE,
    ImportStatus.DUPLICATE,
    ImportStatus.COMMITTED,
    ImportStatus.SUPERSEDED,
    ImportStatus.CANCELLED,
    ImportStatus.FAILED,
)


class ImportJob(BackgroundJob):
    """One upload and what became of it (a job of the job kit, ``cms.models.BackgroundJob``:
    the task that reads or writes it, its timestamps and its last error are the shared
    fields)."""

    kind = models.CharField(_("loại mẫu"), max_length=16, choices=ImportKind.choices)
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    period_code = models.CharField(
        _("kỳ"),
        max_length=16,
        blank=True,
        help_text=_("Ví dụ 2026-03, 2026-Q1; trống nếu mẫu không theo kỳ."),
    )
    template_version = models.CharField(_("phiên bản mẫu"), max_length=16, blank=True)

    file = models.FileField(_("tệp"), upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)

    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    progress_message = models.CharField(_("đang làm"), max_length=255, blank=True)

    rows_total = models.PositiveIntegerField(_("số dòng dữ liệu"), default=0)
    rows_new = models.PositiveIntegerField(_("dòng mới"), default=0)
    rows_changed = models.PositiveIntegerField(_("dòng thay đổi"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("dòng không đổi"), default=0)
    rows_error = models.PositiveIntegerField(_("dòng có lỗi"), default=0)
    rows_removed = models.PositiveIntegerField(_("dòng bị xoá"), default=0)
    error_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    warning_count = models.PositiveIntegerField(_("số cảnh báo"), default=0)
    issues = models.JSONField(_("lỗi và cảnh báo"), default=list, blank=True)
    changes = models.JSONField(
        _("dòng thay đổi và dòng bị xoá"),
        default=list,
        blank=True,
        help_text=_("Giá trị cũ → mới của các dòng thay đổi và các dòng sẽ bị xoá (xem trước)."),
    )
    allowed_removals = models.PositiveIntegerField(
        _("số dòng được phép xoá"),
        default=0,
        help_text=_("Số dòng bị xoá mà người xác nhận đã đồng ý riêng khi xác nhận nhập."),
    )
    scope_fingerprint = models.CharField(
        _("dấu dữ liệu đã so sánh"),
        max_length=64,
        blank=True,
        default="",
        help_text=_(
            "Mã băm của các dòng đang lưu mà bản xem trước đã so sánh với tệp; khi xác nhận, "
            "nếu các dòng đó đã đổi thì không ghi và phải xem trước lại."
        ),
    )
    scope_rows = models.JSONField(
        _("dữ liệu đã so sánh"),
        default=dict,
        blank=True,
        help_text=_(
            "Các dòng đang lưu (giá trị hiển thị) mà bản xem trước đã so sánh với tệp, để khi "
            "chúng đổi trước lúc xác nhận thì chỉ ra được dòng nào, trường nào đã đổi."
        ),
    )
    rows_renamed = models.PositiveIntegerField(_("số người đổi họ tên"), default=0)
    blank_clears = models.BooleanField(
        _("ô trống là xoá"),
        default=False,
        help_text=_("Người tải lên chọn: ô để trống xoá giá trị đang lưu (mặc định: không đổi)."),
    )
    values_cleared = models.PositiveIntegerField(_("số giá trị đang lưu bị xoá"), default=0)

    committed_at = models.DateTimeField(_("thời điểm nhập"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("thay cho lần nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("trùng với lần nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lần nhập Excel")
        verbose_name_plural = _("các lần nhập Excel")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "agency", "period_code", "status"]),
            models.Index(fields=["status", "created_at"]),
        ]
        permissions = [("import_excel", _("Có thể nhập dữ liệu từ tệp Excel"))]

    #: A job a task is (or should be) working on; one in preview waits on a person instead.
    LIVE_STATUSES = RUNNING_STATUSES

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()} — {self.original_name}"

    @property
    def period_label(self) -> str:
        """ "Tháng 11/2026" for the code "2026-11" (review 2026-11-23 C8); "" without a period.
        From the code alone (a period's label is its kind, year and number): the listing of 50
        jobs asked the database once a job for it."""
        if not self.period_code:
            return ""
        try:
            kind, year, number = parse_period_code(self.period_code)
        except ValueError:
            return self.period_code
        return Period(kind=kind, year=year, number=number).label

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def can_confirm(self) -> bool:
        return self.status == ImportStatus.PREVIEW

    @property
    def can_cancel(self) -> bool:
        return self.status in CANCELLABLE_STATUSES

    def issue_objects(self) -> list[Issue]:
        return [Issue.from_dict(item) for item in self.issues or []]

    def change_objects(self) -> list:
        return [Change.from_dict(item) for item in self.changes or []]
