"""Public holidays and other calendar exceptions, editable by Sở Nội vụ (a Wagtail snippet).

Working days are Monday–Friday minus the active days off listed here, plus the active
make-up working days (a Saturday or Sunday worked in exchange for a bridged day off).
The 2026 rows are seeded by a data migration; the province confirms or corrects them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày nghỉ lễ, Tết")
    DAY_OFF = "day_off", _("Ngày nghỉ bù, nghỉ hoán đổi")
    WORKING = "working", _("Ngày làm việc bù (thứ Bảy, Chủ nhật đi làm)")


class Holiday(models.Model):
    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên"), max_length=150)
    kind = models.CharField(
        _("loại ngày"), max_length=10, choices=DayKind.choices, default=DayKind.HOLIDAY
    )
    is_active = models.BooleanField(
        _("đang áp dụng"),
        default=True,
        help_text=_("Bỏ chọn để giữ lại dòng này nhưng không tính khi đếm ngày làm việc."),
    )
    source = models.CharField(
        _("căn cứ"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Bộ luật Lao động 2019, Điều 112; thông báo nghỉ Tết của Bộ Nội vụ."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ lễ, ngày làm bù")
        verbose_name_plural = pgettext_lazy("plural", "ngày nghỉ lễ, ngày làm bù")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.name}"

    @property
    def is_day_off(self) -> bool:
        return self.kind != DayKind.WORKING
