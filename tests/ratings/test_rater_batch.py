"""Opening the year's cases resolves each person's rater many people at once
(``ratings.actors.year_rater_agencies``); the case it writes must name the same rater agency
(its quota group) as the one-person resolver every other door uses
(``resolve_actors(case, today).rater.agency``). Held equal here on the demo province for every
person, year and kind of day, and on the worlds where the rule has a turn of its own: a
concurrent post governing under ``highest_post``, a rule pointing across trees (the commune
Front's chairman rated by the commune Party secretary), a posting that ended during the year,
no posting in the year, no rule for the post."""

import datetime

import pytest

from django.db.models import Prefetch

from org.models import CivilServant, LeadershipRole, Posting
from ratings.actors import resolve_actors, year_rater_agencies
from ratings.models import CaseKind, RatingCase

pytestmark = pytest.mark.django_db

#: today's kinds for a case of ``year``: inside the year, before it, after it, its last day
DAYS = (
    lambda year: datetime.date(year, 3, 15),
    lambda year: datetime.date(year - 1, 12, 31),
    lambda year: datetime.date(year + 1, 1, 5),
    lambda year: datetime.date(year, 12, 31),
)


def people_loaded(ids=None):
    people = CivilServant.objects.prefetch_related(
        Prefetch("postings", queryset=Posting.objects.select_related("agency"))
    ).order_by("pk")
    return list(people if ids is None else people.filter(pk__in=ids))


def one_by_one(people, year, today):
    """The one-person resolver, each person alone (what every other door asks)."""
    found = {}
    for person in CivilServant.objects.filter(pk__in=[p.pk for p in people]):
        case = RatingCase(kind=CaseKind.CIVIL_SERVANT, civil_servant=person, year=year)
        found[person.pk] = resolve_actors(case, today).rater.agency
    return found


def assert_same(people, year, today):
    batch = year_rater_agencies(people, year, today)
    single = one_by_one(people, year, today)
    names = {p.pk: p.full_name for p in people}
    differ = {
        names[pk]: (getattr(single[pk], "name", None), getattr(batch.get(pk), "name", None))
        for pk in single
        if single[pk] != batch.get(pk)
    }
    assert not differ, f"{year}, {today}: (one by one, batch) {differ}"
    return batch


def test_the_demo_province_every_person_year_and_day(demo):
    people = people_loaded()
    assert len(people) > 50
    named = 0
    for year in (2025, 2026):
        for day in DAYS:
            batch = assert_same(people, year, day(year))
            named += sum(1 for agency in batch.values() if agency is not None)
    # The comparison is not empty on both sides: most people have a rater.
    assert named > len(people)


def test_the_batch_reads_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    people = people_loaded()
    with django_assert_max_num_queries(6):
        year_rater_agencies(people, 2026, datetime.date(2027, 1, 5))


@pytest.fixture
def world():
    from tests.factories import UnitFactory
    from tests.scoring.helpers import build_world

    world = build_world()
    world.unit2 = UnitFactory(parent=world.department, code="SNV-P2", name="Phòng Tổ chức")
    return world


def posted_concurrently(world, option: str) -> list[int]:
    """The department's heads and the people of ``test_concurrent_posts``' cases, each with
    their concurrent post, under the province's ``option``: their ids."""
    from tests.factories import post
    from tests.scoring.test_concurrent_posts import CONCURRENT_CASES, concurrent_posts

    post(world.department, role=LeadershipRole.HEAD, full_name="Giám đốc Sở")
    post(world.department, role=LeadershipRole.DEPUTY, full_name="Phó Giám đốc Sở")
    post(world.unit, role=LeadershipRole.HEAD, full_name="Trưởng phòng 1")
    post(world.unit2, role=LeadershipRole.HEAD, full_name="Trưởng phòng 2")
    people = []
    for name, (primary_role, where, role, _expected) in sorted(CONCURRENT_CASES.items()):
        person = world.person(name, role=primary_role)
        post(getattr(world, where), role=role, person=person, is_concurrent=True)
        people.append(person.pk)
    concurrent_posts(option)
    return people


@pytest.mark.parametrize("option", ["primary_posting", "highest_post"])
def test_concurrent_posts_under_each_option(world, option):
    people = posted_concurrently(world, option)
    for day in DAYS:
        assert_same(people_loaded(people), 2026, day(2026))


def test_a_rule_across_trees_a_posting_ended_no_posting_no_rule():
    from tests.factories import across_trees_people

    made = across_trees_people()
    chairman, official, left = made.chairman, made.official, made.left
    moved, elsewhere, unruled = made.moved, made.elsewhere, made.unruled
    commune_party = made.trees.commune_party

    ids = [p.pk for p in (chairman, official, left, moved, elsewhere, unruled)]
    for day in DAYS:
        batch = assert_same(people_loaded(ids), 2026, day(2026))
    assert batch[chairman.pk] == commune_party
    assert batch[elsewhere.pk] is None and batch[unruled.pk] is None
    assert batch[left.pk] is not None
