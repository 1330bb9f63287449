"""``/api/v1/quarterly-assessments/``: the confirmed quarterly assessments of departments and
communes (docs/organisation-scoring.md §9), by the caller's agency scope; unconfirmed quarters
are not published."""

import datetime
from decimal import Decimal

import pytest

from django.test import Client
from django.utils import timezone

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org_scoring.models import QuarterlyAssessment
from tests.factories import AgencyAccessFactory, AgencyFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/quarterly-assessments/"


@pytest.fixture
def rows():
    province = ProvinceFactory()
    one = AgencyFactory(parent=province, code="SQA", name="Sở Quý A")
    two = AgencyFactory(parent=province, code="SQB", name="Sở Quý B")
    confirmed = timezone.make_aware(datetime.datetime(2026, 9, 15, 10, 0))
    made = {}
    for agency in (one, two):
        for quarter, when in ((2, confirmed), (3, None)):
            made[(agency.code, quarter)] = QuarterlyAssessment.objects.create(
                agency=agency,
                year=2026,
                quarter=quarter,
                assessed=True,
                tasks_counted=2,
                score=Decimal("75.00"),
                level="good",
                inputs={"tasks": [{"id": 1, "status": "done_on_time"}]},
                confirmed_at=when,
            )
    return one, two, made


def _get(user, query=""):
    client = Client()
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200, response.content
    return response.json()


def test_home_affairs_reads_the_confirmed_quarters_only(rows):
    body = _get(UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP]))
    assert {(r["agency"], r["quarter"]) for r in body["results"]} == {("SQA", 2), ("SQB", 2)}
    first = body["results"][0]
    assert first["score"] == "75.00" and first["level"] == "good"
    assert first["tasks"] == [{"id": 1, "status": "done_on_time"}]
    filtered = _get(UserFactory(username="snv2", groups=[HOME_AFFAIRS_GROUP]), "?agency=SQB")
    assert [r["agency"] for r in filtered["results"]] == ["SQB"]


def test_an_agency_admin_reads_its_own_agency(rows):
    one, _two, made = rows
    admin = UserFactory(username="qta", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=one)
    body = _get(admin)
    assert [(r["agency"], r["quarter"]) for r in body["results"]] == [("SQA", 2)]
    client = Client()
    client.force_login(admin)
    assert client.get(f"{URL}{made[('SQB', 2)].pk}/").status_code == 404
    assert client.get(f"{URL}{made[('SQA', 3)].pk}/").status_code == 404
