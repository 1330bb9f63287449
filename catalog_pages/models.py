"""Product catalogs as Wagtail pages (see issue: versioned catalogs per agency)."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class CatalogIndexPage(Page):
    """The province's index of published product catalogs."""

    parent_page_types = ["cms.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("danh mục sản phẩm/công việc toàn tỉnh")
