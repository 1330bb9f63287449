"""Registers the "Chấm điểm" menu (``scoring.viewsets``), the explain, proposal and framework
editor page URLs
and the proposal steps' log actions."""

from django.urls import path

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from scoring.models import ProposalStatus
from scoring.views.explain import ExplainView
from scoring.views.framework_editor import (
    FrameworkEditorView,
    FrameworkJSONView,
    ProposalEditorView,
)
from scoring.views.proposals import ProposalKeyTasksView, ProposalStepsView
from scoring.viewsets import ScoringViewSetGroup

register_snippet(ScoringViewSetGroup)


@hooks.register("register_admin_urls")
def register_explain_url():
    return [
        path("scoring/explain/<int:pk>/", ExplainView.as_view(), name="scoring_explain"),
        path(
            "scoring/proposals/<int:pk>/",
            ProposalStepsView.as_view(),
            name="scoring_proposal_steps",
        ),
        path(
            "scoring/frameworks/<int:pk>/soan/",
            FrameworkEditorView.as_view(),
            name="scoring_framework_editor",
        ),
        path(
            "scoring/frameworks/<int:pk>/json/",
            FrameworkJSONView.as_view(),
            name="scoring_framework_json",
        ),
        path(
            "scoring/proposals/<int:pk>/soan/",
            ProposalEditorView.as_view(),
            name="scoring_proposal_editor",
        ),
        path(
            "scoring/proposals/<int:pk>/nhiem-vu-trong-tam/",
            ProposalKeyTasksView.as_view(),
            name="scoring_proposal_key_tasks",
        ),
    ]


@hooks.register("register_log_actions")
def register_proposal_log_actions(actions):
    """Each step of a framework proposal in the audit log (its history view)."""
    for status, label in ProposalStatus.choices:
        actions.register_action(f"scoring.proposal.{status}", label, label)
