"""The read log of personal data, and the history of the org structure's score inputs.

``PersonalDataRead`` is append-only: one row per read or export by a person, written by
:func:`audit.record_read`. The historical tables of every tracked model (``Historical…``) are
created by django-simple-history in this app (``audit.history.track``); the org models are
registered here, the other apps register theirs in their own ``models`` module.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.history import track
from org.models import (
    AgencyAccess,
    CivilServant,
    Competency,
    CompetencyLevel,
    DeputyCharge,
    JobDescription,
    JobDescriptionCompetency,
    JobDescriptionRequirement,
    JobDescriptionTask,
    Posting,
)


class ReadKind(models.TextChoices):
    LISTING_EXPORT = "listing_export", _("Xuất danh sách (CSV, Excel)")
    INSPECT = "inspect", _("Xem chi tiết một bản ghi")
    FORM01 = "form01", _("In, xuất Mẫu 01")
    FORM02 = "form02", _("In, xuất Mẫu 02")
    EXPLAIN = "explain", _("Xem diễn giải kết quả chấm điểm")
    DASHBOARD = "dashboard", _("Xem, xuất bảng thống kê có tên công chức")
    PROVINCE_SUMMARY = "province_summary", _("Xuất tổng hợp toàn tỉnh")
    NATIONAL_EXPORT = "national_export", _("Lấy lô dữ liệu gửi Cơ sở dữ liệu quốc gia")
    API_READ = "api_read", _("Đọc qua API (người đăng nhập)")
    FILE_DOWNLOAD = "file_download", _("Tải tệp")


class ReadFormat(models.TextChoices):
    HTML = "html", _("Trang web")
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")
    JSON = "json", _("JSON")
    FILE = "file", _("Tệp gốc")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete a row of the read log."""


def _append_only():
    return AppendOnlyError(gettext("Nhật ký truy cập dữ liệu cá nhân chỉ được ghi thêm."))


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise _append_only()

    def delete(self):
        raise _append_only()

    def bulk_update(self, objs, fields, batch_size=None):
        raise _append_only()


class PersonalDataRead(models.Model):
    """One read or export of personal data by a person (append-only).

    ``object_ids`` and ``subject_ids`` are stored as ``,1,2,3,`` so that "every read of this
    person" is one portable ``LIKE '%,45,%'`` on SQLite and PostgreSQL alike; the counts are
    always complete, the id lists up to :data:`audit.reads.MAX_IDS`.
    """

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đọc"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    kind = models.CharField(_("cách đọc"), max_length=32, choices=ReadKind.choices)
    format = models.CharField(_("định dạng"), max_length=8, choices=ReadFormat.choices)
    model = models.CharField(_("mã loại dữ liệu"), max_length=100, blank=True)
    label = models.CharField(_("dữ liệu"), max_length=255, blank=True)
    object_ids = models.TextField(_("mã các bản ghi"), blank=True)
    row_count = models.PositiveIntegerField(_("số dòng"), default=0)
    subject_ids = models.TextField(_("mã các công chức"), blank=True)
    subject_count = models.PositiveIntegerField(_("số công chức"), default=0)
    query = models.TextField(_("bộ lọc, truy vấn"), blank=True)
    method = models.CharField(_("phương thức"), max_length=8, blank=True)
    path = models.CharField(_("địa chỉ"), max_length=1000, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị của dữ liệu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "at"]),
            models.Index(fields=["agency", "at"]),
            models.Index(fields=["kind", "at"]),
        ]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.username or '—'} · {self.get_kind_display()} · {self.label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise _append_only()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _append_only()

    @staticmethod
    def id_list(text: str) -> list[int]:
        return [int(part) for part in text.split(",") if part]


# The org structure's score inputs. A person's postings decide who evaluates and rates them and
# whose criterion d counts them; the sign-in link (``CivilServant.user``) decides who acts as
# them in the rating workflow; deputy charges decide criterion d of a deputy; agency grants
# decide who may change all of these.
track(CivilServant, excluded_fields=["name_folded"])
track(Posting)
track(DeputyCharge, m2m_fields=["units", "people"])
track(AgencyAccess)
# Job descriptions and the competency dictionary: who wrote, submitted and approved each
# version, and with which decision (the reason of each step, org.job_descriptions).
track(Competency)
track(CompetencyLevel)
track(JobDescription)
track(JobDescriptionTask)
track(JobDescriptionRequirement)
track(JobDescriptionCompetency)
