"""Registers the "Đánh giá tổ chức" menu (``org_scoring.viewsets``) and its URLs."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from org_scoring.urls import urlpatterns
from org_scoring.viewsets import OrgScoringViewSetGroup

register_snippet(OrgScoringViewSetGroup)


@hooks.register("register_admin_urls")
def register_org_scoring_urls():
    return urlpatterns
