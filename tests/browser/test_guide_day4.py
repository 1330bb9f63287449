"""The guide's pictures for Sở Nội vụ's quarterly window (issue 30, the guide: so-noi-vu §10),
taken while walking the task: from the menu, add the window of a quarter, dd/mm/yyyy dates."""

import pytest

from org.access import HOME_AFFAIRS_GROUP
from org.roles import ensure_roles
from org_scoring.models import QuarterWindow
from tests.browser.conftest import login
from tests.browser.test_guide import menu, shot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_home_affairs_sets_the_quarterly_window(page):
    ensure_roles()
    UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    login(page, "sonoivu", "matkhau-123")
    menu(page, "Đánh giá tổ chức", "Thời hạn nhập nhiệm vụ quý")
    page.locator("main").get_by_role("link", name="Thêm").first.click()
    page.fill("#id_year", "2026")
    page.select_option("#id_quarter", "4")
    # Typed without focusing the fields: Wagtail's date pickers would cover the picture.
    for field, day in (("#id_opens_on", "01/12/2026"), ("#id_closes_on", "12/12/2026")):
        page.eval_on_selector(field, "(e, v) => { e.value = v; }", day)
    page.fill("#id_note", "Công văn 45/SNV-TCBC ngày 20/11/2026")
    shot(page, "so-noi-vu-30-thoi-han-quy", page.locator("#id_year"))
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state("domcontentloaded")
    window = QuarterWindow.objects.get(year=2026, quarter=4)
    assert (window.opens_on.day, window.closes_on.day, window.closes_on.month) == (1, 12, 12)
    assert "Quý 4/2026" in page.locator("main").inner_text()
