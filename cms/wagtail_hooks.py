"""The user guide in the admin (``cms.guide``): its URLs, and the Help menu's entry in place of
Wagtail's English editor guide and release notes."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem, SubmenuMenuItem

from cms import admin_filters
from cms.export_views import ExportJobFileView, ExportJobRetryView, ExportJobView
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
        # Downloads built in the background (cms.exports, issue 47).
        path("tep-xuat/<int:pk>/", ExportJobView.as_view(), name="cms_export_job"),
        path("tep-xuat/<int:pk>/tep/", ExportJobFileView.as_view(), name="cms_export_job_file"),
        path(
            "tep-xuat/<int:pk>/thu-lai/", ExportJobRetryView.as_view(), name="cms_export_job_retry"
        ),
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


# Wagtail's residue an officer cannot use (review 2026-11-25 L3): the count "N trang được tạo
# trong KPI Công vụ" on the home page and the page-tree reports "Trang lâu chưa cập nhật" and
# "Tình hình sử dụng loại trang" (which names page types by their code,
# ``catalog_pages.agencycatalogpage``). A superuser keeps them to look after the site's pages.
WAGTAIL_PAGE_REPORTS = ("aging-pages", "page-types-usage")


# After Wagtail's own hook has added the item (hooks run by ``order``, then app order).
@hooks.register("construct_homepage_summary_items", order=100)
def no_page_count_for_officers(request, summary_items):
    from wagtail.admin.site_summary import PagesSummaryItem

    if not request.user.is_superuser:
        summary_items[:] = [
            item for item in summary_items if not isinstance(item, PagesSummaryItem)
        ]


@hooks.register("construct_reports_menu")
def no_page_tree_reports_for_officers(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name not in WAGTAIL_PAGE_REPORTS]


@hooks.register("insert_global_admin_css")
def phone_tables_css():
    """Wide tables as cards on a phone (``cms/static/cms/admin.css``, review 2026-11-25 M6)."""
    return format_html('<link rel="stylesheet" href="{}">', static("cms/admin.css"))


@hooks.register("insert_global_admin_js")
def phone_tables_js():
    return format_html('<script src="{}"></script>', static("cms/admin.js"))
