"""The "Nhập, xuất Excel" entry of the admin menu (the importer's own pages,
``importers.views``)."""

from django.utils.translation import gettext_lazy as _

from cms.admin_views import AdminPage
from importers.access import can_use_importer

importer_page = AdminPage(
    menu_label=_("Nhập, xuất Excel"),
    url_name="importers_index",
    icon="table",
    menu_order=400,
    add_to_admin_menu=True,
    shown_to=can_use_importer,
)
