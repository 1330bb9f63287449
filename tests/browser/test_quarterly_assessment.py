"""The quarterly assessment in the browser (docs/organisation-scoring.md §9): the Office of the
province People's Committee enters a province-assigned task in its open window, then one after
the window (marked late, with who and when); the province chairman opens the quarterly board
and confirms the quarter. Screenshots under tests/artifacts/ (quarterly-*.png); the steps of
the Office's guide (docs/huong-dan/van-phong-ubnd.md) are written to tests/artifacts/huong-dan/anh/
(van-phong-*.png; ``make guide-screenshots`` writes them to the guide's docs/huong-dan/anh/)."""

import datetime

import pytest

from django.utils import timezone

from demo.base_data import ensure_base_data
from org.access import PROVINCE_OFFICE_GROUP, UNIT_LEADER_GROUP
from org.models import LeadershipRole
from org.roles import ensure_roles
from org_scoring import quarters
from org_scoring.models import ProvinceTask, QuarterlyAssessment, QuarterWindow
from tests.browser.conftest import GUIDE_SHOTS, login
from tests.factories import (
    AgencyFactory,
    CommuneFactory,
    ProvinceFactory,
    UserFactory,
    post,
    with_user,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "matkhau-123"


def guide_shot(page, name):
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    GUIDE_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(GUIDE_SHOTS / f"van-phong-{name}.png"), full_page=True)


@pytest.fixture
def province():
    ensure_base_data()
    ensure_roles()
    root = ProvinceFactory()
    department = AgencyFactory(parent=root, code="SQT", name="Sở Quý Thử")
    CommuneFactory(parent=root, code="XQT", name="Ủy ban nhân dân xã Quý Thử")
    post(department, role=LeadershipRole.HEAD, full_name="Giám Đốc Quý")
    chairman = post(root, role=LeadershipRole.HEAD, full_name="Chủ Tịch Quý")
    with_user(chairman, "chutich.quy", groups=(UNIT_LEADER_GROUP,))
    UserFactory(
        username="vanphong.quy", full_name="Chuyên Viên Văn Phòng", groups=[PROVINCE_OFFICE_GROUP]
    )
    today = timezone.localdate()
    window = QuarterWindow.objects.create(
        year=today.year,
        quarter=quarters.quarter_of(today),
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=1),
    )
    return department, window


def enter_task(page, department, window, number, title, shot=None):
    page.goto(
        f"{page.base_url}/admin/org-scoring/quarters/entry/?year={window.year}&quarter={window.quarter}"
    )
    page.locator(f"tbody[data-agency='{department.code}'] a.button").click()
    first, _last = quarters.quarter_bounds(window.year, window.quarter)
    page.fill("textarea[name=title]", title)
    page.fill("input[name=document_number]", number)
    page.fill("input[name=document_date]", first.strftime("%d/%m/%Y"))
    page.fill("input[name=deadline]", (first + datetime.timedelta(days=10)).strftime("%d/%m/%Y"))
    page.select_option("select[name=status]", "done_on_time")
    if shot:
        guide_shot(page, shot)
    page.locator("button[data-submit=save]").click()
    page.wait_for_load_state("networkidle")


def test_the_office_enters_and_the_chairman_confirms_the_quarter(page, province, screenshot):
    department, window = province
    login(page, "vanphong.quy", PASSWORD)
    enter_task(
        page,
        department,
        window,
        "201/UBND-TH",
        "Báo cáo tiến độ giải ngân vốn đầu tư công",
        shot="01-them-nhiem-vu",
    )
    rows = page.locator(f"tbody[data-agency='{department.code}'] tr[data-task]")
    assert rows.count() == 1 and rows.first.get_attribute("data-late") == "0"
    assert page.locator("#quarter-window").get_attribute("data-state") == "open"
    opens = window.opens_on.strftime("%d/%m/%Y")
    assert opens in page.locator("#quarter-window").inner_text()
    screenshot("quarterly-office-entry-open")
    guide_shot(page, "02-danh-sach-trong-han")

    # The window closes; the Office still enters one (its role may enter late): marked late.
    today = timezone.localdate()
    QuarterWindow.objects.filter(pk=window.pk).update(
        opens_on=today - datetime.timedelta(days=3), closes_on=today - datetime.timedelta(days=1)
    )
    enter_task(
        page, department, window, "233/UBND-KT", "Rà soát thủ tục hành chính lĩnh vực đất đai"
    )
    late = page.locator(f"tbody[data-agency='{department.code}'] tr[data-late='1']")
    assert late.count() == 1
    assert "Nhập sau hạn" in late.inner_text() and "Chuyên Viên Văn Phòng" in late.inner_text()
    assert "1 nhiệm vụ nhập hoặc sửa sau hạn" in page.locator("#late-count").inner_text()
    assert page.locator("#entry-decision").get_attribute("data-late") == "1"
    screenshot("quarterly-office-entry-late")
    guide_shot(page, "03-nhap-sau-han")

    # The chairman's board: the department's score and level, the late entry; he confirms.
    page.context.clear_cookies()
    login(page, "chutich.quy", PASSWORD)
    page.goto(
        f"{page.base_url}/admin/org-scoring/quarters/?year={window.year}&quarter={window.quarter}"
    )
    row = page.locator(f"#quarter-board tr[data-agency='{department.code}']")
    assert row.get_attribute("data-level") == "excellent"
    assert "Giám Đốc Quý" in row.inner_text() and "100,00" in row.inner_text()
    screenshot("quarterly-chairman-board")
    page.fill("#confirm-note", "Đồng ý kết quả quý.")
    page.locator("button[data-submit=confirm]").click()
    page.wait_for_load_state("networkidle")
    assert "Chủ Tịch Quý" in page.locator("#quarter-confirmed").inner_text()
    assert page.locator("#quarter-window").get_attribute("data-confirmed") == "1"
    screenshot("quarterly-chairman-confirmed")
    guide_shot(page, "04-chu-tich-xac-nhan")
    assessment = QuarterlyAssessment.objects.get(agency=department, quarter=window.quarter)
    assert assessment.confirmed_by.username == "chutich.quy"
    assert ProvinceTask.objects.filter(agency=department, entered_late=True).count() == 1
