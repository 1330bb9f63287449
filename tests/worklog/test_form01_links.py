"""Review 2026-11-22 (ux #8, issue 16 item 7): a unit leader could reach the general-criteria
marks of their staff (Form 01) only under "Kết quả của tôi". The unit board (per person) and the
staff member's period page link to the Form 01 entry page of the open period, for the people the
viewer evaluates only."""

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from org.access import AGENCY_ADMIN_GROUP
from org.models import AccessRole
from org.roles import ensure_roles
from scoring.models import Period, PeriodKind, PeriodStatus
from tests.factories import AgencyAccessFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles(db):
    ensure_roles()


def today():
    return timezone.localdate()


def current_period():
    return Period.for_date(today(), PeriodKind.MONTH, create=True)


def entry_url(world, key, period):
    return reverse("ratings_form01_entry", args=[world.people[key].pk, period.pk])


def open_line(world, person="nhan"):
    return world.line(
        people=(person,), deadline=today() + datetime.timedelta(days=10), today=today()
    )


def test_the_board_links_each_evaluated_person_to_form01_of_the_open_period(client, world):
    open_line(world)
    period = current_period()
    client.force_login(world.users["truong"])
    board = client.get(reverse("worklog_board")).content.decode()
    assert entry_url(world, "nhan", period) in board
    assert entry_url(world, "binh", period) in board
    # The link opens the page where the leader enters the counted marks.
    page = client.get(entry_url(world, "nhan", period))
    assert page.status_code == 200


def test_the_history_page_links_to_form01_for_the_evaluator_and_the_person(client, world):
    open_line(world)
    period = current_period()
    history = reverse("worklog_history", args=[world.people["nhan"].pk])
    client.force_login(world.users["truong"])
    assert entry_url(world, "nhan", period) in client.get(history).content.decode()
    client.force_login(world.users["nhan"])
    assert entry_url(world, "nhan", period) in client.get(history).content.decode()


def test_no_form01_link_for_who_does_not_evaluate(client, world):
    """An agency admin opens the board but enters nobody's marks: no link that would refuse."""
    open_line(world)
    period = current_period()
    admin = UserFactory(username="quantri.links", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department, role=AccessRole.AGENCY_ADMIN)
    client.force_login(admin)
    board = client.get(reverse("worklog_board") + f"?unit={world.unit.pk}").content.decode()
    assert "Nguyễn Thị Nhàn" in board
    assert entry_url(world, "nhan", period) not in board
    history = client.get(reverse("worklog_history", args=[world.people["nhan"].pk]))
    assert entry_url(world, "nhan", period) not in history.content.decode()


def test_no_form01_link_when_no_period_is_open(client, world):
    open_line(world)
    period = current_period()
    Period.objects.filter(pk=period.pk).update(status=PeriodStatus.CLOSED)
    client.force_login(world.users["truong"])
    board = client.get(reverse("worklog_board")).content.decode()
    assert entry_url(world, "nhan", period) not in board
