"""Shared bits of the worklog admin views."""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cms.admin_views import TitledAdminMixin
from scoring.models import AssignmentLine
from worklog.access import can_view_line


def today() -> datetime.date:
    """The working date of every view (tests replace it)."""
    return timezone.localdate()


def get_line(request, pk) -> AssignmentLine:
    line = get_object_or_404(
        AssignmentLine.objects.select_related("item", "period", "civil_servant", "unit"), pk=pk
    )
    if not can_view_line(request.user, line, today()):
        raise PermissionDenied
    return line


class WorklogPageMixin(TitledAdminMixin):
    """Admin chrome; the page's own title is the last breadcrumb."""

    header_icon = "tasks"
