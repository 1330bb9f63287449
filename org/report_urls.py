"""Mounted before Wagtail's admin URLs (cms/urls.py), so these paths answer first; Wagtail's
own URL names keep pointing at the same paths."""

from django.urls import path

from org.reports import HomeAffairsSiteHistoryView

urlpatterns = [
    path("site-history/", HomeAffairsSiteHistoryView.as_view(), name="kpi_site_history"),
    path(
        "site-history/results/",
        HomeAffairsSiteHistoryView.as_view(results_only=True),
        name="kpi_site_history_results",
    ),
]
