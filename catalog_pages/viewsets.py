"""Admin menu entries of the catalogs: the frozen catalog versions (every admin user; each
version page checks its agency) and the "Danh mục dùng chung" menu (Sở Nội vụ only). The
catalogs themselves are Wagtail pages, edited in the page explorer."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.viewsets.base import ViewSetGroup

from catalog_pages.access import can_record_adoption, can_view_common_changes
from catalog_pages.status import has_catalog_task
from cms.admin_views import AdminPage
from org.access import is_home_affairs

catalog_versions_page = AdminPage(
    menu_label=_("Phiên bản danh mục"),
    url_name="catalog_versions",
    icon="history",
    # Before "Giao việc" and "Chấm điểm" (300), as when it was registered ahead of them.
    menu_order=299,
    add_to_admin_menu=True,
)

#: Issue 30 item 9: the agency's catalog as a task (status, "Sửa danh mục", return after
#: submitting), for the catalog editors of an agency and Sở Nội vụ.
agency_catalog_task_page = AdminPage(
    menu_label=_("Danh mục của cơ quan"),
    url_name="catalog_agency_task",
    icon="list-ul",
    menu_order=298,
    add_to_admin_menu=True,
    shown_to=has_catalog_task,
)


class CommonCatalogViewSetGroup(ViewSetGroup):
    menu_label = _("Danh mục dùng chung")
    menu_icon = "copy"
    menu_order = 310
    items = (
        AdminPage(
            menu_label=_("Rà soát trùng lặp"),
            url_name="catalog_consolidation_review",
            icon="copy",
            shown_to=is_home_affairs,
        ),
        AdminPage(
            menu_label=_("Sản phẩm dùng chung"),
            url_name="catalog_common_products",
            icon="list-ul",
            shown_to=is_home_affairs,
        ),
        AdminPage(
            menu_label=_("Quyết định ban hành"),
            url_name="catalog_common_adoptions",
            icon="doc-full",
            shown_to=can_record_adoption,
        ),
        AdminPage(
            menu_label=_("Thay đổi do danh mục dùng chung"),
            url_name="catalog_common_changes",
            icon="history",
            shown_to=can_view_common_changes,
        ),
    )
