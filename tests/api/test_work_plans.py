"""GET /api/v1/work-plans/ carries each plan's fulfilment and each item's state (issue 45 item
3: "plan fulfilment shown for the unit"), computed from the prefetched items and lines: a page
of three plans costs the queries of a page of one. The API root lists the endpoint."""

import datetime
from decimal import Decimal

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from org.access import HOME_AFFAIRS_GROUP
from scoring.models import Period
from tests.clock import on_the_day
from tests.factories import AgencyFactory, ProvinceFactory, UnitFactory, UserFactory, post
from tests.factories.catalog import catalog_version
from tests.factories.scoring import assignment_line
from workplans.models import PlanStatus, WorkPlan, WorkPlanItem

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=10)
FUTURE = TODAY + datetime.timedelta(days=10)


@pytest.fixture(autouse=True)
def _clock():
    with on_the_day(TODAY):  # TODAY is read at collection (tests/clock.py)
        yield


@pytest.fixture
def world():
    province = ProvinceFactory()
    department = AgencyFactory(parent=province, code="STN", name="Sở Thử nghiệm")
    unit = UnitFactory(parent=department, code="STN-P1", name="Phòng Một")
    _version, items = catalog_version(department)
    person = post(unit, full_name="Nguyễn Văn Kế")
    home = UserFactory(username="snv.api", groups=[HOME_AFFAIRS_GROUP])
    return {"unit": unit, "person": person, "product": items["X"], "home": home}


def add_plan(world, number, title):
    """A plan with four items: done, overdue (never assigned), ongoing, not yet assigned."""
    plan = WorkPlan.objects.create(
        agency=world["unit"],
        kind="quarter",
        year=TODAY.year,
        number=number,
        title=title,
        status=PlanStatus.APPROVED,
    )
    for n, (deadline, completed) in enumerate(
        [(PAST, 2), (PAST, None), (FUTURE, 1), (FUTURE, None)], start=1
    ):
        item = WorkPlanItem.objects.create(
            plan=plan,
            name=f"Mục {n}",
            owner=world["person"],
            deadline=deadline,
            product=world["product"],
            quantity=Decimal(2),
            sort_order=n,
        )
        if completed is not None:
            period = Period.for_date(deadline, create=True)
            line = assignment_line(
                world["person"], period, world["product"], world["unit"], 2, completed
            )
            item.lines.add(line)
    return plan


def test_each_plan_carries_its_fulfilment_and_each_item_its_state(client, world):
    plan = add_plan(world, 1, "Kế hoạch công tác quý I")
    client.force_login(world["home"])
    with CaptureQueriesContext(connection) as one:
        body = client.get("/api/v1/work-plans/").json()
    (served,) = body["results"]
    assert served["fulfilment"] == {
        "items": 4,
        "done": 1,
        "overdue": 1,
        "percent": 25,
        "as_of": TODAY.isoformat(),
    }
    assert [(i["name"], i["state"], i["assigned"], i["completed"]) for i in served["items"]] == [
        ("Mục 1", "done", "2.00", "2.00"),
        ("Mục 2", "overdue", "0.00", "0.00"),
        ("Mục 3", "ongoing", "2.00", "1.00"),
        ("Mục 4", "unassigned", "0.00", "0.00"),
    ]
    detail = client.get(f"/api/v1/work-plans/{plan.pk}/").json()
    assert detail["fulfilment"]["percent"] == 25

    # Three plans: the same queries as one (no query per plan, item or line).
    add_plan(world, 2, "Kế hoạch công tác quý II")
    add_plan(world, 3, "Kế hoạch công tác quý III")
    with CaptureQueriesContext(connection) as three:
        body = client.get("/api/v1/work-plans/").json()
    assert [p["fulfilment"]["done"] for p in body["results"]] == [1, 1, 1]
    assert len(three.captured_queries) == len(one.captured_queries)


def test_the_api_root_lists_the_work_plans(client):
    endpoints = {e["name"]: e for e in client.get("/api/v1/").json()["endpoints"]}
    assert endpoints["work-plans"]["url"].endswith("/api/v1/work-plans/")
    assert endpoints["work-plans"]["methods"] == ["GET"]
    assert endpoints["work-plans"]["description"] == (
        "Kế hoạch công tác tháng, quý, năm của cơ quan, đơn vị, với kết quả thực hiện từng mục."
    )
