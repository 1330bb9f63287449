"""Issue 42 item 6 (ux review 2026-11-25 H5), in a real browser: a date typed by hand in an admin
date field stays as typed when the field loses focus (the picker no longer rolls 31/11/2026 over
to 01/12/2026 or turns 15/13/2026 into today), and saving says what is wrong with it."""

import pytest

from tests.browser.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "matkhau-123"


def test_an_impossible_date_typed_by_hand_stays_and_is_refused(page):
    UserFactory(username="quantri-ngay", is_superuser=True, is_staff=True)
    login(page, "quantri-ngay", PASSWORD)
    page.goto(f"{page.base_url}/admin/snippets/org_scoring/organisationtask/add/")
    field = page.locator("input[name=deadline]")
    for typed in ("31/11/2026", "15/13/2026", "29/02/2026"):
        field.click()
        field.fill("")
        field.press_sequentially(typed)
        field.press("Tab")
        assert field.input_value() == typed, f"{typed} became {field.input_value()}"
    field.click()
    field.fill("")
    field.press_sequentially("31/11/2026")
    field.press("Tab")
    # The snippet's own form (the header's search form comes first on the page).
    field.locator("xpath=ancestor::form").locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "Ngày 31/11/2026 không có trong lịch: tháng 11/2026 chỉ có 30 ngày." in body
    assert page.locator("input[name=deadline]").input_value() == "31/11/2026"
