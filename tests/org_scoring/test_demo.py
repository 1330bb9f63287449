"""The demo province: organisation tasks with a realistic spread and general marks for 2026,
scored, idempotent, visible on the admin page and on the public page."""

import json
from collections import Counter

import pytest

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo import personnel_file_demo
from demo.data.bodies import BODY_CODES
from org.models import Agency, within_q
from org_scoring.models import (
    OrganisationGeneralMark,
    OrganisationScore,
    OrganisationTask,
    ProvinceTask,
    QuarterlyAssessment,
)
from org_scoring.services import quarterly

pytestmark = pytest.mark.django_db
YEAR = 2026


def test_demo_organisations_are_entered_scored_and_shown(django_capture_on_commit_callbacks):
    sink = open("/dev/null", "w")  # noqa: SIM115
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=sink)
    outcomes = Counter(OrganisationTask.objects.filter(year=YEAR).values_list("outcome", flat=True))
    assert outcomes["not_done"] == 2
    assert outcomes["late"] >= 5 and outcomes["exceeded"] >= 20 and outcomes["pending"] >= 10
    assert outcomes["on_time"] > outcomes["exceeded"] > outcomes["late"]
    for task in OrganisationTask.objects.all()[:200]:
        task.full_clean()  # the demo rows are valid inputs
    # The Party, Front and public-service bodies are not scored as collectives yet
    # (docs/scope.md §5, demo.bodies_demo).
    # Sở Văn hóa, Thể thao và Du lịch joins the demo last, from its personnel file alone
    # (demo.personnel_file_demo, issue 32): it has no organisation tasks of the year yet.
    newcomer = Agency.objects.get(code=personnel_file_demo.AGENCY_CODE)
    agencies = (
        Agency.objects.exclude(parent=None)
        .exclude(code__in=BODY_CODES)
        .exclude(within_q(newcomer))
        .count()
    )
    assert OrganisationGeneralMark.objects.filter(year=YEAR).count() == 4 * agencies
    scores = OrganisationScore.objects.filter(year=YEAR)
    assert scores.filter(scored=True).count() == agencies
    ratings = Counter(scores.filter(scored=True).values_list("rating", flat=True))
    assert ratings["not_completed"] == 1 and len(ratings) == 4
    building = scores.get(agency__code="SXD")
    # Its sub-unit not completed bars it from excellent (its confirmed Q3 province tasks, all
    # on time, also lower its share of tasks exceeding requirements: docs §9).
    assert "subunit_not_completed" in building.result["failed_conditions"]["excellent"]
    quarter_tasks = [t for t in building.inputs["tasks"] if str(t["id"]).startswith("Q3-")]
    assert len(quarter_tasks) == 2  # the third Q3 task is in progress, due 15/12: not counted

    # Q3/2026 entered by the Office (one entry late), assessed and confirmed by the chairman.
    q3 = QuarterlyAssessment.objects.filter(year=YEAR, quarter=3)
    assessed = quarterly.assessed_agencies().exclude(within_q(newcomer))  # no Q3 of its own
    assert q3.count() == assessed.count() and q3.count() >= 10
    assert not q3.filter(confirmed_at=None).exists()
    assert {a.confirmed_by.username for a in q3} == {"chutich.tinh"}
    levels = Counter(q3.values_list("level", flat=True))
    assert levels["good"] == 2 and levels["completed"] == 1 and levels["not_completed"] == 0
    late = ProvinceTask.objects.get(year=YEAR, quarter=3, entered_late=True)
    assert late.agency.code == "SYT" and late.entered_by.username == "vanphong.ubnd"
    board = Client()
    board.force_login(get_user_model().objects.get(username="chutich.tinh"))
    text = board.get(reverse("org_scoring_quarter_board") + "?year=2026&quarter=3").content
    assert "Chủ tịch UBND tỉnh đã xác nhận" in text.decode()
    office = Client()
    office.force_login(get_user_model().objects.get(username="vanphong.ubnd"))
    entry = office.get(reverse("org_scoring_quarter_entry") + "?year=2026&quarter=3")
    assert entry.status_code == 200 and 'data-late="1"' in entry.content.decode()

    computed = dict(scores.values_list("agency_id", "computed_at"))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=sink)
    assert dict(scores.values_list("agency_id", "computed_at")) == computed
    assert OrganisationTask.objects.count() == sum(outcomes.values())

    stp = Agency.objects.get(code="STP")
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="quantri.stp"))
    page = admin.get(reverse("org_scoring_agency_year", args=[stp.pk, YEAR]))
    assert page.status_code == 200 and "Cách tính" in page.content.decode()
    other = Agency.objects.get(code="SXD")
    assert admin.get(reverse("org_scoring_agency_year", args=[other.pk, YEAR])).status_code in (
        302,
        403,
    )

    cache.clear()
    data = json.loads(Client().get("/cong-khai/json/?ky=2026-02").content)
    rows = {a["agency_code"]: a for a in data["periods"][-1]["agencies"]}
    assert rows["STP"]["organisation_year"] == YEAR
    assert rows["STP"]["organisation_score"] == str(scores.get(agency=stp).score)
