"""Registers the "Kết nối văn bản" menu (``connectors.viewsets``) and the report page."""

from django.urls import path

from wagtail import hooks

from .admin_views import PlanMatchView, ReconciliationView
from .viewsets import ConnectorsGroup


@hooks.register("register_admin_viewset")
def register_connectors_admin():
    return ConnectorsGroup()


@hooks.register("register_admin_urls")
def register_connectors_urls():
    return [
        path(
            "ket-noi/doi-soat/",
            ReconciliationView.as_view(),
            name="connectors_reconciliation",
        ),
        path(
            "ket-noi/goi-tin/<int:pk>/khop-ke-hoach/",
            PlanMatchView.as_view(),
            name="connectors_plan_match",
        ),
    ]
