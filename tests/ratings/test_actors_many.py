"""The "waiting for me" lists resolve the actors of many cases at once
(``ratings.actors.resolve_actors_many``); every field of each answer must be what opening the
case finds (``resolve_actors(case, today)``): the day, the rated side, the evaluator, the
rater, the opinion holder, the appraising agency, the error. Held equal here on the demo
province (its cases, and a case of every person and every agency) for every kind of day, and
on the worlds where the posting or the rule has a turn of its own: a concurrent post governing
under ``highest_post``, a rule pointing across trees, a posting that ended during the year, a
move in the middle of the year, a temporary posting over the main one, no posting in the year,
no rule for the post. The batch reads a fixed number of queries, whatever the number of
cases."""

import datetime

import pytest

from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from org.models import Agency, CivilServant, LeadershipRole, Posting
from ratings.actors import resolve_actors, resolve_actors_many
from ratings.models import CaseKind, RatingCase
from tests.ratings.test_rater_batch import DAYS, posted_concurrently, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

#: the pk of an unsaved agency case (unsaved person cases take the person's pk)
AGENCY_CASE = 10_000_000


def _pk(obj):
    return obj.pk if obj is not None else None


def _holder(holder):
    if holder is None:
        return None
    return (_pk(holder.agency), _pk(holder.person))


def fields(actors) -> dict:
    """Every field of a ``CaseActors`` (not its cache of roles), by primary keys."""
    return {
        "day": actors.day,
        "subject_user_ids": actors.subject_user_ids,
        "evaluator": _holder(actors.evaluator),
        "rater": _holder(actors.rater),
        "opinion": _holder(actors.opinion),
        "appraisal_agency": _pk(actors.appraisal_agency),
        "is_agency_case": actors.is_agency_case,
        "error": actors.error,
    }


def cases_of(year, people=None, agencies=None):
    """Unsaved cases of ``year``: one per person (their postings prefetched with their
    agencies, as the list loads them) and one per agency."""
    loaded = CivilServant.objects.prefetch_related(
        Prefetch("postings", queryset=Posting.objects.select_related("agency"))
    ).order_by("pk")
    if people is not None:
        loaded = loaded.filter(pk__in=people)
    cases = [
        RatingCase(pk=person.pk, kind=CaseKind.CIVIL_SERVANT, civil_servant=person, year=year)
        for person in loaded
    ]
    for agency in agencies or ():
        cases.append(
            RatingCase(
                pk=AGENCY_CASE + agency.pk, kind=CaseKind.AGENCY, subject_agency=agency, year=year
            )
        )
    return cases


def alone(case):
    """The case as one door opens it: its rows read afresh, nothing prefetched."""
    fresh = RatingCase(pk=case.pk, kind=case.kind, year=case.year)
    if case.civil_servant_id is not None:
        fresh.civil_servant = CivilServant.objects.get(pk=case.civil_servant_id)
    else:
        fresh.subject_agency = Agency.objects.get(pk=case.subject_agency_id)
    return fresh


def assert_same(cases, today):
    many = resolve_actors_many(cases, today)
    assert set(many) == {case.pk for case in cases}
    differ = {}
    for case in cases:
        one = fields(resolve_actors(alone(case), today))
        batch = fields(many[case.pk])
        if one != batch:
            who = case.civil_servant or case.subject_agency
            differ[str(who)] = {k: (one[k], batch[k]) for k in one if one[k] != batch[k]}
    assert not differ, f"{today}: (one by one, many) {differ}"
    return many


def test_the_demo_provinces_cases(demo):
    cases = list(
        RatingCase.objects.select_related("civil_servant", "subject_agency", "agency")
        .prefetch_related("civil_servant__postings__agency")
        .order_by("pk")
    )
    assert cases
    for year in sorted({case.year for case in cases}):
        for day in DAYS:
            assert_same(cases, day(year))


def test_the_demo_province_every_person_and_agency_every_year_and_day(demo):
    agencies = list(Agency.objects.filter(is_active=True).order_by("pk"))
    named = 0
    for year in (2025, 2026):
        cases = cases_of(year, agencies=agencies)
        assert len(cases) > 50
        for day in DAYS:
            many = assert_same(cases, day(year))
            named += sum(1 for actors in many.values() if actors.rater.person is not None)
    # The comparison is not empty on both sides: most cases have a rater in post.
    assert named > len(cases)


def queries(cases, today) -> int:
    with CaptureQueriesContext(connection) as captured:
        resolve_actors_many(cases, today)
    return len(captured)


def test_a_fixed_number_of_queries_whatever_the_number_of_cases(demo):
    agencies = list(Agency.objects.filter(is_active=True).order_by("pk"))
    today = datetime.date(2027, 1, 5)
    # Two years at once (the list holds cases of any year): one read of postings per year.
    year_2025 = cases_of(2025, agencies=agencies)
    year_2026 = [
        RatingCase(pk=-case.pk, kind=case.kind, year=2026, **_subject(case)) for case in year_2025
    ]
    few = year_2025[:2] + year_2025[-1:] + year_2026[:2] + year_2026[-1:]
    # the rules, the postings of each year, the agencies, their counterparts, the heads, the
    # grants (and the counterpart agencies where there are counterparts: none in the demo)
    assert queries(year_2025 + year_2026, today) == queries(few, today) == 7


def _subject(case) -> dict:
    if case.civil_servant_id is not None:
        return {"civil_servant": case.civil_servant}
    return {"subject_agency": case.subject_agency}


@pytest.mark.parametrize("option", ["primary_posting", "highest_post"])
def test_concurrent_posts_under_each_option(world, option):  # noqa: F811
    people = posted_concurrently(world, option)
    agencies = [world.department, world.unit, world.unit2]
    for day in DAYS:
        assert_same(cases_of(2026, people, agencies), day(2026))
    # However many people hold a post above their primary one, the frameworks in force are
    # read once (``scoring.services.postings.SharedResolver``), not once a person.
    every, today = cases_of(2026, people, agencies), datetime.date(2027, 1, 5)
    # (the first two people, one of them above their primary post, and the agencies)
    assert queries(every, today) == queries(every[:2] + every[-3:], today) <= 9


def test_a_rule_across_trees_postings_ended_moved_overlapping_none_no_rule():
    from tests.factories import across_trees_people, post

    made = across_trees_people()
    trees = made.trees
    commune, commune_party = trees.commune, trees.commune_party
    front, commune_front = trees.front, trees.commune_front
    chairman, official, left = made.chairman, made.official, made.left
    moved, elsewhere, unruled = made.moved, made.elsewhere, made.unruled
    # Moved in July to head the commune Front: rated across trees from then on.
    promoted = post(commune, full_name="Lên Chủ tịch MTTQ xã", end=datetime.date(2026, 6, 30))
    post(commune_front, LeadershipRole.HEAD, person=promoted, start=datetime.date(2026, 7, 1))
    # A temporary primary posting over the main one (March to June): the main one governs
    # the year.
    seconded = post(commune, full_name="Biệt phái")
    post(
        commune_front,
        person=seconded,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 6, 30),
    )

    people = [chairman, official, left, moved, promoted, seconded, elsewhere, unruled]
    agencies = [commune, commune_party, commune_front, front]
    for day in (*DAYS, lambda year: datetime.date(year, 4, 1)):
        many = assert_same(cases_of(2026, [p.pk for p in people], agencies), day(2026))
    # Across trees too, a fixed number of queries: the counterparts are loaded, not asked.
    today = datetime.date(2026, 12, 31)
    every = cases_of(2026, [p.pk for p in people], agencies)
    assert queries(every, today) == queries(every[:1] + every[-1:], today) == 7
    assert many[chairman.pk].rater.agency == commune_party
    assert many[elsewhere.pk].error and many[unruled.pk].error
    assert many[left.pk].rater.agency is not None


def test_two_heads_posted_the_same_day_the_first_posted_heads(world):  # noqa: F811
    """Two heads of one unit from the same day (an overlap while a decision is corrected): both
    resolvers take the same one (``org.authority.head_posting``'s order)."""
    from tests.factories import post

    post(world.department, role=LeadershipRole.HEAD, full_name="Giám đốc Sở")
    post(world.unit, role=LeadershipRole.HEAD, full_name="Trưởng phòng A")
    post(world.unit, role=LeadershipRole.HEAD, full_name="Trưởng phòng B")
    staff = post(world.unit, full_name="Chuyên viên")
    for day in DAYS:
        assert_same(cases_of(2026, [staff.pk], [world.unit]), day(2026))


@pytest.mark.parametrize("option", ["primary_posting", "highest_post"])
def test_a_case_waits_in_the_list_of_the_leader_its_page_names(world, option):  # noqa: F811
    """The waiting lists pick their candidates by the posting a case's page reads (the year's
    governing posting). A staff member of Sở Nội vụ's Phòng Công chức who heads a division of
    Sở Y tế concurrently: under ``highest_post`` the division governs, so Sở Y tế's director
    evaluates them — and the case waits in that director's list, not in nobody's (the
    candidates were picked by the primary post, whose heads the page does not name)."""
    from ratings.case_reads.waiting import cases_waiting_for
    from ratings.models import CaseState
    from tests.factories import AgencyFactory, UnitFactory, post, rating_case, with_user
    from tests.scoring.test_concurrent_posts import concurrent_posts

    health = AgencyFactory(parent=world.department.parent, code="SYT", name="Sở Y tế")
    division = UnitFactory(parent=health, code="SYT-P1", name="Phòng Nghiệp vụ")
    leaders = {
        "director": post(world.department, LeadershipRole.HEAD, full_name="Giám đốc Sở Nội vụ"),
        "unit_head": post(world.unit, LeadershipRole.HEAD, full_name="Trưởng phòng Công chức"),
        "health": post(health, LeadershipRole.HEAD, full_name="Giám đốc Sở Y tế"),
    }
    for key, leader in leaders.items():
        with_user(leader, key)
    person = post(world.unit, full_name="Chuyên viên kiêm Trưởng phòng")
    post(division, LeadershipRole.HEAD, person=person, is_concurrent=True)
    concurrent_posts(option)
    today = datetime.date(2027, 1, 5)
    expected = "health" if option == "highest_post" else "unit_head"
    agency = division if option == "highest_post" else world.unit
    case = rating_case(person, 2026, state=CaseState.SELF_ASSESSED, agency=agency)

    assert resolve_actors(case, today).evaluator.person == leaders[expected]
    for key, leader in leaders.items():
        waiting = {w.case.pk for w in cases_waiting_for(leader.user, today)}
        assert (case.pk in waiting) == (key == expected), key
