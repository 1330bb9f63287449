"""Wagtail's site-history report is Sở Nội vụ's alone.

Wagtail lists there every change to every model the user has any permission on, province-wide
and with the actor's name (an agency admin saw another agency's edits, a civil servant the
lines added for other people). The history of one row stays available on that row's own
history page, which the permission layer checks (``org.admin_scope``).
"""

from django.core.exceptions import PermissionDenied

from wagtail.admin.views.reports.audit_logging import LogEntriesView

from cms.listing_exports import SafeSpreadsheetExportMixin
from org.access import is_home_affairs


class HomeAffairsSiteHistoryView(SafeSpreadsheetExportMixin, LogEntriesView):
    def dispatch(self, request, *args, **kwargs):
        if not is_home_affairs(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
