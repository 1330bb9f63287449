"""Issue 32's done-when, from the demo's personnel file alone (no script): the demo creates
none of Sở Văn hóa, Thể thao và Du lịch's people, only the file its clerk sent
(``demo.personnel_file_demo``). Sở Nội vụ downloads that file (the demo's "Trợ giúp" menu),
uploads it on the import page and confirms the preview; gives every person of the agency a
sign-in in one operation, sees the progress and the result list, prints the activation slips.
The head of a unit signs in through the province's identity provider (a real OpenID provider
started locally), has a leader's pages from his posting alone and gives a staff member work;
she activates with the code on her slip, sets her password, signs in and sees that work in
"Việc của tôi". When his head posting ends the leader's pages go, the sign-in stays.
Screenshots go to tests/artifacts/."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from demo.loader import DEMO_PASSWORD
from demo.personnel_file_demo import AGENCY_CODE, PEOPLE
from org.models import Agency, CivilServant, LeadershipRole, Posting
from tests.browser.conftest import ARTIFACTS, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
NEW_PASSWORD = "Mat-khau-rieng-2026"
HEAD_ID, STAFF_ID = "TNA900006", "TNA900007"  # the head of Phòng Quản lý văn hóa, one of his staff
WORK = "Hồ sơ thẩm định cấp phép tổ chức lễ hội, biểu diễn"


@pytest.fixture
def demo_province():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def provider(live_server, tmp_path, demo_province):
    """The province's identity provider (django-oidc-provider, its own process): it knows the
    head of the unit by his official ID, before the software has any record of him."""
    from tests.accounts.oidc_idp.runner import oidc_settings, running_provider

    login_name = HEAD_ID.lower()
    with (
        running_provider(
            tmp_path, [login_name], [f"{live_server.url}/oidc/callback/"]
        ) as discovery,
        override_settings(**oidc_settings(discovery)),
    ):
        yield login_name


def _sidebar_link(page, name):
    return page.locator("#wagtail-sidebar").get_by_role("link", name=name)


def test_a_whole_agency_signs_in_from_its_personnel_file(page, provider, tmp_path, screenshot):
    from tests.accounts.oidc_idp.runner import PASSWORD as IDP_PASSWORD

    agency = Agency.objects.get(code=AGENCY_CODE)
    names = {row[0]: row[1] for row in PEOPLE}
    assert not CivilServant.objects.filter(official_id__in=names).exists()

    # 1. Sở Nội vụ takes the file the agency sent (Trợ giúp menu of the demo).
    login(page, "sonoivu", DEMO_PASSWORD)
    page.get_by_role("button", name="Trợ giúp").click()
    with page.expect_download() as download:
        _sidebar_link(page, "Tệp hồ sơ nhân sự gửi Sở Nội vụ (bản demo)").click()
    file = tmp_path / download.value.suggested_filename
    download.value.save_as(file)
    screenshot("accounts-demo-01-file")

    # 2. ... uploads it on the import page, reads the preview and confirms it.
    page.goto(f"{page.base_url}/admin/excel/")
    page.select_option("#import-upload-form select[name='kind']", "personnel")
    page.select_option("#import-upload-form select[name='agency']", str(agency.pk))
    page.set_input_files("#import-upload-form input[name='file']", str(file))
    page.click("#import-upload-submit")
    page.wait_for_selector("#import-job[data-running='false']")
    assert page.locator("#count-error-rows").inner_text().strip() == "0"
    screenshot("accounts-demo-02-preview")
    # The commit runs in the request here (the test settings run background work at once):
    # writing 11 people, their postings and the rescoring they trigger took over 15 s on a
    # loaded PostgreSQL run, so this one step waits up to a minute.
    page.click("#import-confirm", timeout=60_000)
    page.wait_for_selector("#import-job[data-status='committed']", timeout=60_000)
    assert CivilServant.objects.filter(official_id__in=names).count() == len(names)
    staff = CivilServant.objects.get(official_id=STAFF_ID)
    head = CivilServant.objects.get(official_id=HEAD_ID)

    # 3. One operation for everyone in the agency.
    page.goto(f"{page.base_url}/admin/")
    _sidebar_link(page, "Tài khoản đăng nhập").click()
    page.select_option("#account-agency select[name=agency]", str(agency.pk))
    page.click("#account-agency button[type=submit]")
    provision = page.inner_text("#account-provision")
    assert f"{len(names)} người đang công tác chưa có tài khoản." in provision, provision
    screenshot("accounts-demo-03-agency")
    page.click("#account-provision button[type=submit]")
    page.wait_for_selector("#batch-results")
    progress = page.inner_text("#batch-progress")
    assert f"Đã xử lý {len(names)}/{len(names)} người." in progress, progress
    assert page.locator('#batch-results tr[data-outcome="created"]').count() == len(names)
    results = page.inner_text("#batch-results")
    assert all(name in results for name in names.values())
    screenshot("accounts-demo-04-results")

    # 4. The printable slips: name, sign-in name and code of each person, in a new tab.
    with page.context.expect_page() as opened:
        page.click("#print-slips")
    slips = opened.value
    slips.wait_for_selector(".slip")
    assert slips.locator(".slip").count() == len(names)
    username = STAFF_ID.lower()
    slip = slips.locator(f'.slip[data-username="{username}"]')
    assert staff.full_name in slip.inner_text() and username in slip.inner_text()
    code = slip.locator(".code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    head_code = slips.locator(f'.slip[data-username="{HEAD_ID.lower()}"] .code').inner_text()
    slips.screenshot(path=str(ARTIFACTS / "accounts-demo-05-slips.png"), full_page=True)
    slips.close()

    # 5. The head of Phòng Quản lý văn hóa signs in through the province's identity provider
    # (the first time he links it with the code on his slip): a leader's pages from his head
    # posting, no group given by hand; he gives her work.
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/admin/login/")
    page.click("#sso-sign-in")
    page.wait_for_selector("input[name=username]")
    page.fill("input[name=username]", provider)
    page.fill("input[name=password]", IDP_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/tai-khoan/dang-nhap-mot-lan/lien-ket/"))
    page.fill("#id_code", head_code.strip())
    page.click("#sso-link-form button[type=submit]")
    page.wait_for_url(f"{page.base_url}/admin/")
    head.refresh_from_db()
    assert head.user is not None and not head.user.groups.exists()
    page.get_by_role("button", name="Giao việc").click()
    # The submenu opens after the click (the sidebar is drawn by script): wait for it.
    expect(_sidebar_link(page, "Theo dõi đơn vị")).to_have_count(1)
    page.goto(f"{page.base_url}/admin/worklog/assign/")
    page.check(f"input[name=people][value='{staff.pk}']")
    item = page.locator("select[name=item] option", has_text=WORK).get_attribute("value")
    page.select_option("select[name=item]", item)
    page.fill("input[name=quantity]", "2")
    deadline = timezone.localdate() + datetime.timedelta(days=3)
    page.fill("input[name=deadline]", deadline.isoformat())
    page.locator("#assign-form button[type=submit]").click()
    page.wait_for_url("**/admin/worklog/board/**")
    board = page.url
    assert staff.full_name in page.inner_text("main") and WORK in page.inner_text("main")
    screenshot("accounts-demo-06-leader-sso")

    # 6. The staff member, at her own computer, with her slip: activates, signs in, sees the
    # work her head gave her.
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
    _sidebar_link(page, "Việc của tôi").click()
    page.wait_for_selector("main h1, main h2")
    assert WORK in page.inner_text("main")
    # Not a leader: no board of the unit in her menu.
    assert _sidebar_link(page, "Theo dõi đơn vị").count() == 0
    screenshot("accounts-demo-07-own-work")

    # 7. The head posting ends (a decision recorded by Sở Nội vụ: he stays in the unit as
    # staff): the leader's pages go with it, the sign-in stays.
    page.context.clear_cookies()
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
    page.goto(f"{page.base_url}/admin/login/")
    page.click("#sso-sign-in")
    page.wait_for_selector("input[name=username]")
    page.fill("input[name=username]", provider)
    page.fill("input[name=password]", IDP_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/admin/")
    page.get_by_role("button", name="Giao việc").click()
    expect(_sidebar_link(page, "Việc của tôi")).to_have_count(1)
    assert _sidebar_link(page, "Theo dõi đơn vị").count() == 0
    page.goto(board)  # the old link: refused, back to the home page
    assert page.url.rstrip("/").endswith("/admin")
    assert "Theo dõi giao việc của đơn vị" not in page.inner_text("body")
    screenshot("accounts-demo-08-leader-gone")
