"""Issue 45 "done when", as the people do it: a unit's quarterly work plan of five items (four
with a person, the fifth the task the document system sends) is submitted by the unit's head,
approved by the agency's director and drawn into assignments by the head; the agency's clerk
matches the received edXML task "Rà soát thủ tục hành chính quý IV" to the fifth item on the
matcher's suggestion; the unit's board shows the plan's fulfilment, and when the document system
reports the task completed the item counts as done."""

import datetime
from decimal import Decimal

import pytest

from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from catalog_pages.models import CatalogVersion
from connectors import samples
from connectors.ingest import receive
from connectors.models import Package
from demo.connectors_demo import FOLDER_SOURCE, load_demo_edxml
from demo.loader import DEMO_PASSWORD
from demo.workplans_demo import MATCHED_SUBJECT
from org.models import CivilServant
from tests.browser.conftest import login
from workplans.models import PlanStatus, WorkPlan, WorkPlanItem
from workplans.services import writes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PLANS = "/admin/snippets/workplans/workplan"


@pytest.fixture
def demo_province():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def logout(page):
    page.context.clear_cookies()


def _press(page, button):
    with page.expect_navigation():
        page.locator("main form button[type=submit]", has_text=button).evaluate("b => b.click()")
    page.wait_for_load_state("networkidle")


def _step_link(page, name):
    """A step of the plan, among the plan page's buttons (the menu has its own "Giao việc")."""
    page.locator("main").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state("networkidle")


def test_quarterly_plan_assignments_matched_edxml_task_and_fulfilment(
    page, demo_province, screenshot, tmp_path
):
    today = timezone.localdate()
    load_demo_edxml(tmp_path / "edxml", today, with_plan=False)
    package = Package.objects.get(data__subject=MATCHED_SUBJECT)
    staff = CivilServant.objects.get(user__username="congchuc")
    unit = staff.primary_posting_on(today).agency
    month = package.month
    quarter = (month.month - 1) // 3 + 1
    # The unit's head drafts the plan (its form is the admin's; its items written with it).
    plan = WorkPlan(
        agency=unit,
        kind="quarter",
        year=month.year,
        number=quarter,
        title=f"Kế hoạch công tác quý {quarter} của {unit.name}",
    )
    writes.save(User.objects.get(username="lanhdao.phong"), plan, action="add")
    product = CatalogVersion.objects.in_force(unit.owning_agency, today).items.order_by(
        "sort_order", "code"
    )[0]
    deadline = max(today, min(plan.end_date, month.replace(day=28)))
    names = [
        "Tham mưu báo cáo kết quả công tác quý",
        "Thẩm định hồ sơ theo phân công",
        "Tổng hợp số liệu phục vụ sơ kết",
        "Rà soát hồ sơ lưu trữ của phòng",
        MATCHED_SUBJECT,
    ]
    for order, name in enumerate(names, start=1):
        WorkPlanItem.objects.create(
            plan=plan,
            name=name,
            owner=staff if order < 5 else None,
            deadline=deadline,
            product=product,
            quantity=Decimal(1),
            sort_order=order,
        )

    # 1. The unit's head submits it.
    login(page, "lanhdao.phong", DEMO_PASSWORD)
    page.goto(f"{page.base_url}{PLANS}/inspect/{plan.pk}/")
    _step_link(page, "Trình phê duyệt")
    _press(page, "Trình phê duyệt")
    assert "Đã trình phê duyệt." in page.content()
    logout(page)

    # 2. The agency's director approves it (Sở Nội vụ approves no other agency's plan).
    login(page, "giamdoc.stp", DEMO_PASSWORD)
    page.goto(f"{page.base_url}{PLANS}/inspect/{plan.pk}/")
    _step_link(page, "Phê duyệt")
    _press(page, "Phê duyệt")
    assert "Đã phê duyệt kế hoạch." in page.content()
    logout(page)

    # 3. The head draws the assignments: four items name a person.
    login(page, "lanhdao.phong", DEMO_PASSWORD)
    page.goto(f"{page.base_url}{PLANS}/inspect/{plan.pk}/")
    _step_link(page, "Giao việc")
    _press(page, "Giao việc")
    assert "Đã giao 4 dòng việc từ kế hoạch." in page.content()
    assert page.locator("[data-fulfilment='summary']").inner_text() == "Hoàn thành 0/5 mục (0%)."
    screenshot("plan-assigned")
    logout(page)

    # 4. The agency's clerk matches the received task to the fifth item, as suggested.
    login(page, "quantri.stp", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/admin/connector_packages/")
    row = page.locator("tr", has_text=MATCHED_SUBJECT)
    row.get_by_role("link", name="Khớp với kế hoạch", exact=True).click()
    page.wait_for_load_state("networkidle")
    suggested = page.locator("tr[data-suggested='1']")
    assert suggested.count() == 1 and MATCHED_SUBJECT in suggested.inner_text()
    assert suggested.locator("input[type=radio]").is_checked()
    screenshot("plan-match-suggested")
    _press(page, "Xác nhận khớp")
    assert (
        f"Đã khớp văn bản với mục “{MATCHED_SUBJECT}”: văn bản được tính vào kết quả thực hiện "
        "kế hoạch." in page.content()
    )
    logout(page)

    # 5. The document system reports the task completed; the unit's board counts the item.
    source = package.source
    assert source.name == FOLDER_SOURCE
    receive(
        source,
        samples.status(
            package.document_id.rpartition("|")[2],
            when=datetime.datetime.combine(today, datetime.time(8)),
        ),
    )
    login(page, "lanhdao.phong", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/admin/worklog/board/?unit={unit.pk}")
    section = page.locator(f".workplan-fulfilment[data-plan='{plan.pk}']")
    assert section.locator("[data-fulfilment='summary']").inner_text() == (
        "Hoàn thành 1/5 mục (20%)."
    )
    done = section.locator("tr[data-state='done']")
    assert done.count() == 1 and MATCHED_SUBJECT in done.inner_text()
    assert "Văn bản nhận được:" in done.inner_text()
    screenshot("plan-board-fulfilment")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
