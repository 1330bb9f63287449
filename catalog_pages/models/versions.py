"""Immutable catalog versions: what scoring and assignments point to.

A version is written once, when a catalog page is published, and never changed or deleted:
publishing version N+1 (removing or changing items) cannot alter anything computed on version N.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImmutableError(Exception):
    """Raised on any attempt to change a frozen catalog version."""


class FrozenModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ImmutableError(f"{type(self).__name__} {self.pk} is frozen and cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(f"{type(self).__name__} {self.pk} is frozen and cannot be deleted.")


class CatalogVersionQuerySet(models.QuerySet):
    def in_force(self, agency, day):
        """The version of ``agency``'s catalog that applies on ``day`` (None before the first)."""
        return (
            self.filter(agency=agency, effective_from__lte=day)
            .order_by("-effective_from", "-number")
            .first()
        )


class CatalogVersion(FrozenModel):
    page = models.ForeignKey(
        "catalog_pages.AgencyCatalogPage",
        verbose_name=_("trang danh mục"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="catalog_versions",
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    effective_from = models.DateField(_("áp dụng từ ngày"))
    approval_ref = models.CharField(_("số quyết định phê duyệt"), max_length=64, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("thời điểm phê duyệt"))
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CatalogVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản danh mục")
        verbose_name_plural = pgettext_lazy("plural", "phiên bản danh mục")
        ordering = ["agency", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="unique_catalog_version")
        ]

    def __str__(self):
        return f"{self.agency} — v{self.number} ({self.effective_from:%d/%m/%Y})"

    @property
    def previous(self):
        return (
            CatalogVersion.objects.filter(agency=self.agency, number__lt=self.number)
            .order_by("-number")
            .first()
        )


class CatalogVersionItem(FrozenModel):
    version = models.ForeignKey(
        CatalogVersion, on_delete=models.PROTECT, related_name="items", verbose_name=_("phiên bản")
    )
    uid = models.UUIDField(editable=False)
    code = models.CharField(_("mã"), max_length=32)
    name = models.CharField(_("tên sản phẩm/công việc"), max_length=500)
    output_unit = models.CharField(_("đơn vị tính"), max_length=64)
    complexity_group = models.PositiveSmallIntegerField(_("nhóm mức độ phức tạp"))
    coefficient = models.DecimalField(_("hệ số quy đổi"), max_digits=9, decimal_places=4)
    standard_minutes = models.PositiveIntegerField(_("thời gian chuẩn (phút)"), null=True)
    evidence_required = models.CharField(_("minh chứng yêu cầu"), max_length=255, blank=True)
    is_standard = models.BooleanField(_("sản phẩm chuẩn"), default=False)
    sort_order = models.PositiveIntegerField(default=0)
    job_positions = models.ManyToManyField(
        "org.JobPosition", verbose_name=_("vị trí việc làm"), blank=True, related_name="+"
    )
    #: The duties of the job descriptions the product served when the version was approved
    #: (frozen with it: a later description version never changes what a score was traced to).
    duties = models.ManyToManyField(
        "org.JobDescriptionTask",
        verbose_name=_("nhiệm vụ trong bản mô tả công việc"),
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("sản phẩm/công việc của phiên bản")
        verbose_name_plural = pgettext_lazy("plural", "sản phẩm/công việc của phiên bản")
        ordering = ["version", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_version_item_code")
        ]

    def __str__(self):
        return f"{self.code} — {self.name} (v{self.version.number})"
