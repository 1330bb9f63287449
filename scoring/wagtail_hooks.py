"""Scoring in the Wagtail admin: the "Chấm điểm" menu and the explain page URL."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from scoring.views.explain import ExplainView
from scoring.views.viewsets import (
    AnnualScoreViewSet,
    AssignmentLineViewSet,
    CriteriaFrameworkViewSet,
    DisqualificationViewSet,
    FrameworkAssignmentViewSet,
    PeriodScoreViewSet,
    PeriodViewSet,
    ScoringRunViewSet,
)


class ScoringViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Chấm điểm")
    menu_icon = "list-ol"
    menu_order = 300
    items = (
        PeriodScoreViewSet,
        AnnualScoreViewSet,
        ScoringRunViewSet,
        AssignmentLineViewSet,
        PeriodViewSet,
        DisqualificationViewSet,
        CriteriaFrameworkViewSet,
        FrameworkAssignmentViewSet,
    )


register_snippet(ScoringViewSetGroup)


@hooks.register("register_admin_urls")
def register_explain_url():
    return [path("scoring/explain/<int:pk>/", ExplainView.as_view(), name="scoring_explain")]
