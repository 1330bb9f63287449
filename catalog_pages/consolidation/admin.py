"""Wagtail admin wiring of the common catalog. ``catalog_pages/wagtail_hooks.py`` calls::

    from catalog_pages.consolidation import admin as consolidation_admin

    consolidation_admin.register()

which adds the URLs and a "Danh mục dùng chung" menu (visible to Sở Nội vụ only; the views
themselves answer 403 to anyone else).
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from catalog_pages.consolidation import views
from org.access import is_home_affairs

_registered = False


class HomeAffairsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_home_affairs(request.user)


def admin_urls():
    return [
        path(
            "common-catalog/duplicates/",
            views.DuplicateReviewView.as_view(),
            name="catalog_consolidation_review",
        ),
        path(
            "common-catalog/products/",
            views.CommonProductListView.as_view(),
            name="catalog_common_products",
        ),
        path(
            "common-catalog/products/export/",
            views.CommonProductExportView.as_view(),
            name="catalog_common_products_export",
        ),
    ]


def menu_item():
    return SubmenuMenuItem(
        _("Danh mục dùng chung"),
        Menu(
            items=[
                HomeAffairsMenuItem(
                    _("Rà soát trùng lặp"),
                    reverse("catalog_consolidation_review"),
                    icon_name="copy",
                    order=100,
                ),
                HomeAffairsMenuItem(
                    _("Sản phẩm dùng chung"),
                    reverse("catalog_common_products"),
                    icon_name="list-ul",
                    order=200,
                ),
            ]
        ),
        icon_name="copy",
        order=310,
    )


def register():
    """Register the URLs and the menu with Wagtail (idempotent)."""
    global _registered
    if _registered:
        return
    hooks.register("register_admin_urls", admin_urls)
    hooks.register("register_admin_menu_item", menu_item)
    _registered = True
