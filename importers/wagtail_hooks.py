"""Admin URLs and the menu entry of the Excel importer."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from importers import views
from importers.access import can_use_importer


@hooks.register("register_admin_urls")
def register_importer_urls():
    return [
        path("excel/", views.IndexView.as_view(), name="importers_index"),
        path("excel/template/", views.TemplateDownloadView.as_view(), name="importers_template"),
        path("excel/upload/", views.UploadView.as_view(), name="importers_upload"),
        path("excel/jobs/<int:pk>/", views.JobView.as_view(), name="importers_job"),
        path(
            "excel/jobs/<int:pk>/status/",
            views.JobStatusView.as_view(),
            name="importers_job_status",
        ),
        path(
            "excel/jobs/<int:pk>/confirm/",
            views.JobConfirmView.as_view(),
            name="importers_job_confirm",
        ),
        path(
            "excel/jobs/<int:pk>/cancel/",
            views.JobCancelView.as_view(),
            name="importers_job_cancel",
        ),
        path("excel/jobs/<int:pk>/file/", views.JobFileView.as_view(), name="importers_job_file"),
        path("excel/export/form-01/", views.ExportForm01View.as_view(), name="importers_form01"),
        path(
            "excel/export/province/", views.ExportProvinceView.as_view(), name="importers_province"
        ),
        path(
            "excel/export/catalog-version/<int:pk>/",
            views.ExportCatalogVersionView.as_view(),
            name="importers_catalog_version",
        ),
    ]


class ImporterMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_importer(request.user)


@hooks.register("register_admin_menu_item")
def register_importer_menu_item():
    return ImporterMenuItem(
        _("Nhập, xuất Excel"), reverse("importers_index"), icon_name="table", order=400
    )
