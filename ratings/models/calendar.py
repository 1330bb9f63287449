"""The rating calendar of a year and the agencies on the special (15 January) schedule.

Decree 335 Art. 21 and the Gia Lai plan §III.4.a / §IV.4.1.b: ratings are done before 15
December; agencies whose work does not close at year end finish by 15 January of the next year,
as set by the competent superior. ``ratings.deadlines`` holds the arithmetic; these rows make
the dates and windows editable without code.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ratings.deadlines import (
    DEFAULT_AT_RISK_DAYS,
    DEFAULT_COMPLAINT_DAYS,
    DEFAULT_PERIOD_ANSWER_DAYS,
    DEFAULT_PERIOD_COMPLAINT_DAYS,
    default_deadline,
    default_special_deadline,
)


class RatingCalendar(models.Model):
    year = models.PositiveSmallIntegerField(_("năm đánh giá"), unique=True)
    deadline = models.DateField(
        _("hạn hoàn thành xếp loại"), help_text=_("Mặc định: ngày 15 tháng 12 của năm đánh giá.")
    )
    special_deadline = models.DateField(
        _("hạn đối với cơ quan có tính chất đặc thù"),
        help_text=_("Mặc định: ngày 15 tháng 01 năm sau."),
    )
    at_risk_days = models.PositiveSmallIntegerField(
        _("cảnh báo trước hạn (ngày)"),
        default=DEFAULT_AT_RISK_DAYS,
        validators=[MaxValueValidator(90)],
        help_text=_(
            "Hồ sơ chưa quyết định trong khoảng này trước hạn được coi là có nguy cơ "
            "trễ hạn và được nhắc qua thư điện tử."
        ),
    )
    complaint_days = models.PositiveSmallIntegerField(
        _("thời hạn kiến nghị sau thông báo (ngày)"),
        default=DEFAULT_COMPLAINT_DAYS,
        validators=[MaxValueValidator(90)],
    )
    period_complaint_days = models.PositiveSmallIntegerField(
        _("thời hạn kiến nghị kết quả tháng/quý (ngày)"),
        default=DEFAULT_PERIOD_COMPLAINT_DAYS,
        validators=[MaxValueValidator(90)],
        help_text=_(
            "Số ngày, kể từ khi có kết quả tháng/quý (sau ngày cuối kỳ), công chức được kiến "
            "nghị; cũng là số ngày được đề nghị Sở Nội vụ phúc tra sau khi có trả lời."
        ),
    )
    period_answer_days = models.PositiveSmallIntegerField(
        _("thời hạn trả lời kiến nghị tháng/quý (ngày)"),
        default=DEFAULT_PERIOD_ANSWER_DAYS,
        validators=[MaxValueValidator(90)],
    )
    note = models.TextField(_("ghi chú, căn cứ"), blank=True)

    class Meta:
        verbose_name = _("lịch xếp loại")
        verbose_name_plural = pgettext_lazy("plural", "lịch xếp loại")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)

    def save(self, *args, **kwargs):
        if self.year and self.deadline is None:
            self.deadline = default_deadline(self.year)
        if self.year and self.special_deadline is None:
            self.special_deadline = default_special_deadline(self.year)
        super().save(*args, **kwargs)

    @classmethod
    def defaults_for(cls, year: int) -> "RatingCalendar":
        """An unsaved calendar with the decree's dates (used when no row exists)."""
        return cls(
            year=year,
            deadline=default_deadline(year),
            special_deadline=default_special_deadline(year),
        )

    def clean(self):
        errors = {}
        if self.year and self.deadline and self.deadline.year != self.year:
            errors["deadline"] = _("Hạn hoàn thành phải nằm trong năm đánh giá.")
        if self.deadline and self.special_deadline and self.special_deadline < self.deadline:
            errors["special_deadline"] = _("Hạn của cơ quan đặc thù không được sớm hơn hạn chung.")
        if errors:
            raise ValidationError(errors)


class AgencySchedule(models.Model):
    """Rating schedule of one agency (and, unless overridden lower down, its units)."""

    agency = models.OneToOneField(
        "org.Agency",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.CASCADE,
        related_name="rating_schedule",
    )
    special = models.BooleanField(
        _("có tính chất đặc thù (xếp loại trước 15/01 năm sau)"),
        default=True,
        help_text=_("Áp dụng cho cả các đơn vị trực thuộc, trừ đơn vị có thiết lập riêng."),
    )
    decision_ref = models.CharField(_("văn bản của cấp có thẩm quyền"), max_length=64, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch xếp loại riêng của cơ quan")
        verbose_name_plural = pgettext_lazy("plural", "lịch xếp loại riêng của cơ quan")
        ordering = ["agency__path"]

    def __str__(self):
        return str(self.agency)
