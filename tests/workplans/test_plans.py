"""Work plans (issue 45 item 3; Đắk Lắk §III.3 "kế hoạch công tác (tháng, quý, năm)"): a
unit's quarterly plan of five items is drafted by the unit's head, approved by the agency's
head, produces its assignments through the worklog's assignment service (once, however often it
is drawn), and the unit's board shows its fulfilment; nobody else drafts, approves or reads."""

import calendar
import datetime
from decimal import Decimal
from html import unescape

import pytest

from django.urls import reverse
from django.utils import timezone

from org.roles import ensure_roles
from scoring.models import AssignmentLine
from tests.worklog.helpers import build_world
from workplans.models import PlanStatus, WorkPlan, WorkPlanItem
from workplans.services import writes

pytestmark = pytest.mark.django_db


def action(plan, name):
    return reverse("wagtailsnippets_workplans_workplan:action", args=[plan.pk, name])


@pytest.fixture
def world(db):
    ensure_roles()
    return build_world()


@pytest.fixture
def plan(world):
    """The unit's plan for the quarter of today: five items, the last due at its end."""
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    last_month = 3 * quarter
    end = datetime.date(today.year, last_month, calendar.monthrange(today.year, last_month)[1])
    plan = WorkPlan(
        agency=world.unit,
        kind="quarter",
        year=today.year,
        number=quarter,
        title="Kế hoạch công tác quý của Phòng Công chức",
    )
    writes.save(world.users["truong"], plan, action="add")
    owners = ["nhan", "binh", "nhan", "binh", "nhan"]
    for n, owner in enumerate(owners, start=1):
        WorkPlanItem.objects.create(
            plan=plan,
            name=f"Mục {n} của kế hoạch",
            owner=world.people[owner],
            deadline=end,
            product=world.items["X" if n % 2 else "Y"],
            quantity=Decimal(n),
            sort_order=n,
        )
    return plan


def test_a_quarterly_plan_of_five_items_produces_assignments_and_its_fulfilment(
    client, world, plan
):
    # The unit's head submits; the agency's head approves.
    client.force_login(world.users["truong"])
    assert client.get(action(plan, "approve")).status_code in (302, 403)
    client.post(action(plan, "submit"), {})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    client.force_login(world.users["giamdoc"])
    client.post(action(plan, "approve"), {})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == world.users["giamdoc"]

    # The unit's head draws the assignments: one line per item, through the worklog's service.
    client.force_login(world.users["truong"])
    response = client.post(action(plan, "assign"), {}, follow=True)
    assert "Đã giao 5 dòng việc từ kế hoạch." in unescape(response.content.decode())
    lines = AssignmentLine.objects.filter(civil_servant__in=world.people.values())
    assert lines.count() == 5
    for item in plan.items.all():
        (line,) = item.lines.all()
        assert (line.civil_servant, line.item, line.assigned_quantity, line.deadline) == (
            item.owner,
            item.product,
            item.quantity,
            item.deadline,
        )
        assert "Theo kế hoạch: Kế hoạch công tác quý của Phòng Công chức" in line.note
    # Drawing again creates nothing.
    client.post(action(plan, "assign"), {})
    assert lines.count() == 5

    # One item done: the unit's board shows the plan's fulfilment.
    done = plan.items.get(sort_order=1).lines.get()
    AssignmentLine.objects.filter(pk=done.pk).update(completed_quantity=done.assigned_quantity)
    board = client.get(reverse("worklog_board"), {"unit": world.unit.pk})
    html = unescape(board.content.decode())
    assert "Thực hiện kế hoạch công tác" in html
    assert "Hoàn thành 1/5 mục (20%)." in html
    assert html.count('data-state="done"') == 1 and html.count('data-state="ongoing"') == 4


def test_an_approved_plan_is_frozen_and_only_the_agencys_head_approves(client, world, plan):
    client.force_login(world.users["truong"])
    client.post(action(plan, "submit"), {})
    # Neither the other unit's head nor the unit's own head approves.
    for key in ("truong2", "truong"):
        client.force_login(world.users[key])
        client.post(action(plan, "approve"), {})
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SUBMITTED
    # Returned with the reason, the plan is a draft again.
    client.force_login(world.users["giamdoc"])
    response = client.post(action(plan, "return"), {"comment": ""})
    assert "Lý do trả lại: bắt buộc khi trả lại." in unescape(response.content.decode())
    client.post(action(plan, "return"), {"comment": "Thiếu mục báo cáo quý."})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.return_reason == "Thiếu mục báo cáo quý."
    client.force_login(world.users["truong"])
    client.post(action(plan, "submit"), {})
    client.force_login(world.users["giamdoc"])
    client.post(action(plan, "approve"), {})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    edit = reverse("wagtailsnippets_workplans_workplan:edit", args=[plan.pk])
    client.force_login(world.users["truong"])
    assert client.get(edit).status_code in (302, 403)
    # A staff member neither reads the plan nor drafts assignments from it.
    client.force_login(world.users["nhan"])
    inspect = reverse("wagtailsnippets_workplans_workplan:inspect", args=[plan.pk])
    assert client.get(inspect).status_code in (302, 403)
    client.post(action(plan, "assign"), {})
    assert not AssignmentLine.objects.exists()
