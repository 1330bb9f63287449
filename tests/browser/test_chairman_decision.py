"""Review 2026-11-22 (ux #3, journey 5 case B): the province chairman could not decide the
director's case in the demo. Now, on the demo province: the units of Sở Tư pháp are decided by
the director (each step by the demo sign-in holding the role, at service level), Sở Tư pháp
and the director's own case are appraised by Sở Nội vụ; the chairman's home page lists both
cases with what blocks them; the director's case page shows its checklist from the start; the
chairman decides Sở Tư pháp, then the director, in the browser. Screenshots under
tests/artifacts/."""

import datetime

import pytest

from django.core.management import call_command
from django.utils import timezone

from demo.loader import DEMO_PASSWORD
from demo.ratings_demo import YEAR
from org.authority import head_posting
from org.models import Agency
from ratings.models import CaseState, RatingCase
from tests.browser.conftest import login
from tests.demo.test_demo_rating_walk import take_to_decision

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo_cases():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    department = Agency.objects.get(code="STP")
    for unit in department.children.filter(is_active=True).order_by("path"):
        take_to_decision(RatingCase.objects.get(subject_agency=unit, year=YEAR))
    agency_case = RatingCase.objects.get(subject_agency=department, year=YEAR)
    take_to_decision(agency_case, stop_at=CaseState.APPRAISED)
    director = head_posting(department, datetime.date(YEAR, 11, 1)).civil_servant
    director_case = RatingCase.objects.get(civil_servant=director, year=YEAR)
    take_to_decision(director_case, stop_at=CaseState.APPRAISED)
    agency_case.refresh_from_db()
    director_case.refresh_from_db()
    return agency_case, director_case


def decide(page, case, level, ref):
    page.goto(f"{page.base_url}/admin/ratings/cases/{case.pk}/")
    page.select_option("select[name=decide-decision_level]", level)
    page.fill("input[name=decide-decision_ref]", ref)
    page.fill("input[name=decide-decision_date]", timezone.localdate().isoformat())
    page.locator("button[data-submit=decide]").click()
    page.wait_for_load_state("networkidle")


def test_the_chairman_decides_the_agency_then_its_director(page, demo_cases, screenshot):
    agency_case, director_case = demo_cases
    login(page, "chutich.tinh", DEMO_PASSWORD)

    # The home page: both cases wait for the chairman; the director's waits for Sở Tư pháp.
    panel = page.locator("#ratings-waiting-table")
    director_row = panel.locator(f"tr[data-case-id='{director_case.pk}']")
    assert director_row.get_attribute("data-blocked") == "1"
    assert "chờ quyết định Sở Tư pháp" in director_row.inner_text()
    agency_row = panel.locator(f"tr[data-case-id='{agency_case.pk}']")
    assert agency_row.get_attribute("data-blocked") == "0"
    assert "Quyết định xếp loại" in agency_row.inner_text()
    screenshot("chairman-home-waiting")

    # The director's case page lists what must happen first, with a link to Sở Tư pháp's case.
    director_row.locator("a").first.click()
    check = page.locator("#case-prerequisites li[data-check=agency_first]")
    assert check.get_attribute("data-done") == "0"
    assert page.locator("#case-prerequisites li[data-check=steps]").get_attribute("data-done") == (
        "1"
    )
    screenshot("chairman-director-case-prerequisites")
    check.locator("a").first.click()
    assert page.url.endswith(f"/admin/ratings/cases/{agency_case.pk}/")
    assert (
        page.locator("#case-prerequisites li[data-check=subunits]").get_attribute("data-done")
        == "1"
    )

    # Sở Tư pháp first, then its director, at most at the agency's level.
    decide(page, agency_case, agency_case.proposal_level, "88/QĐ-UBND")
    assert page.locator("#case-state").inner_text() == "Đã quyết định xếp loại"
    agency_case.refresh_from_db()
    decide(page, director_case, agency_case.decision_level, "89/QĐ-UBND")
    assert page.locator("#case-state").inner_text() == "Đã quyết định xếp loại"
    assert "89/QĐ-UBND" in page.locator("#case-decision").inner_text()
    screenshot("chairman-director-case-decided")
    director_case.refresh_from_db()
    assert director_case.state == CaseState.DECIDED
    assert director_case.decided_by.username == "chutich.tinh"
