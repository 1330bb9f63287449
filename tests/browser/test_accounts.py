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
    """The province's identity provider (django-oidc-provider, its own process, on 127.0.0.1
    while this live server answers on localhost: two host names, two sets of cookies), which
    knows Nhàn and the agency admin and sends them back to this live server."""
    from django.test import override_settings

    from tests.accounts.oidc_idp.runner import oidc_settings, running_provider

    names = ("cc-sso-nhan", "quantri-sso")
    with (
        running_provider(tmp_path, names, [f"{live_server.url}/oidc/callback/"]) as discovery,
        override_settings(**oidc_settings(discovery)),
    ):
        yield names


def _at_the_provider(page, username):
    from tests.accounts.oidc_idp.runner import PASSWORD as IDP_PASSWORD

    page.wait_for_selector("input[name=username]")
    assert "127.0.0.1" in page.url  # the provider, not this application
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", IDP_PASSWORD)
    page.click("button[type=submit]")


def test_a_person_links_single_sign_on_with_her_code_and_an_admin_cannot_take_it_over(
    page, world, provider, screenshot
):
    """Issue 41 item 2 (security.md H2): Nhàn links single sign-on with the code on her slip and
    signs in through the provider; the agency admin can neither rewrite her official ID on her
    record, nor, with it rewritten to his own provider name, sign in as her."""
    from accounts import services
    from accounts.models import AccountEvent, ExternalIdentity
    from org.access import AGENCY_ADMIN_GROUP
    from org.models import CivilServant
    from tests.factories import AgencyAccessFactory

    nhan_login, admin_login = provider
    nhan = world.people["nhan"]
    nhan.official_id = nhan_login.upper()
    nhan.save(update_fields=["official_id"])
    home = UserFactory(username="snv2", groups=[HOME_AFFAIRS_GROUP])
    code = services.provision(home, [nhan]).codes[CivilServant.objects.get(pk=nhan.pk).user_id]

    # Nhàn, with her slip: the activation page offers single sign-on instead of a password.
    page.goto(f"{page.base_url}/tai-khoan/kich-hoat/")
    page.click("#activate-sso-link")
    _at_the_provider(page, nhan_login)
    page.wait_for_url(re.compile(r".*/tai-khoan/dang-nhap-mot-lan/lien-ket/"))
    assert nhan.full_name in page.inner_text("#sso-link-who")
    screenshot("accounts-06-sso-link-code")
    page.fill("#id_code", code)
    page.click("#sso-link-form button[type=submit]")
    page.wait_for_url(f"{page.base_url}/admin/")
    assert "Đã liên kết đăng nhập một lần" in page.content()
    page.goto(f"{page.base_url}/admin/worklog/")
    assert world.items["X"].name in page.inner_text("main")
    screenshot("accounts-07-sso-own-work")
    nhan.refresh_from_db()
    assert ExternalIdentity.objects.filter(user=nhan.user).count() == 1

    # The next day, straight through the provider.
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/admin/login/")
    page.click("#sso-sign-in")
    _at_the_provider(page, nhan_login)
    page.wait_for_url(f"{page.base_url}/admin/")
    page.goto(f"{page.base_url}/admin/tai-khoan/dang-nhap-mot-lan/")
    assert "Liên kết đăng nhập một lần" in page.inner_text("#sso-events")

    # The agency admin: the official ID on her record is read-only for him.
    page.context.clear_cookies()
    admin = UserFactory(username="quantri.snvtn", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department)
    login(page, "quantri.snvtn", PASSWORD)
    page.goto(f"{page.base_url}/admin/snippets/org/civilservant/edit/{nhan.pk}/")
    field = page.locator("#id_official_id")
    assert field.is_disabled()
    assert "chỉ Sở Nội vụ được sửa" in page.inner_text("main")
    # Forced through the page anyway: nothing changes.
    page.evaluate(
        "id => { const f = document.getElementById('id_official_id');"
        " f.disabled = false; f.value = id; }",
        admin_login.upper(),
    )
    page.click("button.action-save")
    page.wait_for_load_state()
    assert CivilServant.objects.get(pk=nhan.pk).official_id == nhan_login.upper()

    # Had it been rewritten (as the form allowed before), his provider identity is still not
    # hers: refused, in Vietnamese, and logged on her sign-in.
    CivilServant.objects.filter(pk=nhan.pk).update(official_id=admin_login.upper())
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/admin/login/")
    page.click("#sso-sign-in")
    _at_the_provider(page, admin_login)
    page.wait_for_url(re.compile(r".*/tai-khoan/dang-nhap-mot-lan/tu-choi/"))
    refusal = page.inner_text("#sso-refusal")
    assert f"không phải tài khoản đã liên kết với {nhan.full_name}" in refusal
    screenshot("accounts-08-sso-takeover-refused")
    page.goto(f"{page.base_url}/admin/")
    assert "/admin/login/" in page.url
    assert AccountEvent.objects.filter(user=nhan.user, action="sso_refused").exists()


@pytest.fixture
def provider_by_email(live_server, tmp_path):
    """The same provider, the province matching people by the e-mail address the provider
    verified (``KPI_OIDC_MATCH_FIELD=email``)."""
    from django.test import override_settings

    from tests.accounts.oidc_idp.runner import oidc_settings, running_provider

    names = ("cc-sso-nhan", "quantri-sso")
    with (
        running_provider(tmp_path, names, [f"{live_server.url}/oidc/callback/"]) as discovery,
        override_settings(
            **{
                **oidc_settings(discovery),
                "KPI_OIDC_MATCH_FIELD": "email",
                "KPI_OIDC_MATCH_CLAIM": "email",
            }
        ),
    ):
        yield tuple(f"{name}@example.vn" for name in names), names


def test_an_admin_who_rewrites_her_email_is_asked_her_code_then_refused_once_she_linked(
    page, world, provider_by_email, screenshot
):
    """Issue 41 item 2, the e-mail rule: the agency admin cannot rewrite Nhàn's e-mail once she
    has a sign-in; rewritten anyway, his provider identity is only asked *her* activation code
    (no prior link: his guess is refused) and, once she linked her own, refused outright."""
    from accounts import services
    from accounts.models import AccountEvent, ExternalIdentity
    from org.access import AGENCY_ADMIN_GROUP
    from org.models import CivilServant
    from tests.factories import AgencyAccessFactory

    (nhan_email, admin_email), (nhan_login, admin_login) = provider_by_email
    nhan = world.people["nhan"]
    CivilServant.objects.filter(pk=nhan.pk).update(email=nhan_email)
    home = UserFactory(username="snv2", groups=[HOME_AFFAIRS_GROUP])
    code = services.provision(home, [nhan]).codes[CivilServant.objects.get(pk=nhan.pk).user_id]
    nhan.refresh_from_db()

    # The agency admin: her e-mail is read-only for him; forced through the page, unchanged.
    admin = UserFactory(username="quantri.snvtn", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department)
    login(page, "quantri.snvtn", PASSWORD)
    page.goto(f"{page.base_url}/admin/snippets/org/civilservant/edit/{nhan.pk}/")
    assert page.locator("#id_email").is_disabled()
    assert "chỉ Sở Nội vụ được sửa" in page.inner_text("main")
    page.evaluate(
        "v => { const f = document.getElementById('id_email'); f.disabled = false; f.value = v; }",
        admin_email,
    )
    page.click("button.action-save")
    page.wait_for_load_state()
    assert CivilServant.objects.get(pk=nhan.pk).email == nhan_email

    # Rewritten anyway (as before the fix), no link yet: his identity only reaches the page
    # asking Nhàn's activation code; his guess is refused and he is signed in as nobody.
    CivilServant.objects.filter(pk=nhan.pk).update(email=admin_email)
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/admin/login/")
    page.click("#sso-sign-in")
    _at_the_provider(page, admin_login)
    page.wait_for_url(re.compile(r".*/tai-khoan/dang-nhap-mot-lan/lien-ket/"))
    page.fill("#id_code", "AAAAA-BBBBB")
    page.click("#sso-link-form button[type=submit]")
    page.wait_for_selector("text=Mã kích hoạt không đúng")
    screenshot("accounts-09-sso-email-rewritten-code-asked")
    page.goto(f"{page.base_url}/admin/")
    page.wait_for_url(re.compile(r".*/admin/login/.*"))
    assert not ExternalIdentity.objects.exists()

    # Sở Nội vụ puts her address back; Nhàn links her own identity with her code.
    CivilServant.objects.filter(pk=nhan.pk).update(email=nhan_email)
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/tai-khoan/kich-hoat/")
    page.click("#activate-sso-link")
    _at_the_provider(page, nhan_login)
    page.wait_for_url(re.compile(r".*/tai-khoan/dang-nhap-mot-lan/lien-ket/"))
    page.fill("#id_code", code)
    page.click("#sso-link-form button[type=submit]")
    page.wait_for_url(f"{page.base_url}/admin/")
    assert ExternalIdentity.objects.get().user_id == nhan.user_id

    # Rewritten again: with her link, his identity is refused outright, logged on her sign-in.
    CivilServant.objects.filter(pk=nhan.pk).update(email=admin_email)
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/admin/login/")
    page.click("#sso-sign-in")
    _at_the_provider(page, admin_login)
    page.wait_for_url(re.compile(r".*/tai-khoan/dang-nhap-mot-lan/tu-choi/"))
    assert f"không phải tài khoản đã liên kết với {nhan.full_name}" in page.inner_text(
        "#sso-refusal"
    )
    screenshot("accounts-10-sso-email-takeover-refused")
    page.goto(f"{page.base_url}/admin/")
    page.wait_for_url(re.compile(r".*/admin/login/.*"))
    assert AccountEvent.objects.filter(user_id=nhan.user_id, action="sso_refused").count() >= 2
