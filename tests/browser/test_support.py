"""A civil servant raises a difficulty to Sở Nội vụ with a file, Sở Nội vụ answers it, and the
civil servant reads the answer — in headless Chromium (issue 32 item 5)."""

import pytest

from org.access import HOME_AFFAIRS_GROUP
from org.roles import ensure_roles
from tests.browser.conftest import login
from tests.factories import UserFactory
from tests.worklog.helpers import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def world():
    ensure_roles()
    world = build_world()
    UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    return world


def test_a_person_raises_a_difficulty_and_home_affairs_answers(page, world, screenshot):
    nhan = world.people["nhan"]
    login(page, nhan.user.username, PASSWORD)
    page.goto(f"{page.base_url}/admin/ho-tro/kien-nghi/gui/")
    page.select_option("select[name=kind]", "difficulty")
    page.select_option("select[name=category]", "software")
    page.fill("input[name=title]", "Không tải được minh chứng")
    page.fill("textarea[name=body]", "Tải tệp PDF 3 MB báo lỗi.")
    page.set_input_files(
        "input[name=attachments]",
        files=[{"name": "loi.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}],
    )
    page.click("main button[type=submit]")
    page.wait_for_url("**/ho-tro/kien-nghi/*/")
    assert "Đã gửi vướng mắc, kiến nghị số" in page.inner_text("body")
    assert page.locator("[data-status]").inner_text() == "Chờ trả lời"
    assert page.get_by_role("link", name="loi.pdf").is_visible()
    screenshot("support-01-raised")
    url = page.url

    page.context.clear_cookies()
    login(page, "snv", PASSWORD)
    page.goto(f"{page.base_url}/admin/ho-tro/kien-nghi/")
    page.get_by_role("link", name="Không tải được minh chứng").click()
    page.fill("textarea[name=text]", "Giới hạn là 2 MB; hãy nén tệp trước khi tải.")
    page.get_by_role("button", name="Trả lời").click()
    page.wait_for_url(url)
    assert page.locator("[data-status]").inner_text() == "Đã trả lời"
    screenshot("support-02-answered")

    page.context.clear_cookies()
    login(page, nhan.user.username, PASSWORD)
    page.goto(url)
    assert "Giới hạn là 2 MB; hãy nén tệp trước khi tải." in page.inner_text(".support-answer")
    assert page.get_by_role("button", name="Chưa rõ, hỏi lại").is_visible()
