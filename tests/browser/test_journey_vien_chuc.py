"""Review 2026-11-23 journey 1, step 18, in a browser: a viên chức (a hospital doctor) signs
in, opens "Kết quả của tôi" and prints Form 01 — every screen and the printed form name her
own category ("PHIẾU THEO DÕI, ĐÁNH GIÁ VIÊN CHỨC"), never công chức (C2, issue 30 item 3)."""

import pytest

from django.urls import reverse

from org.access import CIVIL_SERVANT_GROUP
from org.models import PersonCategory
from scoring.services import score_person
from tests.browser.conftest import ARTIFACTS, login
from tests.factories import UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_vien_chuc_sees_her_own_category_on_screen_and_on_form_01(page):
    from org.roles import ensure_roles

    ensure_roles()
    world = build_world()
    person = world.person("Nguyễn Khánh Tâm", category=PersonCategory.PUBLIC_EMPLOYEE)
    world.full_month(person, 27)
    person.user = UserFactory(username="vienchuc", groups=[CIVIL_SERVANT_GROUP])
    person.save()
    score_person(person, world.period)
    login(page, "vienchuc", "matkhau-123")
    page.goto(f"{page.base_url}{reverse('ratings_my')}")
    assert "Tháng 03/2026" in page.locator("main").inner_text()
    with page.context.expect_page() as opened:
        page.locator("main").get_by_role("link", name="Mẫu 01", exact=True).first.click()
    form = opened.value
    form.wait_for_load_state("domcontentloaded")
    text = form.locator("body").inner_text()
    form.screenshot(path=str(ARTIFACTS / "vien-chuc-mau-01.png"), full_page=True)
    assert "PHIẾU THEO DÕI, ĐÁNH GIÁ VIÊN CHỨC" in text
    assert "CÔNG CHỨC" not in text
    assert "Nguyễn Khánh Tâm" in text
