"""Single sign-on against a real OpenID Connect provider started locally: django-oidc-provider
in its own small Django project and process (tests/accounts/oidc_idp), on a loopback port.
Our side is mozilla-django-oidc with ``accounts.oidc.OIDCBackend``; the person is matched by
official ID (the provider's ``preferred_username``)."""

import datetime
import re
from html import unescape
from urllib.parse import urljoin, urlparse

import pytest
import requests

from django.test import Client, override_settings

from accounts.models import AccountEvent
from org.models import CivilServant
from tests.accounts.oidc_idp.runner import PASSWORD, oidc_settings, running_provider
from tests.factories import AgencyFactory, CivilServantFactory, post

CALLBACK = "http://testserver/oidc/callback/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    data = tmp_path_factory.mktemp("idp")
    with running_provider(data, ("cc900001", "cc900002", "cc999999"), [CALLBACK]) as discovery:
        yield discovery


@pytest.fixture
def oidc(provider):
    with override_settings(**oidc_settings(provider)):
        yield provider


def sign_on(client: Client, username: str):
    """The whole round trip: our app sends the browser to the provider, the person signs in
    there, the provider sends them back with a code, our app redeems it. Returns our final
    response."""
    start = client.get("/oidc/authenticate/")
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


def test_a_known_person_signs_in_through_the_provider(oidc, people):
    known, _ended = people
    client = Client()
    response = sign_on(client, "cc900001")
    assert response.redirect_chain[-1][0] == "/admin/"
    assert response.status_code == 200
    known.refresh_from_db()
    assert known.user is not None and known.user.username == "cc900001"
    assert int(client.session["_auth_user_id"]) == known.user.pk
    assert not known.user.has_usable_password()  # signs in at the provider only
    assert AccountEvent.objects.filter(user=known.user, action="created").exists()
    # The second time the same sign-in is used.
    again = sign_on(Client(), "cc900001")
    assert again.redirect_chain[-1][0] == "/admin/"
    assert CivilServant.objects.filter(user__username="cc900001").count() == 1


def test_a_sign_in_given_in_bulk_is_not_asked_for_a_local_password(oidc, people):
    """Given a sign-in (and a slip) by Sở Nội vụ, the person signs in through the provider
    instead: the admin answers, no local password is asked for (found by the demo walk,
    tests/browser/test_accounts_demo.py)."""
    from accounts import services
    from org.access import HOME_AFFAIRS_GROUP
    from tests.factories import UserFactory

    known, _ended = people
    home = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    services.provision(home, [known])
    known.refresh_from_db()
    assert known.user.must_change_password
    client = Client()
    response = sign_on(client, "cc900001")
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "Đổi mật khẩu" not in response.content.decode()
    assert client.get("/admin/").status_code == 200


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
