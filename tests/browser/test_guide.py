"""The user guide's journeys (docs/huong-dan/), one test per role, on the demo province, in the
order the work flows: the civil servant reports work and self-assesses; the unit leader
reviews, marks Form 01 and holds the meeting; the agency clerk imports an Excel file and
appraises; the director decides and notifies (the chairman's list is shown); the civil servant
reads the decision and complains; Sở Nội vụ approves a catalog version and closes a period; a
visitor reads the public results.

Each step's screenshot is written to tests/artifacts/huong-dan/anh/<role>-<nn>-<step>.png
(untracked, overwritten on every run): a screen change that breaks a step of the guide fails
here. A test run never changes the guide itself; ``make guide-screenshots`` runs this module
with ``KPI_GUIDE_SCREENSHOTS=docs/huong-dan/anh`` to refresh the guide's pictures on purpose.
The demo is loaded once for the module and served by one live server of the module's own; the
database is flushed at the end as a transactional test's is. The tests depend on each other's
effects (the rating case moves through the roles), so they run in file order in one process
(``--dist loadfile``)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.utils import timezone

from demo.loader import DEMO_PASSWORD
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, GUIDE_SHOTS
from tests.browser.gate import browser_page

ROOT = Path(__file__).resolve().parents[2]
GUIDE_IMAGES = ROOT / "docs" / "huong-dan" / "anh"  # the pictures the guide shows (tracked)
IMAGES = GUIDE_SHOTS  # where this run's pictures go (tests/browser/conftest.py)
VIEWPORT = {"width": 1280, "height": 800}
FIRST_DATA_ROW = 3  # the results template: title row, header row, then data


# --- 0. the guide in the admin (no demo needed) -----------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_guide_is_served_to_signed_in_users_only():
    """Every guide page and picture opens for a signed-in admin user of any role, through the
    Help menu's link; an anonymous visitor is sent to the sign-in page. (Also the test that
    makes pytest-django set up the test database for this module, whose other tests share the
    committed demo of ``demo_site``.)"""
    from django.contrib.auth.models import Group
    from django.test import Client

    from org.access import CIVIL_SERVANT_GROUP
    from org.roles import ensure_roles
    from tests.factories import UserFactory

    guide = ROOT / "docs" / "huong-dan"
    assert Client().get("/admin/huong-dan/").status_code == 302
    ensure_roles()
    user = UserFactory(username="nguoidung")
    user.groups.add(Group.objects.get(name=CIVIL_SERVANT_GROUP))
    client = Client()
    client.force_login(user)
    home = client.get("/admin/").content.decode()
    assert "/admin/huong-dan/" in home
    assert "guide.wagtail.org" not in home
    index = client.get("/admin/huong-dan/")
    assert index.status_code == 200
    for doc in sorted(guide.glob("*.md")):
        name = doc.stem
        response = client.get(f"/admin/huong-dan/{name}.md")
        assert response.status_code == 200, name
        if name != "README":
            assert f'href="{name}.md"' in index.content.decode(), name
        for image in re.findall(r'src="(anh/[a-z0-9-]+\.png)"', response.content.decode()):
            if (guide / image).is_file():  # taken below; the last test checks none is missing
                assert client.get(f"/admin/huong-dan/{image}").status_code == 200, image
    assert client.get("/admin/huong-dan/khong-co.md").status_code == 404
    assert client.get("/admin/huong-dan/anh/..%2Fcong-chuc.md").status_code != 200


# --- the module's demo and server -------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo province, committed, served by a live server sharing the test database; the
    migrated rows are put back at the end."""
    from pytest_django.live_server_helper import LiveServer

    from demo.base_data import ensure_base_data
    from demo.loader import load_demo

    with django_db_blocker.unblock():
        # The test database (set up for the test above), never a developer's file.
        assert connection.settings_dict["NAME"].startswith(("file:memorydb", "test_")) or (
            connection.creation.is_in_memory_db(connection.settings_dict["NAME"])
        ), connection.settings_dict["NAME"]
        serialized = getattr(connection, "_test_serialized_contents", None)
        if serialized:
            connection.creation.deserialize_db_from_string(serialized)
        ContentType.objects.clear_cache()
        if not ContentType.objects.exists():  # flushed by a transactional test, not restored
            emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        ensure_base_data()
        load_demo()
        server = LiveServer("localhost")
        try:
            yield server
        finally:
            server.stop()
            # Back to the migrated rows exactly (tests/exact_restore.py), as after a
            # serialized transactional test: the next test of the process, ordinary or not,
            # starts from them (and its demo load is a replay).
            from tests.exact_restore import has_copy, restore

            if has_copy(connection):
                restore(connection)
            else:
                call_command(
                    "flush", verbosity=0, interactive=False, inhibit_post_migrate=bool(serialized)
                )


@pytest.fixture(scope="module")
def vi_browser(browser):
    """Chromium in Vietnamese: date fields read dd/mm/yyyy and file fields "Chọn tệp", as on a
    Vietnamese user's computer (the session's shared browser shows them in English); needs
    Debian's chromium-l10n (scripts/ensure-chromium.sh). Launched by the session's
    Playwright."""
    vietnamese = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, "--lang=vi-VN"],
        env={**os.environ, "LANGUAGE": "vi"},
    )
    yield vietnamese
    vietnamese.close()


@pytest.fixture
def tab(vi_browser, demo_site):
    with browser_page(
        vi_browser, demo_site, timeout=20_000, locale="vi-VN", viewport=VIEWPORT
    ) as page:
        yield page


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/admin/")


def shot(page, name, target=None, bottom=False):
    """A viewport screenshot (after scrolling ``target`` to the top, below Wagtail's sticky
    header, or with ``bottom`` to the bottom of the view; Wagtail scrolls smoothly, so the
    scroll here is instant), reduced to a palette PNG so the guide's pictures stay small."""
    if target is not None:
        target.first.evaluate(
            "(e, bottom) => e.scrollIntoView("
            "{block: bottom ? 'end' : 'start', behavior: 'instant'})",
            bottom,
        )
    page.evaluate("document.activeElement && document.activeElement.blur()")  # no focus ring
    page.wait_for_timeout(400)  # the message bar's slide-in, the menu's animation
    image = Image.open(io.BytesIO(page.screenshot()))
    IMAGES.mkdir(parents=True, exist_ok=True)
    image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(
        IMAGES / f"{name}.png", optimize=True
    )


def menu(page, section, item=None):
    """Follow a sidebar link (in the section ``section`` when ``item`` is given), as a user
    does."""
    sidebar = page.locator("#wagtail-sidebar")
    if item is not None:
        sidebar.get_by_role("button", name=section, exact=True).click()
    sidebar.get_by_role("link", name=item or section, exact=True).click()
    page.wait_for_load_state("domcontentloaded")


def action_form(page, action):
    """The submit button of a case action: its filled form shows above it."""
    return page.locator(f"button[data-submit={action}]")


def submit_case(page, action):
    page.locator(f"button[data-submit={action}]").click()
    page.wait_for_load_state("domcontentloaded")


def message(page) -> str:
    return page.locator(".messages").inner_text()


def vu_case():
    from ratings.models import RatingCase

    return RatingCase.objects.get(civil_servant__user__username="congchuc", year=2026)


def vu_line(**filters):
    from scoring.models import AssignmentLine

    return (
        AssignmentLine.objects.filter(civil_servant__user__username="congchuc", **filters)
        .order_by("deadline")
        .first()
    )


# --- 1. civil servant --------------------------------------------------------------------------


def test_cong_chuc_bao_cao_tu_cham_tu_danh_gia(tab):
    page = tab
    sign_in(page, "congchuc")

    # The Help menu leads to this guide, not to Wagtail's English one.
    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name="Trợ giúp").click()
    guide = sidebar.get_by_role("link", name="Hướng dẫn sử dụng")
    guide.wait_for(state="visible")
    assert sidebar.get_by_role("link", name="Hướng dẫn biên tập").count() == 0
    page.wait_for_timeout(400)  # the flyout's slide-in
    shot(page, "chung-01-menu-tro-giup")
    guide.click()
    page.wait_for_url("**/admin/huong-dan/")
    assert page.locator("#guide").get_by_role("link", name="Công chức").count() >= 1
    shot(page, "chung-02-muc-luc-huong-dan")

    # Việc của tôi, grouped by deadline; open this week's STP-001.
    line = vu_line(item__code="STP-001", completed_on__isnull=True)
    menu(page, "Giao việc", "Việc của tôi")
    assert page.get_by_role("heading", name="Việc của tôi").count() >= 1
    row = page.locator(f"tr[data-line-id='{line.pk}']")
    shot(page, "cong-chuc-01-viec-cua-toi")
    row.locator("a").first.click()
    page.wait_for_url(f"**/admin/worklog/lines/{line.pk}/")

    # Progress.
    progress = page.locator("#form-progress")
    progress.locator("input[name=percent]").fill("50")
    progress.locator("textarea[name=note]").fill("Đã có dự thảo, đang lấy ý kiến phòng.")
    progress.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Đã cập nhật tiến độ" in message(page)
    shot(page, "cong-chuc-02-cap-nhat-tien-do")

    # Report completion with the document number as evidence.
    form = page.locator("#form-submit")
    form.locator("input[name=completed_on]").fill(timezone.localdate().isoformat())
    form.locator("input[name=document_number]").fill("125/STP-VP")
    form.locator("input[name=description]").fill("Văn bản góp ý dự thảo quy chế phối hợp")
    shot(page, "cong-chuc-03-bao-cao-hoan-thanh", form)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("#line-status").inner_text() == "Chờ nghiệm thu"
    assert "125/STP-VP" in page.locator("#line-evidence").inner_text()
    shot(page, "cong-chuc-04-cho-nghiem-thu")

    # Form 01: self-marks for this month's general criteria.
    menu(page, "Xếp loại chất lượng", "Kết quả của tôi")
    this_month = f"Tháng {timezone.localdate():%m/%Y}"
    page.get_by_role("link", name=f"Tự chấm điểm tiêu chí chung — {this_month}").click()
    page.wait_for_load_state("domcontentloaded")
    entry = page.locator("#form01-entry")
    for field in entry.locator("input[name^=self_]").all():
        field.fill("2")
    entry.locator("input[name=self_I_1]").fill("4,5")
    entry.locator("input[name=self_I_2]").fill("5")
    entry.get_by_role("button", name="Lưu điểm").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Đã lưu điểm" in message(page)
    shot(page, "cong-chuc-05-tu-cham-mau-01")

    # The annual self-assessment (Form 02, part II).
    menu(page, "Xếp loại chất lượng", "Kết quả của tôi")
    assert "Chờ tự đánh giá" in page.locator("#my-cases").inner_text()
    page.locator("#my-cases").get_by_role("link", name="Gửi phiếu tự đánh giá").click()
    page.wait_for_load_state("domcontentloaded")
    page.fill(
        "textarea[name=self_assess-self_assessment]",
        "Hoàn thành đúng hạn các văn bản góp ý, thẩm định được giao; chủ động đề xuất sửa quy chế.",
    )
    page.select_option("select[name=self_assess-self_level]", "good")
    shot(page, "cong-chuc-06-tu-danh-gia", action_form(page, "self_assess"), bottom=True)
    submit_case(page, "self_assess")
    assert page.locator("#case-state").inner_text() == "Đã tự đánh giá"

    # The score of a past month and its explanation.
    menu(page, "Xếp loại chất lượng", "Kết quả của tôi")
    page.locator("tr", has_text="Tháng 03/2026").get_by_role("link", name="Diễn giải").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_text("Tổng điểm").count() >= 1
    shot(page, "cong-chuc-07-dien-giai-diem")


# --- 2. unit leader ----------------------------------------------------------------------------


def test_lanh_dao_don_vi_nghiem_thu_cham_mau_01_hop(tab):
    page = tab
    sign_in(page, "lanhdao.phong")
    from scoring.models import Evidence

    reported = Evidence.objects.get(document_number="125/STP-VP").line
    menu(page, "Giao việc", "Theo dõi đơn vị")
    assert page.locator(f"#board-lines tr[data-line-id='{reported.pk}']").count() == 1
    shot(page, "lanh-dao-01-bang-theo-doi")

    # Accept the product the civil servant has just reported.
    page.locator(f"#board-lines tr[data-line-id='{reported.pk}'] a").first.click()
    page.wait_for_url(f"**/admin/worklog/lines/{reported.pk}/")
    accept = page.locator("#form-accept")
    accept.locator("textarea[name=comment]").fill("Đạt yêu cầu, đúng thể thức.")
    shot(page, "lanh-dao-02-nghiem-thu", accept)
    accept.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("#line-status").inner_text() == "Đã nghiệm thu"

    # Return another one, with what to redo.
    menu(page, "Giao việc", "Theo dõi đơn vị")
    pending = page.locator("#board-lines tr", has_text="Chờ nghiệm thu").first
    pending.locator("a").first.click()
    page.wait_for_load_state("domcontentloaded")
    back = page.locator("#form-return")
    back.locator("textarea[name=comment]").fill("Thiếu phụ lục số liệu; bổ sung rồi báo cáo lại.")
    back.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("#line-status").inner_text() == "Trả lại để làm lại"
    shot(page, "lanh-dao-03-tra-lai", page.locator("#line-status"))

    # Form 01: the evaluator's marks, from the board's "Chấm tiêu chí chung".
    menu(page, "Giao việc", "Theo dõi đơn vị")
    page.locator("tr", has_text="Nguyễn Văn Vũ").first.get_by_role(
        "link", name="Chấm tiêu chí chung"
    ).click()
    page.wait_for_load_state("domcontentloaded")
    entry = page.locator("#form01-entry")
    for field in entry.locator("input[name^=eval_]").all():
        field.fill("2")
    entry.locator("input[name=eval_I_1]").fill("4,5")
    entry.locator("input[name=eval_I_2]").fill("5")
    entry.get_by_role("button", name="Lưu điểm").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Đã lưu điểm" in message(page)
    shot(page, "lanh-dao-04-cham-tieu-chi-chung")

    # The unit meeting on the civil servant's rating case.
    case = vu_case()
    menu(page, "Xếp loại chất lượng", "Hồ sơ xếp loại")
    page.locator(f"a[href$='/ratings/cases/{case.pk}/']").first.click()
    page.wait_for_url(f"**/admin/ratings/cases/{case.pk}/")
    page.fill("input[name=review-meeting_date]", timezone.localdate().isoformat())
    page.fill(
        "textarea[name=review-meeting_comments]",
        "Tập thể Văn phòng Sở thống nhất đề nghị mức Hoàn thành tốt nhiệm vụ (9/9 phiếu).",
    )
    page.set_input_files(
        "input[name=review-minutes]",
        files=[
            {
                "name": "bien-ban-hop-van-phong.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4 bien ban",
            }
        ],
    )
    shot(page, "lanh-dao-05-hop-danh-gia", action_form(page, "review"), bottom=True)
    submit_case(page, "review")
    assert page.locator("#case-state").inner_text() == "Đã họp nhận xét, đánh giá"


# --- 3. agency clerk -----------------------------------------------------------------------------


def test_can_bo_nhap_lieu_excel_va_tham_dinh(tab, tmp_path):
    from scoring.models import AssignmentLine, Period

    page = tab
    sign_in(page, "quantri.stp")
    period = Period.for_date(timezone.localdate(), "month")
    menu(page, "Nhập, xuất Excel")

    def choose(form, prefix=""):
        page.select_option(f"{form} select[name='{prefix}kind']", "results")
        page.select_option(f"{form} select[name='{prefix}agency']", label="Sở Tư pháp")
        page.select_option(f"{form} select[name='{prefix}period']", str(period.pk))

    choose("#template-form", "tpl-")
    shot(page, "can-bo-nhap-lieu-01-tai-mau", page.locator("#template-form"))
    with page.expect_download() as download:
        page.click("#template-download")
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)

    book = openpyxl.load_workbook(template)
    sheet = book["Kết quả"]
    first, second = FIRST_DATA_ROW, FIRST_DATA_ROW + 1
    official_id = sheet.cell(first, 1).value
    for row, assigned in ((first, 2), (second, -1)):  # a negative quantity: one error
        sheet.cell(row, 3).value = "STP-002"
        sheet.cell(row, 5).value = assigned
        sheet.cell(row, 6).value = 1
    filled = tmp_path / "ket-qua-thang-11.xlsx"
    book.save(filled)

    def upload():
        page.goto(f"{page.base_url}/admin/excel/")
        choose("#import-upload-form")
        page.set_input_files("#import-upload-form input[name='file']", str(filled))
        page.click("#import-upload-submit")
        page.wait_for_selector("#import-job[data-running='false']")

    upload()
    assert page.locator("#count-error-rows").inner_text().strip() == "1"
    issues = page.locator(f"#import-issues tr[data-row='{second}']")
    assert issues.count() >= 1
    shot(page, "can-bo-nhap-lieu-02-bang-loi", page.locator("#import-issues"))

    sheet.cell(second, 5).value = 3
    book.save(filled)
    upload()
    assert page.locator("#count-error-rows").inner_text().strip() == "0"
    shot(page, "can-bo-nhap-lieu-03-xem-truoc", page.locator("#import-confirm"), bottom=True)
    page.click("#import-confirm")
    page.wait_for_selector("#import-job[data-status='committed']")
    shot(page, "can-bo-nhap-lieu-04-da-nhap")
    assert AssignmentLine.objects.filter(
        civil_servant__official_id=official_id, period=period, item__code="STP-002", source="excel"
    ).exists()

    # The appraisal of the civil servant's rating case (the personnel unit's step).
    case = vu_case()
    menu(page, "Xếp loại chất lượng", "Hồ sơ xếp loại")
    page.locator(f"a[href$='/ratings/cases/{case.pk}/']").first.click()
    page.wait_for_url(f"**/admin/ratings/cases/{case.pk}/")
    page.select_option("select[name=appraise-proposal_level]", "good")
    page.fill(
        "textarea[name=appraise-proposal_comment]",
        "Đã thẩm định: đủ điều kiện Hoàn thành tốt nhiệm vụ.",
    )
    shot(page, "can-bo-nhap-lieu-05-tham-dinh", action_form(page, "appraise"), bottom=True)
    submit_case(page, "appraise")
    assert page.locator("#case-state").inner_text() == "Đã thẩm định, đề xuất mức xếp loại"


# --- 4. director and chairman -----------------------------------------------------------------


def test_giam_doc_chu_tich_quyet_dinh_xep_loai(tab):
    page = tab
    case = vu_case()
    sign_in(page, "giamdoc.stp")
    menu(page, "Xếp loại chất lượng", "Hồ sơ xếp loại")
    # The filter drawer: "Chỉ hồ sơ đang chờ tôi" (results refresh by themselves).
    filters = page.get_by_role("button", name=re.compile("bộ lọc"))
    filters.click()
    page.get_by_role("button", name="Chỉ hồ sơ đang chờ tôi").click()
    page.get_by_label("Chỉ hồ sơ đang chờ tôi").check()
    page.wait_for_url("**mine=**")
    link = page.locator(f"a[href$='/ratings/cases/{case.pk}/']").first
    link.wait_for()
    shot(page, "giam-doc-chu-tich-01-ho-so-cho-toi")
    filters.click()  # close the drawer
    link.click()
    page.wait_for_url(f"**/admin/ratings/cases/{case.pk}/")
    assert page.get_by_role("heading", name="Việc bạn có thể làm").count() == 1
    shot(page, "giam-doc-chu-tich-02-ho-so", page.locator("#case-state"))

    today = timezone.localdate()
    page.select_option("select[name=decide-decision_level]", "good")
    page.fill("input[name=decide-decision_ref]", "456/QĐ-STP")
    page.fill("input[name=decide-decision_date]", today.isoformat())
    shot(page, "giam-doc-chu-tich-03-quyet-dinh", action_form(page, "decide"), bottom=True)
    submit_case(page, "decide")
    assert page.locator("#case-state").inner_text() == "Đã quyết định xếp loại"

    submit_case(page, "notify")
    assert page.locator("#case-state").inner_text() == "Đã thông báo kết quả"
    shot(page, "giam-doc-chu-tich-04-da-thong-bao", page.locator("#case-state"))

    form02 = page.get_by_role("link", name="In phiếu (Mẫu 02)")
    page.goto(page.base_url + form02.get_attribute("href"))  # opens in a new tab for printing
    assert "456/QĐ-STP" in page.locator("#printable").inner_text()
    shot(page, "giam-doc-chu-tich-05-mau-02")

    # The chairman's list of the cases he rates (directors of departments, communes' chairs).
    sign_in(page, "chutich.tinh")
    menu(page, "Xếp loại chất lượng", "Hồ sơ xếp loại")
    assert page.get_by_role("heading", name="Hồ sơ xếp loại").count() >= 1
    shot(page, "giam-doc-chu-tich-06-chu-tich")


# --- 5. civil servant: the decision, and a complaint -------------------------------------------


def test_cong_chuc_xem_ket_qua_va_kien_nghi(tab):
    page = tab
    case = vu_case()
    sign_in(page, "congchuc")
    menu(page, "Xếp loại chất lượng", "Kết quả của tôi")
    decision = page.locator(f"#my-cases tr[data-case-id='{case.pk}']").inner_text()
    assert "Hoàn thành tốt nhiệm vụ" in decision and "456/QĐ-STP" in decision
    shot(page, "cong-chuc-08-ket-qua-xep-loai")

    page.locator(f"#my-cases tr[data-case-id='{case.pk}']").get_by_role(
        "link", name="Gửi kiến nghị"
    ).click()
    page.wait_for_url(f"**/admin/ratings/cases/{case.pk}/")
    complain = page.locator("details[data-action=complain]")
    if complain.get_attribute("open") is None:  # the first action shows open
        complain.locator("summary").click()
    page.fill(
        "textarea[name=complain-complaint_text]",
        "Đề nghị xem xét lại mức xếp loại: điểm năm của tôi đạt mức Hoàn thành xuất sắc.",
    )
    shot(page, "cong-chuc-09-kien-nghi", action_form(page, "complain"), bottom=True)
    submit_case(page, "complain")
    assert (
        "Đề nghị xem xét lại"
        in page.get_by_role("heading", name="Kiến nghị").locator("xpath=..").inner_text()
    )
    shot(page, "cong-chuc-10-da-gui-kien-nghi", page.get_by_role("heading", name="Kiến nghị"))


# --- 6. Sở Nội vụ -------------------------------------------------------------------------------


def test_so_noi_vu_phe_duyet_danh_muc_va_khoa_so(tab):
    from catalog_pages.models import AgencyCatalogPage, CatalogVersion
    from scoring.models import Period, PeriodStatus

    page = tab
    sign_in(page, "sonoivu")
    catalog = AgencyCatalogPage.objects.get(agency__code="SYT")
    assert catalog.workflow_in_progress
    assert page.get_by_role("heading", name="Đang chờ bạn xem xét").count() == 1
    shot(page, "so-noi-vu-01-trang-chu")
    page.get_by_role("link", name=catalog.title, exact=True).first.click()
    page.wait_for_url(f"**/admin/pages/{catalog.pk}/edit/")
    changes = page.locator("#catalog-changes")
    assert "SYT-900" in changes.inner_text()
    shot(page, "so-noi-vu-02-thay-doi-danh-muc")
    page.fill("input[name='approval_ref']", "231/QĐ-UBND")
    page.get_by_role("button", name="Phê duyệt và xuất bản", exact=True).click()
    # Wait for what is asserted: the version page the approval ends on (a load state of the
    # page being left could be met before the approval committed).
    page.wait_for_url("**/catalog-versions/*/?da-phe-duyet=1")
    assert "quyết định số 231/QĐ-UBND" in page.locator(".messages").inner_text()
    version = CatalogVersion.objects.filter(agency__code="SYT").order_by("-number").first()
    assert version.approval_ref == "231/QĐ-UBND"
    menu(page, "Phiên bản danh mục")
    shot(page, "so-noi-vu-03-phien-ban")

    # Close March 2026: the checklist of open work per agency, then the confirmation.
    march = Period.objects.get(year=2026, number=3, kind="month")
    menu(page, "Chấm điểm", "Kỳ đánh giá")
    page.locator("tr", has_text="Tháng 03/2026").get_by_role("link", name="Khóa sổ…").click()
    page.wait_for_url(f"**/admin/ky-danh-gia/{march.pk}/khoa-so/")
    assert page.get_by_text("Việc còn dở theo cơ quan").count() == 1
    shot(page, "so-noi-vu-04-khoa-so")
    page.locator("#xac-nhan input[name=confirm]").check()
    page.get_by_role("button", name="Khóa sổ và tính điểm").click()
    page.wait_for_load_state("domcontentloaded", timeout=120_000)
    march.refresh_from_db()
    assert march.status == PeriodStatus.CLOSED
    shot(page, "so-noi-vu-05-da-khoa-so")


# --- 7. the public ------------------------------------------------------------------------------


def test_nguoi_dan_xem_cong_khai(tab):
    page = tab
    page.goto(f"{page.base_url}/")
    page.get_by_role("link", name="Công khai kết quả đánh giá, xếp loại").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").inner_text() == "Công khai kết quả đánh giá, xếp loại"
    shot(page, "nguoi-dan-01-cong-khai")
    page.locator("#bang-co-quan").get_by_role("link", name="Sở Tư pháp").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").inner_text() == "Sở Tư pháp"
    shot(page, "nguoi-dan-02-co-quan")
    page.get_by_role("link", name="Danh mục sản phẩm/công việc đã công bố").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Sở Tư pháp" in page.locator("h1").inner_text()
    shot(page, "nguoi-dan-03-danh-muc")


def test_guide_images_are_small_and_referenced():
    """Every picture the guide names exists and the tests above took it, every picture is
    shown by a guide, and together they stay small."""
    guide = ROOT / "docs" / "huong-dan"
    named = set()
    for doc in guide.glob("*.md"):
        named |= set(re.findall(r"\]\((anh/[a-z0-9-]+\.png)\)", doc.read_text(encoding="utf-8")))
    missing = [name for name in sorted(named) if not (guide / name).is_file()]
    assert not missing, missing
    # Taken by other modules (maybe in another process): van-phong-* by
    # test_quarterly_assessment.py, so-noi-vu-20-* by test_framework_editor.py,
    # danh-muc-co-quan-* by test_agency_catalog_task.py.
    # ket-qua-co-quan by test_accessibility.py, so-noi-vu-30-* by test_guide_day4.py; the
    # monthly complaint and re-check (cong-chuc-11/12, lanh-dao-06, so-noi-vu-40) and opening a
    # period (so-noi-vu-06) by test_guide_day5.py; the Party bloc's own steps (khoi-*) by
    # test_party_bloc_journey.py.
    elsewhere = (
        "anh/van-phong-",
        "anh/so-noi-vu-20-",
        "anh/danh-muc-co-quan-",
        "anh/ket-qua-co-quan",
        "anh/so-noi-vu-30-",
        "anh/cong-chuc-11-",
        "anh/cong-chuc-12-",
        "anh/lanh-dao-06-",
        "anh/so-noi-vu-40-",
        "anh/so-noi-vu-06-",
        "anh/khoi-",
    )
    not_taken = [
        name
        for name in sorted(named)
        if not (IMAGES / Path(name).name).is_file() and not name.startswith(elsewhere)
    ]
    assert not not_taken, f"pictures the steps above did not take: {not_taken}"
    unused = sorted(f"anh/{path.name}" for path in GUIDE_IMAGES.glob("*.png"))
    unused = [name for name in unused if name not in named]
    assert not unused, f"pictures no guide shows (delete them or add the step): {unused}"
    for folder in {GUIDE_IMAGES, IMAGES}:
        total = sum(path.stat().st_size for path in folder.glob("*.png"))
        assert total < 3_000_000, (folder, total)
