"""Registers the "Xếp loại chất lượng" menu (``ratings.viewsets``) and the rating URLs."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from ratings.urls import urlpatterns
from ratings.viewsets import RatingsViewSetGroup

register_snippet(RatingsViewSetGroup)


@hooks.register("register_admin_urls")
def register_ratings_urls():
    return urlpatterns
