"""The "Thống kê, giám sát" entry of the admin menu (the dashboards' own pages,
``dashboards.admin_views``)."""

from django.utils.translation import gettext_lazy as _

from cms.admin_views import AdminPage
from dashboards.admin_views import can_use_dashboards

dashboards_page = AdminPage(
    menu_label=_("Thống kê, giám sát"),
    url_name="dashboards_index",
    icon="table",
    menu_order=250,
    add_to_admin_menu=True,
    shown_to=can_use_dashboards,
)
