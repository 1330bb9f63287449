"""The admin carries the system's name and mark, not Wagtail's (no Wagtail branding in the
Vietnamese admin), and calls no outside service (no update check, no Gravatar)."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_page_names_the_system():
    page = Client().get("/admin/login/").content.decode()
    assert "<title>" in page and "KPI Công vụ</title>" in page.replace("\n", "")
    assert "Wagtail" not in page.split("<body")[1].split("</main>")[0]
    assert "cms/logo.svg" in page


def test_admin_pages_carry_the_systems_mark_and_no_outside_calls():
    client = Client()
    client.force_login(UserFactory(username="quantri.thu", is_superuser=True))
    page = client.get("/admin/").content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert "KPI Công vụ" in title and "Wagtail" not in title
    assert "cms/logo.svg" in page
    assert "gravatar.com" not in page
    assert "releases.wagtail.io" not in page


def test_sign_in_and_elapsed_times_are_vietnamese():
    """Wagtail's form showed "Password"; Django's Vietnamese catalogue lacks "%(num)d minute"."""
    from django.utils import timezone, translation
    from django.utils.timesince import timesince

    page = Client().get("/admin/login/").content.decode()
    assert "Mật khẩu" in page and ">Password" not in page
    with translation.override("vi"):
        ago = timesince(timezone.now() - timezone.timedelta(minutes=21))
    assert ago == "21\xa0phút"
