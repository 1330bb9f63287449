"""Admin URLs of the common catalog: the cross-agency duplicate review and the province common
catalog (Sở Nội vụ only: the views answer 403 to anyone else; the menu is in
``catalog_pages.viewsets``). Registered by ``catalog_pages/wagtail_hooks.py``."""

from django.urls import path

from catalog_pages.consolidation import adoption_views, views

urlpatterns = [
    path(
        "common-catalog/duplicates/",
        views.DuplicateReviewView.as_view(),
        name="catalog_consolidation_review",
    ),
    path(
        "common-catalog/products/",
        views.CommonProductListView.as_view(),
        name="catalog_common_products",
    ),
    path(
        "common-catalog/products/export/",
        views.CommonProductExportView.as_view(),
        name="catalog_common_products_export",
    ),
]
urlpatterns += [
    path(
        "common-catalog/adoptions/",
        adoption_views.AdoptionListView.as_view(),
        name="catalog_common_adoptions",
    ),
    path(
        "common-catalog/adoptions/<int:pk>/",
        adoption_views.AdoptionDetailView.as_view(),
        name="catalog_common_adoption",
    ),
    path(
        "common-catalog/changes/",
        adoption_views.CommonChangesView.as_view(),
        name="catalog_common_changes",
    ),
]
