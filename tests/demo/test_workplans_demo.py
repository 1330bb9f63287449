"""The demo's work plan (issue 45): after the document feed, the demo civil servant's unit has
its approved quarterly plan of five items, four drawn into assignments and the fifth matched to
the received task "Rà soát thủ tục hành chính quý IV"; the unit's head sees the plan's
fulfilment on the board with the document named; a second run changes nothing."""

from html import unescape

from django.test import Client
from django.urls import reverse

from accounts.models import User
from connectors.models import PlanItemMatch
from demo.connectors_demo import load_demo_edxml
from demo.workplans_demo import MATCHED_SUBJECT
from scoring.models import AssignmentLine
from workplans.models import PlanStatus, WorkPlan


def test_the_demo_unit_has_a_quarterly_plan_with_a_matched_edxml_task(demo, tmp_path, db):
    result = load_demo_edxml(tmp_path)
    plan = result["plan"]
    assert plan.status == PlanStatus.APPROVED and plan.kind == "quarter"
    items = list(plan.items.order_by("sort_order"))
    assert len(items) == 5
    assert all(item.lines.count() == 1 for item in items), [
        (i.name, i.lines.count()) for i in items
    ]
    match = PlanItemMatch.objects.get(item=items[4])
    assert items[4].name == MATCHED_SUBJECT
    assert list(items[4].lines.all()) == [match.package.line]

    head = Client()
    head.force_login(User.objects.get(username="lanhdao.phong"))
    page = unescape(
        head.get(
            reverse("wagtailsnippets_workplans_workplan:inspect", args=[plan.pk])
        ).content.decode()
    )
    assert "Hoàn thành 0/5 mục (0%)." in page
    code = match.package.data["code"]
    assert f"Văn bản nhận được: {code}" in page
    board = unescape(head.get(reverse("worklog_board"), {"unit": plan.agency_id}).content.decode())
    assert "Thực hiện kế hoạch công tác" in board and plan.title in board

    # A second run changes nothing.
    lines = AssignmentLine.objects.count()
    load_demo_edxml(tmp_path)
    assert AssignmentLine.objects.count() == lines
    assert WorkPlan.objects.filter(agency=plan.agency).count() == 1
    assert PlanItemMatch.objects.count() == 1
