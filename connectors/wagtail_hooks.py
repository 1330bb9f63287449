"""Registers the "Kết nối văn bản" menu (``connectors.viewsets``) and the report page."""

from django.urls import path

from wagtail import hooks

from catalog_pages.last_year import Evidence
from catalog_pages.policy import CATALOG_DRAFTING
from org.access import visible

from .admin_views import PlanMatchView, ReconciliationView
from .ingest import MISSING_TASK_TYPE
from .models import Package, PackageKind, PackageState
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


@hooks.register("catalog_last_year_evidence")
def documents_of_the_year(user, agency, year):
    """Last year's received documents of ``agency``'s sources that became no line because their
    document type is not in the catalog (waiting for its mapping): each a piece named by its
    subject (``catalog_pages.last_year``)."""
    from django.utils.translation import gettext as _

    packages = visible(user, Package, extra=CATALOG_DRAFTING).filter(
        source__agency__path__startswith=agency.path,
        kind=PackageKind.DOCUMENT,
        state=PackageState.WAITING,
        missing=MISSING_TASK_TYPE,
        month__year=year,
    )
    return [
        Evidence(
            name=(p.data or {}).get("subject") or p.document_id,
            documents=1,
            label=_("văn bản %(code)s") % {"code": (p.data or {}).get("code") or p.document_id},
        )
        for p in packages.order_by("received_at", "pk")
    ]
