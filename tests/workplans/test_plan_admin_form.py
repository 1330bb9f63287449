"""A unit's work plan drafted through the admin's own forms, as the unit's head clicks it (issue 45
item 3): "Thêm" with the plan's span and title, then the plan's edit form with five items
inline (an item due after the quarter is refused with the reason, nothing saved), "Trình phê
duyệt", the agency's head "Phê duyệt", and "Giao việc" draws one assignment line per item. What
each person is told and what is stored are asserted, not only the answers' codes."""

import calendar
import datetime
import re
from decimal import Decimal
from html import unescape

import pytest

from django.urls import reverse
from django.utils import timezone

from org.roles import ensure_roles
from scoring.models import AssignmentLine
from tests.browsing import form_data
from tests.worklog.helpers import build_world
from workplans.models import PlanStatus, WorkPlan

pytestmark = pytest.mark.django_db

PLANS = "wagtailsnippets_workplans_workplan"
TITLE = "Kế hoạch công tác quý của Phòng Công chức"
ITEMS = (
    # (name, owner, product code, quantity)
    ("Tham mưu báo cáo kết quả công tác quý", "nhan", "X", "1"),
    ("Thẩm định hồ sơ theo phân công", "binh", "Y", "3"),
    ("Tổng hợp số liệu phục vụ sơ kết", "nhan", "X", "2"),
    ("Rà soát hồ sơ lưu trữ của phòng", "binh", "Y", "1"),
    ("Góp ý dự thảo văn bản của Sở", "nhan", "X", "1,5"),
)


@pytest.fixture
def world(db):
    ensure_roles()
    return build_world()


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def quarter_of(day: datetime.date) -> tuple[int, datetime.date]:
    quarter = (day.month - 1) // 3 + 1
    last = 3 * quarter
    return quarter, datetime.date(day.year, last, calendar.monthrange(day.year, last)[1])


def with_items(data: dict, world, deadline: datetime.date) -> dict:
    """The edit form's body with the five items typed into the inline rows."""
    data = {k: v for k, v in data.items() if not k.startswith("items-")}
    data.update(
        {
            "items-TOTAL_FORMS": str(len(ITEMS)),
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
        }
    )
    for n, (name, owner, code, quantity) in enumerate(ITEMS):
        data.update(
            {
                f"items-{n}-id": "",
                f"items-{n}-ORDER": str(n + 1),
                f"items-{n}-DELETE": "",
                f"items-{n}-name": name,
                f"items-{n}-owner": str(world.people[owner].pk),
                f"items-{n}-deadline": deadline.strftime("%d/%m/%Y"),
                f"items-{n}-quantity": quantity,
                f"items-{n}-product": str(world.items[code].pk),
            }
        )
    return data


def test_the_units_head_drafts_a_plan_in_the_admin_forms_and_its_items_become_assignments(
    client, world
):
    today = timezone.localdate()
    quarter, end = quarter_of(today)

    # 1. "Kế hoạch công tác" › "Thêm": the unit, the quarter and the title.
    client.force_login(world.users["truong"])
    add = reverse(f"{PLANS}:add")
    data = form_data(client.get(add).content.decode())
    data.update(
        {
            "agency": str(world.unit.pk),
            "kind": "quarter",
            "year": str(today.year),
            "number": str(quarter),
            "title": TITLE,
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        }
    )
    created = client.post(add, data, follow=True)
    plan = WorkPlan.objects.get(title=TITLE)
    assert (plan.agency, plan.kind, plan.year, plan.number, plan.status) == (
        world.unit,
        "quarter",
        today.year,
        quarter,
        PlanStatus.DRAFT,
    )
    assert plan.created_by == world.users["truong"]
    assert TITLE in text(created)

    # 2. The plan's edit form: five items inline. One due after the quarter is refused first.
    edit = reverse(f"{PLANS}:edit", args=[plan.pk])
    page = client.get(edit).content.decode()
    # The products offered are those of the agency's catalog in force, by code and name.
    assert f"{world.items['X'].code} — {world.items['X'].name}" in unescape(page)
    late = end + datetime.timedelta(days=1)
    refused = client.post(edit, with_items(form_data(page), world, late))
    shown = text(refused)
    assert (
        f"Thời hạn phải trong kỳ của kế hoạch ({plan.start_date:%d/%m/%Y} – {end:%d/%m/%Y})."
        in shown
    )
    assert not plan.items.exists()
    saved = client.post(edit, with_items(form_data(page), world, end), follow=True)
    assert saved.redirect_chain, text(saved)[:2000]
    items = list(plan.items.order_by("sort_order"))
    assert [
        (i.name, i.owner.user.username, i.product.code, i.quantity, i.deadline) for i in items
    ] == [(name, owner, code, Decimal(q.replace(",", ".")), end) for name, owner, code, q in ITEMS]

    # 3. "Trình phê duyệt" on the plan's page.
    inspect = reverse(f"{PLANS}:inspect", args=[plan.pk])
    submit = reverse(f"{PLANS}:action", args=[plan.pk, "submit"])
    assert submit in client.get(inspect).content.decode()
    assert "Đã trình phê duyệt." in text(client.post(submit, {}, follow=True))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    # The unit's head does not approve his own unit's plan.
    approve = reverse(f"{PLANS}:action", args=[plan.pk, "approve"])
    assert client.get(approve).status_code in (302, 403)

    # 4. The agency's head approves it.
    client.force_login(world.users["giamdoc"])
    assert approve in client.get(inspect).content.decode()
    assert "Đã phê duyệt kế hoạch." in text(client.post(approve, {}, follow=True))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == world.users["giamdoc"]
    # Approved, it is frozen: its edit form is refused to its author.
    client.force_login(world.users["truong"])
    assert client.get(edit).status_code in (302, 403)

    # 5. "Giao việc": one line per item, for its person, product, quantity and deadline.
    assign = reverse(f"{PLANS}:action", args=[plan.pk, "assign"])
    assert "Giao việc theo kế hoạch" in text(client.get(assign))
    assert "Đã giao 5 dòng việc từ kế hoạch." in text(client.post(assign, {}, follow=True))
    for item in items:
        (line,) = item.lines.all()
        assert (line.civil_servant, line.item, line.assigned_quantity, line.deadline) == (
            item.owner,
            item.product,
            item.quantity,
            item.deadline,
        )
        assert line.note == f"Theo kế hoạch: {TITLE} — {item.name}"
    assert AssignmentLine.objects.count() == 5
    # Each person sees the plan's lines among their work, with where they come from.
    client.force_login(world.users["binh"])
    mine = AssignmentLine.objects.filter(civil_servant=world.people["binh"]).order_by("pk")
    assert [line.note for line in mine] == [
        f"Theo kế hoạch: {TITLE} — {ITEMS[1][0]}",
        f"Theo kế hoạch: {TITLE} — {ITEMS[3][0]}",
    ]
    line_page = text(client.get(reverse("worklog_line", args=[mine[0].pk])))
    assert f"Yêu cầu Theo kế hoạch: {TITLE} — {ITEMS[1][0]}" in line_page
