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
from scoring.services.frameworks import framework_for_person
from scoring.services.org_snapshot import OrgSnapshot
from scoring.services.postings import (
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
