"""Admin URLs, the menu entry and the audit-log action of the dashboards."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from dashboards.admin_views import EXPORT_ACTION, IndexView, NodeView, can_use_dashboards
from dashboards.close_views import PeriodCloseView
from dashboards.closing import CLOSE_ACTION


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [
        path("thong-ke/", IndexView.as_view(), name="dashboards_index"),
        path("thong-ke/<int:pk>/", NodeView.as_view(), name="dashboards_node"),
        path(
            "ky-danh-gia/<int:pk>/khoa-so/",
            PeriodCloseView.as_view(),
            name="dashboards_period_close",
        ),
    ]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_dashboards(request.user)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(
        _("Thống kê, giám sát"), reverse("dashboards_index"), icon_name="table", order=250
    )


@hooks.register("register_log_actions")
def register_export_action(actions):
    actions.register_action(
        EXPORT_ACTION, _("Xuất bảng thống kê có thông tin cá nhân"), _("Đã xuất bảng thống kê")
    )
    actions.register_action(CLOSE_ACTION, _("Khóa sổ kỳ đánh giá"), _("Đã khóa sổ kỳ đánh giá"))
