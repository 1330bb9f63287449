"""The agency's catalog as a guided task (issue 30 item 9, review 2026-11-23 C9): the clerk
opens "Danh mục của cơ quan" from the menu, sees the catalog's status and one "Sửa danh mục"
button, edits without a "Quảng bá" tab and with only the agency's own job positions on offer,
submits, and lands back on the page that says the catalog waits for Sở Nội vụ."""

import pytest

from django.core.management import call_command

from catalog_pages.models import AgencyCatalogPage
from demo.loader import DEMO_PASSWORD
from org.models import JobPosition, Posting
from tests.browser.conftest import login
from tests.browser.test_guide import shot  # the guide's pictures (docs/huong-dan §6 of the clerk)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
#: The values offered by a select's options or a group of tick boxes.
OPTION_VALUES = "els => els.flatMap(e => e.options ? [...e.options].map(o => o.value) : [e.value])"


@pytest.fixture
def demo_province():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_clerk_edits_and_submits_the_agency_catalog(page, demo_province, screenshot):
    catalog = AgencyCatalogPage.objects.get(agency__code="STP")
    login(page, "quantri.stp", DEMO_PASSWORD)

    # The menu has the task, not Wagtail's page explorer with its empty "0 trang" list.
    menu = page.locator("#wagtail-sidebar")
    assert menu.get_by_text("Danh mục của cơ quan").count() == 1
    assert menu.get_by_role("link", name="Trang", exact=True).count() == 0
    menu.get_by_text("Danh mục của cơ quan").click()
    page.wait_for_load_state("networkidle")
    body = page.locator("main").inner_text()
    assert "Danh mục sản phẩm/công việc — Sở Tư pháp" in body
    assert "Đang áp dụng: phiên bản 1" in body
    assert "0 trang" not in body
    screenshot("catalog-task-status")
    shot(page, "danh-muc-co-quan-01-trang-thai")

    # One visible button opens the editor (no "…" menu to find).
    page.get_by_role("link", name="Sửa danh mục").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/admin/pages/{catalog.pk}/edit/")
    tabs = page.get_by_role("tab")
    assert "Quảng bá" not in [t.inner_text().strip() for t in tabs.all()]

    # The job positions offered are those of Sở Tư pháp (its postings, and what the catalog
    # already names), not the ~48 of every sector.
    own = set(
        JobPosition.objects.filter(postings__agency__path__startswith=catalog.agency.path)
        .values_list("pk", flat=True)
        .distinct()
    )
    named = set(catalog.items.values_list("job_positions", flat=True)) - {None}
    offered = page.locator("[name='items-0-job_positions']")
    values = {int(v) for v in offered.evaluate_all(OPTION_VALUES) if v}
    assert values and values <= own | named
    foreign = JobPosition.objects.exclude(pk__in=own | named)
    assert foreign.exists() and not values & set(foreign.values_list("pk", flat=True))
    assert Posting.objects.filter(agency__code="STP").exists()
    screenshot("catalog-task-editor")
    shot(page, "danh-muc-co-quan-02-sua", page.locator("[name='items-0-name']"))

    page.fill("input[name='effective_from']", "01/07/2027")
    page.fill("[name='items-0-name']", "Văn bản hướng dẫn nghiệp vụ hộ tịch (sửa)")
    page.get_by_role("button", name="Thao tác khác").click()
    page.click("button[name='action-submit']")
    page.wait_for_load_state("networkidle")

    # Back on the task page, which says where the catalog is now.
    assert "/danh-muc-co-quan/" in page.url
    body = page.locator("main").inner_text()
    assert "Đang chờ Sở Nội vụ thẩm định" in body
    assert "0 trang" not in body
    screenshot("catalog-task-submitted")
    shot(page, "danh-muc-co-quan-03-da-gui")
    catalog.refresh_from_db()
    assert catalog.workflow_in_progress
