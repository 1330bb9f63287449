"""An agency editor changes the catalog and submits it; Sở Nội vụ approves; the public page
shows the new item and version 2 is frozen."""

import pytest

from django.core.management import call_command

from catalog_pages.models import AgencyCatalogPage, CatalogVersion
from demo.loader import DEMO_PASSWORD
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
NEW_NAME = "Văn bản trả lời kiến nghị của cử tri về thủ tục chứng thực"


@pytest.fixture
def demo_province():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def logout(page):
    page.context.clear_cookies()


def test_agency_edits_submits_and_sở_nội_vụ_approves(page, demo_province, screenshot):
    catalog = AgencyCatalogPage.objects.get(agency__code="STP")
    edit_url = f"{page.base_url}/admin/pages/{catalog.pk}/edit/"

    login(page, "quantri.stp", DEMO_PASSWORD)
    page.goto(edit_url)
    count = int(page.locator("input[name='items-TOTAL_FORMS']").input_value())
    page.get_by_role("button", name="Sản phẩm/công việc", exact=False).last.click()
    prefix = f"items-{count}"
    page.fill(f"input[name='{prefix}-code']", "STP-777")
    page.fill(f"input[name='{prefix}-output_unit']", "văn bản")
    page.fill(f"textarea[name='{prefix}-name'], input[name='{prefix}-name']", NEW_NAME)
    page.select_option(f"select[name='{prefix}-complexity_group']", "2")
    page.fill(f"input[name='{prefix}-coefficient']", "1.5")
    page.fill("input[name='effective_from']", "01/07/2026")
    page.get_by_role("button", name="Thao tác khác").click()
    page.click("button[name='action-submit']")
    page.wait_for_load_state("networkidle")
    screenshot("catalog-submitted")
    catalog.refresh_from_db()
    assert catalog.workflow_in_progress
    assert NEW_NAME not in page.context.request.get(f"{page.base_url}/danh-muc/stp/").text()

    logout(page)
    login(page, "sonoivu", DEMO_PASSWORD)
    page.goto(edit_url)
    # The reviewer reads the changes against the version in force before approving (ux #6),
    # is not offered a publish around the workflow, and enters the new decision's number.
    changes = page.locator("#catalog-changes")
    assert "STP-777" in changes.inner_text() and "01/07/2026" in changes.inner_text()
    assert page.locator("button[name='action-publish']").count() == 0
    assert page.input_value("input[name='approval_ref']") == ""
    screenshot("catalog-review-changes")
    page.fill("input[name='approval_ref']", "231/QĐ-UBND")
    page.get_by_role("button", name="Phê duyệt và xuất bản", exact=True).click()
    # The approver lands on the version just approved, told so (review 2026-11-25, ux L4).
    page.wait_for_url("**/catalog-versions/*/?da-phe-duyet=1")
    assert "phiên bản 2, quyết định số 231/QĐ-UBND" in page.locator(".messages").inner_text()

    public = page.context.request.get(f"{page.base_url}/danh-muc/stp/").text()
    assert NEW_NAME in public
    version = CatalogVersion.objects.filter(agency__code="STP").order_by("-number").first()
    assert version.number == 2
    assert version.effective_from.isoformat() == "2026-07-01"
    assert version.approval_ref == "231/QĐ-UBND"
    assert version.items.filter(code="STP-777").exists()
    assert (
        not CatalogVersion.objects.get(agency__code="STP", number=1)
        .items.filter(code="STP-777")
        .exists()
    )
    page.goto(f"{page.base_url}/danh-muc/stp/")
    screenshot("catalog-public")
