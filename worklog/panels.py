"""The admin home panel: my work and my team's work that is due soon or overdue."""

from django.urls import reverse

from wagtail.admin.ui.components import Component

from cms.ids import AnyId
from org.access import civil_servant_of
from scoring.models import AssignmentLine
from worklog.access import evaluated_person_ids
from worklog.models import WorkStatus
from worklog.services.tracking import open_period_ids
from worklog.services.warnings import first_team_warnings, my_warnings
from worklog.views.common import today

#: The team's warned lines the dashboard lists (the most urgent first).
TEAM_ROWS = 20


class DeadlinePanel(Component):
    name = "worklog_deadlines"
    order = 50
    template_name = "worklog/panels/deadlines.html"

    def __init__(self, request):
        self.request = request
        # Whom the user evaluates today, read while the home view gathers its panels: before
        # the page's menu is drawn, whose "is a leader" test then answers from it
        # (``worklog.access.is_leader``) instead of asking the rules a second time.
        self.day = today()
        self.team_ids = evaluated_person_ids(request.user, self.day)

    def get_context_data(self, parent_context=None):
        user = self.request.user
        day = self.day
        person = civil_servant_of(user)
        team_ids = self.team_ids
        periods = open_period_ids()  # read once for the three parts of the panel
        waiting = (
            AssignmentLine.objects.filter(
                AnyId("civil_servant_id", team_ids),
                work__status=WorkStatus.SUBMITTED,
                period__in=periods,
            ).count()
            if team_ids
            else 0
        )
        return {
            "mine": my_warnings(person, day, periods) if person else [],
            # The most urgent of the team's warned lines; the board has the rest (a unit at a
            # month-end has thousands of them).
            "team": first_team_warnings(user, day, TEAM_ROWS, periods),
            "waiting": waiting,
            "is_leader": bool(team_ids),
            "board_url": reverse("worklog_board"),
            "waiting_url": reverse("worklog_board") + "?cho=nghiem-thu#board-lines",
            "mine_url": reverse("worklog_mine"),
        }

    @classmethod
    def is_relevant(cls, request) -> bool:
        return civil_servant_of(request.user) is not None
