"""One authentication policy for every surface (``accounts.auth_policy``; security review of
2026-11-25 H1, coverage H2/L5, ux H2).

A session signed in with a password alone, of a person who must present a second factor, is
sent to the second-factor page by every page (admin, account pages, downloads) and refused by
the API with a Vietnamese message naming the step; the same session works once the code is
presented. The change of a password someone else set holds the same way, after the second
factor. Integration tokens are not sessions and keep working."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts import auth_policy as policy
from org.access import (
    AGENCY_ADMIN_GROUP,
    BLOC_APPRAISER_GROUP,
    CIVIL_SERVANT_GROUP,
    HOME_AFFAIRS_GROUP,
)
from org.models import LeadershipRole
from org.roles import ensure_roles
from tests.accounts.helpers import PASSWORD, code, sign_in
from tests.factories import AgencyAccessFactory, AgencyFactory, UserFactory, post, with_user

pytestmark = pytest.mark.django_db
API_LIST = "/api/v1/civil-servants/"
ACKNOWLEDGE = "/api/v1/national-export/acknowledgements/"


@pytest.fixture(autouse=True)
def required(settings):
    settings.KPI_2FA_REQUIRED = True
    ensure_roles()


def enrol(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def present_code(client, device) -> None:
    response = client.post(reverse("accounts_otp_verify"), {"token": code(device), "next": "/"})
    assert response.status_code == 302, response.content.decode()[:300]


def step_and_next(url) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path, parse_qs(parts.query).get("next", [""])[0]


def api_refusal(response) -> dict:
    assert response.status_code == 403, response.content[:300]
    return response.json()["error"]


def test_a_password_only_session_of_home_affairs_is_refused_on_every_surface():
    """security.md H1: with a password alone, Sở Nội vụ's session read the province through
    the API, acknowledged national records and opened the password-change page."""
    user = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    device = enrol(user)
    client = sign_in("snv")

    for path in ("/admin/", "/admin/reports/", "/tai-khoan/doi-mat-khau/", "/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert step_and_next(response.url) == ("/tai-khoan/xac-thuc/", path), path

    error = api_refusal(client.get(API_LIST))
    assert error["code"] == "second_factor_required"
    assert error["message"].startswith("Phiên đăng nhập này chưa qua xác thực hai lớp")
    assert "/tai-khoan/xac-thuc/" in error["message"]
    detail = api_refusal(client.get(f"{API_LIST}1/"))
    assert detail["code"] == "second_factor_required"
    write = api_refusal(client.post(ACKNOWLEDGE, {"ids": [1]}, content_type="application/json"))
    assert write["code"] == "second_factor_required"
    # The password cannot be changed before the code either.
    changed = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"new_password1": "Mat-khau-moi-2026!", "new_password2": "Mat-khau-moi-2026!"},
    )
    assert changed.status_code == 302 and changed.url.startswith("/tai-khoan/xac-thuc/")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    present_code(client, device)
    assert client.get("/admin/").status_code == 200
    assert client.get(API_LIST).status_code == 200
    assert client.get("/tai-khoan/doi-mat-khau/").status_code == 200


def test_a_role_without_a_device_is_sent_to_set_one_up_and_the_api_says_so():
    UserFactory(username="qt", groups=[AGENCY_ADMIN_GROUP])
    client = sign_in("qt")
    response = client.get("/admin/")
    assert response.url.startswith("/tai-khoan/xac-thuc/thiet-lap/?next=")
    # A password alone does not enrol the first authenticator (security L3, accounts.enrolment).
    refused = client.get(response.url)
    assert refused.status_code == 403 and "otpauth://" not in refused.content.decode()
    # This browser proved the activation code (as the activation page records it).
    session = client.session
    session["kpi_enrolment_proof"] = {
        "user": get_user_model().objects.get(username="qt").pk,
        "at": timezone.now().timestamp(),
    }
    session.save()
    setup = client.get(response.url).content.decode()
    assert setup.count('id="id_token"') == 1 and setup.count("<h1") == 1
    assert "Thiết lập xác thực hai lớp" in setup and "otpauth://totp/" in setup
    assert '<code style="overflow-wrap: anywhere">otpauth://' in setup  # stays in its card
    error = api_refusal(client.get(API_LIST))
    assert error["code"] == "second_factor_setup"
    assert (
        "chưa thiết lập" in error["message"]
        and "/tai-khoan/xac-thuc/thiet-lap/" in (error["message"])
    )


def test_the_forced_password_change_holds_on_every_surface_after_the_second_factor():
    """A password someone else set: the API refused nothing, only /admin/ asked for it."""
    person = post(AgencyFactory())
    user = with_user(person, "cc")
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    client = sign_in("cc")
    assert step_and_next(client.get("/admin/").url) == ("/tai-khoan/doi-mat-khau/", "/admin/")
    assert client.get("/").url.startswith("/tai-khoan/doi-mat-khau/")
    error = api_refusal(client.get(API_LIST))
    assert error["code"] == "password_change_required"
    assert error["message"].startswith("Mật khẩu của bạn do người khác đặt")
    assert client.get("/tai-khoan/doi-mat-khau/").status_code == 200

    # A head who must also present a code: the code comes first, then the password.
    head = post(AgencyFactory(), role=LeadershipRole.HEAD)
    boss = with_user(head, "gd")
    boss.must_change_password = True
    boss.save(update_fields=["must_change_password"])
    device = enrol(boss)
    client = sign_in("gd")
    assert api_refusal(client.get(API_LIST))["code"] == "second_factor_required"
    present_code(client, device)
    assert api_refusal(client.get(API_LIST))["code"] == "password_change_required"
    assert client.get("/admin/").url.startswith("/tai-khoan/doi-mat-khau/")


def test_the_roles_that_must_present_a_second_factor_come_from_the_registry(settings):
    """coverage.md H2 and L5: heads, deputies and bloc appraisers were never asked."""
    agency = AgencyFactory()
    people = {
        "head": with_user(post(agency, role=LeadershipRole.HEAD), "truong"),
        "deputy": with_user(post(agency, role=LeadershipRole.DEPUTY), "pho"),
        "staff": with_user(post(agency), "nv"),
    }
    bloc = UserFactory(username="tdk", groups=[BLOC_APPRAISER_GROUP])
    AgencyAccessFactory(user=bloc, agency=agency, role="bloc_appraiser")
    granted = UserFactory(username="ldg", groups=[CIVIL_SERVANT_GROUP])
    AgencyAccessFactory(user=granted, agency=agency, role="unit_leader")

    def keys(user):
        from accounts.models import User

        return [role.key for role in policy.roles_asking(User.objects.get(pk=user.pk))]

    assert keys(people["head"]) == ["head"]
    assert keys(people["deputy"]) == ["deputy"]
    assert keys(people["staff"]) == []
    assert keys(bloc) == ["bloc_appraiser"]
    assert keys(granted) == ["unit_leader"]
    for username in ("truong", "pho", "tdk"):
        assert sign_in(username).get("/admin/").url.startswith("/tai-khoan/xac-thuc/thiet-lap/")
    assert sign_in("nv").get("/admin/").status_code == 200
    assert sign_in("nv").get(API_LIST).status_code == 200

    # The documented setting chooses the roles: heads only.
    settings.KPI_2FA_ROLES = ("head",)
    assert keys(people["deputy"]) == []
    assert keys(people["head"]) == ["head"]
    settings.KPI_2FA_ROLES = ("head", "chairman")
    with pytest.raises(Exception, match="unknown role"):
        policy.required_roles()


def test_a_person_who_set_up_a_device_is_asked_for_it_even_if_not_required():
    person = post(AgencyFactory())
    user = with_user(person, "cc2")
    enrol(user)
    client = sign_in("cc2")
    assert api_refusal(client.get(API_LIST))["code"] == "second_factor_required"


def test_an_integration_token_is_not_a_session_and_keeps_working():
    from api.models import IntegrationSystem, IntegrationToken

    system = IntegrationSystem.objects.create(name="QLVB")
    system.agencies.add(AgencyFactory())
    _token, secret = IntegrationToken.issue(system)
    client = Client()
    assert client.get(API_LIST, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200

    # Sent from a browser holding a password-only session: the token still decides.
    UserFactory(username="snv3", groups=[HOME_AFFAIRS_GROUP])
    browser = sign_in("snv3")
    assert api_refusal(browser.get(API_LIST))["code"] == "second_factor_setup"
    assert browser.get(API_LIST, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200


def test_the_second_factor_page_is_drawn_once_and_its_sprite_is_the_icons():
    """ux.md H2: the admin's icon sprite was redirected to the page, which the sprite loader
    then drew inside the page a second time."""
    user = UserFactory(username="snv4", groups=[HOME_AFFAIRS_GROUP])
    enrol(user)
    client = sign_in("snv4")
    page = client.get("/tai-khoan/xac-thuc/?next=/admin/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('id="id_token"') == 1
    assert html.count("<h1") == 1 and "Xác thực hai lớp" in html
    sprite_url = reverse("wagtailadmin_sprite")
    sprite = client.get(sprite_url, HTTP_SEC_FETCH_MODE="cors")
    assert sprite.status_code == 200
    body = sprite.content.decode()
    assert "<svg" in body and "id_token" not in body and "<h1" not in body
    # Any other resource a page fetches gets a short refusal, never the step's page.
    fetched = client.get("/admin/reports/", HTTP_SEC_FETCH_MODE="cors")
    assert fetched.status_code == 403
    assert "id_token" not in fetched.content.decode()
    assert "xác thực hai lớp" in fetched.content.decode()


def test_everything_under_the_api_answers_with_the_api_policy():
    """The page gate leaves ``/api/`` to the API's session authentication: only so while every
    view there is a DRF view using it."""
    from rest_framework.views import APIView

    from api.authentication import VerifiedSessionAuthentication

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    checked = 0
    for route, callback in walk(get_resolver().url_patterns, ""):
        if not route.startswith("api/"):
            continue
        view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if route == "api/":  # the redirect to /api/v1/
            continue
        assert view is not None and issubclass(view, APIView), route
        classes = view.authentication_classes
        assert (
            not classes
            or any(issubclass(c, VerifiedSessionAuthentication) for c in classes)
            or not any(c.__name__ == "SessionAuthentication" for c in classes)
        ), route
        checked += 1
    assert checked > 20
