"""Registers the org structure's snippet viewsets (``org.viewsets``) with the admin, and keeps
the province-wide site history for Sở Nội vụ."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from org.access import is_home_affairs
from org.viewsets import OrgViewSetGroup

register_snippet(OrgViewSetGroup)


@hooks.register("construct_reports_menu")
def site_history_for_home_affairs_only(request, menu_items):
    """The province-wide change history is Sở Nội vụ's (org.reports)."""
    if not is_home_affairs(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]
