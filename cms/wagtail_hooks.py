"""The user guide in the admin (``cms.guide``): its URLs, and the Help menu's entry in place of
Wagtail's English editor guide and release notes."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem, SubmenuMenuItem

from cms import admin_filters
from cms.guide import GuidePageView, guide_image

admin_filters.register()  # yes/no filters named "Có"/"Không" in the listings' filter pills

# Wagtail's own Help entries: the English editor guide and "What's new in Wagtail" (its name
# carries the version). The keyboard shortcuts stay.
WAGTAIL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("register_admin_urls")
def register_guide_urls():
    return [
        path("huong-dan/", GuidePageView.as_view(), name="guide_index"),
        path("huong-dan/<str:name>.md", GuidePageView.as_view(), name="guide_page"),
        path("huong-dan/anh/<str:name>", guide_image, name="guide_image"),
    ]


@hooks.register("register_help_menu_item")
def register_guide_menu_item():
    return MenuItem(
        _("Hướng dẫn sử dụng"), reverse("guide_index"), icon_name="help", order=900, name="guide"
    )


@hooks.register("construct_help_menu")
def hide_wagtail_guides(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(WAGTAIL_HELP_ITEMS)]


@hooks.register("construct_main_menu")
def settings_menu_without_wagtail_version(request, menu_items):
    """Wagtail's "Cài đặt" submenu prints "Wagtail v7.4.4" at its foot; the same submenu
    without that footer (a plain ``SubmenuMenuItem`` renders none)."""
    for index, item in enumerate(menu_items):
        if item.name == "settings" and isinstance(item, SubmenuMenuItem):
            menu_items[index] = SubmenuMenuItem(
                item.label,
                item.menu,
                name=item.name,
                icon_name=item.icon_name,
                classname=item.classname,
                order=item.order,
                attrs=item.attrs,
            )
