"""Product catalogs as Wagtail pages.

The province index (``CatalogIndexPage``) holds one ``AgencyCatalogPage`` per agency. An agency's
editors draft the catalog as page revisions and submit it to the Sở Nội vụ appraisal workflow;
approval publishes the page, and every publish freezes an immutable ``CatalogVersion``.
"""

import uuid

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

MIN_COEFFICIENT = 0.0001


class CatalogIndexPage(Page):
    """The province's index of published product catalogs."""

    intro = RichTextField(_("giới thiệu"), blank=True)

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["catalog_pages.AgencyCatalogPage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("danh mục sản phẩm/công việc toàn tỉnh")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["catalogs"] = (
            AgencyCatalogPage.objects.child_of(self)
            .live()
            .select_related("agency")
            .order_by("agency__path")
        )
        return context


class AgencyCatalogPage(Page):
    """One agency's product/work catalog (Danh mục sản phẩm/công việc)."""

    agency = models.OneToOneField(
        "org.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="catalog_page",
    )
    intro = RichTextField(_("ghi chú"), blank=True)
    effective_from = models.DateField(
        _("áp dụng từ ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày phiên bản này có hiệu lực khi được phê duyệt."),
    )
    approval_ref = models.CharField(
        _("số quyết định phê duyệt"),
        max_length=64,
        blank=True,
        help_text=_("Do Sở Nội vụ nhập khi phê duyệt, ví dụ 123/QĐ-UBND."),
    )

    parent_page_types = ["catalog_pages.CatalogIndexPage"]
    subpage_types = []
    # Its edit form (``base_form_class``) and ``content_panels`` ask the rules above the models
    # (duties, versions, the scored coefficient): ``catalog_pages.edit_handler`` sets them when
    # the app starts. Review 2026-11-23 (C9): a catalog is a document, not a web page to promote
    # or schedule; the slug is set when the page is created (``catalog_pages.setup``).
    promote_panels = []
    settings_panels = []

    class Meta:
        verbose_name = _("danh mục sản phẩm/công việc của cơ quan")

    def get_context(self, request, *args, **kwargs):
        """The version shown and the one in force; the items, grouped by position with their
        scored coefficients, are the template's (``catalog_positions``,
        ``catalog_pages.templatetags.catalog_pages_tags``)."""
        context = super().get_context(request, *args, **kwargs)
        latest = self.versions.order_by("-number").first()
        context["version"] = latest
        # A version approved ahead of its date is not yet the catalog: say which one applies
        # today (review 2026-11-23 C3).
        today = timezone.localdate()
        if latest is not None and latest.effective_from and latest.effective_from > today:
            context["in_force"] = (
                self.versions.filter(effective_from__lte=today).order_by("-number").first()
            )
            context["upcoming"] = True
        return context


class CatalogItem(Orderable, ClusterableModel):
    """An item of the draft/live catalog; frozen into ``CatalogVersionItem`` on each publish.

    A ClusterableModel itself so that its job positions (a ParentalManyToManyField) are kept in
    page revisions and committed on publish.
    """

    page = ParentalKey(AgencyCatalogPage, on_delete=models.CASCADE, related_name="items")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    code = models.CharField(_("mã"), max_length=32)
    name = models.CharField(_("tên sản phẩm/công việc"), max_length=500)
    output_unit = models.CharField(
        _("đơn vị tính"), max_length=64, help_text=_("Ví dụ: văn bản, báo cáo, hồ sơ.")
    )
    job_positions = ParentalManyToManyField(
        "org.JobPosition", verbose_name=_("vị trí việc làm"), blank=True
    )
    #: The duties (nhiệm vụ) of the approved job descriptions in force that this product serves
    #: (Lào Cai §I.2 "KPI phải gắn với … bản mô tả vị trí việc làm"; Đắk Lắk §I.2).
    duties = ParentalManyToManyField(
        "org.JobDescriptionTask",
        verbose_name=_("nhiệm vụ trong bản mô tả công việc"),
        blank=True,
        related_name="catalog_items",
    )
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
    standard_minutes = models.PositiveIntegerField(
        _("thời gian chuẩn (phút)"), null=True, blank=True
    )
    evidence_required = models.CharField(_("minh chứng yêu cầu"), max_length=255, blank=True)
    is_standard = models.BooleanField(_("sản phẩm chuẩn"), default=False)

    # ``panels``: ``catalog_pages.edit_handler`` (with the page's).

    class Meta(Orderable.Meta):
        verbose_name = _("sản phẩm/công việc")

    def __str__(self):
        return f"{self.code} — {self.name}"
