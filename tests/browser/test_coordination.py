"""Coordination rated by the related unit on a shared task (issue 33 item 3), in headless
Chromium: the unit head names Phòng Tổ chức a related unit of Nhàn's task on the line page;
Phòng Tổ chức's head finds it under "Đánh giá phối hợp", rates it on a phone; Nhàn sees the
rating, the unit and who rated on her line. Screenshots go to tests/artifacts/."""

import datetime

import pytest

from django.utils import timezone

from org.roles import ensure_roles
from tests.browser.conftest import login
from tests.worklog.helpers import PASSWORD, build_world
from worklog.models import CoordinatingUnit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PHONE = {"width": 390, "height": 844}
OTHER = "Phòng Tổ chức (Sở Nội vụ thử nghiệm)"


@pytest.fixture
def world():
    ensure_roles()
    return build_world()


def sign_in(page, username):
    page.context.clear_cookies()
    login(page, username, PASSWORD)


def test_the_related_units_leader_rates_the_coordination(page, world, screenshot):
    today = timezone.localdate()
    line = world.line(deadline=today + datetime.timedelta(days=7), today=today)

    # 1. Nhàn's head names Phòng Tổ chức a related unit of the task.
    sign_in(page, "truong")
    page.goto(f"{page.base_url}/admin/worklog/lines/{line.pk}/")
    form = page.locator("#form-share")
    form.locator("select[name=agency]").select_option(str(world.other_unit.pk))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert f"Đã ghi {OTHER} là đơn vị phối hợp của việc này." in page.content()
    assert (
        page.locator(
            f"#coordination-units tr[data-unit='{world.other_unit.pk}'] .coordination-rating"
        ).inner_text()
        == "Chưa đánh giá"
    )

    # 2. Phòng Tổ chức's head finds it in "Đánh giá phối hợp" and rates it on a phone.
    sign_in(page, "truong2")
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base_url}/admin/worklog/phoi-hop/")
    waiting = page.locator("#coordination-waiting")
    assert "Nguyễn Thị Nhàn" in waiting.inner_text()
    waiting.get_by_role("link", name="Đánh giá").first.click()
    page.wait_for_load_state("networkidle")
    rating = page.locator(f"#form-coordination-{world.other_unit.pk}")
    rating.get_by_label("Phối hợp tốt", exact=True).check()
    rating.locator("textarea[name=comment]").fill("Gửi số liệu đúng hẹn")
    screenshot("coordination-01-rate-phone")
    rating.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "Đã ghi đánh giá phối hợp." in page.content()
    row = CoordinatingUnit.objects.get(line=line, agency=world.other_unit)
    assert (row.rating, row.comment, row.rated_by.username) == (
        4,
        "Gửi số liệu đúng hẹn",
        "truong2",
    )

    # 3. Nhàn sees the unit's rating and who gave it on her line.
    sign_in(page, "nhan")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{page.base_url}/admin/worklog/lines/{line.pk}/")
    shown = page.locator(f"#coordination-units tr[data-unit='{world.other_unit.pk}']").inner_text()
    assert OTHER in shown and "Phối hợp tốt" in shown and "Phạm Văn Trưởng Hai" in shown
    assert "Gửi số liệu đúng hẹn" in shown
    screenshot("coordination-02-line")
