"""The people a leader evaluates and the units they work in are read together, once per
request and day (a unit head of 1,283 people read their governing postings twice)."""

import pytest

from django.urls import reverse

from accounts.models import User
from org.authority import evaluated_ids
from tests.worklog.helpers import TODAY
from worklog.access import evaluated_person_ids, evaluated_units


def test_the_units_come_with_the_people_and_cost_no_query(world, django_assert_num_queries):
    # A fresh user object: what a request holds.
    user = User.objects.get(pk=world.users["truong"].pk)
    people = evaluated_person_ids(user, TODAY)
    assert people == {world.people["nhan"].pk, world.people["binh"].pk}
    assert people == evaluated_ids(world.people["truong"], TODAY)
    with django_assert_num_queries(0):
        units = evaluated_units(user, TODAY)
    assert units == {world.people["nhan"].pk: world.unit.pk, world.people["binh"].pk: world.unit.pk}


def test_the_director_evaluates_the_unit_heads_in_their_units(world):
    user = User.objects.get(pk=world.users["giamdoc"].pk)
    assert evaluated_units(user, TODAY) == {
        world.people["truong"].pk: world.unit.pk,
        world.people["truong2"].pk: world.other_unit.pk,
    }
    assert evaluated_person_ids(user, TODAY) == {
        world.people["truong"].pk,
        world.people["truong2"].pk,
    }


def test_the_agencies_headed_come_from_the_requests_postings(world, django_assert_num_queries):
    """Whom a head evaluates is asked with the agencies they head taken from the postings the
    request already read (``org.access.posted_agency_ids``), not read again from the person's
    postings: the same people, one query fewer on every admin page of a head (the menu)."""
    from org.authority import evaluated_governing, evaluates_anyone
    from worklog.access import is_leader

    for name in ("truong", "giamdoc"):
        user = User.objects.get(pk=world.users[name].pk)
        me = world.people[name]
        assert is_leader(user, TODAY)
        headed = sorted(
            p.agency_id for p in me.postings.all() if p.is_active_on(TODAY) and p.role == "head"
        )
        assert evaluated_governing(me, TODAY, headed=headed) == evaluated_governing(me, TODAY)
        assert evaluated_governing(me, TODAY, near=True, headed=headed) == evaluated_governing(
            me, TODAY, near=True
        )
        assert evaluates_anyone(me, TODAY, headed=headed)
    staff = User.objects.get(pk=world.users["nhan"].pk)
    assert not is_leader(staff, TODAY)


@pytest.fixture
def asked(monkeypatch):
    """The rules' readings a request makes, in order: the whole answer
    (``evaluated_governing``) and the menu's sample (``evaluates_anyone``), each still run."""
    from worklog import access

    calls: list[str] = []
    for name in ("evaluated_governing", "evaluates_anyone"):
        real = getattr(access, name)

        def counted(*args, _name=name, _real=real, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(access, name, counted)
    return calls


def test_a_heads_dashboard_asks_the_rules_once(client, world, asked):
    """The home page's deadline panel reads whom the head evaluates while the view gathers its
    panels, before the menu is drawn: the menu's "is a leader" test answers from it, and the
    rules are not asked a second time for the menu alone (``evaluates_anyone``)."""
    client.force_login(world.users["truong"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert asked == ["evaluated_governing"]
    # The menu still lists the head's board, and the panel their team's waiting work.
    assert reverse("worklog_board") in page


def test_the_assign_page_asks_the_rules_once(client, world, asked):
    """The assign page's door asks whom the head evaluates (the people its form offers), so
    neither the form nor the menu asks the rules again; a staff member is still refused."""
    client.force_login(world.users["truong"])
    page = client.get(reverse("worklog_assign")).content.decode()
    assert asked == ["evaluated_governing"]
    # The people the head evaluates are offered.
    assert world.people["nhan"].full_name in page
    client.force_login(world.users["nhan"])
    response = client.get(reverse("worklog_assign"))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_the_board_asks_the_rules_once(client, world, asked):
    """The board reads whom the head evaluates with their units (``evaluated_units``): the
    menu's "is a leader" test answers from that reading too."""
    client.force_login(world.users["truong"])
    page = client.get(reverse("worklog_board")).content.decode()
    assert asked == ["evaluated_governing"]
    assert world.people["nhan"].full_name in page
