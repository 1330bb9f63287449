"""Admin URLs of the worklog (registered through ``register_admin_urls``)."""

from django.urls import path

from worklog.views.assign import AssignView
from worklog.views.board import BoardView
from worklog.views.coordination import CoordinationListView, CoordinationRateView
from worklog.views.files import EvidenceFileView
from worklog.views.history import HistoryView
from worklog.views.line import LineActionView, LineView
from worklog.views.mine import MyWorkView

urlpatterns = [
    path("worklog/", MyWorkView.as_view(), name="worklog_mine"),
    path("worklog/assign/", AssignView.as_view(), name="worklog_assign"),
    path("worklog/board/", BoardView.as_view(), name="worklog_board"),
    path("worklog/lines/<int:pk>/", LineView.as_view(), name="worklog_line"),
    path(
        "worklog/lines/<int:pk>/<slug:action>/",
        LineActionView.as_view(),
        name="worklog_line_action",
    ),
    path("worklog/phoi-hop/", CoordinationListView.as_view(), name="worklog_coordination"),
    path(
        "worklog/phoi-hop/<int:pk>/",
        CoordinationRateView.as_view(),
        name="worklog_coordination_rate",
    ),
    path("worklog/people/<int:pk>/", HistoryView.as_view(), name="worklog_history"),
    path(
        "worklog/evidence/<int:pk>/file/", EvidenceFileView.as_view(), name="worklog_evidence_file"
    ),
]
