"""Registers the Excel importer's admin URLs and its menu entry (``importers.viewsets``)."""

from django.urls import path

from wagtail import hooks

from importers import views
from importers.viewsets import importer_page


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


@hooks.register("register_admin_viewset")
def register_importer_menu():
    return importer_page
