"""M11 (legal review §3; the draft decree [unknown]): under the framework option
``individual.concurrent_posts`` = ``highest_post`` a person with concurrent posts is evaluated
at the highest one. The governing posting is chosen in one place
(``scoring.services.postings.pick_governing``): the one-person door, the batch snapshot and
the framework lookup agree. Default ``primary_posting``: the primary posting, as before."""

import copy
import datetime

import pytest

from org.models import LeadershipRole
from scoring.models import CriteriaFramework
from scoring.services.org_snapshot import OrgSnapshot
from scoring.services.postings import (
    framework_for_person,
    governing_posting_of,
    governing_row,
    governing_row_in,
    post_level,
)
from tests.factories import UnitFactory, post
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


def concurrent_posts(value):
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    rules.setdefault("individual", {})["concurrent_posts"] = {
        "value": value,
        "citation": "Dự thảo Nghị định",
        "confidence": "unknown",
    }
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()


@pytest.fixture
def world():
    world = build_world()
    world.unit2 = UnitFactory(parent=world.department, code="SNV-P2", name="Phòng Tổ chức")
    return world


def agencies_seen(world, person):
    """The agency each door finds for ``person`` in the world's month."""
    snapshot = OrgSnapshot.load(world.period)
    return {
        "one_person": governing_row_in(person.pk, world.period).agency_id,
        # The annual rating's posting (Art. 21: the last day), as ``scoring.services.annual``.
        "year": governing_row(
            person.pk, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
        ).agency_id,
        "posting": governing_posting_of(person, world.period).agency_id,
        "batch": snapshot.governing[person.pk].agency_id,
    }


def test_a_staff_member_heading_another_unit_concurrently_is_evaluated_there(world):
    person = world.person("Lê Văn Kiêm")  # staff of Phòng Công chức
    post(world.unit2, role=LeadershipRole.HEAD, person=person, is_concurrent=True)
    # Default: the primary posting governs.
    assert set(agencies_seen(world, person).values()) == {world.unit.pk}

    concurrent_posts("highest_post")
    assert set(agencies_seen(world, person).values()) == {world.unit2.pk}
    assert governing_posting_of(person, world.period).role == LeadershipRole.HEAD
    assert framework_for_person(person, world.period) is not None

    concurrent_posts("primary_posting")
    assert set(agencies_seen(world, person).values()) == {world.unit.pk}


def test_a_lower_concurrent_post_never_governs(world):
    """The head of a division of the department (depth 2) who is also staff elsewhere, or a
    deputy of a sub-unit: the primary post is higher, it stays."""
    person = world.person("Trần Văn Trưởng", role=LeadershipRole.HEAD)
    post(world.unit2, role=LeadershipRole.DEPUTY, person=person, is_concurrent=True)
    concurrent_posts("highest_post")
    assert set(agencies_seen(world, person).values()) == {world.unit.pk}


def test_a_deputy_director_outranks_a_division_head():
    class Row:
        def __init__(self, role, path):
            self.role, self.agency_path = role, path

    director_deputy = Row("deputy", "/1/2/")
    division_head = Row("head", "/1/2/3/")
    division_deputy = Row("deputy", "/1/2/3/")
    staff = Row("staff", "/1/2/")
    assert post_level(director_deputy) > post_level(division_head) > post_level(division_deputy)
    assert post_level(division_deputy) > post_level(staff) == 0


def test_a_concurrent_post_ended_before_the_period_end_does_not_govern(world):
    person = world.person("Phạm Văn Hết")
    post(
        world.unit2,
        role=LeadershipRole.HEAD,
        person=person,
        is_concurrent=True,
        end=datetime.date(2026, 3, 15),
    )
    concurrent_posts("highest_post")
    assert governing_row_in(person.pk, world.period).agency_id == world.unit.pk


# --- who evaluates: the one-person doors and the batch agree (arch review 2026-11-25, F3) -------


def _evaluators_seen(world, person):
    """The evaluator each door names for ``person`` in the world's month."""
    from scoring.services.postings import period_authority, year_authority

    snapshot = OrgSnapshot.load(world.period)
    today = world.period.end_date
    year_evaluator = year_authority(person, 2026, today).evaluator.person
    return {
        "batch": snapshot.evaluator(person.pk)[1],
        "one_person": period_authority(person, world.period, today).evaluator.person.pk,
        "rating_case": year_evaluator.pk if year_evaluator else None,
    }


CONCURRENT_CASES = {
    # name: (primary role, concurrent agency, concurrent role, evaluator under highest_post)
    "staff + head of a sibling unit": ("staff", "unit2", LeadershipRole.HEAD, "director"),
    "deputy + deputy of a sibling unit": ("deputy", "unit2", LeadershipRole.DEPUTY, "head1"),
    "deputy + head of a sibling unit (head)": (
        "deputy",
        "unit2",
        LeadershipRole.HEAD,
        "director",
    ),
    "staff + deputy director": ("staff", "department", LeadershipRole.DEPUTY, "director"),
    "head + a lower concurrent post": ("head", "unit2", LeadershipRole.DEPUTY, "director"),
}


@pytest.mark.parametrize("option", ["primary_posting", "highest_post"])
@pytest.mark.parametrize("case", sorted(CONCURRENT_CASES))
def test_every_door_names_the_same_evaluator_under_each_concurrent_posts_option(
    world, case, option
):
    """Under ``highest_post`` a staff member of Phòng 1 who heads Phòng 2 concurrently is
    scored as a head, evaluated by the director: Form 01, the worklog's marks and the write
    rights named the head of Phòng 1 (``resolve_authority`` from the primary posting) while the
    batch named the director — the wrong person could enter the marks."""
    from ratings.services.form01_entry import entry_rights
    from scoring.services.write_rights import evaluates
    from tests.factories import with_user

    director = post(world.department, role=LeadershipRole.HEAD, full_name="Giám đốc Sở")
    head1 = post(world.unit, role=LeadershipRole.HEAD, full_name="Trưởng phòng 1")
    post(world.unit2, role=LeadershipRole.HEAD, full_name="Trưởng phòng 2", end=None)
    people = {"director": director, "head1": head1}
    users = {name: with_user(person, f"u-{name}") for name, person in people.items()}
    primary_role, where, concurrent_role, expected = CONCURRENT_CASES[case]
    person = world.person("Người kiêm nhiệm", role=primary_role)
    post(getattr(world, where), role=concurrent_role, person=person, is_concurrent=True)
    concurrent_posts(option)

    seen = _evaluators_seen(world, person)
    assert len(set(seen.values())) == 1, seen
    if option == "primary_posting":
        expected = "director" if primary_role == "head" else "head1"
    assert seen["batch"] == people[expected].pk
    today = world.period.end_date
    for name, user in users.items():
        allowed = name == expected
        assert entry_rights(user, person, world.period, today).evaluate is allowed, name
        assert evaluates(user, person.pk, world.period, today) is allowed, name


@pytest.mark.parametrize("rule", ["end_of_period", "start_of_period", "most_days"])
def test_one_posting_governs_as_the_general_choice_decides(rule):
    """A person with one posting (most people) is answered without ranking: the posting if it
    overlaps the period, whatever the rule, else nobody — the general choice's answer (the same
    posting listed twice goes through it)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from scoring.services.postings import PostingRow, _pick_primary

    days = st.dates(datetime.date(2025, 6, 1), datetime.date(2027, 6, 30))

    @settings(max_examples=200, deadline=None)  # no time limit: it passes on a busy machine
    @given(days, st.one_of(st.none(), days), st.booleans())
    def check(first, last, concurrent):
        if last is not None and last < first:
            first, last = last, first
        row = PostingRow(1, 1, 1, "staff", concurrent, first, last, "professional")
        for start, end in (
            (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)),
            (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        ):
            expected = _pick_primary([row, row], start, end, rule)
            assert _pick_primary([row], start, end, rule) == expected
            held = row.start_date <= end and (row.end_date or end) >= start
            assert (expected is row) == held

    check()
