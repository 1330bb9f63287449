"""Wagtail's bulk-action URL, answered for the project's models by the scoped dispatcher
(``org.admin_scope.bulk_action``); mounted by ``cms/urls.py`` before Wagtail's admin."""

from django.urls import path

from org.admin_scope import bulk_action

urlpatterns = [
    path("<str:app_label>/<str:model_name>/<str:action>/", bulk_action, name="kpi_bulk_action"),
]
