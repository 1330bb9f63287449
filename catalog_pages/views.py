"""Admin views: the list of catalog versions and one version with its diff to the previous."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from catalog_pages.access import can_view_catalog, viewable_agencies
from catalog_pages.common_catalog import changes_for_agency
from catalog_pages.models import CatalogVersion
from catalog_pages.presentation import group_items
from catalog_pages.versioning import diff_versions
from cms.admin_views import TitledAdminMixin


class TitledAdminView(TitledAdminMixin, TemplateView):
    pass


class VersionListView(TitledAdminView):
    template_name = "catalog_pages/admin/version_list.html"
    page_title = _("Phiên bản danh mục sản phẩm/công việc")
    header_icon = "history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["versions"] = (
            CatalogVersion.objects.filter(agency__in=viewable_agencies(self.request.user))
            .select_related("agency", "approved_by", "page")
            .order_by("agency__path", "-number")
        )
        return context


class VersionDetailView(TitledAdminView):
    template_name = "catalog_pages/admin/version_detail.html"
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        self.version = get_object_or_404(
            CatalogVersion.objects.select_related("agency", "approved_by"), pk=kwargs["pk"]
        )
        if not can_view_catalog(request.user, self.version.agency):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("%(agency)s — phiên bản %(number)d") % {
            "agency": self.version.agency.name,
            "number": self.version.number,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        previous = self.version.previous
        items = self.version.items.prefetch_related("job_positions")
        context.update(
            version=self.version,
            previous=previous,
            diff=diff_versions(previous, self.version),
            groups=group_items(items, day=self.version.effective_from),
            common_changes=changes_for_agency(self.version.agency),
        )
        return context
