"""A citizen answers the satisfaction code printed on their result, on a phone (390 px wide,
headless Chromium at /usr/bin/chromium), without signing in; the code cannot be used twice
(issue 33 item 3). Screenshots go to tests/artifacts/."""

import datetime

import pytest

from feedback import services
from feedback.models import SatisfactionCode
from tests.browser.gate import PHONE_OPTIONS, browser_page
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def code():
    world = build_world()
    person = world.person("Lê Văn Một Cửa")
    return services.issue_code(
        person=person,
        agency=world.department,
        subject="Chứng thực bản sao từ bản chính",
        completed_on=datetime.date(2026, 3, 20),
    )


@pytest.fixture
def phone(browser, live_server):
    # A sharp phone screen (three device pixels to a CSS pixel), as the citizen's.
    with browser_page(browser, live_server, **{**PHONE_OPTIONS, "device_scale_factor": 3}) as page:
        yield page


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_citizen_answers_a_code_on_a_phone_once(phone, code):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    phone.goto(f"{phone.base_url}/phan-hoi/")
    assert "Nhập mã phản hồi in trên phiếu trả kết quả" in phone.inner_text("main")
    assert no_horizontal_scroll(phone)
    # Typed as printed on the paper, in lower case.
    phone.fill("#id_code", services.printed(code.code).lower())
    phone.tap("button[type=submit]")
    phone.wait_for_selector("input[name=rating]")
    main = phone.inner_text("main")
    assert "Chứng thực bản sao từ bản chính" in main and "20/03/2026" in main
    assert "Lê Văn Một Cửa" not in main
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=str(ARTIFACTS / "satisfaction-01-phone.png"), full_page=True)
    phone.get_by_label("Hài lòng", exact=True).check()
    phone.fill("#id_comment", "Cán bộ hướng dẫn tận tình")
    phone.tap("button[type=submit]")
    phone.wait_for_selector("text=Cảm ơn bạn đã đánh giá")  # the answer's page, once loaded
    assert "Cảm ơn bạn đã đánh giá" in phone.inner_text("main")
    phone.screenshot(path=str(ARTIFACTS / "satisfaction-02-thanks.png"), full_page=True)
    stored = SatisfactionCode.objects.get(pk=code.pk)
    assert (stored.rating, stored.comment) == (4, "Cán bộ hướng dẫn tận tình")

    # The same code a second time (the link on the paper, or typed again).
    phone.goto(f"{phone.base_url}/phan-hoi/{code.code}/")
    assert "Mã phản hồi này đã được sử dụng. Mỗi mã chỉ trả lời được một lần." in (
        phone.inner_text("main")
    )
    assert phone.locator("input[name=rating]").count() == 0
    assert SatisfactionCode.objects.get(pk=code.pk).rating == 4
