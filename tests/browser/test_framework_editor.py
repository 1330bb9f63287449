"""A Sở Nội vụ officer changes a criterion's points, previews the effect on a sample person and
publishes a new version, without typing JSON (issue 30 item 2), in headless Chromium. The
guide's pictures (docs/huong-dan/so-noi-vu.md §7) are taken here."""

import pytest

from org.access import HOME_AFFAIRS_GROUP
from org.roles import ensure_roles
from scoring.models import CriteriaFramework
from scoring.services import score_person
from tests.browser.conftest import ARTIFACTS, GUIDE_SHOTS, login
from tests.factories import UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "matkhau-123"  # tests.factories.UserFactory
IMAGES = GUIDE_SHOTS  # tests/artifacts/… unless the guide's pictures are refreshed on purpose


@pytest.fixture
def world():
    ensure_roles()
    UserFactory(username="sonoivu.khung", full_name="Lê Văn Khung", groups=[HOME_AFFAIRS_GROUP])
    world = build_world()
    person = world.person("Trần Thị Thử")
    world.line(person, "X", 1, 1)
    world.marks(person, 24)  # I.1 and I.2 marked 4 each (of 5)
    score_person(person, world.period)
    world.sample = person
    return world


def test_officer_changes_points_previews_and_publishes(page, world):
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    old_live = framework.live_revision_id
    login(page, "sonoivu.khung", PASSWORD)
    page.goto(f"{page.base_url}/admin/snippets/scoring/criteriaframework/")
    page.get_by_role("link", name="Nghị định 335").first.click()
    page.wait_for_url("**/soan/")
    main = page.locator("main")
    label = page.get_by_label("Phẩm chất chính trị, đạo đức, văn hóa công vụ — Nội dung tiêu chí")
    assert label.input_value() == "Phẩm chất chính trị, đạo đức, văn hóa công vụ"
    assert "Điểm tối đa" in main.inner_text() and "Căn cứ" in main.inner_text()
    assert "max_points" not in main.inner_text() and "inferred" not in main.inner_text()
    assert "Suy luận — tỉnh cần xác nhận" in main.inner_text()

    page.locator("[id='f-components.0.criteria']").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "framework-editor-criteria.png"))

    # 1. Only one criterion raised: the group no longer sums to 10, said next to the group.
    first = page.locator("input[name='components.0.criteria.0.max_points']")
    first.fill("6")
    page.get_by_role("button", name="Tính thử").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Chưa lưu được" in page.locator("#fe-errors").inner_text()
    group = page.locator("[id='f-components.0.groups.0']")
    assert "phải bằng 10" in group.locator("xpath=following-sibling::tr[1]").inner_text()
    page.locator("#fe-errors").screenshot(path=str(ARTIFACTS / "framework-editor-error.png"))

    # 2. Give the point from I.2: preview for the sample person.
    page.locator("input[name='components.0.criteria.1.max_points']").fill("4")
    page.select_option("#fe-person", str(world.sample.pk))
    page.select_option("#fe-period", str(world.period.pk))
    page.get_by_role("button", name="Tính thử").click()
    page.wait_for_load_state("domcontentloaded")
    preview = page.locator("#fe-preview")
    text = preview.inner_text()
    assert "Kết quả tính thử" in text and "Trần Thị Thử" in text
    before = page.locator("[data-testid=before-total]").inner_text()
    after = page.locator("[data-testid=after-total]").inner_text()
    assert before == after and "," in before  # marks of 4 fit the new maximum of 4
    assert "Hoàn thành" in text
    assert page.locator("input[name='components.0.criteria.0.max_points']").input_value() == "6"
    page.set_viewport_size({"width": 1280, "height": 800})
    preview.scroll_into_view_if_needed()
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / "so-noi-vu-20-khung-tieu-chi.png"))
    page.screenshot(path=str(ARTIFACTS / "framework-editor-preview.png"), full_page=True)

    # 3. Publish as a new version: the confirmation is asked for, then who and when.
    page.get_by_role("button", name="Ban hành phiên bản mới").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Xác nhận ban hành" in page.locator("#fe-errors").inner_text()
    page.get_by_label("Tôi đã tính thử và xác nhận ban hành phiên bản mới").check()
    page.get_by_role("button", name="Ban hành phiên bản mới").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Đã ban hành phiên bản mới" in page.locator("main").inner_text() or (
        "Đã ban hành phiên bản mới" in page.content()
    )
    history = page.locator("main").inner_text()
    assert "Lịch sử phiên bản" in history and "Lê Văn Khung" in history
    assert "đang áp dụng" in history
    page.screenshot(path=str(ARTIFACTS / "framework-editor-published.png"), full_page=True)

    framework.refresh_from_db()
    assert framework.live_revision_id != old_live
    criteria = framework.live_revision.content["rules"]["components"][0]["criteria"]
    assert [c["max_points"] for c in criteria[:2]] == ["6", "4"]
