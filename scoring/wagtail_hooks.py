"""Registers the "Chấm điểm" menu (``scoring.viewsets``) and the explain page URL."""

from django.urls import path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from scoring.views.explain import ExplainView
from scoring.viewsets import ScoringViewSetGroup

register_snippet(ScoringViewSetGroup)


@hooks.register("register_admin_urls")
def register_explain_url():
    return [path("scoring/explain/<int:pk>/", ExplainView.as_view(), name="scoring_explain")]
