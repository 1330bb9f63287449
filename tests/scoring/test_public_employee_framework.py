"""A criteria framework of their own for viên chức (docs/scope.md §2, issue 18 item 5): a
public employee's period and year are scored with the framework for viên chức
(``AppliesTo.PUBLIC_EMPLOYEE``) in force for their agency, else with the civil-servant one;
every other category keeps the civil-servant framework."""

import pytest

from org.models import PersonCategory
from scoring.engine import DECREE_335_DEFAULT
from scoring.models import AnnualScore, AppliesTo, FrameworkAssignment, PeriodScore
from scoring.services import framework_for_person, score_period, score_year
from scoring.services.frameworks import FrameworkResolver
from tests.scoring.helpers import build_world
from tests.scoring.test_frameworks import framework, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.department.applies_to_contract_workers = True
    world.department.save()
    return world


def employee_framework(world, agency=None):
    rules = DECREE_335_DEFAULT.to_dict()
    found = framework(
        "vien-chuc-thu", rules, name="Khung viên chức thử", applies_to=AppliesTo.PUBLIC_EMPLOYEE
    )
    publish(found)
    FrameworkAssignment.objects.create(
        framework=found, agency=agency, effective_from=world.period.start_date
    )
    return found


def scored(world, name, category):
    person = world.person(name, category=category)
    world.full_month(person)
    return person


CATEGORIES = [
    (PersonCategory.CIVIL_SERVANT, False),
    (PersonCategory.CADRE, False),
    (PersonCategory.PUBLIC_EMPLOYEE, True),
    (PersonCategory.CONTRACT_WORKER, False),
]


@pytest.mark.parametrize(("category", "own_framework"), CATEGORIES)
def test_each_category_is_scored_with_the_framework_its_rule_names(world, category, own_framework):
    employees = employee_framework(world)
    person = scored(world, "Người", category)
    score_period(world.period)
    stored = PeriodScore.objects.get(civil_servant=person, period=world.period)
    assert stored.scored
    assert (stored.framework_id == employees.pk) is own_framework
    assert (framework_for_person(person, world.period).framework_id == employees.pk) is (
        own_framework
    )


def test_without_a_framework_for_viên_chức_the_civil_servant_one_applies(world):
    person = scored(world, "Viên chức", PersonCategory.PUBLIC_EMPLOYEE)
    servant = scored(world, "Công chức", PersonCategory.CIVIL_SERVANT)
    score_period(world.period)
    employee_row = PeriodScore.objects.get(civil_servant=person)
    assert employee_row.scored
    assert employee_row.framework_id == PeriodScore.objects.get(civil_servant=servant).framework_id


def test_a_framework_for_viên_chức_of_another_agency_does_not_apply(world):
    from tests.factories import AgencyFactory

    other = AgencyFactory(parent=world.province, code="SYT", name="Sở khác")
    employee_framework(world, agency=other)
    person = scored(world, "Viên chức", PersonCategory.PUBLIC_EMPLOYEE)
    resolved = FrameworkResolver().resolve(
        world.unit.path,
        world.period.kind,
        world.period.start_date,
        person.category_on(world.period.end_date),
    )
    assert resolved.code != "vien-chuc-thu"
    other_path = other.path
    assert (
        FrameworkResolver()
        .resolve(other_path, "month", world.period.start_date, PersonCategory.PUBLIC_EMPLOYEE)
        .code
        == "vien-chuc-thu"
    )


def test_the_year_of_a_public_employee_is_rated_under_their_framework(world):
    employees = employee_framework(world)
    person = scored(world, "Viên chức", PersonCategory.PUBLIC_EMPLOYEE)
    servant = scored(world, "Công chức", PersonCategory.CIVIL_SERVANT)
    score_period(world.period)
    score_year(2026)
    assert AnnualScore.objects.get(civil_servant=person).framework_id == employees.pk
    assert AnnualScore.objects.get(civil_servant=servant).framework_id != employees.pk


def test_the_organisation_resolver_never_sees_a_framework_for_viên_chức(world):
    employee_framework(world)
    resolver = FrameworkResolver(AppliesTo.ORGANISATION)
    assert AppliesTo.PUBLIC_EMPLOYEE not in resolver.by_applies_to
