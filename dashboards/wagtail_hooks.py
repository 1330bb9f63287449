"""Registers the dashboards' admin URLs, their menu entry (``dashboards.viewsets``) and their
audit-log actions."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from dashboards.admin_views import EXPORT_ACTION, IndexView, NodeView
from dashboards.bloc_report_views import BlocReportView
from dashboards.close_views import PeriodCloseView, PeriodReopenView
from dashboards.closing import CLOSE_ACTION, REOPEN_ACTION
from dashboards.stuck_views import StuckWorkView
from dashboards.upward_views import UpwardReportsView, UpwardReportView
from dashboards.viewsets import (
    bloc_report_page,
    dashboards_page,
    stuck_work_page,
    upward_reports_page,
)


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
        path(
            "ky-danh-gia/<int:pk>/mo-lai/",
            PeriodReopenView.as_view(),
            name="dashboards_period_reopen",
        ),
        path("bao-cao-cap-tren/", UpwardReportsView.as_view(), name="dashboards_upward_reports"),
        path("bao-cao-khoi/", BlocReportView.as_view(), name="dashboards_bloc_report"),
        path("cong-viec-bi-ket/", StuckWorkView.as_view(), name="dashboards_stuck_work"),
        path(
            "bao-cao-cap-tren/<str:kind>/<int:year>/",
            UpwardReportView.as_view(),
            name="dashboards_upward_report",
        ),
    ]


@hooks.register("register_admin_viewset")
def register_dashboards_menu():
    return dashboards_page


@hooks.register("register_admin_viewset")
def register_bloc_report_menu():
    return bloc_report_page


@hooks.register("register_admin_viewset")
def register_upward_reports_menu():
    return upward_reports_page


@hooks.register("register_log_actions")
def register_export_action(actions):
    actions.register_action(
        EXPORT_ACTION, _("Xuất bảng thống kê có thông tin cá nhân"), _("Đã xuất bảng thống kê")
    )
    actions.register_action(CLOSE_ACTION, _("Khóa sổ kỳ đánh giá"), _("Đã khóa sổ kỳ đánh giá"))
    actions.register_action(REOPEN_ACTION, _("Mở lại kỳ đánh giá"), _("Đã mở lại kỳ đánh giá"))


@hooks.register("register_admin_viewset")
def register_stuck_work_menu():
    return stuck_work_page
