from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    name = "importers"
    verbose_name = _("Nhập, xuất Excel")

    def ready(self):
        from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
        from org.roles import EXTRA_ROLE_PERMISSIONS

        # Agency admins import their agency's results and marks; Sở Nội vụ everything.
        for group in (HOME_AFFAIRS_GROUP, AGENCY_ADMIN_GROUP):
            wanted = EXTRA_ROLE_PERMISSIONS.setdefault(group, [])
            for permission in (("importers", "import_excel"), ("importers", "view_importjob")):
                if permission not in wanted:
                    wanted.append(permission)
