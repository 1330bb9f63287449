"""The write API after a transfer (issue 27, "a person transferred on day D"): Nguyễn Thị Alice
leaves Sở Nội vụ for Sở Tài chính on 01/04/2026. Sở Nội vụ's system writes no line of April on
for her (refused with the reason, nothing written), still corrects her March line; Sở Tài
chính's system writes her April line. The same reach rule as the admin form and the Excel
import (a person posted in the agency's subtree during the period)."""

import datetime

import pytest

from org.models import Posting
from scoring.models import AssignmentLine, Period
from tests.factories import PostingFactory

pytestmark = pytest.mark.django_db

SINGLE = "/api/v1/integration/assignment-lines/"
D = datetime.date(2026, 4, 1)


@pytest.fixture
def transferred(world):
    alice = world.people["alice"]
    Posting.objects.filter(civil_servant=alice).update(end_date=D - datetime.timedelta(days=1))
    PostingFactory(civil_servant=alice, agency=world.stc_unit, start_date=D)
    Period.for_date(D, create=True)
    return alice


def body(world, agency, period, product, external_id):
    return {
        "external_id": external_id,
        "agency": agency,
        "period": period,
        "official_id": world.people["alice"].official_id,
        "product_code": product,
        "assigned": 2,
        "completed": 1,
        "deadline": f"{period}-20",
        "failed_reviews": 0,
        "delays": 0,
        "note": "sau chuyển công tác",
    }


def test_the_former_agencys_system_writes_no_line_from_the_transfer_day_on(world, transferred):
    before = AssignmentLine.objects.filter(civil_servant=transferred).count()
    response = world.client_for("snv-docs").post(
        SINGLE, body(world, "SNV", "2026-04", "X", "T4-1"), format="json"
    )
    assert response.status_code in (400, 403, 422), response.content
    text = response.content.decode()
    assert "không công tác tại Sở Nội vụ trong kỳ" in text, text
    assert AssignmentLine.objects.filter(civil_servant=transferred).count() == before


def test_the_former_agencys_system_still_corrects_march(world, transferred):
    response = world.client_for("snv-docs").post(
        SINGLE, body(world, "SNV", "2026-03", "X", "T3-1"), format="json"
    )
    assert response.status_code == 201, response.content
    line = AssignmentLine.objects.get(pk=response.json()["id"])
    assert line.period.start_date == datetime.date(2026, 3, 1) and line.civil_servant == transferred


def test_the_new_agencys_system_writes_april(world, transferred):
    response = world.client_for("stc-docs").post(
        SINGLE, body(world, "STC", "2026-04", "X", "T4-2"), format="json"
    )
    assert response.status_code == 201, response.content
    assert AssignmentLine.objects.get(pk=response.json()["id"]).unit == world.stc_unit
