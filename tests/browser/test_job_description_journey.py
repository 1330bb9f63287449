"""Issue 45 item 1, as the people do it: Sở Tư pháp's admin builds the agency's own job
description of a position from the province's common one and adds a duty; Sở Nội vụ appraises
and approves it; the admin ties the catalog's products to the duties (the editor flags the duty
no product serves); Sở Nội vụ approves the catalog; a month is scored, and the civil servant's
explanation names the duty each product serves."""

import datetime
from decimal import Decimal

import pytest

from django.core.management import call_command
from django.utils import timezone

from catalog_pages.models import AgencyCatalogPage, CatalogVersion
from demo.loader import DEMO_PASSWORD
from org.job_descriptions import in_force
from org.models import CivilServant, DescriptionStatus, JobDescription
from scoring.models import Period, PeriodKind, PeriodScore
from scoring.services import score_person
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
NEW_DUTY = "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của Sở"
SNIPPETS = "/admin/snippets/org/jobdescription"


@pytest.fixture
def demo_province():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def logout(page):
    page.context.clear_cookies()


def _step(page, pk, action, button, fields=None):
    page.goto(f"{page.base_url}{SNIPPETS}/action/{pk}/{action}/")
    for name, value in (fields or {}).items():
        page.fill(f"[name='{name}']", value)
    # The date picker left open by a typed date would take the click: press the button itself.
    with page.expect_navigation():
        page.locator("main form button[type=submit]", has_text=button).evaluate("b => b.click()")
    page.wait_for_load_state("networkidle")


def test_agency_description_to_duties_to_explanation(page, demo_province, screenshot):
    person = CivilServant.objects.get(user__username="congchuc")
    posting = person.primary_posting_on(timezone.localdate())
    position, agency = posting.job_position, posting.agency.owning_agency
    assert agency.code == "STP"
    common = in_force(position, timezone.localdate())
    assert common is not None and common.agency_id is None

    # 1. The agency's admin starts its own description from the common one and adds a duty.
    login(page, "quantri.stp", DEMO_PASSWORD)
    page.goto(f"{page.base_url}{SNIPPETS}/inspect/{common.pk}/")
    page.get_by_role("link", name="Xây dựng bản riêng của cơ quan").click()
    page.locator("main form button[type=submit]", has_text="Xây dựng bản riêng").click()
    page.wait_for_url("**/jobdescription/edit/**")
    draft = JobDescription.objects.get(job_position=position, agency=agency)
    assert draft.status == DescriptionStatus.DRAFT
    copied = draft.tasks.count()
    assert copied == common.tasks.count() > 0
    page.click("#id_tasks-ADD")
    page.fill(f"[name='tasks-{copied}-name']", NEW_DUTY)
    screenshot("job-description-draft")
    with page.expect_navigation():
        page.locator("button.action-save").first.click()
    page.wait_for_load_state("networkidle")
    screenshot("job-description-saved")
    assert JobDescription.objects.get(pk=draft.pk).tasks.filter(name=NEW_DUTY).exists(), (
        page.locator("main").inner_text()[:2000]
    )
    _step(page, draft.pk, "submit", "Trình thẩm định")
    draft.refresh_from_db()
    assert draft.status == DescriptionStatus.SUBMITTED
    # The agency does not appraise its own description.
    page.goto(f"{page.base_url}{SNIPPETS}/action/{draft.pk}/appraise/")
    assert "Thẩm định đạt" not in page.locator("main").inner_text()
    logout(page)

    # 2. Sở Nội vụ appraises and approves it, with the decision.
    login(page, "sonoivu", DEMO_PASSWORD)
    page.goto(f"{page.base_url}{SNIPPETS}/inspect/{draft.pk}/")
    assert "Sở Tư pháp" in page.locator("main").inner_text()
    _step(page, draft.pk, "appraise", "Thẩm định đạt", {"comment": "Nhiệm vụ đúng chức năng."})
    _step(
        page,
        draft.pk,
        "approve",
        "Phê duyệt",
        {
            "decision_number": "45/QĐ-SNV",
            "decision_date": "20/02/2026",
            "signer": "Giám đốc Sở Nội vụ",
            "effective_from": "01/03/2026",
        },
    )
    draft.refresh_from_db()
    assert draft.status == DescriptionStatus.APPROVED
    assert in_force(position, datetime.date(2026, 3, 1), agency) == draft
    screenshot("job-description-approved")
    logout(page)

    # 3. The admin ties the products naming the position to the duties; the editor flags the
    #    duty no product serves.
    catalog = AgencyCatalogPage.objects.get(agency=agency)
    items = list(catalog.get_latest_revision_as_object().items.all())
    index = next(i for i, item in enumerate(items) if position in item.job_positions.all())
    tasks = list(draft.tasks.order_by("sort_order", "pk"))
    login(page, "quantri.stp", DEMO_PASSWORD)
    edit_url = f"{page.base_url}/admin/pages/{catalog.pk}/edit/"
    page.goto(edit_url)
    uncovered = page.locator("#duty-coverage [data-coverage='uncovered']").inner_text()
    assert "nhiệm vụ chưa có sản phẩm nào" in uncovered
    assert all(f"{position.name}: {task.name}" in uncovered for task in tasks)
    for task in tasks:
        if task.name != NEW_DUTY:
            page.check(f"input[name='items-{index}-duties'][value='{task.pk}']")
    page.fill("input[name='effective_from']", "01/03/2026")
    page.locator("button.action-save").first.click()
    page.wait_for_load_state("networkidle")
    page.goto(edit_url)
    coverage = page.locator("#duty-coverage")
    flagged = coverage.locator("[data-coverage='uncovered']").inner_text()
    assert f"{position.name}: {NEW_DUTY}" in flagged
    assert not any(f"{position.name}: {t.name}" in flagged for t in tasks if t.name != NEW_DUTY)
    assert "sản phẩm chưa gắn với nhiệm vụ nào" in coverage.inner_text()
    screenshot("catalog-duty-coverage")
    page.get_by_role("button", name="Thao tác khác").click()
    page.click("button[name='action-submit']")
    page.wait_for_load_state("networkidle")
    logout(page)

    # 4. Sở Nội vụ approves the catalog: the duties are frozen with version 2.
    login(page, "sonoivu", DEMO_PASSWORD)
    page.goto(edit_url)
    page.fill("input[name='approval_ref']", "245/QĐ-UBND")
    page.get_by_role("button", name="Phê duyệt và xuất bản", exact=True).click()
    page.wait_for_url("**/catalog-versions/*/?da-phe-duyet=1")
    version = CatalogVersion.objects.filter(agency=agency).order_by("-number").first()
    product = version.items.get(uid=items[index].uid)
    assert {d.name for d in product.duties.all()} == {t.name for t in tasks} - {NEW_DUTY}
    logout(page)

    # 5. A month is scored: the unit's head assigns the product for March, the month is scored.
    from worklog.services.assign import Assignment, assign

    leader = CivilServant.objects.get(user__username="lanhdao.phong").user
    assign(
        leader,
        Assignment(
            people=[person],
            item=product,
            quantity=Decimal("2"),
            deadline=datetime.date(2026, 3, 31),
        ),
        timezone.localdate(),
    )
    march = Period.for_date(datetime.date(2026, 3, 1), PeriodKind.MONTH)
    score_person(person, march)
    score = PeriodScore.objects.get(civil_servant=person, period=march)

    # 6. The civil servant reads which duty each product serves.
    login(page, "congchuc", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/admin/scoring/explain/{score.pk}/")
    row = page.locator("tr", has_text=f"{product.code} — {product.name} (v{version.number})")
    text = row.inner_text()
    assert "Phục vụ nhiệm vụ:" in text
    assert tasks[0].name in text and f"vị trí {position.name}" in text
    # A product of version 1 (no duty) says so.
    assert (
        "Chưa gắn với nhiệm vụ nào trong bản mô tả công việc." in page.locator("main").inner_text()
    )
    screenshot("explain-duties")
