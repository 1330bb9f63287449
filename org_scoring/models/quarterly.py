"""The chairman's quarterly assessment of departments, communes and their heads (Gia Lai plan
§V.3, §IV.4.1.a; docs/organisation-scoring.md §9).

* ``QuarterWindow``: the Office's entry window of one quarter (default day 5 to day 10 of the
  quarter's last month), whether entries after it are accepted, when reminders go out. A
  quarter without a row uses the defaults (like ``ratings.RatingCalendar``).
* ``QuarterlyRule``: how a quarter's tasks become a score and a level, and how the confirmed
  quarters feed the annual organisation score; the row of the latest ``effective_year`` not
  after the year applies (a data migration stores the default).
* ``ProvinceTask``: a task the province People's Committee assigned to a department or commune,
  as the Office entered it for a quarter, with who entered it, when, and whether late.
* ``QuarterlyAssessment``: one agency's result of a quarter (also its head's), with what it was
  computed from, and the chairman's confirmation.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org_scoring import quarters
from scoring.models import Rating

USER_FK = {
    "to": settings.AUTH_USER_MODEL,
    "null": True,
    "blank": True,
    "on_delete": models.SET_NULL,
    "related_name": "+",
}
QUARTER_CHOICES = [(q, _("Quý %(q)s") % {"q": q}) for q in quarters.QUARTERS]
SHARE = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(0), MaxValueValidator(100)],
}


def quarter_field():
    return models.PositiveSmallIntegerField(_("quý"), choices=QUARTER_CHOICES)


class ProvinceTaskStatus(models.TextChoices):
    """Progress of a province-assigned task as the Office reports it [giả định: Gia Lai §V.3
    says "tiến độ và hiệu quả thực hiện" without a list; these are the usual categories of the
    province's task-tracking software]."""

    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành nhưng quá hạn")
    IN_PROGRESS = "in_progress", _("Đang thực hiện, còn trong hạn")
    OVERDUE = "overdue", _("Quá hạn, chưa hoàn thành")
    NOT_DONE = "not_done", _("Không hoàn thành")


class AnnualUse(models.TextChoices):
    PROVINCE_TASKS = (
        "province_tasks",
        _("Tính vào nhiệm vụ được giao của điểm tổ chức năm (quý đã xác nhận)"),
    )
    NONE = "none", _("Không tính vào điểm tổ chức năm (chỉ theo dõi)")


class QuarterWindow(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = quarter_field()
    opens_on = models.DateField(
        _("ngày mở nhập liệu"), blank=True, help_text=_("Mặc định: ngày 05 tháng cuối quý.")
    )
    closes_on = models.DateField(
        _("ngày hết hạn nhập liệu"), blank=True, help_text=_("Mặc định: ngày 10 tháng cuối quý.")
    )
    late_entry = models.BooleanField(
        _("nhận nhập sau hạn (đánh dấu nhập muộn)"),
        default=True,
        help_text=_(
            "Người có quyền nhập sau hạn vẫn nhập được; mỗi nhiệm vụ nhập hoặc sửa sau hạn "
            "được đánh dấu nhập muộn kèm người nhập và thời điểm."
        ),
    )
    remind_days = models.PositiveSmallIntegerField(
        _("nhắc trước (ngày)"),
        default=quarters.DEFAULT_REMIND_DAYS,
        validators=[MaxValueValidator(30)],
        help_text=_("Gửi thư nhắc Văn phòng UBND tỉnh trước ngày mở và trước ngày hết hạn."),
    )
    note = models.TextField(_("ghi chú, căn cứ"), blank=True)

    class Meta:
        verbose_name = _("thời hạn nhập nhiệm vụ quý")
        verbose_name_plural = pgettext_lazy("plural", "thời hạn nhập nhiệm vụ quý")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="unique_quarter_window")
        ]

    def __str__(self):
        return _("Quý %(q)s/%(y)s") % {"q": self.quarter, "y": self.year}

    def save(self, *args, **kwargs):
        opens, closes = quarters.default_window(self.year, self.quarter)
        self.opens_on = self.opens_on or opens
        self.closes_on = self.closes_on or closes
        super().save(*args, **kwargs)

    @classmethod
    def defaults_for(cls, year: int, quarter: int) -> "QuarterWindow":
        opens, closes = quarters.default_window(year, quarter)
        return cls(year=year, quarter=quarter, opens_on=opens, closes_on=closes)

    def state(self, day: datetime.date) -> str:
        return quarters.window_state(day, self.opens_on, self.closes_on)

    def clean(self):
        errors = {}
        if self.year and self.quarter and self.opens_on and self.closes_on:
            first, _last = quarters.quarter_bounds(self.year, self.quarter)
            if self.opens_on < first:
                errors["opens_on"] = _("Ngày mở nhập liệu không được trước ngày đầu quý.")
            if self.closes_on < self.opens_on:
                errors["closes_on"] = _("Ngày hết hạn nhập liệu không được trước ngày mở.")
        if errors:
            raise ValidationError(errors)


class QuarterlyRule(models.Model):
    effective_year = models.PositiveSmallIntegerField(_("áp dụng từ năm"), unique=True)
    late_credit = models.DecimalField(
        _("tỷ lệ ghi nhận nhiệm vụ hoàn thành quá hạn, %"),
        default=Decimal("50"),
        help_text=_("Nhiệm vụ hoàn thành đúng hạn được 100 %; không hoàn thành, quá hạn: 0 %."),
        **SHARE,
    )
    excellent_min = models.DecimalField(
        _("điểm tối thiểu: hoàn thành xuất sắc"), default=Decimal("90"), **SHARE
    )
    good_min = models.DecimalField(
        _("điểm tối thiểu: hoàn thành tốt"), default=Decimal("70"), **SHARE
    )
    completed_min = models.DecimalField(
        _("điểm tối thiểu: hoàn thành"), default=Decimal("50"), **SHARE
    )
    annual_use = models.CharField(
        _("dùng cho điểm tổ chức năm"),
        max_length=16,
        choices=AnnualUse.choices,
        default=AnnualUse.PROVINCE_TASKS,
    )
    citation = models.TextField(_("căn cứ"), blank=True)

    class Meta:
        verbose_name = _("quy tắc đánh giá quý")
        verbose_name_plural = pgettext_lazy("plural", "quy tắc đánh giá quý")
        ordering = ["-effective_year"]

    def __str__(self):
        return _("Từ năm %(y)s") % {"y": self.effective_year}

    def clean(self):
        if None in (self.excellent_min, self.good_min, self.completed_min):
            return
        if not self.excellent_min > self.good_min > self.completed_min:
            raise ValidationError(
                {
                    "good_min": _(
                        "Điểm tối thiểu phải giảm dần: hoàn thành xuất sắc > hoàn thành tốt > "
                        "hoàn thành."
                    )
                }
            )


class ProvinceTask(models.Model):
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("sở, ngành, UBND xã, phường"),
        on_delete=models.PROTECT,
        related_name="province_tasks",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = quarter_field()
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    document_number = models.CharField(
        _("số, ký hiệu văn bản giao"), max_length=64, help_text=_("Ví dụ: 125/UBND-TH.")
    )
    document_date = models.DateField(_("ngày văn bản"))
    deadline = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(_("tình hình thực hiện"), max_length=16, choices=ProvinceTaskStatus)
    note = models.TextField(_("ghi chú"), blank=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("chuyển tiếp từ nhiệm vụ quý trước"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
    )
    entered_by = models.ForeignKey(verbose_name=_("người nhập"), **USER_FK)
    entered_at = models.DateTimeField(_("thời điểm nhập"), null=True, blank=True)
    entered_late = models.BooleanField(_("nhập sau hạn"), default=False)
    updated_by = models.ForeignKey(verbose_name=_("người sửa lần cuối"), **USER_FK)
    updated_at = models.DateTimeField(_("thời điểm sửa lần cuối"), null=True, blank=True)
    updated_late = models.BooleanField(_("sửa sau hạn"), default=False)

    class Meta:
        verbose_name = _("nhiệm vụ UBND tỉnh giao")
        verbose_name_plural = pgettext_lazy("plural", "nhiệm vụ UBND tỉnh giao")
        ordering = ["year", "quarter", "agency__path", "deadline", "id"]
        indexes = [models.Index(fields=["year", "quarter"])]
        permissions = [
            ("enter_late_provincetask", _("Được nhập, sửa nhiệm vụ quý sau thời hạn nhập liệu"))
        ]

    def __str__(self):
        return f"{self.document_number} — {self.title}"

    @property
    def late(self) -> bool:
        return self.entered_late or self.updated_late

    def clean(self):
        errors = {}
        if self.document_date and self.deadline and self.deadline < self.document_date:
            errors["deadline"] = _("Hạn hoàn thành không được trước ngày văn bản giao.")
        if self.year and self.quarter and self.document_date:
            _first, last = quarters.quarter_bounds(self.year, self.quarter)
            if self.document_date > last:
                errors["document_date"] = _("Văn bản giao nhiệm vụ phải ban hành trước cuối quý.")
        if errors:
            raise ValidationError(errors)


class QuarterlyAssessment(models.Model):
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("sở, ngành, UBND xã, phường"),
        on_delete=models.PROTECT,
        related_name="quarterly_assessments",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = quarter_field()
    head = models.ForeignKey(
        "org.CivilServant",
        verbose_name=_("người đứng đầu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed = models.BooleanField(_("được đánh giá"), default=False)
    tasks_counted = models.PositiveSmallIntegerField(_("số nhiệm vụ được tính"), default=0)
    score = models.DecimalField(_("điểm"), null=True, blank=True, **SHARE)
    level = models.CharField(
        _("mức độ hoàn thành"), max_length=16, choices=Rating.choices, blank=True
    )
    inputs = models.JSONField(_("dữ liệu đầu vào"), default=dict)
    inputs_hash = models.CharField(_("dấu vân tay dữ liệu đầu vào"), max_length=64, blank=True)
    computed_at = models.DateTimeField(_("tính lúc"), null=True, blank=True)
    confirmed_by = models.ForeignKey(verbose_name=_("người xác nhận"), **USER_FK)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    confirm_note = models.TextField(_("ý kiến của Chủ tịch UBND tỉnh"), blank=True)

    class Meta:
        verbose_name = _("kết quả đánh giá quý")
        verbose_name_plural = pgettext_lazy("plural", "kết quả đánh giá quý")
        ordering = ["year", "quarter", "agency__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "quarter"], name="unique_quarterly_assessment"
            )
        ]

    def __str__(self):
        return f"{self.agency} · {self.quarter}/{self.year}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
