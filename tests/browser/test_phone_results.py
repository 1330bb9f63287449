"""Issue 30 (phones; review 2026-11-23 K7): a civil servant's "Kết quả theo kỳ" on a 390 px
phone — the listing from the menu and the period page "Kết quả theo kỳ và điểm tạm tính" —
never scrolls the page sideways, and the result (period, total, rating, the links) is on
screen without a sideways scroll."""

import pytest

from django.urls import reverse

from org.access import CIVIL_SERVANT_GROUP
from scoring.services import score_person
from tests.browser.conftest import ARTIFACTS, login
from tests.browser.gate import PHONE, PHONE_OPTIONS, browser_page
from tests.browser.test_accessibility import serious
from tests.factories import UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "matkhau-123"


def overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def on_screen(page, locator) -> bool:
    """The element is inside the phone's width (no sideways scroll needed to read it)."""
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1


def test_a_civil_servants_period_results_are_readable_on_a_phone(browser, live_server):
    from org.roles import ensure_roles

    ensure_roles()
    world = build_world()
    person = world.person("Nguyễn Văn Điền")
    world.full_month(person, 27)
    person.user = UserFactory(username="dien", groups=[CIVIL_SERVANT_GROUP])
    person.save()
    score = score_person(person, world.period)
    assert score.total is not None
    with browser_page(browser, live_server, **PHONE_OPTIONS) as page:
        login(page, "dien", PASSWORD)
        page.goto(f"{page.base_url}{reverse('wagtailsnippets_scoring_periodscore:list')}")
        page.screenshot(path=str(ARTIFACTS / "phone-ket-qua-theo-ky.png"), full_page=True)
        assert not overflows(page), "the listing scrolls the page sideways"
        row = page.locator("#listing-results table.listing tbody tr").first
        for text in ("Nguyễn Văn Điền", "Tháng 03/2026", "97", "Hoàn thành xuất sắc nhiệm vụ"):
            cell = row.locator("td", has_text=text).first
            assert cell.is_visible() and on_screen(page, cell), f"{text!r} is cut off"
        # Each value says what it is (the column headers are not shown on a phone).
        total = row.locator("td", has_text="97").first
        label = total.evaluate("td => getComputedStyle(td, '::before').content")
        assert "Tổng điểm" in label
        assert serious(page) == []  # axe: the cards keep the table's semantics
        page.goto(f"{page.base_url}{reverse('worklog_history', args=[person.pk])}")
        page.screenshot(path=str(ARTIFACTS / "phone-diem-tam-tinh.png"), full_page=True)
        assert not overflows(page), "the period page scrolls sideways"
        total = page.locator("#score-total")
        assert "97,00" in total.inner_text() and on_screen(page, total)
        assert on_screen(page, page.locator("#form01-entry"))
