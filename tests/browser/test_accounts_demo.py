"""Issue 32's done-when, on the demo province's own personnel records (no sign-in script for the
agency): Sở Nội vụ gives every person of Sở Tư pháp a sign-in in one operation, sees the
progress and the result list, prints the activation slips; a staff member activates with the
code on her slip, sets her password, signs in and sees her own work ("Việc của tôi"); the head
of her unit signs in through the province's identity provider (a real OpenID provider started
locally) and has a leader's pages from his posting alone, which go when the posting ends.
Screenshots go to tests/artifacts/."""

import datetime
import re

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from demo.loader import DEMO_PASSWORD
from org.models import Agency, CivilServant, LeadershipRole, Posting
from tests.browser.conftest import ARTIFACTS, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
NEW_PASSWORD = "Mat-khau-rieng-2026"


@pytest.fixture
def demo_without_agency_sign_ins():
    """The demo province, then Sở Tư pháp's scripted sign-ins taken away (the demo's
    ``lanhdao.phong`` and ``congchuc``): its people are personnel records only, as after the
    personnel file is imported in a province that starts using the software."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    User = get_user_model()
    staff = User.objects.get(username="congchuc").civil_servant
    head = User.objects.get(username="lanhdao.phong").civil_servant
    agency = Agency.objects.get(code="STP")
    people = CivilServant.objects.filter(
        postings__agency__path__startswith=agency.path, user__isnull=False
    ).distinct()
    scripted = list(User.objects.filter(civil_servant__in=people))
    CivilServant.objects.filter(pk__in=[p.pk for p in people]).update(user=None)
    for user in scripted:  # kept for the history their actions left, never usable again
        user.username = f"cu.{user.username}"
        user.is_active = False
        user.set_unusable_password()
        user.save()
    return {"agency": agency, "staff": staff, "head": head}


@pytest.fixture
def provider(live_server, tmp_path, demo_without_agency_sign_ins):
    """The province's identity provider (django-oidc-provider, its own process): it knows the
    head of the unit by his official ID."""
    from tests.accounts.oidc_idp.runner import oidc_settings, running_provider

    login_name = demo_without_agency_sign_ins["head"].official_id.lower()
    with (
        running_provider(
            tmp_path, [login_name], [f"{live_server.url}/oidc/callback/"]
        ) as discovery,
        override_settings(**oidc_settings(discovery)),
    ):
        yield login_name


def _own_work(person) -> list[str]:
    from scoring.models import AssignmentLine, PeriodStatus

    lines = AssignmentLine.objects.filter(civil_servant=person, period__status=PeriodStatus.OPEN)
    return [line.item.name for line in lines.select_related("item").order_by("pk")]


def test_a_whole_agency_signs_in_from_its_personnel_records(
    page, demo_without_agency_sign_ins, provider, screenshot
):
    from tests.accounts.oidc_idp.runner import PASSWORD as IDP_PASSWORD

    world = demo_without_agency_sign_ins
    agency, staff, head = world["agency"], world["staff"], world["head"]
    people = (
        CivilServant.objects.filter(postings__agency__path__startswith=agency.path, is_active=True)
        .distinct()
        .count()
    )
    assert people > 10

    # 1. Sở Nội vụ: the agency, then one operation for everyone in it.
    login(page, "sonoivu", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/admin/")
    page.get_by_role("link", name="Tài khoản đăng nhập").click()
    page.select_option("#account-agency select[name=agency]", str(agency.pk))
    page.click("#account-agency button[type=submit]")
    provision = page.inner_text("#account-provision")
    assert re.search(r"\d+ người đang công tác chưa có tài khoản\.", provision), provision
    screenshot("accounts-demo-01-agency")
    page.click("#account-provision button[type=submit]")
    page.wait_for_selector("#batch-results")
    progress = page.inner_text("#batch-progress")
    done = re.search(r"Đã xử lý (\d+)/(\d+) người\.", progress)
    assert done and done.group(1) == done.group(2), progress
    created = page.locator('#batch-results tr[data-outcome="created"]')
    assert created.count() == int(done.group(1)) >= people - 1
    assert staff.full_name in page.inner_text("#batch-results")
    screenshot("accounts-demo-02-results")

    # 2. The printable slips: name, sign-in name and code of each person.
    # The slips open in a new tab, for the printer.
    with page.context.expect_page() as opened:
        page.click("#print-slips")
    slips = opened.value
    slips.wait_for_selector(".slip")
    username = staff.official_id.lower()
    slip = slips.locator(f'.slip[data-username="{username}"]')
    assert staff.full_name in slip.inner_text() and username in slip.inner_text()
    code = slip.locator(".code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    slips.screenshot(path=str(ARTIFACTS / "accounts-demo-03-slips.png"), full_page=True)
    slips.close()

    # 3. The staff member, at her own computer, with her slip.
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/admin/login/")
    page.click("#activate-link")
    page.fill("#id_username", username)
    page.fill("#id_code", code)
    page.fill("#id_password", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.click("#activate-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/login/.*"))
    assert "Đã kích hoạt tài khoản" in page.content()
    login(page, username, NEW_PASSWORD)
    page.get_by_role("button", name="Giao việc").click()
    page.get_by_role("link", name="Việc của tôi").click()
    page.wait_for_selector("main h1, main h2")
    body = page.inner_text("main")
    assert "Việc của tôi" in page.inner_text("body")
    own = _own_work(staff)
    assert own, "the demo gives this staff member work"
    assert own[0] in body
    # Not a leader: no board of the unit in her menu.
    assert page.locator("#wagtail-sidebar").get_by_role("link", name="Theo dõi đơn vị").count() == 0
    screenshot("accounts-demo-04-own-work")

    # 4. The head of her unit signs in through the province's identity provider: a leader's
    # pages from his head posting, no group given by hand.
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/admin/login/")
    page.click("#sso-sign-in")
    page.wait_for_selector("input[name=username]")
    page.fill("input[name=username]", provider)
    page.fill("input[name=password]", IDP_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/admin/")
    head.refresh_from_db()
    assert head.user is not None and not head.user.groups.exists()
    page.get_by_role("button", name="Giao việc").click()
    assert page.locator("#wagtail-sidebar").get_by_role("link", name="Theo dõi đơn vị").count() == 1
    page.get_by_role("link", name="Theo dõi đơn vị").click()
    page.wait_for_load_state()
    assert staff.full_name in page.inner_text("main")
    board = page.url
    screenshot("accounts-demo-05-leader-sso")

    # 5. The head posting ends (a decision recorded by Sở Nội vụ: he stays in the unit as
    # staff): the leader's pages go with it, the sign-in stays.
    today = timezone.localdate()
    posting = head.postings.get(role=LeadershipRole.HEAD, end_date__isnull=True)
    posting.end_date = today - datetime.timedelta(days=1)
    posting.save()
    Posting.objects.create(
        civil_servant=head,
        agency=posting.agency,
        job_position=posting.job_position,
        role=LeadershipRole.STAFF,
        start_date=today,
    )
    page.goto(f"{page.base_url}/admin/")
    page.get_by_role("button", name="Giao việc").click()
    assert page.locator("#wagtail-sidebar").get_by_role("link", name="Việc của tôi").count() == 1
    assert page.locator("#wagtail-sidebar").get_by_role("link", name="Theo dõi đơn vị").count() == 0
    page.goto(board)  # the old link: refused, back to the home page
    assert page.url.rstrip("/").endswith("/admin")
    assert "Theo dõi giao việc của đơn vị" not in page.inner_text("body")
    screenshot("accounts-demo-06-leader-gone")
