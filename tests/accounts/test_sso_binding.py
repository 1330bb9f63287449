"""Single sign-on bound to the person (issue 41 item 2; review 2026-11-25 security.md H2).

The backend's hooks (mozilla-django-oidc's ``get_or_create_user`` → ``verify_claims`` →
``filter_users_by_claims``) are called as the callback calls them, with the verified ID token's
claims (``iss``, ``sub``) and the provider's user info; the full round trip through a real
provider is in ``test_sso.py`` and ``tests/browser/test_accounts.py``.

Before: an agency admin who wrote their own provider address (or user name) into the director's
personnel record was signed in as the director. Now the provider's ``iss`` + ``sub`` sign in only
once linked by the person's own proof; the matched field is read-only for agency admins once
the person has a sign-in; linking, unlinking and refusals are account events."""

from __future__ import annotations

from html import unescape

import pytest

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory, override_settings

from accounts import services, sso
from accounts.models import AccountEvent, ActivationCode, ExternalIdentity
from accounts.oidc import OIDCBackend
from org import people_writes, write_gate
from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org.models import CivilServant, LeadershipRole
from org.roles import ensure_roles
from tests.browsing import form_data
from tests.factories import (
    AgencyAccessFactory,
    AgencyFactory,
    CivilServantFactory,
    UserFactory,
    post,
    with_user,
)

pytestmark = pytest.mark.django_db

ISSUER = "https://dinhdanh.thanhan.gov.vn/openid"
BY_EMAIL = {"KPI_OIDC_MATCH_FIELD": "email", "KPI_OIDC_MATCH_CLAIM": "email"}
Action = AccountEvent.Action


class Callback(OIDCBackend):
    """The backend as the callback runs it, after the provider answered: ``claims`` are the
    user info the provider's endpoint returned for this access token."""

    def __init__(self, request, claims):
        super().__init__()
        self.request = request
        self._claims = claims

    def get_userinfo(self, access_token, id_token, payload):
        return self._claims


def callback(claims: dict, *, session=None, user=None, sub=None):
    """Who the callback signs in for this provider identity (or None), and the request."""
    request = RequestFactory().get("/oidc/callback/")
    request.session = session if session is not None else SessionStore()
    if user is not None:
        request.user = user
    payload = {"iss": ISSUER, "sub": sub or claims["sub"], "aud": "kpi-congvu"}
    return Callback(request, claims).get_or_create_user("at", "idt", payload), request


@pytest.fixture
def stp(db):
    """Sở Tư pháp: its director (a sign-in, the agency's head), a civil servant with a sign-in,
    and its agency admin; Sở Nội vụ."""
    ensure_roles()
    agency = AgencyFactory(code="STP", name="Sở Tư pháp")
    director = post(
        agency,
        role=LeadershipRole.HEAD,
        person=CivilServantFactory(
            official_id="CC000039", full_name="Lê Văn Giám", email="giamdoc.stp@thanhan.gov.vn"
        ),
    )
    with_user(director, "giamdoc.stp")
    clerk_person = post(
        agency,
        person=CivilServantFactory(
            official_id="CC000044", full_name="Phạm Thị Công", email="cc000044@thanhan.gov.vn"
        ),
    )
    with_user(clerk_person, "congchuc")
    admin = UserFactory(username="quantri.stp", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=agency)
    home = UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    director.refresh_from_db()
    clerk_person.refresh_from_db()
    return agency, director, clerk_person, admin, home


def refusals(user=None):
    return AccountEvent.objects.filter(action=Action.SSO_REFUSED, user=user)


# --- security.md H2, reproduced -------------------------------------------------------------


@override_settings(**BY_EMAIL)
def test_h2_an_address_written_on_the_directors_record_does_not_sign_in_as_the_director(stp):
    """The review's first try: ``quantri.stp`` writes an address he owns at the provider on the
    director's record, then signs in at the provider with it (his own subject)."""
    _agency, director, _clerk, _admin, _home = stp
    CivilServant.objects.filter(pk=director.pk).update(email="quantri.stp@thanhan.gov.vn")
    claims = {"sub": "idp-user-77", "email": "quantri.stp@thanhan.gov.vn", "email_verified": True}
    user, request = callback(claims)
    assert user is None
    # Not signed in: asked to prove he is the director (the activation code), nothing linked.
    pending = request.session[sso.PENDING_KEY]
    assert pending["user"] == director.user_id and pending["subject"] == "idp-user-77"
    assert not ExternalIdentity.objects.exists()


@override_settings(**BY_EMAIL)
def test_h2_once_the_director_linked_his_own_identity_another_one_is_refused_and_logged(stp):
    _agency, director, _clerk, _admin, _home = stp
    services.link_identity(director.user, director.user, ISSUER, "idp-giamdoc", how="test")
    CivilServant.objects.filter(pk=director.pk).update(email="quantri.stp@thanhan.gov.vn")
    claims = {"sub": "idp-user-77", "email": "quantri.stp@thanhan.gov.vn", "email_verified": True}
    user, request = callback(claims)
    assert user is None
    message = request.session[sso.REFUSAL_KEY]
    assert "không phải tài khoản đã liên kết với Lê Văn Giám" in message
    assert sso.PENDING_KEY not in request.session
    event = refusals(director.user).get()
    assert "idp-user-77" in event.detail
    # His own identity still signs him in, whatever the record says.
    user, _request = callback({"sub": "idp-giamdoc", "email": "khac@thanhan.gov.vn"})
    assert user == director.user


def test_h2_default_rule_an_official_id_rewritten_to_ones_provider_name_signs_nobody_in(stp):
    """The review's second try (the default rule, official ID): the colleague's official ID
    rewritten to the admin's provider user name."""
    _agency, _director, clerk, _admin, _home = stp
    CivilServant.objects.filter(pk=clerk.pk).update(official_id="QUANTRI.STP")
    user, request = callback({"sub": "idp-quantri", "preferred_username": "quantri.stp"})
    assert user is None
    assert request.session[sso.PENDING_KEY]["user"] == clerk.user_id
    assert "_auth_user_id" not in request.session


@override_settings(**BY_EMAIL)
def test_h2_an_unverified_email_is_never_matched(stp):
    _agency, _director, _clerk, _admin, _home = stp
    claims = {"sub": "idp-x", "email": "CC000044@THANHAN.GOV.VN", "email_verified": False}
    user, request = callback(claims)
    assert user is None
    assert (
        "chưa xác nhận địa chỉ thư điện tử “CC000044@THANHAN.GOV.VN”"
        in (request.session[sso.REFUSAL_KEY])
    )
    assert sso.PENDING_KEY not in request.session
    # Logged on the sign-in the address names: that person sees the attempt.
    assert refusals(_clerk.user).get().username == "CC000044@THANHAN.GOV.VN"
    # Without the claim at all: the same.
    user, request = callback({"sub": "idp-x", "email": "cc000044@thanhan.gov.vn"})
    assert user is None and sso.REFUSAL_KEY in request.session


def test_a_person_without_a_sign_in_gets_none_through_the_provider(stp):
    """Before, the first single sign-on of a known person created their sign-in: whoever wrote
    their provider name on a record without a sign-in became that person."""
    agency, *_rest = stp
    post(agency, person=CivilServantFactory(official_id="CC000050", full_name="Đỗ Văn Mới"))
    user, request = callback({"sub": "idp-50", "preferred_username": "cc000050"})
    assert user is None
    assert "Đỗ Văn Mới chưa có tài khoản đăng nhập" in request.session[sso.REFUSAL_KEY]
    assert CivilServant.objects.get(official_id="CC000050").user is None
    assert refusals().filter(username="cc000050").exists()


def test_a_linked_sign_in_that_is_locked_is_refused_with_its_reason(stp):
    _agency, _director, clerk, _admin, _home = stp
    services.link_identity(clerk.user, clerk.user, ISSUER, "idp-44", how="test")
    clerk.user.is_active = False
    clerk.user.save()
    user, request = callback({"sub": "idp-44", "preferred_username": "cc000044"})
    assert user is None
    assert "Tài khoản của Phạm Thị Công đã bị khóa" in request.session[sso.REFUSAL_KEY]
    assert refusals(clerk.user).exists()


def test_the_userinfo_subject_must_be_the_id_tokens(stp):
    _agency, _director, clerk, _admin, _home = stp
    services.link_identity(clerk.user, clerk.user, ISSUER, "idp-44", how="test")
    user, request = callback({"sub": "idp-44", "preferred_username": "x"}, sub="idp-other")
    assert user is None
    assert "Nhà cung cấp định danh trả lời không hợp lệ" in request.session[sso.REFUSAL_KEY]


# --- proving oneself ------------------------------------------------------------------------


def _pending_session(client: Client, claims) -> None:
    """The provider identity waiting for proof, put in ``client``'s session as the callback
    does."""
    session = client.session
    user, _request = callback(claims, session=session)
    assert user is None
    session.save()


def test_the_activation_code_links_the_provider_and_signs_the_person_in(stp):
    _agency, _director, clerk, admin, _home = stp
    code = services.reset(admin, clerk.user)
    client = Client()
    _pending_session(client, {"sub": "idp-44", "preferred_username": "cc000044"})
    refused = client.get("/tai-khoan/dang-nhap-mot-lan/tu-choi/")
    assert refused.status_code == 302 and refused.url == "/tai-khoan/dang-nhap-mot-lan/lien-ket/"
    page = client.get(refused.url).content.decode()
    assert "Phạm Thị Công" in unescape(page)

    wrong = client.post(refused.url, {"code": "AAAAA-BBBBB"})
    assert "Mã kích hoạt không đúng" in unescape(wrong.content.decode())
    assert "_auth_user_id" not in client.session
    assert refusals(clerk.user).filter(detail__contains="mã kích hoạt không đúng").exists()

    answer = client.post(refused.url, {"code": code})
    assert answer.status_code == 302
    assert int(client.session["_auth_user_id"]) == clerk.user_id
    assert client.session[BACKEND_SESSION_KEY] == sso.OIDC_BACKEND
    link = ExternalIdentity.objects.get()
    assert (link.user, link.issuer, link.subject) == (clerk.user, ISSUER, "idp-44")
    assert AccountEvent.objects.filter(user=clerk.user, action=Action.SSO_LINKED).exists()
    assert ActivationCode.objects.get(user=clerk.user).used_at is not None
    # Linked: the same identity signs in directly next time.
    user, _request = callback({"sub": "idp-44", "preferred_username": "cc000044"})
    assert user == clerk.user


def test_five_wrong_codes_end_the_attempt(stp, settings):
    # The lockout shared with the sign-in page (below) set higher: this attempt's own limit.
    settings.AXES_FAILURE_LIMIT = 10
    _agency, _director, clerk, admin, _home = stp
    services.reset(admin, clerk.user)
    client = Client()
    _pending_session(client, {"sub": "idp-44", "preferred_username": "cc000044"})
    for _ in range(sso.MAX_CODE_TRIES):
        answer = client.post("/tai-khoan/dang-nhap-mot-lan/lien-ket/", {"code": "AAAAA-BBBBB"})
    assert answer.status_code == 302
    refused = client.get(answer.url)
    assert "Nhập sai mã kích hoạt quá nhiều lần" in unescape(refused.content.decode())
    assert not ExternalIdentity.objects.exists()


def test_the_account_page_links_only_after_password_and_second_factor(stp):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _agency, _director, clerk, _admin, _home = stp
    client = Client()
    client.force_login(clerk.user, backend="accounts.backends.PostingRolesBackend")
    url = "/admin/tai-khoan/dang-nhap-mot-lan/"
    with override_settings(KPI_OIDC_ENABLED=True):
        page = unescape(client.get(url).content.decode())
        assert "hãy thiết lập xác thực hai lớp trước" in page
        answer = client.post(url, {"action": "link"}, follow=True)
        assert "hãy đăng nhập bằng mật khẩu và nhập mã xác thực hai lớp" in unescape(
            answer.content.decode()
        )
        assert sso.LINK_INTENT_KEY not in client.session

        device = TOTPDevice.objects.create(user=clerk.user, name="app", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        answer = client.post(url, {"action": "link"})
        assert answer.status_code == 302 and answer.url.startswith("/oidc/authenticate/")
        assert client.session[sso.LINK_INTENT_KEY] == clerk.user_id

    # The callback, in that session: the identity the person signed in with is linked.
    session = client.session
    request_user = clerk.user
    request_user.is_verified = lambda: True  # what django-otp's middleware sets from the session
    user, _request = callback(
        {"sub": "idp-own", "preferred_username": "cc000044"}, session=session, user=request_user
    )
    assert user == clerk.user
    assert ExternalIdentity.objects.get().subject == "idp-own"
    assert AccountEvent.objects.filter(
        user=clerk.user, action=Action.SSO_LINKED, detail__contains="xác thực hai lớp"
    ).exists()

    # The person sees the link and its event; unlinks it themselves.
    page = unescape(client.get(url).content.decode())
    assert "idp-own" in page and "Liên kết đăng nhập một lần" in page
    client.post(url, {"action": "unlink"})
    assert not ExternalIdentity.objects.exists()
    page = unescape(client.get(url).content.decode())
    assert "Hủy liên kết đăng nhập một lần" in page
    assert AccountEvent.objects.filter(user=clerk.user, action=Action.SSO_UNLINKED).exists()


def test_a_session_signed_in_through_the_provider_cannot_link_another_identity(stp):
    _agency, _director, clerk, _admin, _home = stp
    client = Client()
    client.force_login(clerk.user, backend=sso.OIDC_BACKEND)
    request = RequestFactory().get("/")
    request.user = clerk.user
    request.user.is_verified = lambda: True
    request.session = client.session
    assert not sso.signed_in_with_second_factor(request)


# --- the matched field: read-only for agency admins once a sign-in exists -----------------


def test_the_agency_admin_cannot_rewrite_the_directors_official_id_on_the_form(stp):
    _agency, director, _clerk, admin, _home = stp
    client = Client()
    client.force_login(admin)
    url = f"/admin/snippets/org/civilservant/edit/{director.pk}/"
    page = client.get(url).content.decode()
    assert "chỉ Sở Nội vụ được sửa" in unescape(page)
    data = form_data(page)
    data["official_id"] = "QUANTRI.STP"
    data["phone"] = "0912000039"
    client.post(url, data)
    stored = CivilServant.objects.get(pk=director.pk)
    assert stored.official_id == "CC000039"
    assert stored.phone == "0912000039"  # the rest of the record is still the agency's


@override_settings(**BY_EMAIL)
def test_the_service_refuses_the_agency_admins_change_of_the_matched_email(stp):
    _agency, director, _clerk, admin, _home = stp
    director.email = "quantri.stp@thanhan.gov.vn"
    with pytest.raises(write_gate.Refused) as refused:
        people_writes.save(admin, director)
    assert "Lê Văn Giám đã có tài khoản đăng nhập: thư điện tử là căn cứ" in (refused.value.message)
    assert CivilServant.objects.get(pk=director.pk).email == "giamdoc.stp@thanhan.gov.vn"
    # Its official ID is not the matched field under this setting: the agency still edits it.
    assert sso.matched_field_refusal(admin, director, "CC000039", "X", "official_id") is None
    # The import's bulk write asks the same rule.
    with pytest.raises(people_writes.BulkRefused) as bulk:
        people_writes.save_many(
            admin,
            ["CC000039"],
            write=lambda: CivilServant.objects.filter(pk=director.pk).update(
                email="quantri.stp@thanhan.gov.vn"
            ),
        )
    assert bulk.value.problems[0][0] == "CC000039"
    assert "chỉ Sở Nội vụ được sửa" in bulk.value.problems[0][1]
    assert CivilServant.objects.get(pk=director.pk).email == "giamdoc.stp@thanhan.gov.vn"


def test_a_person_without_a_sign_in_keeps_an_editable_official_id(stp):
    agency, _director, _clerk, admin, _home = stp
    person = post(agency, person=CivilServantFactory(official_id="CC000051"))
    assert sso.matched_field_refusal(admin, person, "CC000051", "CC000052") is None


def test_home_affairs_changes_the_matched_field_and_that_unlinks_with_an_event(stp):
    _agency, director, _clerk, _admin, home = stp
    services.link_identity(director.user, director.user, ISSUER, "idp-giamdoc", how="test")
    director.official_id = "CC000139"
    people_writes.save(home, director)
    assert CivilServant.objects.get(pk=director.pk).official_id == "CC000139"
    assert not ExternalIdentity.objects.exists()
    event = AccountEvent.objects.get(user=director.user, action=Action.SSO_UNLINKED)
    assert event.actor == home
    assert "“CC000039” thành “CC000139”" in event.detail


def test_home_affairs_unlinks_from_the_account_list_and_the_agency_admin_cannot(stp):
    agency, director, _clerk, admin, home = stp
    services.link_identity(director.user, director.user, ISSUER, "idp-giamdoc", how="test")
    url = f"/admin/tai-khoan/{director.user_id}/unlink/"
    clerk_client = Client()
    clerk_client.force_login(admin)
    clerk_client.post(url, {"agency": agency.pk})
    assert ExternalIdentity.objects.exists()
    home_client = Client()
    home_client.force_login(home)
    listing = unescape(home_client.get(f"/admin/tai-khoan/?agency={agency.pk}").content.decode())
    assert "Đã liên kết đăng nhập một lần" in listing
    home_client.post(url, {"agency": agency.pk})
    assert not ExternalIdentity.objects.exists()
    events = unescape(home_client.get("/admin/tai-khoan/nhat-ky/").content.decode())
    assert "Hủy liên kết đăng nhập một lần" in events


# --- the same proof, the same limits, the same eyes (issue 41, second pass) ----------------

LINK = "/tai-khoan/dang-nhap-mot-lan/lien-ket/"


def test_wrong_codes_on_the_link_page_count_with_the_activation_pages_lockout(stp, settings):
    """Each new round trip through the provider gave five more guesses at the activation code:
    the link page's wrong codes now count with the sign-in and activation pages' lockout
    (django-axes, per user name and address), and a locked-out pair is refused the right code."""
    _agency, _director, clerk, admin, _home = stp
    code = services.reset(admin, clerk.user)
    claims = {"sub": "idp-44", "preferred_username": "cc000044"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client = Client(REMOTE_ADDR="10.7.7.7")  # a new round trip each time
        _pending_session(client, claims)
        client.post(LINK, {"code": "AAAAA-BBBBB"})
    client = Client(REMOTE_ADDR="10.7.7.7")
    _pending_session(client, claims)
    locked = client.post(LINK, {"code": code})
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in unescape(locked.content.decode())
    assert not ExternalIdentity.objects.exists()
    assert "_auth_user_id" not in client.session
    # The same lockout as the sign-in page for that name and address.
    sign_in = Client(REMOTE_ADDR="10.7.7.7").post(
        "/admin/login/", {"username": clerk.user.username, "password": "x"}
    )
    assert sign_in.status_code == 429
    # Sở Nội vụ unlocks: the code links again.
    services.unlock(_home, clerk.user)
    client = Client(REMOTE_ADDR="10.7.7.7")
    _pending_session(client, claims)
    assert client.post(LINK, {"code": code}).status_code == 302
    assert ExternalIdentity.objects.get().user == clerk.user


def test_linking_with_the_code_lets_this_browser_enrol_the_first_authenticator(stp):
    """The activation code proves the person as on the activation page: a head asked for a
    second factor who links single sign-on with the code on his slip enrols his authenticator
    in the same browser (was: refused, "a password alone does not enrol")."""
    _agency, director, _clerk, _admin, home = stp
    code = services.reset(home, director.user)
    client = Client()
    _pending_session(client, {"sub": "idp-39", "preferred_username": "cc000039"})
    assert client.post(LINK, {"code": code}).status_code == 302
    assert int(client.session["_auth_user_id"]) == director.user_id
    with override_settings(KPI_2FA_REQUIRED=True):
        home_page = client.get("/admin/")
        assert home_page.status_code == 302 and "/tai-khoan/xac-thuc/thiet-lap/" in home_page.url
        setup = client.get("/tai-khoan/xac-thuc/thiet-lap/")
    assert setup.status_code == 200
    assert 'id="id_token"' in setup.content.decode()


def test_the_account_page_links_only_an_identity_that_names_the_person(stp):
    """Linking from one's own page (password and second factor) takes the identity the browser
    comes back with: only one whose claim names this person's record (their official ID, or
    their e-mail verified by the provider) — not one a forged sign-in at the provider put in
    their browser, nor a colleague's."""
    _agency, _director, clerk, _admin, _home = stp
    request_user = clerk.user
    request_user.is_verified = lambda: True
    client = Client()
    client.force_login(clerk.user, backend="accounts.backends.PostingRolesBackend")
    for claim in ("quantri.stp", "cc000039"):
        session = client.session
        session[sso.LINK_INTENT_KEY] = clerk.user_id
        session.save()
        user, request = callback(
            {"sub": f"idp-{claim}", "preferred_username": claim}, session=session, user=request_user
        )
        assert user is None
        message = request.session[sso.REFUSAL_KEY]
        assert f"mã số công chức “{claim}”" in message and "CC000044" in message
    assert not ExternalIdentity.objects.exists()
    assert refusals(clerk.user).count() == 2
    # Her own: linked.
    session = client.session
    session[sso.LINK_INTENT_KEY] = clerk.user_id
    session.save()
    user, _request = callback(
        {"sub": "idp-44", "preferred_username": "cc000044"}, session=session, user=request_user
    )
    assert user == clerk.user
    assert ExternalIdentity.objects.get().subject == "idp-44"


@override_settings(**BY_EMAIL)
def test_the_account_page_links_an_email_identity_only_when_the_provider_verified_it(stp):
    _agency, _director, clerk, _admin, _home = stp
    request_user = clerk.user
    request_user.is_verified = lambda: True
    client = Client()
    client.force_login(clerk.user, backend="accounts.backends.PostingRolesBackend")
    session = client.session
    session[sso.LINK_INTENT_KEY] = clerk.user_id
    session.save()
    claims = {"sub": "idp-44", "email": "cc000044@thanhan.gov.vn", "email_verified": False}
    user, request = callback(claims, session=session, user=request_user)
    assert user is None
    assert "chưa xác nhận địa chỉ thư điện tử" in request.session[sso.REFUSAL_KEY]
    assert not ExternalIdentity.objects.exists()


@override_settings(**BY_EMAIL)
def test_an_unverified_email_refusal_is_shown_to_the_person_it_named(stp):
    """Someone who set a colleague's address, unverified, at the provider is refused; the
    colleague sees the attempt on their own page (it was logged on nobody)."""
    _agency, _director, clerk, _admin, _home = stp
    claims = {"sub": "idp-x", "email": "CC000044@thanhan.gov.vn", "email_verified": False}
    callback(claims)
    event = refusals(clerk.user).get()
    assert "idp-x" in event.detail
    client = Client()
    client.force_login(clerk.user)
    page = unescape(client.get("/admin/tai-khoan/dang-nhap-mot-lan/").content.decode())
    assert "idp-x" in page
