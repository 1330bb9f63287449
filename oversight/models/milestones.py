"""The plan's dated obligations as data (issue 19 item 2): milestones and how each agency stands.

A ``Milestone`` is one dated obligation of the province's plan for one year — "the agencies send
their product catalog to Sở Nội vụ before 05/3/2026" (GL §V.1.a) — with the kinds of agency it
binds and how many days before the date their responsible users are reminded. Where the software
holds the real records (a catalog submitted to the appraisal workflow and approved into a
version; a criteria framework assigned to the agency) an agency's dates are derived from them
(``oversight.services.providers``); a ``MilestoneRecord`` holds what Sở Nội vụ records by hand:
the dates of a kind the software has no records of (job descriptions, reports), or a correction
(the date of the official dispatch when a catalog came on paper). docs/calendar.md lists every
dated obligation of the five plans.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.models import AgencyKind


class MilestoneKind(models.TextChoices):
    CATALOG = "catalog", _("Danh mục sản phẩm/công việc")
    CRITERIA_FRAMEWORK = "criteria_framework", _("Khung tiêu chí đánh giá")
    JOB_DESCRIPTION = "job_description", _("Bản mô tả công việc, khung năng lực")
    OTHER = "other", _("Khác (báo cáo, kế hoạch…)")


#: Who a milestone binds unless said otherwise: the sở, ban, ngành and the UBND xã, phường
#: (every plan addresses them: GL §V.1, ĐL §IV.4, P2 §III.4, LC §III.4).
DEFAULT_AGENCY_KINDS = [AgencyKind.DEPARTMENT.value, AgencyKind.COMMUNE.value]
#: Reminders this many days before the date [giả định — tỉnh cần xác nhận].
DEFAULT_REMINDER_DAYS = 7
MAX_REMINDER_DAYS = 90


def default_agency_kinds():
    return list(DEFAULT_AGENCY_KINDS)


class Milestone(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"))
    code = models.SlugField(
        _("mã"), max_length=64, help_text=_("Mã ngắn, duy nhất trong năm, ví dụ danh-muc-nop.")
    )
    name = models.CharField(_("tên mốc"), max_length=255)
    kind = models.CharField(
        _("loại"), max_length=32, choices=MilestoneKind.choices, default=MilestoneKind.OTHER
    )
    due_date = models.DateField(_("hạn hoàn thành"))
    opens_on = models.DateField(
        _("tính từ ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Hồ sơ nộp từ ngày này mới được tính cho mốc. Để trống: từ ngày 01/01 của năm."
        ),
    )
    agency_kinds = models.JSONField(
        _("áp dụng cho loại cơ quan"),
        default=default_agency_kinds,
        help_text=_(
            "Các loại cơ quan phải thực hiện (mặc định: sở, ban, ngành và UBND xã, phường)."
        ),
    )
    responsible = models.CharField(
        _("cơ quan thực hiện"),
        max_length=255,
        blank=True,
        help_text=_("Như ghi trong kế hoạch, ví dụ: Các sở, ban, ngành; UBND các xã, phường."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("nhắc trước (ngày)"),
        default=DEFAULT_REMINDER_DAYS,
        validators=[MaxValueValidator(MAX_REMINDER_DAYS)],
        help_text=_(
            "Gửi thư nhắc cho người phụ trách của cơ quan chưa nộp trước hạn bấy nhiêu ngày."
        ),
    )
    source = models.CharField(
        _("căn cứ"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Kế hoạch của UBND tỉnh, mục V.1.a."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("mốc thời gian")
        verbose_name_plural = pgettext_lazy("plural", "mốc thời gian")
        ordering = ["-year", "due_date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="unique_milestone_per_year")
        ]

    def __str__(self):
        return f"{self.name} ({self.due_date:%d/%m/%Y})"

    @property
    def starts(self) -> datetime.date:
        return self.opens_on or datetime.date(self.year, 1, 1)

    def applies_to(self, agency) -> bool:
        return agency.kind in (self.agency_kinds or [])

    def clean(self):
        errors: dict[str, str | Promise] = {}
        kinds = self.agency_kinds
        valid = set(AgencyKind.values)
        if not isinstance(kinds, list) or not kinds or not set(kinds) <= valid:
            errors["agency_kinds"] = _(
                "Áp dụng cho loại cơ quan: chọn ít nhất một loại trong %(kinds)s."
            ) % {"kinds": ", ".join(sorted(valid))}
        if self.opens_on and self.due_date and self.opens_on > self.due_date:
            errors["opens_on"] = _("Tính từ ngày: phải trước hạn hoàn thành.")
        if errors:
            raise ValidationError(errors)


class MilestoneRecord(models.Model):
    """What Sở Nội vụ records by hand for one agency and one milestone; a date given here wins
    over the one derived from the software's records (``oversight.services.milestones``)."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("mốc thời gian"), on_delete=models.CASCADE, related_name="records"
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="milestone_records",
    )
    submitted_on = models.DateField(_("ngày nộp"), null=True, blank=True)
    submission_ref = models.CharField(_("văn bản gửi"), max_length=64, blank=True)
    appraised_on = models.DateField(_("ngày thẩm định"), null=True, blank=True)
    appraised_by = models.CharField(_("người, bộ phận thẩm định"), max_length=255, blank=True)
    approved_on = models.DateField(_("ngày phê duyệt"), null=True, blank=True)
    decision_ref = models.CharField(_("số quyết định phê duyệt"), max_length=64, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ghi nhận tiến độ của cơ quan")
        verbose_name_plural = pgettext_lazy("plural", "ghi nhận tiến độ của cơ quan")
        ordering = ["milestone", "agency__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "agency"], name="unique_milestone_record_per_agency"
            )
        ]

    def __str__(self):
        return f"{self.milestone.name} — {self.agency}"

    def clean(self):
        errors = {}
        if self.appraised_on and self.submitted_on and self.appraised_on < self.submitted_on:
            errors["appraised_on"] = _("Ngày thẩm định: không được trước ngày nộp.")
        if self.approved_on and self.submitted_on and self.approved_on < self.submitted_on:
            errors["approved_on"] = _("Ngày phê duyệt: không được trước ngày nộp.")
        if self.milestone_id and self.agency_id and not self.milestone.applies_to(self.agency):
            errors["agency"] = _("Cơ quan: mốc này không áp dụng cho loại cơ quan này.")
        if errors:
            raise ValidationError(errors)


class MilestoneReminder(models.Model):
    """One reminder sent (the daily job sends each at most once a day)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("org.Agency", on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "agency", "sent_on"], name="unique_milestone_reminder_day"
            )
        ]

    def __str__(self):
        return f"{self.milestone_id}/{self.agency_id} {self.sent_on:%d/%m/%Y}"
