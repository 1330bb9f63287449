"""Admin URLs of organisation scoring (registered through ``register_admin_urls``)."""

from django.urls import path

from org_scoring.views.pages import AgencyYearView, OrganisationIndexView

urlpatterns = [
    path("org-scoring/", OrganisationIndexView.as_view(), name="org_scoring_index"),
    path(
        "org-scoring/<int:agency>/<int:year>/",
        AgencyYearView.as_view(),
        name="org_scoring_agency_year",
    ),
]
