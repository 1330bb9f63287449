"""Issue 28 as the users see it: a stale annual score is shown "Đang tính lại" on the case page
and on Form 02, and a decision or a payroll export that would use it is refused with a
Vietnamese reason until the refresh has run (legal review D2)."""

import pytest

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ratings.models import CaseState
from scoring.models import Period, RunStatus, ScoringRun, StaleFigure, StaleKind
from scoring.services import freshness, rescoring
from tests.ratings.world import YEAR, reload

pytestmark = pytest.mark.django_db

# A decision is a fact: dated today at the latest, never before the meeting (issue 42).
DECIDED_ON = timezone.localdate().isoformat()

DECISION = {
    "decide-decision_level": "good",
    "decide-decision_ref": "21/QĐ-STN",
    "decide-decision_date": DECIDED_ON,
}


@pytest.fixture
def appraised(world):
    person = world.staff("Đỗ Văn Cũ", 85, username="docu")
    return world, world.to_appraised(world.case_for(person))


def _mark_stale(person):
    """A change of one of the person's months whose run the worker has not carried out yet
    (inside a transaction the test never commits: the run stays queued). A year only marked,
    its months current, is recomputed at the moment of use instead (issue 42)."""
    with transaction.atomic():
        period = Period.from_code(f"{YEAR}-03", create=True)
        rescoring.request_rescore(period, people=[person.pk], reason="Kết quả kỳ thay đổi")


def _worker_ran():
    """What the worker would leave: the run carried out, the marks drained (this world's
    annual scores are typed in, so the figures themselves are checked in
    tests/scoring/test_moment_of_use.py against a from-scratch recomputation)."""
    ScoringRun.objects.update(status=RunStatus.DONE)
    freshness.clear(freshness.take(StaleKind.ANNUAL, YEAR))


def test_a_stale_annual_score_is_shown_and_blocks_the_decision(appraised, client):
    world, case = appraised
    _mark_stale(case.civil_servant)
    client.force_login(world.users["giamdoc"])
    page = client.get(reverse("ratings_case", args=[case.pk])).content.decode()
    assert 'id="case-score-stale"' in page and "Đang tính lại" in page
    form02 = client.get(reverse("ratings_form02", args=[case.pk])).content.decode()
    assert "Tình trạng số liệu" in form02 and "Đang tính lại" in form02

    refused = client.post(reverse("ratings_case_action", args=[case.pk, "decide"]), DECISION)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "đang được tính lại" in text and "quyết định xếp loại chưa thực hiện được" in text
    assert reload(case).state == CaseState.APPRAISED

    _worker_ran()
    assert not StaleFigure.objects.exists()
    page = client.get(reverse("ratings_case", args=[case.pk])).content.decode()
    assert "Đang tính lại" not in page
    done = client.post(reverse("ratings_case_action", args=[case.pk, "decide"]), DECISION)
    assert done.status_code == 302 and reload(case).state == CaseState.DECIDED


def test_the_yearly_payroll_export_waits_for_stale_annual_scores(appraised, client):
    world, case = appraised
    year = Period.from_code(str(YEAR), create=True)
    _mark_stale(case.civil_servant)
    client.force_login(world.users["quantri"])
    query = {"agency": world.department.pk, "period": year.pk, "format": "xlsx"}
    response = client.get(reverse("ratings_bonus_export"), query)
    assert response.status_code == 409
    assert "Chưa xuất được" in response.content.decode()
    assert "đang được tính lại" in response.content.decode()


def test_the_annual_score_pages_say_it_is_being_recomputed(appraised, client):
    world, case = appraised
    _mark_stale(case.civil_servant)
    client.force_login(world.users["sonoivu"])
    listing = client.get(reverse("wagtailsnippets_scoring_annualscore:list")).content.decode()
    assert "Tình trạng số liệu" in listing and "Đang tính lại" in listing
    inspect = client.get(
        reverse("wagtailsnippets_scoring_annualscore:inspect", args=[case.annual_score_id])
    ).content.decode()
    assert "Đang tính lại" in inspect
