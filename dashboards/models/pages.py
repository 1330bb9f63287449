"""The public transparency pages (Wagtail pages with editable texts; the figures are computed).

/cong-khai/                      TransparencyIndexPage — province overview (?ky=2026-01)
/cong-khai/csv/, /cong-khai/json/  the same aggregates as files
/cong-khai/co-quan/              AgencyResultsPage — list of agencies
/cong-khai/co-quan/<code>/       one agency (csv/ and json/ below it)
/cong-khai/phuong-phap/          MethodPage — framework, catalogs in force, data cut-off
"""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from dashboards import public_views


class TransparencyIndexPage(RoutablePageMixin, Page):
    intro = RichTextField(_("giới thiệu"), blank=True)
    privacy_note = RichTextField(
        _("ghi chú về bảo vệ dữ liệu cá nhân"),
        blank=True,
        help_text=_("Để trống để dùng ghi chú mặc định về việc ẩn số liệu nhỏ."),
    )

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["dashboards.AgencyResultsPage", "dashboards.MethodPage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("privacy_note")]

    class Meta:
        verbose_name = _("trang công khai kết quả đánh giá")

    @path("")
    def overview(self, request):
        return public_views.overview(self, request)

    @path("csv/")
    def overview_csv(self, request):
        return public_views.overview_download(self, request, "csv")

    @path("json/")
    def overview_json(self, request):
        return public_views.overview_download(self, request, "json")

    def agency_page(self):
        return AgencyResultsPage.objects.child_of(self).live().first()

    def method_page(self):
        return MethodPage.objects.child_of(self).live().first()


class AgencyResultsPage(RoutablePageMixin, Page):
    intro = RichTextField(_("giới thiệu"), blank=True)

    parent_page_types = ["dashboards.TransparencyIndexPage"]
    subpage_types: list[str] = []
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("trang kết quả theo cơ quan")

    @path("")
    def agency_list(self, request):
        return public_views.agency_list(self, request)

    @path("<slug:code>/")
    def agency_detail(self, request, code):
        return public_views.agency_detail(self, request, code)

    @path("<slug:code>/csv/")
    def agency_csv(self, request, code):
        return public_views.agency_download(self, request, code, "csv")

    @path("<slug:code>/json/")
    def agency_json(self, request, code):
        return public_views.agency_download(self, request, code, "json")

    def agency_url(self, code: str) -> str:
        return self.url + self.reverse_subpage("agency_detail", args=[code.lower()]).lstrip("/")


class MethodPage(Page):
    intro = RichTextField(_("giới thiệu"), blank=True)

    parent_page_types = ["dashboards.TransparencyIndexPage"]
    subpage_types: list[str] = []
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("trang phương pháp và nguồn số liệu")

    def serve(self, request, *args, **kwargs):
        return public_views.method(self, request)
