"""Job positions (vị trí việc làm) per Decree 361/2025/NĐ-CP; product catalogs hang off them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.search import index

from org.text import normalize_text


class PositionGroup(models.TextChoices):
    LEADERSHIP = "leadership", _("Lãnh đạo, quản lý")
    PROFESSIONAL = "professional", _("Chuyên môn, nghiệp vụ")
    SUPPORT = "support", _("Hỗ trợ, phục vụ")


class PositionLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class JobPosition(index.Indexed, models.Model):
    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên vị trí việc làm"), max_length=255)
    group = models.CharField(
        _("nhóm vị trí việc làm"), max_length=16, choices=PositionGroup.choices
    )
    level = models.CharField(_("cấp"), max_length=16, choices=PositionLevel.choices)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("code"),
        index.FilterField("group"),
        index.FilterField("level"),
    ]

    class Meta:
        verbose_name = _("vị trí việc làm")
        verbose_name_plural = pgettext_lazy("plural", "vị trí việc làm")
        ordering = ["group", "code"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        self.code = normalize_text(self.code).upper()
        super().save(*args, **kwargs)

    def description_in_force(self, day):
        """The province's common approved job description in force on ``day`` (None: none
        approved by then); an agency's own is ``org.job_descriptions.in_force``."""
        return self.descriptions.in_force_on(day).filter(agency__isnull=True).first()
