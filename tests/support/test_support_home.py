"""Review 2026-11-25: Sở Nội vụ's home has a panel for the open support requests (ux L10); the
demo's support contact and FAQ are filled in (coverage L4)."""

import re

import pytest

from django.urls import reverse

from tests.support.test_support import _raise, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_home_affairs_home_lists_the_open_requests(client, world):  # noqa: F811
    row = _raise(world)
    client.force_login(world["home"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = re.search(r'id="support-waiting-section".*?</table>', home, re.S)
    assert panel and "Không nhập được tệp" in panel.group(0)
    assert reverse("support_request", args=[row.pk]) in panel.group(0)
    client.post(reverse("support_request", args=[row.pk]), {"action": "answer", "text": "Đã sửa."})
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="support-waiting-section"' not in home
    client.force_login(world["person"])
    assert (
        'id="support-waiting-section"'
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_the_demo_help_page_has_a_contact_and_questions(client, world):  # noqa: F811
    from demo.support_demo import load_support_demo

    load_support_demo()
    client.force_login(world["person"])
    page = client.get(reverse("support_help")).content.decode()
    assert "hotro.kpi@snv.thanhan.gov.vn" in page
    assert "Quên mật khẩu" in page and "Chưa có câu hỏi thường gặp" not in page
