"""Plan fulfilment used where the framework says (issue 45 item 3; Đắk Lắk §III.3: evaluation
rests on the agency's monthly, quarterly and annual work plans).

The framework option ``leader_criteria[d].plan_fulfilment`` = ``ratio`` takes a leader's
criterion d from the unit's approved work plans of the period: the highest level × completed
items / items, with an explanation line naming the plan and its percentage. Off by default:
nothing changes. A change of a plan item's fulfilment rescores the unit's leaders."""

import copy
from decimal import Decimal

import pytest

from org.models import LeadershipRole
from scoring.engine import DECREE_335_DEFAULT
from scoring.explain import render_steps
from scoring.models import CriteriaFramework, PeriodScore, ScoringRun
from scoring.services import rescoring, score_period
from tests.scoring.helpers import build_world
from workplans.models import PlanStatus, WorkPlan, WorkPlanItem

pytestmark = pytest.mark.django_db

PLAN_TITLE = "Kế hoạch công tác tháng của Phòng Công chức"


def use_plan_fulfilment() -> None:
    """Sở Nội vụ turns the option on in the framework (a published revision)."""
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    d = next(c for c in rules["leader_criteria"] if c["code"] == "d")
    d["plan_fulfilment"] = "ratio"
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()


@pytest.fixture
def world():
    """A unit head (general 30, đ = e = 100), two staff; the unit's approved plan of the month
    with five items, each drawn into one line; two of the five completed."""
    world = build_world()
    with rescoring.paused():
        head = world.person("Trưởng phòng", role=LeadershipRole.HEAD)
        world.marks(head, 30)
        world.leader_marks(head, 100, 100)
        staff = [world.person("Chuyên viên 1"), world.person("Chuyên viên 2")]
        for person in staff:
            world.marks(person, 27)
        period = world.period
        plan = WorkPlan.objects.create(
            agency=world.unit,
            kind="month",
            year=period.start_date.year,
            number=period.start_date.month,
            title=PLAN_TITLE,
            status=PlanStatus.APPROVED,
        )
        world.plan_lines = []
        for n in range(1, 6):
            person = staff[n % 2]
            line = world.line(person, "X", 2, 2 if n <= 2 else 1)
            item = WorkPlanItem.objects.create(
                plan=plan,
                name=f"Mục {n}",
                owner=person,
                deadline=period.end_date,
                product=world.items["X"],
                quantity=Decimal(2),
                sort_order=n,
            )
            item.lines.add(line)
            world.plan_lines.append(line)
    world.plan = plan
    return world


def head_score(world) -> PeriodScore:
    return PeriodScore.objects.get(civil_servant=world.people["Trưởng phòng"], period=world.period)


def test_off_by_default_criterion_d_follows_the_subordinates(world):
    """The default framework writes no plan setting and d stays the subordinates' rule."""
    assert "plan_fulfilment" not in str(DECREE_335_DEFAULT.to_dict())
    score_period(world.period)
    row = head_score(world)
    assert row.unit_results in (Decimal("100.00"), Decimal("50.00"))
    assert "plan" not in row.explanation
    text = " ".join(render_steps(row.explanation["steps"]))
    assert "kế hoạch công tác" not in text


def test_a_leader_whose_framework_turns_it_on_gets_d_from_the_plan(world):
    use_plan_fulfilment()
    score_period(world.period)
    row = head_score(world)
    # 2 of 5 items completed: d = 100 % × 40 % = 40 %.
    assert row.unit_results == Decimal("40.00")
    assert row.explanation["plan"] == {
        "plans": [f"{PLAN_TITLE} (tháng 03/2026)"],
        "done": 2,
        "total": 5,
    }
    text = render_steps(row.explanation["steps"])
    assert (
        "Tiêu chí d theo kết quả thực hiện kế hoạch công tác của đơn vị (Kế hoạch của UBND tỉnh "
        f"Đắk Lắk, mục III.3): {PLAN_TITLE} (tháng 03/2026) — hoàn thành 2/5 mục (40,00%) → "
        "d = 100,00% × 40,00% = 40,00%."
    ) in text
    # The staff are scored as before (the option is the leader's criterion only).
    staff = PeriodScore.objects.get(
        civil_servant=world.people["Chuyên viên 1"], period=world.period
    )
    assert staff.unit_results is None


def test_a_unit_without_an_approved_plan_falls_back_to_the_subordinates(world):
    use_plan_fulfilment()
    WorkPlan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.SUBMITTED)
    score_period(world.period)
    row = head_score(world)
    assert row.unit_results in (Decimal("100.00"), Decimal("50.00"))
    assert "plan" not in row.explanation


REASON = "Thay đổi kết quả thực hiện kế hoạch công tác của đơn vị"


def leader_runs(world):
    head = world.people["Trưởng phòng"].pk
    return [run for run in ScoringRun.objects.all() if head in (run.people or [])]


def test_a_change_of_fulfilment_rescores_the_leader(world, django_capture_on_commit_callbacks):
    use_plan_fulfilment()
    score_period(world.period)
    assert head_score(world).unit_results == Decimal("40.00")
    ScoringRun.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        line = world.plan_lines[2]
        line.completed_quantity = line.assigned_quantity
        line.save()
    assert leader_runs(world)
    row = head_score(world)
    assert row.unit_results == Decimal("60.00")
    assert any("hoàn thành 3/5 mục (60,00%)" in t for t in render_steps(row.explanation["steps"]))


def test_an_item_removed_from_the_plan_rescores_the_leader(
    world, django_capture_on_commit_callbacks
):
    """Nobody's own inputs change: only the plan's fulfilment (2 of 4 items now)."""
    use_plan_fulfilment()
    score_period(world.period)
    ScoringRun.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        world.plan.items.get(sort_order=5).delete()
    assert [run.reason for run in leader_runs(world)] == [REASON]
    assert head_score(world).unit_results == Decimal("50.00")


def test_the_leaders_hash_covers_the_plan_only_when_the_option_is_on(world):
    """Off: the plan's changes leave the leader's stored hash alone (no stored score changes)."""
    score_period(world.period)
    before = head_score(world).inputs_hash
    with rescoring.paused():
        world.plan.items.get(sort_order=5).delete()
    score_period(world.period)
    assert head_score(world).inputs_hash == before


def test_a_plan_approved_rescores_the_leader(world, django_capture_on_commit_callbacks):
    use_plan_fulfilment()
    WorkPlan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.SUBMITTED)
    score_period(world.period)
    assert "plan" not in head_score(world).explanation
    ScoringRun.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        plan = WorkPlan.objects.get(pk=world.plan.pk)
        plan.status = PlanStatus.APPROVED
        plan.save(update_fields=["status"])
    assert [run.reason for run in leader_runs(world)] == [REASON]
    assert head_score(world).unit_results == Decimal("40.00")
