"""The deciding authority lifts an organisation's computed ceiling for force majeure, in
headless Chromium (review 2026-11-22 W4; [secondary] Gia Lai plan §III.3.d): without the box
the decision above the ceiling is refused, the box without a reason is refused, with the reason
the decision goes through and the case page and its log show the lift and why. Screenshot
under tests/artifacts/."""

import pytest

from django.apps import apps
from django.utils import timezone

from org.roles import ensure_roles
from org.seeds import create_state_rules
from org_scoring.services import score_organisations
from ratings.models import CaseState, RatingCase
from tests.browser.conftest import ARTIFACTS, login
from tests.factories.org_scoring import YEAR, marks, tasks
from tests.ratings.world import build_rating_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "matkhau-123"  # tests.factories.UserFactory
REASON = "Bão số 3 (tháng 9/2026) làm ngập trụ sở 20 ngày; nhiệm vụ số 5 chậm 12 ngày."


@pytest.fixture
def world():
    create_state_rules(apps)
    ensure_roles()
    world = build_rating_world()
    # Phòng Một: one late task in five → 96.50 points, computed "completed" (the ceiling).
    marks(world.unit)
    tasks(world.unit, "on_time", "on_time", "exceeded", "exceeded", "late")
    score_organisations(YEAR, world.unit)
    world.case = world.agency_to_appraised(world.unit, level="completed")
    return world


def decide(page, level, lift=False, reason=""):
    page.select_option("select[name=decide-decision_level]", level)
    page.fill("input[name=decide-decision_ref]", "130/QĐ-STN")
    page.fill("input[name=decide-decision_date]", timezone.localdate().isoformat())
    page.set_checked("input[name=decide-lift_ceiling]", lift)
    page.fill("textarea[name=decide-force_majeure_reason]", reason)
    page.locator("button[data-submit=decide]").click()
    page.wait_for_load_state("networkidle")


def test_the_director_lifts_the_ceiling_with_a_reason(page, world, screenshot):
    login(page, "giamdoc", PASSWORD)
    page.goto(f"{page.base_url}/admin/ratings/cases/{world.case.pk}/")
    assert "Hoàn thành nhiệm vụ" in page.locator("#case-ceiling").inner_text()

    decide(page, "good")
    assert "cao hơn mức mà điểm" in page.locator("#ratings-refusal").inner_text()

    decide(page, "good", lift=True)
    error = page.locator("[data-error-for=force_majeure_reason]").inner_text()
    assert "Hãy ghi rõ lý do bất khả kháng" in error
    page.locator("details[data-action=decide]").screenshot(
        path=str(ARTIFACTS / "rating-case-force-majeure-form.png")
    )

    decide(page, "good", lift=True, reason=REASON)
    assert page.locator("#case-state").inner_text() == "Đã quyết định xếp loại"
    lifted = page.locator("#case-ceiling-lifted").inner_text()
    assert "“Hoàn thành nhiệm vụ”" in lifted and REASON in lifted
    history = page.locator("#case-history").inner_text()
    assert "Quyết định cao hơn mức tối đa “Hoàn thành nhiệm vụ” do bất khả kháng" in history
    assert REASON in page.locator("#case-form02").inner_text()
    screenshot("rating-case-force-majeure")

    case = RatingCase.objects.get(pk=world.case.pk)
    assert case.state == CaseState.DECIDED and case.decision_level == "good"
    assert (case.ceiling_lifted_from, case.force_majeure_reason) == ("completed", REASON)
