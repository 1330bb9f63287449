"""The people a leader evaluates and the units they work in are read together, once per
request and day (a unit head of 1,283 people read their governing postings twice)."""

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
