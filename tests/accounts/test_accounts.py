"""Sign-ins from the personnel records: bulk creation with activation slips, activation, the
forced password change, roles that follow postings, deactivation when postings end, and what an
agency admin may do to whose sign-ins (accounts.services, accounts.views)."""

import datetime
import re

import pytest

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import AccountEvent, ActivationCode
from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org.models import LeadershipRole
from org.roles import ensure_roles
from tests.factories import AgencyAccessFactory, AgencyFactory, UnitFactory, UserFactory, post

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def world():
    ensure_roles()
    dept = AgencyFactory(code="STP", name="Sở Tư pháp")
    unit = UnitFactory(code="STP-VP", name="Văn phòng Sở Tư pháp", parent=dept)
    other = AgencyFactory(code="SKHCN", name="Sở Khoa học và Công nghệ")
    people = [
        post(unit, full_name="Nguyễn Văn An"),
        post(unit, full_name="Trần Thị Bình"),
        post(dept, role=LeadershipRole.HEAD, full_name="Lê Văn Cường"),
    ]
    people[1].email = "binh@example.vn"
    people[1].save()
    outsider = post(other, full_name="Phạm Thị Dung")
    sonoivu = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    admin = UserFactory(username="qt.stp", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=dept, role="agency_admin")
    other_admin = UserFactory(username="qt.skhcn", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=other_admin, agency=other, role="agency_admin")
    return {
        "dept": dept,
        "unit": unit,
        "other": other,
        "people": people,
        "outsider": outsider,
        "sonoivu": sonoivu,
        "admin": admin,
        "other_admin": other_admin,
    }


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_home_affairs_creates_every_sign_in_of_an_agency_and_prints_the_slips(
    world, mailoutbox, mail_sent_at_once, django_capture_on_commit_callbacks
):
    client = _client(world["sonoivu"])
    page = client.get(reverse("accounts_index"), {"agency": world["dept"].pk})
    html = page.content.decode()
    assert "3 người đang công tác chưa có tài khoản." in html
    assert "Phạm Thị Dung" not in html

    with django_capture_on_commit_callbacks(execute=True):  # the job runs after the commit
        response = client.post(
            reverse("accounts_index"), {"agency": world["dept"].pk, "email": "1"}, follow=True
        )
    response = client.get(response.request["PATH_INFO"])  # the batch page, the job done
    html = response.content.decode()
    assert "Đã xử lý 3/3 người." in html
    assert html.count('data-outcome="created"') == 3
    assert "đã gửi thư mời" in html
    for person in world["people"]:
        person.refresh_from_db()
        assert person.user.username == person.official_id.lower()
        assert not person.user.has_usable_password()
    assert world["outsider"].user_id is None
    # The e-mail invitation went to the one person with an address, with a code.
    assert len(mailoutbox) == 1 and "binh@example.vn" in mailoutbox[0].to
    # Codes are stored hashed only.
    slips = client.get(reverse("accounts_slips", args=[response.context["batch"].pk]))
    text = slips.content.decode()
    codes = re.findall(r'<span class="code">([A-Z0-9-]+)</span>', text)
    assert len(codes) == 3
    assert not ActivationCode.objects.filter(code_hash__in=codes).exists()
    assert "Văn phòng Sở Tư pháp" in text  # grouped by unit
    assert AccountEvent.objects.filter(action="created").count() == 3

    # A second run creates nothing and says why.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("accounts_index"), {"agency": world["dept"].pk}, follow=True)
    assert "Đã xử lý 0/0 người." in again.content.decode()


def sign_in(client, username, password) -> bool:
    """Signs in through the admin's sign-in form (as a person does; axes needs the request)."""
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}
    )
    return response.status_code == 302 and "_auth_user_id" in client.session


def refused(response) -> bool:
    """The admin answers a refusal with 403, or a redirect to its home page with a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == "/admin/"
    )


def _provision_one(world, person):
    outcome = services.provision(world["sonoivu"], [person])
    person.refresh_from_db()
    return person.user, outcome.codes[person.user_id]


def test_a_person_activates_with_the_code_and_signs_in(world):
    person = world["people"][0]
    user, code = _provision_one(world, person)
    client = Client()
    wrong = client.post(
        reverse("accounts_activate"),
        {"username": user.username, "code": "AAAAA-BBBBB", "password": "x", "password2": "x"},
    )
    assert "Tên đăng nhập hoặc mã kích hoạt không đúng" in wrong.content.decode()
    mismatch = client.post(
        reverse("accounts_activate"),
        {
            "username": user.username,
            "code": code,
            "password": "Ab-12345678x",
            "password2": "Ab-12345678y",
        },
    )
    assert "Hai lần nhập mật khẩu không khớp." in mismatch.content.decode()
    ok = client.post(
        reverse("accounts_activate"),
        {
            "username": user.username,
            "code": code.lower(),
            "password": "Ab-12345678x",
            "password2": "Ab-12345678x",
        },
        follow=True,
    )
    assert "Đã kích hoạt tài khoản" in ok.content.decode()
    user.refresh_from_db()
    assert user.check_password("Ab-12345678x") and not user.must_change_password
    # Single use.
    reused = client.post(
        reverse("accounts_activate"),
        {
            "username": user.username,
            "code": code,
            "password": "Cd-12345678x",
            "password2": "Cd-12345678x",
        },
    )
    assert "đã được dùng" in reused.content.decode()
    assert sign_in(client, user.username, "Ab-12345678x")


def test_an_expired_code_is_refused_with_advice(world):
    user, code = _provision_one(world, world["people"][0])
    ActivationCode.objects.filter(user=user).update(
        expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    response = Client().post(
        reverse("accounts_activate"),
        {
            "username": user.username,
            "code": code,
            "password": "Ab-12345678x",
            "password2": "Ab-12345678x",
        },
    )
    assert "Mã kích hoạt đã hết hạn: đề nghị quản trị cơ quan cấp lại" in response.content.decode()


def test_a_password_set_by_someone_else_is_changed_first(world):
    person = world["people"][0]
    user, _code = _provision_one(world, person)
    user.set_password("Tam-thoi-123")
    user.must_change_password = True
    user.save()
    client = _client(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts_change_password") + "?next=")
    # Every surface, not only the admin (accounts.auth_policy): the API refuses with the step.
    refused = client.get("/api/v1/civil-servants/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "password_change_required"
    changed = client.post(
        reverse("accounts_change_password"),
        {
            "old_password": "Tam-thoi-123",
            "new_password1": "Moi-12345678x",
            "new_password2": "Moi-12345678x",
        },
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/admin/").status_code == 200


def test_a_leaders_rights_follow_their_posting(world):
    head = world["people"][2]
    user, _ = _provision_one(world, head)
    assert not user.groups.exists()  # nothing assigned by hand
    fresh = User.objects.get(pk=user.pk)
    assert fresh.has_perm("org.view_civilservant")  # a leader's right, from the head posting
    assert fresh.has_perm("wagtailadmin.access_admin")
    staff_user, _ = _provision_one(world, world["people"][0])
    assert not User.objects.get(pk=staff_user.pk).has_perm("org.view_civilservant")

    # The posting ends: the rights go, the sign-in is deactivated and kept.
    posting = head.postings.get()
    posting.end_date = datetime.date(2026, 1, 31)
    posting.save()
    fresh = User.objects.get(pk=user.pk)
    assert not fresh.is_active
    assert not fresh.has_perm("org.view_civilservant")
    assert AccountEvent.objects.filter(user=user, action="deactivated").exists()

    # A new deputy posting gives them back, and opens the sign-in the sweep had closed.
    post(world["unit"], role=LeadershipRole.DEPUTY, person=head, start=datetime.date(2026, 2, 1))
    fresh = User.objects.get(pk=user.pk)
    assert fresh.is_active
    assert fresh.has_perm("org.view_civilservant")
    # A sign-in deactivated by a person stays closed whatever is posted.
    services.set_active(world["sonoivu"], fresh, False)
    post(world["dept"], person=head, start=datetime.date(2026, 3, 1), is_concurrent=True)
    assert not User.objects.get(pk=user.pk).is_active


def test_a_person_whose_postings_ended_cannot_sign_in(world):
    person = world["people"][0]
    user, _ = _provision_one(world, person)
    user.set_password("Ab-12345678x")
    user.save()
    client = Client()
    assert sign_in(client, user.username, "Ab-12345678x")
    person.postings.update(end_date=datetime.date(2026, 1, 31))  # no signal: a date passing
    assert client.get("/admin/").status_code == 302  # the open session ends
    assert not sign_in(Client(), user.username, "Ab-12345678x")
    assert services.sync_all() == 1
    user.refresh_from_db()
    assert not user.is_active


def test_agency_admin_manages_only_their_own_people(world):
    admin = world["admin"]
    outsider_user, _ = _provision_one(world, world["outsider"])
    own_user, _ = _provision_one(world, world["people"][0])
    client = _client(admin)
    page = client.get(reverse("accounts_index"))
    options = page.content.decode()
    assert "Sở Tư pháp" in options and "Sở Khoa học và Công nghệ" not in options

    # Another agency's person: refused, and nothing changes.
    for action in ("reset", "unlock", "deactivate", "grant"):
        response = client.post(
            reverse("accounts_user_action", args=[outsider_user.pk, action]),
            {"role": "agency_admin", "grant_agency": world["dept"].pk},
        )
        assert refused(response)
    outsider_user.refresh_from_db()
    assert outsider_user.is_active and not outsider_user.groups.exists()
    # Bulk creation for another agency is refused too.
    assert client.post(reverse("accounts_index"), {"agency": world["other"].pk}).status_code == 302
    assert not User.objects.filter(username=world["outsider"].official_id.lower() + "x").exists()

    # Their own: reset gives a new slip; deactivate works and is logged.
    reset = client.post(reverse("accounts_user_action", args=[own_user.pk, "reset"]))
    assert "PHIẾU KÍCH HOẠT TÀI KHOẢN" in reset.content.decode()
    client.post(reverse("accounts_user_action", args=[own_user.pk, "deactivate"]))
    own_user.refresh_from_db()
    assert not own_user.is_active
    assert AccountEvent.objects.filter(user=own_user, action="deactivated", actor=admin).exists()

    # Cannot raise anyone to Sở Nội vụ.
    services.set_active(admin, own_user, True)
    client.post(
        reverse("accounts_user_action", args=[own_user.pk, "grant"]), {"role": "home_affairs"}
    )
    assert not own_user.groups.filter(name=HOME_AFFAIRS_GROUP).exists()
    # …nor touch a Sở Nội vụ sign-in.
    assert refused(
        client.post(reverse("accounts_user_action", args=[world["sonoivu"].pk, "deactivate"]))
    )
    # Agency admin within their own agency: granted and logged.
    client.post(
        reverse("accounts_user_action", args=[own_user.pk, "grant"]),
        {"role": "agency_admin", "grant_agency": world["unit"].pk},
    )
    assert own_user.groups.filter(name=AGENCY_ADMIN_GROUP).exists()
    assert AccountEvent.objects.filter(user=own_user, action="granted").exists()


def test_home_affairs_grants_home_affairs_rights_logged(world):
    user, _ = _provision_one(world, world["people"][0])
    services.grant(world["sonoivu"], user, "home_affairs")
    assert user.groups.filter(name=HOME_AFFAIRS_GROUP).exists()
    event = AccountEvent.objects.get(user=user, action="granted")
    assert event.actor == world["sonoivu"] and event.detail == "home_affairs"


def test_username_rule_is_configurable(world, settings):
    settings.KPI_ACCOUNT_USERNAME_RULE = "email"
    person = world["people"][1]
    user, _ = _provision_one(world, person)
    assert user.username == "binh@example.vn"


def test_a_civil_servant_cannot_open_the_account_pages(world):
    user, _ = _provision_one(world, world["people"][0])
    user.set_password("Ab-12345678x")
    user.must_change_password = False
    user.save()
    assert refused(_client(user).get(reverse("accounts_index")))
