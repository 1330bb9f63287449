"""Wagtail's own reports whose exports carry typed text (page titles, people's names), with
exports that keep it text (``cms.spreadsheets.SafeSpreadsheetExportMixin``).

Mounted before Wagtail's admin URLs (``cms/urls.py``) at Wagtail's own paths, with the same
decorators Wagtail gives its admin URLs; Wagtail's URL names keep pointing at these paths.
The site history has its own replacement (``org.report_urls``).
"""

from django.urls import path
from django.views.decorators.cache import never_cache

from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.utils.urlpatterns import decorate_urlpatterns

from cms.listing_exports import SafeSpreadsheetExportMixin


class SafeLockedPagesView(SafeSpreadsheetExportMixin, LockedPagesView):
    pass


class SafeWorkflowView(SafeSpreadsheetExportMixin, WorkflowView):
    pass


class SafeWorkflowTasksView(SafeSpreadsheetExportMixin, WorkflowTasksView):
    pass


class SafeAgingPagesView(SafeSpreadsheetExportMixin, AgingPagesView):
    def add_last_publisher_name_to_page(self, username_mapping, page):
        super().add_last_publisher_name_to_page(username_mapping, page)
        if not page.last_published_by_user:
            page.last_published_by_user = "—"  # Wagtail would print the empty user: "None"


REPORTS = [
    ("locked/", SafeLockedPagesView),
    ("workflow/", SafeWorkflowView),
    ("workflow_tasks/", SafeWorkflowTasksView),
    ("aging-pages/", SafeAgingPagesView),
]

urlpatterns = [
    pattern
    for prefix, view in REPORTS
    for pattern in (
        path(prefix, view.as_view()),
        path(f"{prefix}results/", view.as_view(results_only=True)),
    )
]
urlpatterns = decorate_urlpatterns(urlpatterns, require_admin_access)
urlpatterns = decorate_urlpatterns(urlpatterns, never_cache)
