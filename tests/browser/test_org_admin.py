"""A Sở Nội vụ editor signs in, browses the demo province's tree and a civil servant's postings,
all in Vietnamese; an agency admin sees only their own agency."""

import pytest

from django.core.management import call_command

from demo.loader import DEMO_PASSWORD
from org.models import CivilServant
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo_province():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_home_affairs_browses_tree_and_postings(page, demo_province, screenshot):
    login(page, "sonoivu", DEMO_PASSWORD)
    assert page.locator("html").get_attribute("lang") == "vi"

    page.goto(f"{page.base_url}/admin/snippets/org/agency/")
    # In the listing itself: the menu has entries naming Sở Nội vụ too (Trợ giúp → "Tệp hồ sơ
    # nhân sự gửi Sở Nội vụ"), hidden until their submenu opens.
    listing = page.locator("main table")
    assert listing.get_by_text("Ủy ban nhân dân tỉnh Thanh An").first.is_visible()
    assert listing.get_by_text("Sở Nội vụ", exact=True).first.is_visible()
    screenshot("org-agencies")

    moved = next(p for p in CivilServant.objects.all() if p.postings.count() > 1)
    page.goto(f"{page.base_url}/admin/snippets/org/civilservant/?q={moved.name_folded}")
    page.get_by_role("link", name=moved.full_name).first.click()
    page.wait_for_url("**/edit/**")
    assert page.get_by_text("Quá trình công tác").first.is_visible()
    assert page.locator("input[name$='-decision_ref'][value='125/QĐ-UBND']").count() == 1
    screenshot("org-civil-servant")


def test_agency_admin_sees_only_own_agency(page, demo_province):
    login(page, "quantri.stp", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/admin/snippets/org/agency/")
    body = page.locator("main").inner_text()
    assert "Sở Tư pháp" in body
    assert "Sở Y tế" not in body
