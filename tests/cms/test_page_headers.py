"""Every admin page of ours is headed by its own title (Wagtail's slim header shows the last
breadcrumb, so a page without ``TitledAdminMixin`` is headed "Trang chủ"). Found on the support
pages' screenshots (session 11)."""

import re

import pytest

from django.urls import reverse

from org.access import HOME_AFFAIRS_GROUP
from tests.factories import AgencyFactory, UserFactory, post, with_user

pytestmark = pytest.mark.django_db

PAGES = {
    "support_help": "Hỗ trợ và câu hỏi thường gặp",
    "support_requests": "Vướng mắc, kiến nghị",
    "support_raise": "Gửi vướng mắc, kiến nghị",
    "support_usage": "Thống kê sử dụng phần mềm",
    "dashboards_stuck_work": "Công việc bị kẹt, số liệu cũ",
    "dashboards_background_jobs": "Việc chạy nền",
}


def header(html: str) -> str:
    """The header's breadcrumb as a person reads it: "Trang chủ" first, then this page."""
    found = re.search(r"<header\b.*?</header>", html, re.S)
    text = re.sub(r"<[^>]+>", " ", found.group(0)) if found else ""
    text = re.sub(r"\s+", " ", text).strip()
    return text[text.rfind("Trang chủ") :]


@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_headed_by_its_title(client, name):
    user = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    text = header(response.content.decode())
    assert text == f"Trang chủ {PAGES[name]}"  # not "Trang chủ" alone


def test_a_support_request_is_headed_by_its_kind_and_title(client):
    from support import services

    agency = AgencyFactory(name="Sở Tư pháp", code="STP")
    person = with_user(post(agency, full_name="Nguyễn Văn An"), "an")
    row = services.raise_request(
        person,
        agency=agency,
        kind="difficulty",
        category="software",
        title="Không nhập được tệp",
        body="Cột E báo lỗi.",
    )
    client.force_login(person)
    text = header(client.get(reverse("support_request", args=[row.pk])).content.decode())
    assert text.startswith("Trang chủ Vướng mắc, kiến nghị") and "Không nhập được tệp" in text
