"""The province decision that puts the common catalog in force (quyết định ban hành danh mục
dùng chung).

Sở Nội vụ records each decision as a ``CommonCatalogAdoption``: decision number, date, signer
and effective date. It starts as a draft; adopting it freezes the common catalog as it stands
(one ``AdoptedCommonItem`` per agency item mapped to a common product: the common product's
code, coefficient and output unit at that moment) and gives it the next version number of the
common catalog. From its effective date, and never before, the mapped agency items are scored
with the common coefficient (``catalog_pages.common_catalog``). A later adoption supersedes it
from its own effective date. Adopted rows and their items never change: a new decision is a
new adoption (Đắk Lắk plan §III.2.3, Gia Lai §IV.2.2, Lào Cai §II.2.3).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog_pages.models.common import CommonProduct


class AdoptionStatus(models.TextChoices):
    DRAFT = "draft", _("dự thảo")
    ADOPTED = "adopted", _("đã ban hành")


class CommonCatalogAdoptionQuerySet(models.QuerySet):
    def adopted(self):
        return self.filter(status=AdoptionStatus.ADOPTED)

    def in_force(self, day):
        """The adoption that applies on ``day`` (None before the first effective date)."""
        return self.in_force_rows(day).first()

    def in_force_rows(self, day):
        """The adoptions adopted by ``day``, the one in force first (:meth:`in_force`)."""
        return (
            self.adopted().filter(effective_from__lte=day).order_by("-effective_from", "-version")
        )


class CommonCatalogAdoption(models.Model):
    """One province decision adopting (a version of) the common catalog."""

    version = models.PositiveIntegerField(
        _("phiên bản danh mục dùng chung"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Số thứ tự phiên bản, cấp khi ban hành."),
    )
    decision_number = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày ký quyết định"))
    signer = models.CharField(_("người ký"), max_length=200)
    effective_from = models.DateField(
        _("áp dụng từ ngày"),
        help_text=_(
            "Kỳ đánh giá bắt đầu từ ngày này trở đi dùng hệ số và đơn vị tính của danh mục "
            "dùng chung; các kỳ trước giữ hệ số của cơ quan."
        ),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=AdoptionStatus.choices,
        default=AdoptionStatus.DRAFT,
        editable=False,
    )
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("thời điểm ghi nhận"), default=timezone.now)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ban hành trên hệ thống"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    adopted_at = models.DateTimeField(_("thời điểm ban hành"), null=True, blank=True)

    objects = CommonCatalogAdoptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định ban hành danh mục dùng chung")
        verbose_name_plural = pgettext_lazy("plural", "quyết định ban hành danh mục dùng chung")
        ordering = ["-effective_from", "-version", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(version__isnull=False),
                name="unique_common_catalog_version",
            ),
            models.UniqueConstraint(
                fields=["decision_number"], name="unique_common_catalog_decision"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(version__isnull=False),
                name="adopted_common_catalog_has_version",
            ),
        ]

    def __str__(self):
        return f"{self.decision_number} ({self.effective_from:%d/%m/%Y})"

    @property
    def is_adopted(self) -> bool:
        return self.status == AdoptionStatus.ADOPTED


class AdoptedCommonItem(models.Model):
    """One agency item as the adoption puts it in force: the frozen common coefficient and
    output unit of the common product it was mapped to when the decision was adopted."""

    adoption = models.ForeignKey(
        CommonCatalogAdoption,
        verbose_name=_("quyết định ban hành"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    common_product = models.ForeignKey(
        CommonProduct,
        verbose_name=_("sản phẩm dùng chung"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField(_("mã dùng chung"), max_length=32)
    name = models.CharField(_("tên sản phẩm/công việc"), max_length=500)
    output_unit = models.CharField(_("đơn vị tính"), max_length=64)
    coefficient = models.DecimalField(_("hệ số quy đổi"), max_digits=9, decimal_places=4)
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    item_uid = models.UUIDField(_("mã định danh sản phẩm của cơ quan"))
    item_code = models.CharField(_("mã sản phẩm của cơ quan"), max_length=32)

    class Meta:
        verbose_name = _("sản phẩm theo quyết định ban hành")
        verbose_name_plural = pgettext_lazy("plural", "sản phẩm theo quyết định ban hành")
        ordering = ["adoption", "code", "agency_id", "item_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["adoption", "agency", "item_uid"], name="unique_adopted_item"
            ),
            models.CheckConstraint(
                condition=Q(coefficient__gt=0), name="adopted_item_coefficient_positive"
            ),
        ]

    def __str__(self):
        return f"{self.item_code} → {self.code} ({self.adoption.decision_number})"
