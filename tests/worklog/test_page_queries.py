"""The daily admin pages cost a fixed number of queries, whatever the number of people and
lines (issue 34: the pages at 100,000 people on PostgreSQL). Each count is pinned for a small
world; adding 30 people with work to the unit adds no query."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from org.access import HOME_AFFAIRS_GROUP
from org.models import AccessRole
from org.roles import ensure_roles
from tests.factories import AgencyAccessFactory, UserFactory, post

pytestmark = pytest.mark.django_db

#: (user, page) → at most this many queries for one request (menu and shell included; the
#: figures of 25/11/2026). Fewer is fine: lower the figure here too.
PAGES = {
    ("truong", "/admin/worklog/board/"): 44,
    ("truong", "/admin/worklog/assign/"): 41,
    ("truong", "/admin/snippets/org/civilservant/"): 41,
    ("truong", "/admin/snippets/scoring/assignmentline/"): 38,
    ("quantri", "/admin/worklog/board/"): 37,
    ("quantri", "/admin/snippets/org/civilservant/"): 34,
    ("quantri", "/admin/snippets/scoring/assignmentline/"): 31,
    ("sonoivu", "/admin/snippets/org/civilservant/"): 25,
    ("sonoivu", "/admin/snippets/scoring/assignmentline/"): 22,
}


@pytest.fixture(autouse=True)
def roles(db):
    ensure_roles()


def users(world):
    admin = UserFactory(username="quantri.q", groups=["Quản trị cơ quan"])
    AgencyAccessFactory(user=admin, agency=world.department, role=AccessRole.AGENCY_ADMIN)
    home = UserFactory(username="sonoivu.q", groups=[HOME_AFFAIRS_GROUP])
    return {"truong": world.users["truong"], "quantri": admin, "sonoivu": home}


def queries(client, user, page) -> tuple[int, str]:
    client.force_login(user)
    client.get(page)  # the user's second page: what the benchmark measures
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    return len(captured), response.content.decode()


def test_each_daily_page_costs_its_pinned_queries_and_no_more_with_more_people(client, world):
    today = timezone.localdate()
    world.line(people=("nhan", "binh"), deadline=today + datetime.timedelta(days=5), today=today)
    signed = users(world)
    before, shown = {}, {}
    for (key, page), pinned in PAGES.items():
        before[key, page], shown[key, page] = queries(client, signed[key], page)
        assert before[key, page] <= pinned, (key, page, before[key, page])
    board = shown["truong", "/admin/worklog/board/"]
    assert "Nguyễn Thị Nhàn" in board and "Lê Văn Bình" in board and "Hoàng Thị Khác" not in board
    form = shown["truong", "/admin/worklog/assign/"]
    assert f'name="people" value="{world.people["nhan"].pk}"' in form
    assert "Hoàng Thị Khác" not in form
    people = shown["quantri", "/admin/snippets/org/civilservant/"]
    assert "Hoàng Thị Khác" in people and "Phòng Công chức" in people
    for n in range(30):
        person = post(world.unit, full_name=f"Công chức thêm {n:02d}")
        person.refresh_from_db()
    world.line(people=("nhan", "binh"), deadline=today + datetime.timedelta(days=6), today=today)
    for key, page in PAGES:
        count, _html = queries(client, signed[key], page)
        assert count <= before[key, page], (key, page, before[key, page], count)
