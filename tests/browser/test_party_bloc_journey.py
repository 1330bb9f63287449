"""Issue 44 item 1, as the Party bloc does it (review 2026-11-25: coverage A8, H2), without a
single step of Sở Nội vụ: a civil servant of Ban Tổ chức Tỉnh ủy asks for a re-check (phúc tra)
of his month; Ban Tổ chức Tỉnh ủy's bloc staff (``thamdinh.btc``) answer it from the bloc's page;
they close the month for the Party bloc's bodies, and a later change to a line of one of those
bodies is refused with the closed-period sentence on screen; they record an inspection of a
Party body; they open the bloc's report and download it."""

import io

import pytest

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from demo.loader import DEMO_PASSWORD
from org.access import AGENCY_ADMIN_GROUP
from org.models import AccessRole, Agency, AgencyAccess
from oversight.models import Inspection
from ratings.models import PeriodComplaint, PeriodComplaintStatus
from ratings.services import period_complaints
from scoring.models import AssignmentLine, Period, PeriodScore, PeriodStatus
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CLOSED = "Kỳ đánh giá Tháng 03/2026 đã khóa sổ (Đã khóa sổ): không thể thay đổi dữ liệu đầu vào."


@pytest.fixture
def demo_province():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def sign_in(page, username):
    page.context.clear_cookies()
    login(page, username, DEMO_PASSWORD)


def main_text(page) -> str:
    return page.locator("main").inner_text()


def _escalated_complaint(btc, march):
    """A Ban Tổ chức civil servant contests March, his evaluator keeps the result, and he asks
    for the re-check: the real services, each as its own person."""
    score = (
        PeriodScore.objects.filter(
            period=march,
            scored=True,
            agency__path__startswith=btc.path,
            civil_servant__user__isnull=False,
            civil_servant__user__agency_accesses__isnull=True,
        )
        .select_related("civil_servant__user")
        .order_by("civil_servant__official_id")
        .first()
    )
    assert score is not None, "the demo has no scored Ban Tổ chức civil servant in March"
    person = score.civil_servant.user
    complaint = period_complaints.file_complaint(
        person, score, text="Tôi đã hoàn thành đủ 4 văn bản trong tháng; bảng chỉ ghi nhận 2."
    )
    evaluator = complaint.evaluator
    assert evaluator is not None and evaluator.user_id, "no evaluator with a sign-in"
    complaint = period_complaints.answer(
        evaluator.user,
        complaint,
        upheld=False,
        text="Văn bản 21 và 30 chưa được nghiệm thu trong tháng: giữ nguyên kết quả.",
    )
    complaint = period_complaints.request_recheck(
        person, complaint, text="Văn bản 21 và 30 đã nộp lại ngày 30/03/2026, trong tháng."
    )
    assert complaint.status == PeriodComplaintStatus.RECHECK
    return complaint


def _btc_admin(btc):
    """The Tỉnh ủy's agency admin (the demo's, or one made for the journey) who edits a line
    of Ban Tổ chức."""
    from accounts.models import User

    access = (
        AgencyAccess.objects.filter(role=AccessRole.AGENCY_ADMIN, agency__code__in=["TU", "TU-BTC"])
        .select_related("user")
        .first()
    )
    if access is not None:
        return access.user.username
    user = User.objects.create_user(username="quantri.tu-btc", password=DEMO_PASSWORD)
    user.full_name = "Quản trị Ban Tổ chức Tỉnh ủy"
    user.save()
    user.groups.add(Group.objects.get(name=AGENCY_ADMIN_GROUP))
    AgencyAccess.objects.create(user=user, agency=btc, role=AccessRole.AGENCY_ADMIN)
    return user.username


def test_the_party_bloc_runs_its_phuc_tra_close_inspection_and_report(page, demo_province):
    from tests.browser.test_guide import shot

    btc = Agency.objects.get(code="TU-BTC")
    party_body = Agency.objects.get(code="TU-BTG") if Agency.objects.filter(code="TU-BTG") else btc
    march = Period.objects.get(kind="month", year=2026, number=3)
    assert march.status == PeriodStatus.OPEN
    complaint = _escalated_complaint(btc, march)
    line = (
        AssignmentLine.objects.filter(period=march, unit__path__startswith=btc.path)
        .order_by("pk")
        .first()
    )
    assert line is not None

    # 1. Ban Tổ chức's bloc staff open their bloc's page from the menu: the re-check waits.
    sign_in(page, "thamdinh.btc")
    page.locator("#wagtail-sidebar").get_by_role(
        "link", name="Báo cáo khối gửi Ban Thường vụ", exact=True
    ).click()
    page.wait_for_load_state("domcontentloaded")
    desk = page.locator("#bloc-desk")
    assert "1 kiến nghị chờ phúc tra" in desk.inner_text()
    row = page.locator("#bloc-periods tr[data-period='2026-03']")
    assert "Đang mở" in row.inner_text()
    shot(page, "khoi-01-viec-cua-khoi", desk)

    # 2. The re-check, answered by the bloc's lead body (not Sở Nội vụ).
    desk.get_by_role("link", name="Xem và trả lời kiến nghị").click()
    page.wait_for_load_state("domcontentloaded")
    page.locator(f"tr[data-complaint-id='{complaint.pk}'] a").first.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("#complaint-status").inner_text() == "Chờ Ban Tổ chức Tỉnh ủy phúc tra"
    recheck = page.locator("#complaint-answer")
    assert "Phúc tra (Ban Tổ chức Tỉnh ủy)" in recheck.inner_text()
    recheck.get_by_label("Không chấp nhận (giữ nguyên kết quả)").check()
    recheck.locator("textarea[name=text]").fill(
        "Nhật ký nghiệm thu ghi văn bản 21, 30 được nộp lại ngày 02/04/2026: giữ nguyên kết "
        "quả tháng 03/2026."
    )
    shot(page, "khoi-02-phuc-tra", recheck)
    recheck.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    complaint.refresh_from_db()
    assert complaint.status == PeriodComplaintStatus.RECHECK_REJECTED
    assert complaint.rechecked_by.username == "thamdinh.btc"
    assert "Kết luận phúc tra của Ban Tổ chức Tỉnh ủy" in main_text(page)

    # 3. The month closed for the Party bloc's bodies, after a ticked confirmation.
    page.goto(f"{page.base_url}/admin/bao-cao-khoi/")
    page.locator("#bloc-periods tr[data-period='2026-03']").get_by_role(
        "link", name="Khóa sổ…"
    ).click()
    page.wait_for_load_state("domcontentloaded")
    body = main_text(page)
    assert "Khi khóa sổ cho khối:" in body and "Ban Tổ chức Tỉnh ủy" in body
    assert "Sở Tư pháp" not in body
    page.get_by_role("button", name="Khóa sổ và tính điểm").click()
    # The browser asks for the box first (required), nothing is closed.
    assert Period.objects.get(pk=march.pk).closed_blocs == {}
    page.locator("#xac-nhan input[name=confirm]").check()
    shot(page, "khoi-03-khoa-so", page.locator("#xac-nhan"), bottom=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Khóa sổ và tính điểm").click()
    page.wait_for_load_state("domcontentloaded")
    message = page.locator(".messages").inner_text()
    assert "Đã khóa sổ Tháng 03/2026 cho khối" in message, message
    assert "và tính điểm cuối kỳ" in message
    row = page.locator("#bloc-periods tr[data-period='2026-03']")
    assert "Đã khóa sổ cho khối lúc" in row.inner_text()
    assert row.get_by_role("link", name="Mở lại…").count() == 1
    period = Period.objects.get(pk=march.pk)
    assert period.status == PeriodStatus.OPEN and period.closed_for(btc)
    assert not period.closed_for(Agency.objects.get(code="STP"))
    shot(page, "khoi-04-da-khoa-so", page.locator("#bloc-periods"))

    # 4. A later change to a Ban Tổ chức line is refused, with the sentence on screen.
    sign_in(page, _btc_admin(btc))
    page.goto(f"{page.base_url}/admin/snippets/scoring/assignmentline/edit/{line.pk}/")
    quantity = page.locator("input[name=completed_quantity]")
    quantity.fill(str(int(line.assigned_quantity)))
    with page.expect_navigation():
        page.locator("button.action-save").first.click()
    page.wait_for_load_state("domcontentloaded")
    assert CLOSED in main_text(page), main_text(page)[:1500]
    shot(page, "khoi-05-dong-da-khoa", page.get_by_text(CLOSED).first)
    stored = AssignmentLine.objects.get(pk=line.pk)
    assert stored.completed_quantity == line.completed_quantity

    # 5. An inspection of a Party body, recorded by the bloc staff from their page.
    sign_in(page, "thamdinh.btc")
    page.goto(f"{page.base_url}/admin/bao-cao-khoi/")
    page.locator("#bloc-desk").get_by_role("link", name="Ghi một cuộc kiểm tra").click()
    page.wait_for_load_state("domcontentloaded")
    today = timezone.localdate()
    # The agency chooser lists the bloc's bodies only.
    page.locator("[data-chooser-action-choose]").first.click()
    modal = page.locator(".modal")
    modal.get_by_role("link", name=party_body.name).first.wait_for()
    assert "Sở Tư pháp" not in modal.inner_text()
    modal.get_by_role("link", name=party_body.name).first.click()
    page.wait_for_function(
        "pk => document.querySelector('input[name=agency]').value === String(pk)", arg=party_body.pk
    )
    page.fill("input[name=decision_ref]", "09-QĐ/BTCTU")
    page.fill("input[name=decision_date]", today.strftime("%d/%m/%Y"))
    page.fill("textarea[name=team]", "Trưởng đoàn: Phó Trưởng Ban Tổ chức Tỉnh ủy")
    page.fill("input[name=covers_from]", "01/01/2026")
    page.fill("input[name=covers_to]", "30/06/2026")
    page.fill("input[name=started_on]", today.strftime("%d/%m/%Y"))
    page.locator("textarea[name=team]").click()  # closes a date picker left open
    with page.expect_navigation():
        page.locator("button.action-save").first.evaluate("b => b.click()")
    page.wait_for_load_state("domcontentloaded")
    inspection = Inspection.objects.filter(decision_ref="09-QĐ/BTCTU").first()
    assert inspection is not None, main_text(page)[:1500]
    assert inspection.agency == party_body
    assert "09-QĐ/BTCTU" in main_text(page)

    # 6. The bloc's report, opened and downloaded.
    page.goto(f"{page.base_url}/admin/bao-cao-khoi/")
    assert "1 cuộc kiểm tra công tác đánh giá trong khối" in page.locator("#bloc-desk").inner_text()
    title = page.locator("#bloc-report-title").inner_text()
    assert "Ban Tổ chức Tỉnh ủy báo cáo Ban Thường vụ Tỉnh ủy" in title
    body = page.locator("#bloc-agencies").inner_text()
    assert party_body.name in body and "Sở Tư pháp" not in body
    assert "Khóa sổ Tháng" in body or "Đã khóa sổ cho khối" in body
    shot(page, "khoi-06-bao-cao", page.locator("#bloc-report-title"))
    with page.expect_download() as download_info:
        page.locator("#bloc-report-xlsx").click()
    download = download_info.value
    assert download.suggested_filename.startswith("bao-cao-khoi-tu-")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    cells = [str(c) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for c in r]
    assert any(party_body.name == c for c in cells)
    assert not any("Sở Tư pháp" in c for c in cells)
    # No step of Sở Nội vụ: nobody of Sở Nội vụ acted on the complaint or the close.
    from wagtail.models import ModelLogEntry

    closed_by = ModelLogEntry.objects.get(action="dashboards.period_bloc_close").user
    assert closed_by.username == "thamdinh.btc"
    assert PeriodComplaint.objects.get(pk=complaint.pk).rechecked_by.username == "thamdinh.btc"
