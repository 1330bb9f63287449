"""Sign-ins for a whole unit in headless Chromium: Sở Nội vụ gives every person of a unit
without a sign-in one, in one operation, opens the printable activation slips, and a person
activates their sign-in with the code on their slip, signs in and sees their own work.
Screenshots go to tests/artifacts/."""

import re

import pytest

from org.access import HOME_AFFAIRS_GROUP
from org.roles import ensure_roles
from tests.browser.conftest import login
from tests.factories import UserFactory
from tests.worklog.helpers import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
NEW_PASSWORD = "Mat-khau-rieng-2026"


@pytest.fixture
def world():
    ensure_roles()
    world = build_world()
    world.line()  # a product assigned to Nhàn by the head of her unit
    # The unit's staff have no sign-in yet: only their personnel records.
    for key in ("nhan", "binh"):
        person = world.people[key]
        user = person.user
        person.user = None
        person.save(update_fields=["user"])
        user.delete()
    UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    return world


def test_home_affairs_gives_a_unit_sign_ins_and_a_person_activates(page, world, screenshot):
    login(page, "snv", PASSWORD)
    page.goto(f"{page.base_url}/admin/tai-khoan/")
    page.select_option("#account-agency select[name=agency]", str(world.unit.pk))
    page.click("#account-agency button[type=submit]")
    assert "2 người đang công tác chưa có tài khoản." in page.inner_text("#account-provision")
    screenshot("accounts-01-unit")
    page.click("#account-provision button[type=submit]")
    page.wait_for_selector("#batch-results")
    assert "Đã xử lý 2/2 người." in page.inner_text("#batch-progress")
    assert page.locator('#batch-results tr[data-outcome="created"]').count() == 2
    screenshot("accounts-02-results")

    page.goto(page.base_url + page.locator("#print-slips").get_attribute("href"))
    nhan = world.people["nhan"]
    username = nhan.official_id.lower()
    slip = page.locator(f'.slip[data-username="{username}"]')
    assert nhan.full_name in slip.inner_text()
    code = slip.locator(".code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    screenshot("accounts-03-slips")

    # Nhàn, at her own computer, with her slip.
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/tai-khoan/kich-hoat/")
    page.fill("#id_username", username)
    page.fill("#id_code", code)
    page.fill("#id_password", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    screenshot("accounts-04-activate")
    page.click("#activate-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/login/.*"))
    assert "Đã kích hoạt tài khoản" in page.content()
    login(page, username, NEW_PASSWORD)
    page.goto(f"{page.base_url}/admin/worklog/")
    body = page.inner_text("main")
    assert world.items["X"].name in body
    screenshot("accounts-05-own-work")


@pytest.fixture
def provider(live_server, tmp_path):
    """The province's identity provider (django-oidc-provider, its own process), which knows
    Nhàn by her official ID and sends her back to this live server."""
    from django.test import override_settings

    from tests.accounts.oidc_idp.runner import oidc_settings, running_provider

    nhan_login = "cc-sso-nhan"
    with (
        running_provider(
            tmp_path, [nhan_login], [f"{live_server.url}/oidc/callback/"]
        ) as discovery,
        override_settings(**oidc_settings(discovery)),
    ):
        yield nhan_login


def test_a_person_signs_in_through_the_local_identity_provider(page, world, provider, screenshot):
    from tests.accounts.oidc_idp.runner import PASSWORD as IDP_PASSWORD

    nhan = world.people["nhan"]
    nhan.official_id = "CC-SSO-NHAN"
    nhan.save(update_fields=["official_id"])
    page.goto(f"{page.base_url}/admin/login/")
    screenshot("accounts-06-sso-button")
    page.click("#sso-sign-in")
    page.wait_for_selector("input[name=username]")
    page.fill("input[name=username]", provider)
    page.fill("input[name=password]", IDP_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/admin/")
    page.goto(f"{page.base_url}/admin/worklog/")
    assert world.items["X"].name in page.inner_text("main")
    screenshot("accounts-07-sso-own-work")
