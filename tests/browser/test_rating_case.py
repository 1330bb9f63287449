"""One rating case end to end in headless Chromium: the civil servant self-assesses, the unit
head records the meeting, the department's HR unit appraises and proposes, the director
decides, and the civil servant sees the decision; the printable Form 02 is saved as PDF and PNG
under tests/artifacts/."""

import pytest

from django.apps import apps
from django.utils import timezone

from org.roles import ensure_roles
from org.seeds import create_state_rules
from ratings.models import CaseState, RatingCase
from tests.browser.conftest import ARTIFACTS, login
from tests.ratings.world import build_rating_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "matkhau-123"  # tests.factories.UserFactory


@pytest.fixture
def world():
    # Transactional tests flush the database between tests: put back what migrations seeded.
    create_state_rules(apps)
    ensure_roles()
    world = build_rating_world()
    world.staff("Nguyễn Thị Hồng Nhung", 86, username="nhung")
    return world


def sign_in(page, username):
    page.context.clear_cookies()
    login(page, username, PASSWORD)


def open_case(page, case):
    page.goto(f"{page.base_url}/admin/ratings/cases/{case.pk}/")


def submit(page, action):
    page.locator(f"button[data-submit={action}]").click()
    page.wait_for_load_state("networkidle")


def test_full_rating_case(page, world, screenshot):
    case = world.case_for(world.people["Nguyễn Thị Hồng Nhung"])

    # 1. The civil servant finds the case on their own page and self-assesses.
    sign_in(page, "nhung")
    page.goto(f"{page.base_url}/admin/ratings/my/")
    assert "Chờ tự đánh giá" in page.locator("#my-cases").inner_text()
    page.locator(f"#my-cases tr[data-case-id='{case.pk}'] a").first.click()
    page.fill(
        "textarea[name=self_assess-self_assessment]",
        "Hoàn thành 100% nhiệm vụ được giao, trong đó 3 nhiệm vụ vượt tiến độ.",
    )
    page.select_option("select[name=self_assess-self_level]", "good")
    submit(page, "self_assess")
    assert page.locator("#case-state").inner_text() == "Đã tự đánh giá"

    # 2. The unit head records the unit meeting with its minutes.
    sign_in(page, "truongphong")
    open_case(page, case)
    page.fill("input[name=review-meeting_date]", timezone.localdate().isoformat())
    page.fill(
        "textarea[name=review-meeting_comments]",
        "Tập thể Phòng Một thống nhất đề nghị mức Hoàn thành tốt nhiệm vụ (12/12 phiếu).",
    )
    page.set_input_files(
        "input[name=review-minutes]",
        files=[
            {
                "name": "bien-ban-hop-phong-mot.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4 bien ban",
            }
        ],
    )
    submit(page, "review")
    assert page.locator("#case-state").inner_text() == "Đã họp nhận xét, đánh giá"

    # 3. The department's personnel unit appraises and proposes a level.
    sign_in(page, "quantri")
    open_case(page, case)
    page.select_option("select[name=appraise-proposal_level]", "good")
    page.fill(
        "textarea[name=appraise-proposal_comment]",
        "Đã thẩm định: đủ điều kiện Hoàn thành tốt nhiệm vụ.",
    )
    submit(page, "appraise")
    assert page.locator("#case-state").inner_text() == "Đã thẩm định, đề xuất mức xếp loại"

    # 4. The director decides; "excellent" is refused (86 points), "good" goes through.
    sign_in(page, "giamdoc")
    open_case(page, case)
    page.select_option("select[name=decide-decision_level]", "excellent")
    page.fill("input[name=decide-decision_ref]", "125/QĐ-STN")
    page.fill("input[name=decide-decision_date]", timezone.localdate().isoformat())
    submit(page, "decide")
    assert "cao hơn mức mà điểm" in page.locator("#ratings-refusal").inner_text()
    page.select_option("select[name=decide-decision_level]", "good")
    page.fill("input[name=decide-decision_ref]", "125/QĐ-STN")
    page.fill("input[name=decide-decision_date]", timezone.localdate().isoformat())
    submit(page, "decide")
    assert page.locator("#case-state").inner_text() == "Đã quyết định xếp loại"
    screenshot("rating-case-decided")

    # 5. The civil servant sees the decision.
    sign_in(page, "nhung")
    page.goto(f"{page.base_url}/admin/ratings/my/")
    decision = page.locator(f"#my-cases tr[data-case-id='{case.pk}'] .my-decision").inner_text()
    assert "Hoàn thành tốt nhiệm vụ" in decision and "125/QĐ-STN" in decision
    screenshot("rating-case-mine")

    # 6. The printable Form 02 has every field; saved as PDF (A4) and PNG.
    page.goto(f"{page.base_url}/admin/ratings/cases/{case.pk}/form-02/")
    text = page.locator("#printable").inner_text()
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ THỬ NGHIỆM",
        "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC",
        "Nguyễn Thị Hồng Nhung",
        "86",
        "Hoàn thành 100% nhiệm vụ được giao",
        f"{timezone.localdate():%d/%m/%Y}",  # the meeting, and the decision, were today
        "12/12 phiếu",
        "bien-ban-hop-phong-mot.pdf",
        "đủ điều kiện Hoàn thành tốt nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "125/QĐ-STN",
        "NGƯỜI TỰ NHẬN XÉT",
        "NGƯỜI QUẢN LÝ TRỰC TIẾP",
        "NGƯỜI CÓ THẨM QUYỀN ĐÁNH GIÁ",
        "Lê Giám Đốc",
    ):
        assert expected in text, expected
    ARTIFACTS.mkdir(exist_ok=True)
    page.emulate_media(media="print")
    pdf = page.pdf(
        path=str(ARTIFACTS / "rating-form-02.pdf"),
        format="A4",
        print_background=True,
        prefer_css_page_size=True,
    )
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    page.emulate_media(media="screen")
    screenshot("rating-form-02")

    case = RatingCase.objects.get(pk=case.pk)
    assert case.state == CaseState.DECIDED and case.decision_ref == "125/QĐ-STN"
    assert [t.to_state for t in case.transitions.order_by("id")] == [
        "draft",
        "self_assessed",
        "reviewed",
        "appraised",
        "decided",
    ]
