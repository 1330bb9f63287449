"""Registers the "Xếp loại chất lượng" menu (``ratings.viewsets``) and the rating URLs."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from ratings.urls import urlpatterns
from ratings.viewsets import RatingsViewSetGroup

register_snippet(RatingsViewSetGroup)


@hooks.register("register_admin_urls")
def register_ratings_urls():
    return urlpatterns


@hooks.register("construct_homepage_panels")
def add_waiting_cases_panel(request, panels):
    """Every role's home: the rating cases waiting for this user and what blocks them."""
    from ratings.access import can_manage_cases
    from ratings.panels import WaitingCasesPanel

    panel = WaitingCasesPanel(request)
    if panel.waiting or can_manage_cases(request.user) or _is_rater(request.user):
        panels.insert(0, panel)


def _is_rater(user) -> bool:
    """Heads rate (or give opinions): they see the panel even when nothing waits."""
    from org.access import headed_agencies

    return bool(headed_agencies(user))
