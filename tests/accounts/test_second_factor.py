"""The second factor (TOTP, django-otp): asked of Sở Nội vụ, agency admins and the province
office before the admin answers (when ``KPI_2FA_REQUIRED``, on by default in production; the
test settings turn it off for the rest of the suite), optional for others; recovery codes work
once. Codes are computed from the device's key, as an authenticator app does."""

import re
import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.test import Client
from django.urls import reverse

from org.access import HOME_AFFAIRS_GROUP, PROVINCE_OFFICE_GROUP
from org.roles import ensure_roles
from tests.accounts.helpers import PASSWORD, code, sign_in
from tests.factories import AgencyFactory, UserFactory, post, with_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.KPI_2FA_REQUIRED = True
    ensure_roles()


def activated(username) -> Client:
    """A browser that activated ``username`` with a fresh activation code, then signed in: the
    first authenticator is enrolled only by one who holds the code (accounts.enrolment)."""
    from accounts.models import User
    from accounts.services import operator_code

    client = Client()
    code = operator_code(User.objects.get(username=username))
    done = client.post(
        reverse("accounts_activate"),
        {"username": username, "code": code, "password": PASSWORD, "password2": PASSWORD},
    )
    assert done.status_code == 302, done.content.decode()
    signed = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": PASSWORD}
    )
    assert signed.status_code == 302
    return client


def test_home_affairs_sets_up_the_second_factor_then_must_present_it():
    UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    client = activated("snv")
    first = client.get("/admin/")
    assert first.status_code == 302 and first.url.startswith(reverse("accounts_otp_setup"))
    setup = client.get(first.url)
    assert "Vai trò của bạn yêu cầu xác thực hai lớp" in setup.content.decode()
    device = TOTPDevice.objects.get(user__username="snv")
    wrong = client.post(first.url, {"token": "000000"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    time.sleep(1.1)  # django-otp throttles after a wrong code
    done = client.post(first.url, {"token": code(device), "next": "/admin/"})
    recovery = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(recovery) == 10
    assert client.get("/admin/").status_code == 200

    # A new sign-in: the password alone does not open the admin.
    client = sign_in("snv")
    gate = client.get("/admin/reports/")
    assert gate.status_code == 302 and gate.url.startswith(reverse("accounts_otp_verify"))
    refused = client.post(reverse("accounts_otp_verify"), {"token": "123456"})
    assert "Mã xác thực không đúng" in refused.content.decode()
    assert client.get("/admin/").status_code == 302
    time.sleep(1.1)
    device.refresh_from_db()
    ok = client.post(
        reverse("accounts_otp_verify"), {"token": code(device, ahead=1), "next": "/admin/"}
    )
    assert ok.status_code == 302 and ok.url == "/admin/"
    assert client.get("/admin/").status_code == 200

    # A recovery code works once.
    client = sign_in("snv")
    assert client.post(reverse("accounts_otp_verify"), {"token": recovery[0]}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client = sign_in("snv")
    reused = client.post(reverse("accounts_otp_verify"), {"token": recovery[0]})
    assert "Mã xác thực không đúng" in reused.content.decode()


def test_the_province_office_is_asked_a_civil_servant_is_not():
    UserFactory(username="vp", groups=[PROVINCE_OFFICE_GROUP])
    assert sign_in("vp").get("/admin/").url.startswith(reverse("accounts_otp_setup"))
    person = post(AgencyFactory())
    with_user(person, "cc")
    assert sign_in("cc").get("/admin/").status_code == 200


def test_the_setting_turns_it_off(settings):
    settings.KPI_2FA_REQUIRED = False
    UserFactory(username="snv2", groups=[HOME_AFFAIRS_GROUP])
    response = sign_in("snv2").get("/admin/")
    assert response.status_code == 200
    assert "Xác thực hai lớp" not in response.content.decode()  # the dashboard, no code asked
