"""Single sign-on against a real OpenID Connect provider started locally: django-oidc-provider
in its own small Django project and process (tests/accounts/oidc_idp), on a loopback port.
Our side is mozilla-django-oidc with ``accounts.oidc.OIDCBackend``: the provider's ``iss`` +
``sub`` sign in once the person linked them (their activation code, or their password and
second factor); the official ID (the provider's ``preferred_username``) only says whom to ask."""

import datetime
import re
from html import unescape
from urllib.parse import urljoin, urlparse

import pytest
import requests

from django.test import Client, override_settings

from accounts.models import AccountEvent, ExternalIdentity
from org.models import CivilServant
from tests.accounts.oidc_idp.runner import PASSWORD, oidc_settings, running_provider
from tests.factories import AgencyFactory, CivilServantFactory, post

CALLBACK = "http://testserver/oidc/callback/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    data = tmp_path_factory.mktemp("idp")
    names = ("cc900001", "cc900002", "cc900003", "cc900077", "cc999999", "quantri.stp")
    with running_provider(data, names, [CALLBACK]) as discovery:
        yield discovery


@pytest.fixture
def oidc(provider):
    with override_settings(**oidc_settings(provider)):
        yield provider


def sign_on(client: Client, username: str, start_url: str = "/oidc/authenticate/"):
    """The whole round trip: our app sends the browser to the provider, the person signs in
    there, the provider sends them back with a code, our app redeems it. Returns our final
    response."""
    start = client.get(start_url)
    assert start.status_code == 302, start
    browser = requests.Session()
    url = start.url
    while True:
        answer = browser.get(url, allow_redirects=False, timeout=20)
        if answer.status_code in (301, 302):
            url = urljoin(url, answer.headers["Location"])
            if url.startswith("http://testserver/"):
                break
            continue
        # The provider's sign-in page.
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.text).group(1)
        nxt = unescape(re.search(r'name="next" value="([^"]*)"', answer.text).group(1))
        answer = browser.post(
            url,
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": nxt},
            headers={"Referer": url},
            allow_redirects=False,
            timeout=20,
        )
        assert answer.status_code == 302, answer.text[:500]
        url = urljoin(url, answer.headers["Location"])
    callback = urlparse(url)
    return client.get(f"{callback.path}?{callback.query}", follow=True)


@pytest.fixture
def people(db):
    agency = AgencyFactory(code="STP", name="Sở Tư pháp")
    known = post(
        agency, person=CivilServantFactory(official_id="CC900001", full_name="Nguyễn Văn Một")
    )
    ended = post(
        agency,
        person=CivilServantFactory(official_id="CC900002", full_name="Trần Thị Hai"),
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2025, 12, 31),
    )
    return known, ended


def _slip_code(person) -> str:
    """Sở Nội vụ gives ``person`` a sign-in; the code printed on their slip."""
    from accounts import services
    from org.access import HOME_AFFAIRS_GROUP
    from tests.factories import UserFactory

    home = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    outcome = services.provision(home, [person])
    person.refresh_from_db()
    return outcome.codes[person.user_id]


def test_a_person_links_with_the_code_on_their_slip_then_signs_in_through_the_provider(
    oidc, people
):
    known, _ended = people
    code = _slip_code(known)
    client = Client()
    response = sign_on(client, "cc900001")
    # Not signed in by the official ID: asked for the activation code first.
    assert response.redirect_chain[-1][0] == "/tai-khoan/dang-nhap-mot-lan/lien-ket/"
    assert "_auth_user_id" not in client.session
    assert "Nguyễn Văn Một" in unescape(response.content.decode())
    linked = client.post("/tai-khoan/dang-nhap-mot-lan/lien-ket/", {"code": code}, follow=True)
    assert linked.redirect_chain[-1][0] == "/admin/"
    assert "Đã liên kết đăng nhập một lần" in unescape(linked.content.decode())
    assert int(client.session["_auth_user_id"]) == known.user.pk
    link = ExternalIdentity.objects.get(user=known.user)
    assert link.issuer.startswith("http://127.0.0.1:") and link.subject
    assert AccountEvent.objects.filter(user=known.user, action="sso_linked").exists()
    assert not known.user.has_usable_password()  # signs in at the provider only
    # The second time the provider identity signs in straight away.
    again = Client()
    response = sign_on(again, "cc900001")
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "Đổi mật khẩu" not in response.content.decode()
    assert int(again.session["_auth_user_id"]) == known.user.pk
    assert CivilServant.objects.filter(user__username="cc900001").count() == 1


def test_an_official_id_rewritten_to_another_provider_identity_does_not_sign_in(oidc, people):
    """security.md H2 end to end: once Một linked his identity, the official ID on his record
    rewritten to an agency admin's provider name (as the admin's form allowed before) signs the
    admin in as nobody; the refusal is in Vietnamese and logged on Một's sign-in."""
    known, _ended = people
    code = _slip_code(known)
    client = Client()
    sign_on(client, "cc900001")
    client.post("/tai-khoan/dang-nhap-mot-lan/lien-ket/", {"code": code})
    CivilServant.objects.filter(pk=known.pk).update(official_id="QUANTRI.STP")
    attacker = Client()
    response = sign_on(attacker, "quantri.stp")
    assert response.status_code == 403
    text = unescape(response.content.decode())
    assert "không phải tài khoản đã liên kết với Nguyễn Văn Một" in text
    assert "_auth_user_id" not in attacker.session
    assert AccountEvent.objects.filter(user=known.user, action="sso_refused").exists()


def test_a_person_without_a_sign_in_is_not_given_one_by_the_provider(oidc, people):
    client = Client()
    response = sign_on(client, "cc900001")
    assert response.status_code == 403
    assert "Nguyễn Văn Một chưa có tài khoản đăng nhập" in unescape(response.content.decode())
    assert CivilServant.objects.get(official_id="CC900001").user is None


def test_a_signed_in_person_links_from_their_page_with_password_and_second_factor(oidc, people):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import with_user

    agency = people[0].postings.first().agency
    person = post(agency, person=CivilServantFactory(official_id="CC900077", full_name="Vũ Ba"))
    user = with_user(person, "vu.ba")
    client = Client()
    client.force_login(user, backend="accounts.backends.PostingRolesBackend")  # the password
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    page = "/admin/tai-khoan/dang-nhap-mot-lan/"
    start = client.post(page, {"action": "link"})
    assert start.url.startswith("/oidc/authenticate/")
    # Signs in at the provider with an identity that is not his (another name: a colleague's,
    # or one a forged sign-in at the provider left in his browser): not linked, he is told.
    refused = sign_on(client, "cc900003", start.url)
    assert refused.status_code == 403
    assert "mang mã số công chức “cc900003”, không phải mã số công chức của bạn" in unescape(
        refused.content.decode()
    )
    assert not ExternalIdentity.objects.filter(user=user).exists()
    assert AccountEvent.objects.filter(user=user, action="sso_refused").exists()
    # His own identity at the provider (his official ID): linked, he proved himself here.
    start = client.post(page, {"action": "link"})
    response = sign_on(client, "cc900077", start.url)
    assert response.redirect_chain[-1][0] == page
    assert int(client.session["_auth_user_id"]) == user.pk
    assert ExternalIdentity.objects.filter(user=user).count() == 1
    shown = unescape(response.content.decode())
    assert "Đã liên kết đăng nhập một lần với tài khoản vu.ba" in shown
    assert "Bằng mật khẩu và xác thực hai lớp".lower() in shown.lower()  # the event, listed
    # The next sign-in through the provider: his, and (he has an authenticator) the admin
    # still asks his second factor.
    again = Client()
    landed = sign_on(again, "cc900077").redirect_chain[-1][0]
    assert landed.startswith("/tai-khoan/xac-thuc/")
    assert int(again.session["_auth_user_id"]) == user.pk


def test_an_unknown_person_is_refused_in_vietnamese(oidc, people):
    client = Client()
    response = sign_on(client, "cc999999")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Hệ thống chưa có hồ sơ cán bộ, công chức nào có mã số công chức “cc999999”" in text
    assert "_auth_user_id" not in client.session


def test_a_person_whose_postings_ended_is_refused(oidc, people):
    client = Client()
    response = sign_on(client, "cc900002")
    assert response.status_code == 403
    assert "Trần Thị Hai không còn công tác tại cơ quan, đơn vị nào" in response.content.decode()
    assert "_auth_user_id" not in client.session
