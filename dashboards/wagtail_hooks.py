"""Registers the dashboards' admin URLs, their menu entry (``dashboards.viewsets``) and their
audit-log actions."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.components import Component

from dashboards import bloc_desk, closing
from dashboards.admin_views import EXPORT_ACTION, IndexView, NodeView
from dashboards.bloc_report_views import BlocReportView
from dashboards.close_views import (
    BlocPeriodCloseView,
    BlocPeriodReopenView,
    PeriodCloseView,
    PeriodReopenView,
)
from dashboards.closing import (
    BLOC_CLOSE_ACTION,
    BLOC_REOPEN_ACTION,
    CLOSE_ACTION,
    REOPEN_ACTION,
)
from dashboards.job_views import BackgroundJobRetryView, BackgroundJobsView
from dashboards.mail_views import mail_viewset
from dashboards.stuck_views import StuckWorkView
from dashboards.upward_views import UpwardReportsView, UpwardReportView
from dashboards.viewsets import (
    background_jobs_page,
    bloc_report_page,
    dashboards_page,
    stuck_work_page,
    upward_reports_page,
)
from org.blocs import is_bloc_appraiser


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
        path(
            "ky-danh-gia/<int:pk>/khoa-so/khoi/<int:lead>/",
            BlocPeriodCloseView.as_view(),
            name="dashboards_period_bloc_close",
        ),
        path(
            "ky-danh-gia/<int:pk>/mo-lai/khoi/<int:lead>/",
            BlocPeriodReopenView.as_view(),
            name="dashboards_period_bloc_reopen",
        ),
        path("bao-cao-cap-tren/", UpwardReportsView.as_view(), name="dashboards_upward_reports"),
        path("bao-cao-khoi/", BlocReportView.as_view(), name="dashboards_bloc_report"),
        path("cong-viec-bi-ket/", StuckWorkView.as_view(), name="dashboards_stuck_work"),
        path("viec-chay-nen/", BackgroundJobsView.as_view(), name="dashboards_background_jobs"),
        path(
            "viec-chay-nen/<str:kind>/<int:pk>/thu-lai/",
            BackgroundJobRetryView.as_view(),
            name="dashboards_background_job_retry",
        ),
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
    actions.register_action(
        BLOC_CLOSE_ACTION,
        _("Khóa sổ kỳ đánh giá cho một khối"),
        _("Đã khóa sổ kỳ đánh giá cho một khối"),
    )
    actions.register_action(
        BLOC_REOPEN_ACTION,
        _("Mở lại kỳ đánh giá cho một khối"),
        _("Đã mở lại kỳ đánh giá cho một khối"),
    )


@hooks.register("register_admin_viewset")
def register_stuck_work_menu():
    return stuck_work_page


@hooks.register("register_admin_viewset")
def register_background_jobs_menu():
    return background_jobs_page


@hooks.register("register_admin_viewset")
def register_outgoing_mail():
    return mail_viewset


class BlocDeskPanel(Component):
    """The lead body's tasks for its bloc on its staff's home (issue 44 item 1): the latest
    month's state for the bloc, the re-checks waiting and the inspections, leading to the bloc's
    page (``dashboards.bloc_desk``)."""

    name = "bloc_desk"
    order = 41
    template_name = "dashboards/panels/bloc_desk.html"

    def __init__(self, desks):
        self.desks = desks

    def get_context_data(self, parent_context=None):
        return {"desks": self.desks}


@hooks.register("construct_homepage_panels")
def add_bloc_desk_panel(request, panels):
    """For the appraisers of a bloc's lead body (Sở Nội vụ has its own period page)."""
    if not is_bloc_appraiser(request.user):
        return
    leads = list(closing.closable_leads(request.user))
    desks = [(lead, bloc_desk.build(lead, request.user)) for lead in leads]
    if desks:
        panels.append(BlocDeskPanel(desks))
