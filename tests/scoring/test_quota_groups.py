"""One quota group for the provisional annual rating and the decision guard (Decree 335
Art. 20 cl. 5: the 20 % applies "trong cùng cơ quan, tổ chức, đơn vị và trong nhóm công chức có
nhiệm vụ tương đồng"). Default: the agency whose head rates × job-position group
(``quota.group_by = rater_agency``); configurable in the framework rules."""

import copy

import pytest

from org.models import LeadershipRole, PositionGroup
from ratings.models import RatingCase
from ratings.services.cases import open_cases
from ratings.services.quota import group_cases
from scoring.engine import DECREE_335_DEFAULT
from scoring.models import AnnualScore, CriteriaFramework
from scoring.services import score_period, score_year
from tests.factories import JobPositionFactory, UnitFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Sở: unit 1 has one star (92) and 4 good people; unit 2 has 6 good people; the director
    and a unit head are leaders (another job-position group)."""
    world = build_world()
    world.unit2 = UnitFactory(parent=world.department, code="SNV-P2", name="Phòng Tổ chức")
    plan = [("Sao", world.unit, 29)]
    plan += [(f"Tốt A{i}", world.unit, 15) for i in range(4)]
    plan += [(f"Tốt B{i}", world.unit2, 15) for i in range(6)]
    for name, unit, total in plan:
        person = world.person(name, agency=unit)
        world.line(person, "X", 1, 1, unit=unit)
        world.marks(person, total)
    leadership = JobPositionFactory(code="LD", group=PositionGroup.LEADERSHIP)
    for name, agency in (("Giám đốc", world.department), ("Trưởng phòng", world.unit)):
        leader = world.person(
            name, agency=agency, role=LeadershipRole.HEAD, job_position=leadership
        )
        world.line(leader, "X", 1, 1, unit=agency)
        world.marks(leader, 15)
        world.leader_marks(leader)
    score_period(world.period)
    return world


def annual(world, name):
    return AnnualScore.objects.get(civil_servant=world.people[name], year=2026)


def test_the_annual_quota_groups_by_the_rating_agency(world):
    """W2: by posting unit the star's unit (C = 1, G = 4) allows 0 and 162 demo excellents
    became 0; by rating agency (Sở × professional: C = 1, G = 10) one excellent stays."""
    score_year(2026)
    star = annual(world, "Sao")
    assert star.rating_before_quota == "excellent"
    assert star.rating == "excellent"
    quota = star.explanation["quota"]
    assert (quota["candidates"], quota["good_before"], quota["allowed"]) == (1, 10, 1)


def test_the_decision_guard_counts_exactly_the_annual_group(world):
    from scoring.services.quota_groups import QuotaGrouper

    score_year(2026)
    open_cases(2026)
    for case in RatingCase.objects.filter(civil_servant__isnull=False):
        annual_group = {
            a.civil_servant_id
            for a in AnnualScore.objects.filter(year=2026)
            if QuotaGrouper().group_of(a.agency_id, a.role, a.position_group, DECREE_335_DEFAULT)
            == QuotaGrouper().group_of(
                case.agency_id, case.role, case.position_group, DECREE_335_DEFAULT
            )
        }
        assert set(group_cases(case).values_list("civil_servant_id", flat=True)) == annual_group
    star_case = RatingCase.objects.get(civil_servant=world.people["Sao"])
    assert group_cases(star_case).count() == 11  # the 11 professionals of the department


def test_leaders_are_grouped_where_they_are_rated(world):
    """The director is rated by the province (with the other directors and commune
    chairmen); a unit head by the director (with the department's other leaders)."""
    from scoring.services.quota_groups import QuotaGrouper

    grouper = QuotaGrouper()
    score_year(2026)
    director, head = annual(world, "Giám đốc"), annual(world, "Trưởng phòng")
    rules = DECREE_335_DEFAULT
    assert grouper.group_of(director.agency_id, "head", "leadership", rules).agency_id == (
        world.province.pk
    )
    assert grouper.group_of(head.agency_id, "head", "leadership", rules).agency_id == (
        world.department.pk
    )


def test_grouping_by_posting_unit_is_a_framework_choice(world):
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    rules["quota"]["group_by"] = {"value": "posting_unit", "citation": "Kế hoạch của tỉnh"}
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()
    score_period(world.period)  # the months are rescored under the new revision
    score_year(2026)
    # The old behaviour, now chosen explicitly: unit 1 alone (C = 1, G = 4) allows none.
    assert annual(world, "Sao").rating == "good"


def test_the_rules_page_lists_the_quota_options():
    """The framework's inspect view and the public method page show each option with its
    source (scoring.framework_display)."""
    from scoring.framework_display import rules_context

    context = rules_context(DECREE_335_DEFAULT.to_dict())
    rows = {row["code"]: row for row in context["options"]}
    assert rows["quota.group_by"]["value"] == "rater_agency"
    assert "Điều 20 khoản 5" in rows["quota.group_by"]["citation"]
    assert rows["quota.rounding"]["value"] == "floor"
