"""Registers the "Giao việc" menu (``worklog.viewsets``), the worklog URLs and the home panel."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from worklog.panels import DeadlinePanel
from worklog.urls import urlpatterns
from worklog.viewsets import WorklogViewSetGroup

register_snippet(WorklogViewSetGroup)


@hooks.register("register_admin_urls")
def register_worklog_urls():
    return urlpatterns


@hooks.register("construct_homepage_panels")
def add_deadline_panel(request, panels):
    if DeadlinePanel.is_relevant(request):
        panels.insert(0, DeadlinePanel(request))
