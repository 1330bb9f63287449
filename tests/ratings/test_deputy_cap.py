"""M5 (legal review §3; Customs 21169 [secondary]): under the framework option
``individual.deputy_cap`` = ``not_above_head_when_late`` a deputy of a unit with late work is
decided after the head and never above the head's rating; no late work, a rating at or below
the head's, or the default ``none``: unchanged."""

import copy
import datetime

import pytest

from org.models import LeadershipRole, PositionGroup
from org_scoring.models import OrganisationTask, TaskOutcome
from ratings.models import CaseState
from ratings.services.prerequisites import decision_prerequisites
from ratings.workflow.machine import Refused
from scoring.models import AnnualScore, CriteriaFramework
from tests.factories import JobPositionFactory, annual_score, post, with_user
from tests.ratings.world import reload

pytestmark = pytest.mark.django_db


def refusal(callable_, *args, **kwargs) -> str:
    with pytest.raises(Refused) as info:
        callable_(*args, **kwargs)
    return " ".join(str(r) for r in info.value.reasons)


def deputy_cap_revision(value="not_above_head_when_late"):
    """A published revision of the default framework with ``individual.deputy_cap``."""
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    rules.setdefault("individual", {})["deputy_cap"] = {
        "value": value,
        "citation": "Công văn 21169/CHQ-TCCB",
        "confidence": "secondary",
    }
    framework.rules = rules
    framework.save()
    revision = framework.save_revision()
    revision.publish()
    return revision


def late_task(agency, outcome=TaskOutcome.LATE):
    return OrganisationTask.objects.create(
        agency=agency,
        year=2026,
        document_ref="12/KH-STN",
        description="Báo cáo tổng kết",
        deadline=datetime.date(2026, 6, 30),
        outcome=outcome,
        delays=1 if outcome == TaskOutcome.LATE else 0,
        completed_on=datetime.date(2026, 7, 10) if outcome == TaskOutcome.LATE else None,
    )


@pytest.fixture
def deputy(world):
    leadership = JobPositionFactory(code="LD-PP", group=PositionGroup.LEADERSHIP)
    person = post(
        world.unit, role=LeadershipRole.DEPUTY, full_name="Bùi Phó Phòng", job_position=leadership
    )
    world.users["phophong"] = with_user(person, "phophong")
    annual_score(person, 95, world.unit, role=LeadershipRole.DEPUTY, group=PositionGroup.LEADERSHIP)
    return person


def use_rules(*people, value="not_above_head_when_late"):
    revision = deputy_cap_revision(value)
    AnnualScore.objects.filter(civil_servant__in=people).update(framework_revision=revision)


def head_decided(world, level="completed"):
    head = world.people["truongphong"]
    case = world.case_for(head)
    world.self_assess(case, level)
    world.review(case, user=world.users["giamdoc"])
    world.appraise(case, level)
    world.decide(reload(case), level)
    return reload(case)


def deputy_appraised(world, deputy, level="good"):
    case = world.case_for(deputy)
    world.self_assess(case, level)
    world.review(case, user=world.users["truongphong"])
    world.appraise(case, level)
    return reload(case)


def test_a_deputy_of_a_unit_with_late_work_waits_for_the_head_and_stays_at_or_below(world, deputy):
    use_rules(deputy, world.people["truongphong"])
    late_task(world.unit)
    world.case_for(world.people["truongphong"])  # the head's case is open, not decided
    case = deputy_appraised(world, deputy)
    message = refusal(world.decide, case, "good")
    assert "phải quyết định xếp loại Ngô Trưởng Phòng (cấp trưởng) trước" in message
    labels = [check.label for check in decision_prerequisites(reload(case))]
    assert any("Phòng Một có 1 nhiệm vụ năm 2026 hoàn thành trễ hạn" in label for label in labels)

    head_decided(world)
    message = refusal(world.decide, reload(case), "good")
    assert (
        "Cấp phó không được xếp loại cao hơn cấp trưởng khi đơn vị có việc trễ hạn: Phòng Một "
        "có 1 nhiệm vụ năm 2026 hoàn thành trễ hạn hoặc không hoàn thành và Ngô Trưởng Phòng "
        "được xếp loại “Hoàn thành nhiệm vụ”, nên Bùi Phó Phòng được xếp tối đa “Hoàn "
        "thành nhiệm vụ”."
    ) in message
    check = next(c for c in decision_prerequisites(reload(case)) if c.key == "deputy_cap")
    assert check.done
    assert check.detail == (
        "Ngô Trưởng Phòng được xếp loại “Hoàn thành nhiệm vụ”: Bùi Phó Phòng được xếp tối "
        "đa “Hoàn thành nhiệm vụ”."
    )
    # At the head's rating: decided.
    world.decide(reload(case), "completed")
    assert reload(case).decision_level == "completed"
    assert reload(case).state == CaseState.DECIDED


def test_a_task_not_done_is_late_work_too(world, deputy):
    use_rules(deputy, world.people["truongphong"])
    late_task(world.unit, TaskOutcome.NOT_DONE)
    head_decided(world)
    case = deputy_appraised(world, deputy)
    assert "cao hơn cấp trưởng" in refusal(world.decide, case, "good")


def test_without_late_work_the_deputy_may_be_rated_above_the_head(world, deputy):
    use_rules(deputy, world.people["truongphong"])
    late_task(world.unit2)  # another unit's late work does not count
    OrganisationTask.objects.create(
        agency=world.unit,
        year=2026,
        document_ref="13/KH-STN",
        description="Đúng hạn",
        deadline=datetime.date(2026, 6, 30),
        outcome=TaskOutcome.ON_TIME,
        completed_on=datetime.date(2026, 6, 1),
    )
    head_decided(world)
    case = deputy_appraised(world, deputy)
    assert not any(c.key == "deputy_cap" for c in decision_prerequisites(case))
    world.decide(case, "good")
    assert reload(case).decision_level == "good"


def test_by_default_the_deputy_is_not_capped(world, deputy):
    """``none`` (the default framework): late work and a head rated lower change nothing."""
    late_task(world.unit)
    head_decided(world)
    case = deputy_appraised(world, deputy)
    assert not any(c.key == "deputy_cap" for c in decision_prerequisites(case))
    world.decide(case, "good")
    assert reload(case).decision_level == "good"


def test_the_option_none_written_out_changes_nothing(world, deputy):
    use_rules(deputy, value="none")
    late_task(world.unit)
    head_decided(world)
    case = deputy_appraised(world, deputy)
    world.decide(case, "good")
    assert reload(case).decision_level == "good"


def _late_product(world):
    """A product assigned in the unit and delayed (no organisation task of the unit late)."""
    from scoring.models import Period
    from scoring.services import rescoring
    from tests.factories.catalog import catalog_version
    from tests.factories.scoring import assignment_line

    _version, items = catalog_version(world.department)
    period = Period.for_date(datetime.date(2026, 3, 1), create=True)
    with rescoring.paused():  # this world's annual scores are typed in: nothing to rescore
        staff = post(world.unit, full_name="Lê Văn Chậm")
        return assignment_line(staff, period, items["X"], world.unit, 2, 2, delays=1)


def test_the_other_reading_counts_the_staffs_late_products(world, deputy):
    """Legal review F6: "late work" read from organisation tasks only (the documented
    ``not_above_head_when_late``) or, as the option ``not_above_head_when_any_late``, also from
    the unit's civil servants' assigned products."""
    use_rules(deputy, world.people["truongphong"], value="not_above_head_when_any_late")
    _late_product(world)
    head_decided(world)
    case = deputy_appraised(world, deputy)
    assert "cao hơn cấp trưởng" in refusal(world.decide, case, "good")


def test_the_default_reading_ignores_the_staffs_late_products(world, deputy):
    use_rules(deputy, world.people["truongphong"])
    _late_product(world)
    head_decided(world)
    case = deputy_appraised(world, deputy)
    assert not any(c.key == "deputy_cap" for c in decision_prerequisites(case))
