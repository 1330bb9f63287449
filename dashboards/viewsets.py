"""The "Thống kê, giám sát" entry of the admin menu (the dashboards' own pages,
``dashboards.admin_views``) and the "Báo cáo cấp trên" entry (``dashboards.upward_views``)."""

from django.utils.translation import gettext_lazy as _

from cms.admin_views import AdminPage
from dashboards.admin_views import can_use_dashboards
from dashboards.bloc_report import can_read_bloc_reports
from dashboards.stuck_views import can_see_stuck_work
from dashboards.upward_views import can_use_upward_reports

dashboards_page = AdminPage(
    menu_label=_("Thống kê, giám sát"),
    url_name="dashboards_index",
    icon="table",
    menu_order=250,
    add_to_admin_menu=True,
    shown_to=can_use_dashboards,
)

upward_reports_page = AdminPage(
    "upward-reports",
    menu_label=_("Báo cáo cấp trên"),
    url_name="dashboards_upward_reports",
    icon="doc-full",
    menu_order=251,
    add_to_admin_menu=True,
    shown_to=can_use_upward_reports,
)

# The appraisers of a bloc's lead body (and Sở Nội vụ): their bloc's report to the Party
# standing committee (Nghệ An §V.1–V.4).
bloc_report_page = AdminPage(
    "bloc-report",
    menu_label=_("Báo cáo khối gửi Ban Thường vụ"),
    url_name="dashboards_bloc_report",
    icon="doc-full",
    menu_order=252,
    add_to_admin_menu=True,
    shown_to=can_read_bloc_reports,
)

stuck_work_page = AdminPage(
    "stuck-work",
    menu_label=_("Công việc bị kẹt, số liệu cũ"),
    url_name="dashboards_stuck_work",
    icon="warning",
    menu_order=252,
    add_to_admin_menu=True,
    shown_to=can_see_stuck_work,
)

# Issue 46: the latest jobs of every kind (``dashboards.job_views``), next to the stuck work.
background_jobs_page = AdminPage(
    "background-jobs",
    menu_label=_("Việc chạy nền"),
    url_name="dashboards_background_jobs",
    icon="cogs",
    menu_order=253,
    add_to_admin_menu=True,
    shown_to=can_see_stuck_work,
)
