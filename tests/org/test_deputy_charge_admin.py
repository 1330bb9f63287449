"""Deputy charges in the admin: added with their checks, scoped to what the user may see."""

import pytest

from django.urls import reverse

from org.access import HOME_AFFAIRS_GROUP
from org.models import DeputyCharge, LeadershipRole
from tests.factories import START_2026, UserFactory, agency_admin, post, two_agencies

pytestmark = pytest.mark.django_db


def url(action, *args):
    return reverse(f"wagtailsnippets_org_deputycharge:{action}", args=args)


@pytest.fixture
def world():
    agencies = two_agencies()
    own, other = agencies.own, agencies.other
    return {
        "own": own,
        "own_unit": agencies.own_unit,
        "other_unit": agencies.other_unit,
        "deputy": post(own, role=LeadershipRole.DEPUTY, full_name="Phó Giám đốc Tư pháp"),
        "other_deputy": post(other, role=LeadershipRole.DEPUTY, full_name="Phó Giám đốc Y tế"),
        "agency_admin": agency_admin(own),
        "home_affairs": UserFactory(groups=[HOME_AFFAIRS_GROUP]),
    }


def form(deputy, units=(), start=START_2026):
    return {
        "deputy": deputy.pk,
        "start_date": start.isoformat(),
        "end_date": "",
        "decision_ref": "45/QĐ-STP",
        "units": [unit.pk for unit in units],
        "people": [],
        "note": "",
    }


def test_agency_admin_adds_a_charge_for_their_deputy(client, world):
    client.force_login(world["agency_admin"])
    response = client.post(url("add"), form(world["deputy"], [world["own_unit"]]))
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = DeputyCharge.objects.get()
    assert list(saved.units.all()) == [world["own_unit"]]


def test_a_unit_outside_the_deputys_agency_is_refused(client, world):
    client.force_login(world["home_affairs"])
    response = client.post(url("add"), form(world["deputy"], [world["other_unit"]]))
    assert response.status_code == 200
    assert "không thuộc cơ quan, đơn vị nơi Phó Giám đốc Tư pháp" in response.content.decode()
    assert not DeputyCharge.objects.exists()


def test_other_agencies_charges_are_out_of_reach(client, world):
    theirs = DeputyCharge.objects.create(deputy=world["other_deputy"], start_date=START_2026)
    client.force_login(world["agency_admin"])
    assert "Phó Giám đốc Y tế" not in client.get(url("list")).content.decode()
    response = client.get(url("edit", theirs.pk))
    assert response.status_code in (302, 403)
    client.force_login(world["home_affairs"])
    assert "Phó Giám đốc Y tế" in client.get(url("list")).content.decode()
