"""Admin URLs of the plan's milestones and the inspections (``register_admin_urls``)."""

from django.urls import path

from oversight.views.inspections import InspectionDetailView, InspectionFileView
from oversight.views.milestones import MilestoneBoardExportView, MilestoneBoardView

urlpatterns = [
    path("tien-do/", MilestoneBoardView.as_view(), name="oversight_milestones"),
    path("tien-do.xlsx", MilestoneBoardExportView.as_view(), name="oversight_milestones_xlsx"),
    path("kiem-tra/<int:pk>/", InspectionDetailView.as_view(), name="oversight_inspection"),
    path("kiem-tra/tep/<int:pk>/", InspectionFileView.as_view(), name="oversight_inspection_file"),
]
