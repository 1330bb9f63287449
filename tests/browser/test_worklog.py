"""Daily work end to end in headless Chromium: the unit head assigns a product, the civil
servant reports the two products done with a file as evidence, the head returns one of them
once, the civil servant reports again, the head accepts, and the period's score preview shows
the 25 % quality deduction on that one product only (Decree 335 Art. 14 b [confirmed]: 25 % of
*that product's* points; review 2026-11-22 W3/W8). Screenshots (desktop and phone) go to
tests/artifacts/."""

import datetime

import pytest

from django.utils import timezone

from org.roles import ensure_roles
from scoring.models import AssignmentLine
from tests.browser.conftest import login
from tests.worklog.helpers import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world():
    ensure_roles()
    return build_world()


def sign_in(page, username):
    page.context.clear_cookies()
    login(page, username, PASSWORD)


def open_line(page, line):
    page.goto(f"{page.base_url}/admin/worklog/lines/{line.pk}/")


def report_done(page, line, **evidence):
    open_line(page, line)
    form = page.locator("#form-submit")
    form.locator("input[name=completed_on]").fill(timezone.localdate().isoformat())
    if "file" in evidence:
        form.locator("input[name=file]").set_input_files(files=[evidence["file"]])
    if "number" in evidence:
        form.locator("input[name=document_number]").fill(evidence["number"])
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#line-status").inner_text() == "Chờ nghiệm thu"


def test_assign_report_return_accept_and_preview(page, world, screenshot):
    nhan = world.people["nhan"]
    deadline = timezone.localdate() + datetime.timedelta(days=7)

    # 1. The unit head assigns product X to Nhàn.
    sign_in(page, "truong")
    page.goto(f"{page.base_url}/admin/worklog/assign/")
    assert page.locator(f"input[name=people][value='{world.people['khac'].pk}']").count() == 0
    page.check(f"input[name=people][value='{nhan.pk}']")
    page.select_option("select[name=item]", str(world.items["X"].pk))
    page.fill("input[name=quantity]", "2")
    page.fill("input[name=deadline]", deadline.isoformat())
    page.fill("textarea[name=note]", "Báo cáo kết quả tuyển dụng công chức quý IV")
    screenshot("worklog-01-assign")
    page.locator("#assign-form button[type=submit]").click()
    page.wait_for_url("**/admin/worklog/board/**")
    line = AssignmentLine.objects.get(civil_servant=nhan)
    assert page.locator(f"#board-lines tr[data-line-id='{line.pk}']").count() == 1
    screenshot("worklog-02-board")

    # 2. Nhàn sees it in her list (on a phone) and reports it done with a PDF.
    sign_in(page, "nhan")
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base_url}/admin/worklog/")
    page.locator(f"tr[data-line-id='{line.pk}'] a").first.click()
    page.wait_for_load_state("networkidle")
    screenshot("worklog-03-line-phone")
    report_done(
        page,
        line,
        file={
            "name": "bao-cao-tuyen-dung.pdf",
            "mimeType": "application/pdf",
            "buffer": b"%PDF-1.4 bao cao",
        },
    )
    assert "bao-cao-tuyen-dung" in page.locator("#line-evidence").inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})

    # 3. The head returns one of the two products once, with a comment (the form proposes
    #    every reported product).
    sign_in(page, "truong")
    open_line(page, line)
    returned = page.locator("#form-return input[name=returned]")
    assert returned.input_value() == "2"
    returned.fill("1")
    page.fill("#form-return textarea[name=comment]", "Thiếu biểu tổng hợp theo đơn vị.")
    page.locator("#form-return button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#line-status").inner_text() == "Trả lại để làm lại"
    assert page.locator("#line-counters").inner_text() == "1 / 0"
    assert page.locator("#line-product-events").inner_text() == (
        "sản phẩm 2: 1 lần đánh giá chưa đạt"
    )

    # 4. Nhàn reports again, citing the document number of the corrected report.
    sign_in(page, "nhan")
    report_done(page, line, number="215/BC-SNV")

    # 5. The head accepts.
    sign_in(page, "truong")
    open_line(page, line)
    screenshot("worklog-04-review")
    page.locator("#form-accept button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#line-status").inner_text() == "Đã nghiệm thu"
    assert page.locator("#line-counters").inner_text() == "1 / 0"

    # 6. The period so far: quality (1 + 0.75) / 2 = 87.5 %, the explanation names the 25 %
    #    deduction on product 2.
    page.goto(f"{page.base_url}/admin/worklog/people/{nhan.pk}/?period={line.period.pk}")
    assert (
        page.locator("#score-quality strong").inner_text() == "87,50%"
    )  # the Vietnamese decimal comma
    explanation = page.locator("#score-explanation").inner_text()
    assert "sản phẩm 2: 1 lần → 1 × 1 \u2212 25% × 1 × 1 = 0,75" in explanation
    screenshot("worklog-05-period-preview")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot("worklog-06-period-preview-phone")


def test_a_refused_report_comes_back_with_the_form_and_a_red_message(page, world, screenshot):
    """Review 2026-11-23 B1: reporting completion without evidence gave the browser's blank
    "HTTP ERROR 400" and lost what was typed."""
    nhan = world.people["nhan"]
    line = world.line(
        people=("nhan",),
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        today=timezone.localdate(),
    )
    assert line.civil_servant == nhan
    sign_in(page, "nhan")
    open_line(page, line)
    form = page.locator("#form-submit")
    assert "Cần ít nhất một minh chứng" in form.inner_text()
    form.locator("input[name=completed_on]").fill(timezone.localdate().isoformat())
    form.locator("textarea[name=note]").fill("Đã gửi bản giấy cho văn thư")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    banner = page.locator(".messages .error, .messages [class*=error]").first
    assert "Chưa lưu được" in banner.inner_text()
    assert "Cần ít nhất một minh chứng trước khi báo cáo hoàn thành." in banner.inner_text()
    form = page.locator("#form-submit")
    assert "Cần ít nhất một minh chứng trước khi báo cáo hoàn thành." in form.inner_text()
    assert form.locator("textarea[name=note]").input_value() == "Đã gửi bản giấy cho văn thư"
    assert page.locator("#line-status").inner_text() != "Chờ nghiệm thu"
    screenshot("worklog-07-refused-report")
