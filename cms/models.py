"""The public site: a home page that introduces the system and links to public content."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    intro = RichTextField(_("giới thiệu"), blank=True)
    max_count = 1
    subpage_types = ["catalog_pages.CatalogIndexPage", "dashboards.TransparencyIndexPage"]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("trang chủ")
        verbose_name_plural = pgettext_lazy("plural", "trang chủ")
