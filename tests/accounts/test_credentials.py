"""Credentials follow authority (review 2026-11-25: security M1, L2, L3; ux H1, H3) and the
account events (who, whom, when, from where) listed and exported for Sở Nội vụ.

* M1 — an agency admin resets, unlocks or deactivates only people below them who hold no
  deciding, evaluating or admin role; the head, a deputy, another agency admin are Sở Nội vụ's,
  and the refusal says so. A reset is told to the person (e-mail, and their account page).
* L2 — the activation page has the sign-in page's lockout (django-axes), same Vietnamese page.
* L3 — a password alone does not enrol the first authenticator: the activation code does.
* ux H1 — every Django 5.2 password message in Vietnamese on the activation and change pages.
* ux H3 — the unit picker of "Tài khoản đăng nhập" names each unit's agency.
"""

import csv
import io

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    MinimumLengthValidator,
    NumericPasswordValidator,
    UserAttributeSimilarityValidator,
)
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import AccountEvent
from accounts.roles import may_manage_user
from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org.models import LeadershipRole
from org.roles import ensure_roles
from tests.factories import AgencyAccessFactory, AgencyFactory, UnitFactory, UserFactory, post

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Ngay-moi-2026"
ACTIVATE = "/tai-khoan/kich-hoat/"
EVENTS = "/admin/tai-khoan/nhat-ky/"


@pytest.fixture
def world():
    ensure_roles()
    dept = AgencyFactory(code="STP", name="Sở Tư pháp")
    office = UnitFactory(code="STP-VP", name="Văn phòng Sở", parent=dept)
    other = AgencyFactory(code="SKHCN", name="Sở Khoa học và Công nghệ")
    other_office = UnitFactory(code="SKHCN-VP", name="Văn phòng Sở", parent=other)
    staff = post(office, full_name="Nguyễn Văn An")
    director = post(dept, role=LeadershipRole.HEAD, full_name="Lê Văn Cường")
    deputy = post(office, role=LeadershipRole.DEPUTY, full_name="Trần Thị Bình")
    colleague = post(office, full_name="Đỗ Thị Hoa")
    outsider = post(other_office, full_name="Phạm Thị Dung")
    for person in (staff, director, deputy, colleague, outsider):
        person.email = f"{person.official_id.lower()}@example.vn"
        person.save()
    sonoivu = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    admin = UserFactory(username="qt.stp", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=dept, role="agency_admin")
    services.provision(sonoivu, [staff, director, deputy, colleague, outsider])
    for person in (staff, director, deputy, colleague, outsider):
        person.refresh_from_db()
    # The colleague is also an agency admin of the department.
    services.grant(sonoivu, colleague.user, "agency_admin", dept)
    return {
        "dept": dept,
        "office": office,
        "staff": staff,
        "director": director,
        "deputy": deputy,
        "colleague": colleague,
        "outsider": outsider,
        "sonoivu": sonoivu,
        "admin": admin,
    }


def _client(user, address="10.1.2.3") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


def _activate(client, username, code, password=PASSWORD, password2=None):
    return client.post(
        ACTIVATE,
        {
            "username": username,
            "code": code,
            "password": password,
            "password2": password if password2 is None else password2,
        },
    )


# --- M1: credentials follow authority ------------------------------------------------------


@pytest.mark.parametrize("whom", ["director", "deputy", "colleague"])
def test_agency_admin_cannot_reset_a_head_deputy_or_admin_and_is_told_who_can(
    world, whom, mailoutbox
):
    target = world[whom].user
    code_before = target.activation_codes.count()
    client = _client(world["admin"])
    for action in ("reset", "unlock", "deactivate", "grant"):
        response = client.post(
            reverse("accounts_user_action", args=[target.pk, action]),
            {"agency": world["dept"].pk, "role": "agency_admin", "grant_agency": world["dept"].pk},
            follow=True,
        )
        html = response.content.decode()
        assert "chỉ Sở Nội vụ được cấp lại mã kích hoạt" in html, action
        assert 'class="code"' not in html  # no slip, no code
    target.refresh_from_db()
    assert target.is_active
    assert target.activation_codes.count() == code_before
    assert not AccountEvent.objects.filter(user=target, actor=world["admin"]).exists()
    assert mailoutbox == []
    # The listing shows why instead of the buttons.
    page = client.get(reverse("accounts_index"), {"agency": world["dept"].pk}).content.decode()
    assert f"{world[whom].full_name} giữ vai trò" in page
    assert not may_manage_user(world["admin"], target)
    # Sở Nội vụ may.
    assert may_manage_user(world["sonoivu"], target)


def test_a_reset_reaches_the_person_by_mail_and_on_their_account_page(
    world, mailoutbox, mail_sent_at_once
):
    staff = world["staff"].user
    client = _client(world["admin"], "10.9.8.7")
    slip = client.post(
        reverse("accounts_user_action", args=[staff.pk, "reset"]), {"agency": world["dept"].pk}
    )
    assert slip.status_code == 200 and staff.username in slip.content.decode()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [world["staff"].email]
    assert "vừa được cấp lại mã kích hoạt" in mail.subject
    assert "báo ngay cho Sở Nội vụ" in mail.body and "qt.stp" in mail.body
    event = AccountEvent.objects.get(user=staff, action=AccountEvent.Action.RESET)
    assert event.actor == world["admin"] and event.ip == "10.9.8.7"

    # Sở Nội vụ resets the director: the same mail; the director sees it on their account page.
    director = world["director"].user
    _client(world["sonoivu"]).post(reverse("accounts_user_action", args=[director.pk, "reset"]))
    assert len(mailoutbox) == 2 and mailoutbox[1].to == [world["director"].email]
    code = services.operator_code(director)
    own = Client()
    assert _activate(own, director.username, code).status_code == 302
    assert (
        own.post(
            reverse("wagtailadmin_login"), {"username": director.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    page = own.get(reverse("wagtailadmin_account")).content.decode()
    assert "Nhật ký tài khoản của bạn" in page
    assert "Cấp lại mã kích hoạt" in page and "snv" in page


def test_home_affairs_removes_a_lost_authenticator_and_the_person_enrols_again(world):
    """A head who lost the phone and the recovery codes: Sở Nội vụ removes the second factor
    from the account page (no shell), which issues a new code on a slip; the head activates
    with it and enrols a new authenticator. An agency admin cannot, even for a clerk."""
    from django_otp.plugins.otp_static.models import StaticDevice

    director, clerk = world["director"].user, world["staff"].user
    for user in (director, clerk):
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        StaticDevice.objects.create(user=user, name="codes").token_set.create(token="abc12345")
    admin = _client(world["admin"])
    refused = admin.post(
        reverse("accounts_user_action", args=[clerk.pk, "otp_reset"]),
        {"agency": world["dept"].pk},
        follow=True,
    )
    html = refused.content.decode()
    assert "Chỉ Sở Nội vụ được gỡ xác thực hai lớp" in html and 'class="code"' not in html
    assert TOTPDevice.objects.filter(user=clerk).exists()
    page = admin.get(reverse("accounts_index"), {"agency": world["dept"].pk}).content.decode()
    assert 'data-action="otp_reset"' not in page

    page = _client(world["sonoivu"]).get(reverse("accounts_index"), {"agency": world["dept"].pk})
    assert 'data-action="otp_reset"' in page.content.decode()
    slip = _client(world["sonoivu"]).post(
        reverse("accounts_user_action", args=[director.pk, "otp_reset"]),
        {"agency": world["dept"].pk},
    )
    html = slip.content.decode()
    assert slip.status_code == 200 and director.username in html and 'class="code"' in html
    assert not TOTPDevice.objects.filter(user=director).exists()
    assert not StaticDevice.objects.filter(user=director).exists()
    A = AccountEvent.Action
    assert set(
        AccountEvent.objects.filter(user=director, actor=world["sonoivu"]).values_list(
            "action", flat=True
        )
    ) >= {A.SECOND_FACTOR_REMOVED, A.RESET}
    code = html.split('class="code">')[1].split("<")[0].strip()
    own = Client()
    assert _activate(own, director.username, code).status_code == 302
    own.post(reverse("wagtailadmin_login"), {"username": director.username, "password": PASSWORD})
    setup = own.get(reverse("accounts_otp_setup"))
    assert setup.status_code == 200 and 'id="otp-secret"' in setup.content.decode()


# --- L2: the activation page has the sign-in page's lockout ---------------------------------


def test_the_activation_page_locks_out_after_the_sign_in_limit(world, settings):
    user = world["staff"].user
    code = services.reset(world["sonoivu"], user)
    client = Client(REMOTE_ADDR="10.6.6.6")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = _activate(client, user.username, "AAAAA-BBBBB")
        assert wrong.status_code == 200
        assert "Tên đăng nhập hoặc mã kích hoạt không đúng" in wrong.content.decode()
    locked = _activate(client, user.username, "AAAAA-CCCCC")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Tạm khóa đăng nhập" in text and "phút" in text
    # Locked out: even the right code is refused, with the same page.
    again = _activate(client, user.username, code)
    assert again.status_code == 429
    user.refresh_from_db()
    assert not user.has_usable_password()
    # The failures are account events, from that address.
    failures = AccountEvent.objects.filter(user=user, action=AccountEvent.Action.SIGN_IN_FAILED)
    assert failures.count() >= settings.AXES_FAILURE_LIMIT - 1
    assert set(failures.values_list("ip", flat=True)) == {"10.6.6.6"}
    # The same page as a locked-out sign-in.
    sign_in = Client(REMOTE_ADDR="10.6.6.6").post(
        reverse("wagtailadmin_login"), {"username": user.username, "password": "x"}
    )
    assert sign_in.status_code == 429
    # Sở Nội vụ unlocks; the code works again.
    services.unlock(world["sonoivu"], user)
    assert _activate(client, user.username, code).status_code == 302


# --- L3: the first authenticator needs the activation code ----------------------------------


def test_a_password_alone_does_not_enrol_the_first_authenticator(world, settings):
    settings.KPI_2FA_REQUIRED = True
    holder = UserFactory(username="snv.moi", groups=[HOME_AFFAIRS_GROUP])
    holder.set_password(PASSWORD)
    holder.save()
    thief = Client()
    assert (
        thief.post(
            reverse("wagtailadmin_login"), {"username": "snv.moi", "password": PASSWORD}
        ).status_code
        == 302
    )
    gate = thief.get("/admin/")
    assert gate.status_code == 302 and reverse("accounts_otp_setup") in gate.url
    setup = thief.get(reverse("accounts_otp_setup"))
    assert setup.status_code == 403
    html = setup.content.decode()
    assert "Lần thiết lập đầu tiên cần mã kích hoạt" in html
    assert "otpauth://" not in html and 'id="otp-secret"' not in html
    assert thief.post(reverse("accounts_otp_setup"), {"token": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=holder).exists()
    assert thief.get("/admin/").status_code == 302

    # With the code (activation in this browser), the person enrols.
    code = services.operator_code(holder)
    own = Client()
    assert _activate(own, "snv.moi", code).status_code == 302
    assert (
        own.post(
            reverse("wagtailadmin_login"), {"username": "snv.moi", "password": PASSWORD}
        ).status_code
        == 302
    )
    page = own.get(reverse("accounts_otp_setup"))
    assert page.status_code == 200 and 'id="otp-secret"' in page.content.decode()
    # Another browser that only has the (new) password still cannot.
    thief.post(reverse("wagtailadmin_login"), {"username": "snv.moi", "password": PASSWORD})
    assert thief.get(reverse("accounts_otp_setup")).status_code == 403


# --- account events: recorded, listed, exported ---------------------------------------------


def test_sign_ins_failures_and_sign_outs_are_account_events_with_the_address(world):
    staff = world["staff"].user
    code = services.reset(world["sonoivu"], staff)
    client = Client(REMOTE_ADDR="10.20.30.40")
    assert _activate(client, staff.username, code).status_code == 302
    client.post(reverse("wagtailadmin_login"), {"username": staff.username, "password": "sai"})
    client.post(reverse("wagtailadmin_login"), {"username": "khong.co.ai", "password": "sai"})
    client.post(reverse("wagtailadmin_login"), {"username": staff.username, "password": PASSWORD})
    client.post(reverse("wagtailadmin_logout"))
    client.post(reverse("accounts_otp_verify"), {"token": "1"})  # signed out: no event
    actions = list(
        AccountEvent.objects.filter(ip="10.20.30.40")
        .order_by("pk")
        .values_list("action", "username")
    )
    A = AccountEvent.Action
    assert actions == [
        (A.ACTIVATED, staff.username),
        (A.SIGN_IN_FAILED, staff.username),
        (A.SIGN_IN_FAILED, "khong.co.ai"),
        (A.SIGNED_IN, staff.username),
        (A.SIGNED_OUT, staff.username),
    ]
    unknown = AccountEvent.objects.get(username="khong.co.ai")
    assert unknown.user is None


def test_a_leadership_posting_written_is_a_role_change_of_the_sign_in(world):
    """Account events name every role change, not only the rights granted on the account page:
    a clerk appointed deputy, a deputy's posting ended, a head's posting deleted are
    "Thay đổi vai trò" events of their sign-ins, listed and exported for Sở Nội vụ."""
    import datetime

    clerk = world["staff"]
    posting = clerk.postings.get()
    posting.role = LeadershipRole.DEPUTY
    posting.save()
    deputy = world["deputy"].postings.get()
    deputy.end_date = datetime.date(2026, 11, 30)
    deputy.save()
    world["director"].postings.get().delete()
    posting.title = "Phó Chánh Văn phòng"  # not a change of role
    posting.save()

    A = AccountEvent.Action
    events = {e.user_id: e.detail for e in AccountEvent.objects.filter(action=A.ROLE_CHANGED)}
    assert events == {
        clerk.user_id: "Không giữ chức vụ lãnh đạo — Văn phòng Sở → Cấp phó — Văn phòng Sở",
        world["deputy"].user_id: "Cấp phó — Văn phòng Sở → Cấp phó — Văn phòng Sở, đến 30/11/2026",
        world["director"].user_id: "Cấp trưởng — Sở Tư pháp → (xóa quá trình công tác)",
    }
    client = _client(world["sonoivu"])
    html = client.get(EVENTS, {"action": A.ROLE_CHANGED}).content.decode()
    assert "Thay đổi vai trò" in html and world["staff"].full_name in html
    export = client.get(EVENTS, {"export": "csv", "action": A.ROLE_CHANGED})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert len(rows) == 4 and all(r[3] == "Thay đổi vai trò" for r in rows[1:])


def test_home_affairs_lists_filters_and_exports_account_events(world):
    staff, outsider = world["staff"].user, world["outsider"].user
    services.reset(world["admin"], staff, request=None)
    services.reset(world["sonoivu"], outsider)
    client = _client(world["sonoivu"])
    page = client.get(EVENTS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nhật ký tài khoản" in html and world["outsider"].full_name in html
    narrowed = client.get(EVENTS, {"person": world["outsider"].official_id}).content.decode()
    assert world["outsider"].full_name in narrowed and world["staff"].full_name not in narrowed
    by_agency = client.get(EVENTS, {"agency": world["dept"].pk, "action": "reset"})
    text = by_agency.content.decode()
    assert world["staff"].full_name in text and world["outsider"].full_name not in text

    export = client.get(EVENTS, {"export": "csv", "action": "reset"})
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:4] == ["Lúc (dd/mm/yyyy HH:MM)", "Người thực hiện", "Tài khoản", "Việc"]
    assert len(rows) == 3
    event = AccountEvent.objects.filter(user=staff, action="reset").get()
    row = next(r for r in rows if r[2] == f"{world['staff'].full_name} ({staff.username})")
    assert row[0] == event.when and len(row[0]) == 16 and row[0][2] == row[0][5] == "/"
    assert "(qt.stp)" in row[1]
    assert all(r[3] == "Cấp lại mã kích hoạt" for r in rows[1:])
    xlsx = client.get(EVENTS, {"export": "xlsx"})
    assert xlsx.status_code == 200


def test_an_agency_admin_sees_only_the_events_of_people_they_administer(world):
    staff, outsider, director = (world[k].user for k in ("staff", "outsider", "director"))
    for user in (staff, outsider, director):
        services.reset(world["sonoivu"], user)
    html = _client(world["admin"]).get(EVENTS).content.decode()
    assert world["staff"].full_name in html
    assert world["outsider"].full_name not in html
    assert world["director"].full_name not in html
    export = _client(world["admin"]).get(EVENTS, {"export": "csv"})
    text = b"".join(export.streaming_content).decode()
    assert world["staff"].full_name in text and world["outsider"].full_name not in text
    # A civil servant does not open the listing at all.
    person = _client(staff).get(EVENTS)
    assert person.status_code in (302, 403)
    assert world["outsider"].full_name not in person.content.decode()


# --- ux H1 and H3 ---------------------------------------------------------------------------


def test_every_django_password_message_is_vietnamese(world):
    user = world["staff"].user
    tries = {
        MinimumLengthValidator(): ("thanh", "Mật khẩu quá ngắn"),
        CommonPasswordValidator(): ("password123", "Mật khẩu này quá phổ biến."),
        NumericPasswordValidator(): ("3141592653589", "Mật khẩu này hoàn toàn là số."),
        UserAttributeSimilarityValidator(): (user.username, "Mật khẩu quá giống với"),
    }
    with translation.override("vi"):
        for validator, (password, expected) in tries.items():
            with pytest.raises(ValidationError) as raised:
                validator.validate(password, user)
            assert expected in " ".join(raised.value.messages)
            assert "password" not in " ".join(raised.value.messages).lower()

    code = services.reset(world["sonoivu"], user)
    page = _activate(Client(), user.username, code, "thanh").content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in page
    assert "This password" not in page and "too short" not in page

    assert _activate(Client(), user.username, code).status_code == 302
    client = Client()
    client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD})
    change = client.post(
        reverse("accounts_change_password"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    ).content.decode()
    assert "Mật khẩu này hoàn toàn là số." in change and "Mật khẩu này quá phổ biến." in change
    assert "This password" not in change


def test_the_unit_picker_names_each_units_agency(world):
    html = _client(world["sonoivu"]).get(reverse("accounts_index")).content.decode()
    assert "Văn phòng Sở — Sở Tư pháp" in html
    assert "Văn phòng Sở — Sở Khoa học và Công nghệ" in html
    assert ">Văn phòng Sở<" not in html


def test_an_agency_admin_never_holds_the_first_code_of_a_head(world, mailoutbox, mail_sent_at_once):
    """The same class as M1: creating the sign-in of a head gives the agency admin no code,
    neither on a slip nor by e-mail — the head's address is a personnel field the agency admin
    edits (written here with the admin's own mailbox, as the takeover would): Sở Nội vụ issues
    the head's code."""
    head = post(world["office"], role=LeadershipRole.HEAD, full_name="Vũ Văn Hải")
    head.email = "qt.stp@example.vn"
    head.save()
    clerk = post(world["office"], full_name="Ngô Thị Lan")
    outcome = services.provision(world["admin"], [head, clerk], agency=world["dept"])
    head.refresh_from_db()
    clerk.refresh_from_db()
    assert set(outcome.codes) == {clerk.user_id}
    assert mailoutbox == []
    assert not head.user.activation_codes.exists()
    row = next(r for r in outcome.batch.results if r["person"] == head.pk)
    assert row["outcome"] == "created"
    assert "không in phiếu, không gửi thư" in row["message"] and "Sở Nội vụ cấp" in row["message"]
    # Nor can the agency admin reissue it.
    assert services.reissue_batch(world["admin"], outcome.batch) == {clerk.user_id: AnyCode()}
    # Sở Nội vụ issues it; the head activates.
    code = services.reset(world["sonoivu"], head.user)
    assert _activate(Client(), head.user.username, code).status_code == 302


def test_a_code_issued_below_a_persons_authority_does_not_open_it(world):
    """M1 by the back door: the agency admin resets a clerk (theirs to reset), the clerk is then
    appointed deputy; the code from the admin's slip no longer activates the sign-in — neither on
    the activation page nor for single sign-on. Sở Nội vụ issues one."""
    clerk = world["staff"]
    user = clerk.user
    code = services.reset(world["admin"], user)
    posting = clerk.postings.get()
    posting.role = LeadershipRole.DEPUTY
    posting.save()
    page = _activate(Client(), user.username, code)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mã kích hoạt này do qt.stp cấp" in html and "chỉ Sở Nội vụ" in html
    user.refresh_from_db()
    assert not user.has_usable_password()
    with pytest.raises(ValidationError, match="chỉ Sở Nội vụ"):
        services.link_with_code(user, code, "https://idp.example.vn", "sub-1")
    assert not user.external_identities.exists()
    code = services.reset(world["sonoivu"], user)
    assert _activate(Client(), user.username, code).status_code == 302


@pytest.mark.parametrize("how", ["role", "ended", "deleted"])
def test_an_agency_admin_cannot_demote_a_head_to_reset_them(world, how, mailoutbox):
    """M1 by the back door: the agency admin edits the director's posting (role changed, ended
    yesterday, or deleted, with a clerk's posting to keep the sign-in open), resets them, and
    would restore the posting once the code is used. A deciding role held in the last
    ``accounts.roles.AUTHORITY_MEMORY`` still makes the sign-in Sở Nội vụ's."""
    import datetime

    from django.utils import timezone

    director = world["director"]
    target = director.user
    posting = director.postings.get()
    today = timezone.localdate()
    if how == "role":
        posting.role = LeadershipRole.STAFF
        posting.save()
    else:
        post(world["office"], person=director, start=today)
        if how == "ended":
            posting.end_date = today - datetime.timedelta(days=1)
            posting.save()
        else:
            posting.delete()
    target.refresh_from_db()
    assert target.is_active
    before = target.activation_codes.count()
    client = _client(world["admin"])
    for action in ("reset", "unlock", "deactivate"):
        response = client.post(
            reverse("accounts_user_action", args=[target.pk, action]),
            {"agency": world["dept"].pk},
            follow=True,
        )
        html = response.content.decode()
        assert "chỉ Sở Nội vụ được cấp lại mã kích hoạt" in html, action
        assert "Cấp trưởng" in html and 'class="code"' not in html, action
    assert target.activation_codes.count() == before
    assert not may_manage_user(world["admin"], target)
    assert may_manage_user(world["sonoivu"], target)
    # A clerk who never held a deciding role stays the agency admin's, and so does a former
    # deputy whose posting had ended years before it was loaded with the personnel file.
    assert may_manage_user(world["admin"], world["staff"].user)
    former = post(
        world["office"],
        role=LeadershipRole.DEPUTY,
        start=datetime.date(2015, 1, 1),
        end=datetime.date(2019, 12, 31),
    )
    post(world["office"], person=former)
    services.provision(world["sonoivu"], [former])
    former.refresh_from_db()
    assert may_manage_user(world["admin"], former.user)


class AnyCode:
    """Equal to any activation code (11 characters, "XXXXX-XXXXX")."""

    def __eq__(self, other):
        return isinstance(other, str) and len(other) == 11
