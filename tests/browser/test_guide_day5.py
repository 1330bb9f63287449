"""The guide's pictures for the monthly complaint and its re-check (phúc tra), for every role
(cong-chuc §7a, lanh-dao-don-vi §7, so-noi-vu §12), and for opening a period (so-noi-vu §2a),
taken while walking the tasks in a small province (issue 30, the guide; review 2026-11-23 §4
items 5 and 9). Each step asserts what the person sees."""

import pytest

from django.urls import reverse

from org.access import CIVIL_SERVANT_GROUP, HOME_AFFAIRS_GROUP, UNIT_LEADER_GROUP
from org.models import LeadershipRole
from org.roles import ensure_roles
from ratings.models import PeriodComplaint, PeriodComplaintStatus
from scoring.models import Period
from scoring.services import score_person
from tests.browser.conftest import login
from tests.browser.gate import browser_page
from tests.browser.test_guide import VIEWPORT, menu, shot, vi_browser  # noqa: F401 (fixture)
from tests.factories import UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "matkhau-123"


@pytest.fixture
def page(vi_browser, live_server):  # noqa: F811
    """Chromium in Vietnamese, as for the guide's other pictures (dd/mm/yyyy, "Chọn tệp")."""
    with browser_page(
        vi_browser, live_server, timeout=20_000, locale="vi-VN", viewport=VIEWPORT
    ) as tab:
        yield tab


def sign_in(page, username):
    page.context.clear_cookies()
    login(page, username, PASSWORD)


def main_text(page) -> str:
    return page.locator("main").inner_text()


def test_a_monthly_complaint_answered_then_rechecked_by_home_affairs(page):
    ensure_roles()
    world = build_world()
    person = world.person("Nguyễn Văn Điền")
    world.line(person, "X", 4, 2)
    world.marks(person, 27)
    head = world.person("Trương Văn Chấm", role=LeadershipRole.HEAD)
    person.user = UserFactory(username="dien", groups=[CIVIL_SERVANT_GROUP])
    person.save()
    head.user = UserFactory(username="cham", groups=[UNIT_LEADER_GROUP])
    head.save()
    UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    score_person(person, world.period)

    # 1. The civil servant files it from "Kết quả của tôi".
    sign_in(page, "dien")
    page.goto(f"{page.base_url}{reverse('ratings_my')}")
    page.locator("a.complain-link").first.click()
    page.wait_for_load_state("domcontentloaded")
    assert "Thời hạn kiến nghị" in main_text(page)
    page.locator("#period-complaint-form input[name=lines]").first.check()
    page.fill(
        "#period-complaint-form textarea[name=text]",
        "Tôi đã hoàn thành 4/4 văn bản (số 12, 15, 21, 30/SNV); bảng chỉ ghi nhận 2.",
    )
    shot(page, "cong-chuc-11-kien-nghi-thang")
    page.locator("#period-complaint-form button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert (
        "Đã gửi kiến nghị; người đánh giá đã được thông báo."
        in page.locator(".messages").inner_text()
    )
    assert page.locator("#complaint-status").inner_text() == "Chờ người đánh giá trả lời"
    complaint = PeriodComplaint.objects.get(civil_servant=person)

    # 2. The unit head answers it from his home page.
    sign_in(page, "cham")
    waiting = page.locator("#ratings-period-complaints-waiting-section")
    waiting.get_by_role("link", name="Nguyễn Văn Điền").click()
    page.wait_for_load_state("domcontentloaded")
    answer = page.locator("#complaint-answer")
    assert "Trả lời kiến nghị" in answer.inner_text()
    answer.get_by_label("Không chấp nhận (giữ nguyên kết quả)").check()
    answer.locator("textarea[name=text]").fill(
        "Văn bản số 21 và 30/SNV chưa được nghiệm thu trong tháng 03/2026 "
        "(trả lại ngày 28/03 để sửa): chưa tính là hoàn thành."
    )
    shot(page, "lanh-dao-06-tra-loi-kien-nghi", answer)
    answer.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Đã ghi nhận lúc" in page.locator(".messages").inner_text()
    assert page.locator("#complaint-status").inner_text() == "Không được chấp nhận"

    # 3. The civil servant reads the answer and asks Sở Nội vụ to re-check.
    sign_in(page, "dien")
    page.goto(f"{page.base_url}{reverse('ratings_my')}")
    page.locator(f"#my-period-complaints tr[data-complaint-id='{complaint.pk}'] a").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Trả lời của người đánh giá" in main_text(page)
    request = page.locator("#complaint-recheck-request")
    assert "Được đề nghị đến hết ngày" in request.inner_text()
    request.locator("textarea").fill(
        "Văn bản 21 và 30/SNV đã sửa và nộp lại ngày 30/03/2026, trước khi hết tháng."
    )
    shot(page, "cong-chuc-12-de-nghi-phuc-tra", page.locator("#complaint-timeline"))
    request.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("#complaint-status").inner_text() == "Chờ Sở Nội vụ phúc tra"

    # 4. Sở Nội vụ re-checks from the menu.
    sign_in(page, "sonoivu")
    menu(page, "Xếp loại chất lượng", "Kiến nghị kết quả tháng/quý")
    page.locator(f"tr[data-complaint-id='{complaint.pk}'] a").first.click()
    page.wait_for_load_state("domcontentloaded")
    recheck = page.locator("#complaint-answer")
    assert "Phúc tra (Sở Nội vụ)" in recheck.inner_text()
    recheck.get_by_label("Không chấp nhận (giữ nguyên kết quả)").check()
    recheck.locator("textarea[name=text]").fill(
        "Nhật ký nghiệm thu ghi văn bản 21, 30/SNV được nộp lại ngày 02/04/2026: "
        "giữ nguyên kết quả tháng 03/2026."
    )
    shot(page, "so-noi-vu-40-phuc-tra", recheck)
    recheck.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    complaint.refresh_from_db()
    assert complaint.status != PeriodComplaintStatus.RECHECK
    status = page.locator("#complaint-status").inner_text()
    assert status == complaint.get_status_display()
    assert "Kết luận phúc tra của Sở Nội vụ" in main_text(page)


def test_home_affairs_opens_a_period(page):
    ensure_roles()
    build_world()
    UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    sign_in(page, "sonoivu")
    menu(page, "Chấm điểm", "Kỳ đánh giá")
    page.locator("main").get_by_role("link", name="Thêm").first.click()
    page.wait_for_load_state("domcontentloaded")
    page.select_option("#id_kind", "month")
    page.fill("#id_year", "2026")
    page.fill("#id_number", "12")
    shot(page, "so-noi-vu-06-mo-ky", page.locator("#id_kind"))
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state("domcontentloaded")
    period = Period.objects.get(kind="month", year=2026, number=12)
    assert period.status == "open"
    assert (period.start_date.day, period.end_date.day) == (1, 31)
    assert "Tháng 12/2026" in main_text(page)
