"""Person categories where they bite in scoring (docs/scope.md, issue 18): who is scored at all
(contract workers only where their agency switched them on, Gia Lai plan §V.1.e), and who the
excellent quota counts (never a public employee nor a contract worker: they are outside the
Decree 335 quota groups)."""

import pytest

from org.models import PersonCategory
from ratings.models import RatingCase
from ratings.services.cases import open_cases
from ratings.services.quota import group_cases
from scoring.models import AnnualScore, PeriodScore
from scoring.services import score_period, score_year
from scoring.services.postings import governing_row
from scoring.services.scope import CategoryScope, case_in_quota
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


def scored_person(world, name, category=PersonCategory.CIVIL_SERVANT, total=15, **kwargs):
    person = world.person(name, category=category, **kwargs)
    world.line(person, "X", 1, 1)
    world.marks(person, total)
    return person


@pytest.fixture
def world():
    return build_world()


def stored(world, name):
    return PeriodScore.objects.filter(civil_servant=world.people[name], period=world.period)


# --- who is scored ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "switched_on", "expected"),
    [
        (PersonCategory.CIVIL_SERVANT, False, True),
        (PersonCategory.CADRE, False, True),
        (PersonCategory.PUBLIC_EMPLOYEE, False, True),
        (PersonCategory.CONTRACT_WORKER, False, False),
        (PersonCategory.CONTRACT_WORKER, True, True),
    ],
)
def test_the_scope_follows_the_category_and_the_agency_switch(
    world, category, switched_on, expected
):
    world.department.applies_to_contract_workers = switched_on
    world.department.save()
    person = scored_person(world, "Người", category)
    row = governing_row(person.pk, world.period.start_date, world.period.end_date)
    # The switch of the agency (the department) covers its units.
    assert row.agency_id == world.unit.pk
    assert CategoryScope().evaluated(row) is expected


def test_a_contract_worker_is_not_scored_unless_the_agency_applies_the_plan(world):
    scored_person(world, "Hợp đồng", PersonCategory.CONTRACT_WORKER)
    scored_person(world, "Công chức")
    score_period(world.period)
    assert not stored(world, "Hợp đồng").exists()
    assert stored(world, "Công chức").get().scored

    world.department.applies_to_contract_workers = True
    world.department.save()
    score_period(world.period)
    assert stored(world, "Hợp đồng").get().scored


def test_one_person_scoring_skips_a_contract_worker_too(world):
    from scoring.services.person import score_person

    person = scored_person(world, "Hợp đồng", PersonCategory.CONTRACT_WORKER)
    assert score_person(person, world.period) is None
    assert not stored(world, "Hợp đồng").exists()


def test_a_public_employee_is_scored_with_the_agency_framework(world):
    scored_person(world, "Viên chức", PersonCategory.PUBLIC_EMPLOYEE)
    scored_person(world, "Công chức")
    score_period(world.period)
    employee, servant = stored(world, "Viên chức").get(), stored(world, "Công chức").get()
    assert employee.scored
    assert employee.framework_revision_id == servant.framework_revision_id


# --- the excellent quota ------------------------------------------------------------------------


@pytest.fixture
def quota_world(world):
    """One unit: a civil-servant star, a public-employee star, and good people of both kinds."""
    scored_person(world, "Sao công chức", total=29)
    scored_person(world, "Sao viên chức", PersonCategory.PUBLIC_EMPLOYEE, total=29)
    for i in range(5):
        scored_person(world, f"Tốt công chức {i}")
    for i in range(10):
        scored_person(world, f"Tốt viên chức {i}", PersonCategory.PUBLIC_EMPLOYEE)
    score_period(world.period)
    score_year(2026)
    return world


def annual(world, name):
    return AnnualScore.objects.get(civil_servant=world.people[name], year=2026)


def test_public_employees_never_fall_into_a_decree_335_quota_group(quota_world):
    star = annual(quota_world, "Sao công chức")
    assert star.rating_before_quota == "excellent"
    quota = star.explanation["quota"]
    # Only the civil servants: 1 candidate, 5 good (the 10 good public employees would have
    # allowed the excellent; without them 20 % of 5 is 1).
    assert (quota["candidates"], quota["good_before"]) == (1, 5)
    employee = annual(quota_world, "Sao viên chức")
    assert employee.rating == "excellent"
    assert employee.explanation.get("quota") is None


def test_the_decision_guard_counts_no_public_employee(quota_world):
    open_cases(2026)
    star = RatingCase.objects.get(civil_servant=quota_world.people["Sao công chức"])
    members = set(group_cases(star).values_list("civil_servant__full_name", flat=True))
    assert "Sao công chức" in members
    assert not any("viên chức" in name for name in members)
    employee = RatingCase.objects.get(civil_servant=quota_world.people["Sao viên chức"])
    assert case_in_quota(star) and not case_in_quota(employee)
