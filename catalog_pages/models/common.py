"""The province COMMON catalog (danh mục dùng chung) that Sở Nội vụ consolidates.

Sở Nội vụ reviews the agencies' catalogs for duplicates (rà soát, loại bỏ trùng lặp, chuẩn
hóa) and merges the items that are the same product into one ``CommonProduct``. Each merged
agency item is recorded by a ``CommonProductMapping``, keyed by the agency and the item's
stable ``uid``: the uid survives every new catalog version (it is copied into each
``CatalogVersionItem``), so a mapping made today still holds after the agency republishes, and
it applies to the item in every version, past or future.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog_pages.models.pages import MIN_COEFFICIENT, CatalogItem
from catalog_pages.models.versions import CatalogVersionItem


class CommonProduct(models.Model):
    """One product of the province common catalog."""

    code = models.CharField(_("mã dùng chung"), max_length=32, unique=True)
    name = models.CharField(_("tên sản phẩm/công việc"), max_length=500)
    output_unit = models.CharField(_("đơn vị tính"), max_length=64)
    complexity_group = models.PositiveSmallIntegerField(
        _("nhóm mức độ phức tạp"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        choices=[(n, f"N{n}") for n in range(1, 6)],
    )
    coefficient = models.DecimalField(
        _("hệ số quy đổi"),
        max_digits=9,
        decimal_places=4,
        validators=[MinValueValidator(MIN_COEFFICIENT)],
    )
    is_standard = models.BooleanField(
        _("sản phẩm chuẩn của tỉnh"),
        default=False,
        help_text=_("Đơn vị sản phẩm/công việc chuẩn mà mọi sản phẩm dùng chung quy đổi về."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("sản phẩm dùng chung")
        verbose_name_plural = pgettext_lazy("plural", "sản phẩm dùng chung")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(coefficient__gt=0), name="common_product_coefficient_positive"
            ),
            models.CheckConstraint(
                condition=Q(complexity_group__gte=1, complexity_group__lte=5),
                name="common_product_complexity_group_1_5",
            ),
            models.UniqueConstraint(
                fields=["is_standard"],
                condition=Q(is_standard=True),
                name="single_common_standard_product",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"


class CommonProductMapping(models.Model):
    """An agency catalog item merged into a common product (one per agency item)."""

    common_product = models.ForeignKey(
        CommonProduct,
        verbose_name=_("sản phẩm dùng chung"),
        on_delete=models.PROTECT,
        related_name="mappings",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="common_product_mappings",
    )
    item_uid = models.UUIDField(_("mã định danh sản phẩm của cơ quan"), editable=False)
    item_code = models.CharField(_("mã sản phẩm của cơ quan"), max_length=32)
    item_name = models.CharField(_("tên sản phẩm của cơ quan"), max_length=500)
    item_output_unit = models.CharField(_("đơn vị tính của cơ quan"), max_length=64, blank=True)
    similarity = models.DecimalField(
        _("độ tương đồng"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    mapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gộp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mapped_at = models.DateTimeField(_("thời điểm gộp"), default=timezone.now)

    class Meta:
        verbose_name = _("ánh xạ sản phẩm dùng chung")
        verbose_name_plural = pgettext_lazy("plural", "ánh xạ sản phẩm dùng chung")
        ordering = ["common_product", "agency__path", "item_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "item_uid"], name="unique_common_mapping_per_item"
            )
        ]

    def __str__(self):
        return f"{self.item_code} → {self.common_product.code}"

    @property
    def live_item(self) -> CatalogItem | None:
        """The agency's current catalog item with this uid (None once removed)."""
        return CatalogItem.objects.filter(page__agency_id=self.agency_id, uid=self.item_uid).first()

    def version_items(self):
        """The frozen copies of the item in every published version of the agency's catalog."""
        return CatalogVersionItem.objects.filter(
            version__agency_id=self.agency_id, uid=self.item_uid
        ).select_related("version")
