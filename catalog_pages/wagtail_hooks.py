from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from catalog_pages import views


@hooks.register("register_admin_urls")
def register_catalog_urls():
    return [
        path("catalog-versions/", views.VersionListView.as_view(), name="catalog_versions"),
        path(
            "catalog-versions/<int:pk>/",
            views.VersionDetailView.as_view(),
            name="catalog_version_detail",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_catalog_versions_menu_item():
    return MenuItem(
        _("Phiên bản danh mục"),
        reverse("catalog_versions"),
        icon_name="history",
        order=300,
    )


# The cross-agency duplicate review and the province common catalog (Sở Nội vụ only).
from catalog_pages.consolidation import admin as consolidation_admin  # noqa: E402

consolidation_admin.register()
