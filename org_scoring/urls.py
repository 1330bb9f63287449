"""Admin URLs of organisation scoring (registered through ``register_admin_urls``)."""

from django.urls import path

from org_scoring.views.pages import AgencyYearView, OrganisationIndexView
from org_scoring.views.quarterly import ProvinceTaskView, QuarterBoardView, QuarterEntryView

urlpatterns = [
    path("org-scoring/", OrganisationIndexView.as_view(), name="org_scoring_index"),
    path(
        "org-scoring/<int:agency>/<int:year>/",
        AgencyYearView.as_view(),
        name="org_scoring_agency_year",
    ),
    path("org-scoring/quarters/", QuarterBoardView.as_view(), name="org_scoring_quarter_board"),
    path(
        "org-scoring/quarters/entry/",
        QuarterEntryView.as_view(),
        name="org_scoring_quarter_entry",
    ),
    path(
        "org-scoring/quarters/tasks/add/",
        ProvinceTaskView.as_view(),
        name="org_scoring_quarter_task_add",
    ),
    path(
        "org-scoring/quarters/tasks/<int:pk>/",
        ProvinceTaskView.as_view(),
        name="org_scoring_quarter_task_edit",
    ),
]
