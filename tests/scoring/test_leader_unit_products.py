"""A leader's a, b, c and the products of the people in their charge (issue 13 item 5, W5).

Decree 335 Art. 15 cl. 1-3 [confirmed]: a leader's tasks are those performed directly AND the
directing, organising, guiding, inspecting and supervising of the products of the civil
servants in their charge; d, đ and e come on top. Framework option ``task_method.leader_lines``
[inferred], default ``own_and_charge``: own lines plus the lines of the people in the charge
(the scope of criterion d: a head's subtree, a deputy's charge), each person once.
``own_only`` is the old behaviour — a leader with no lines is "not scored", with the reason
stated in the explanation, never silently.
"""

import copy
from decimal import Decimal

import pytest

from org.models import DeputyCharge, LeadershipRole
from scoring.engine import DECREE_335_DEFAULT, framework_problems, parse_framework
from scoring.explain import render_steps
from scoring.models import CriteriaFramework, PeriodScore
from scoring.services import score_period, score_person
from scoring.services.explain_data import explain_context
from tests.factories import UnitFactory, post
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


def use_leader_lines(value: str) -> None:
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    rules = copy.deepcopy(framework.live_revision.content["rules"])
    rules["task_method"]["leader_lines"] = {"value": value, "citation": "Kế hoạch của tỉnh"}
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()


def stored(world, name) -> PeriodScore:
    return PeriodScore.objects.get(civil_servant=world.people[name], period=world.period)


@pytest.fixture
def unit():
    """C12: a unit head with no own lines, general 30, đ = e = 100; two staff with lines."""
    world = build_world()
    head = world.person("Trưởng phòng", role=LeadershipRole.HEAD)
    world.marks(head, 30)
    world.leader_marks(head, 100, 100)
    first, second = world.person("Chuyên viên 1"), world.person("Chuyên viên 2")
    world.line(first, "X", 4, 4)
    world.line(second, "X", 4, 2)
    world.marks(first, 27)
    world.marks(second, 27)
    return world


def test_c12_a_head_with_no_own_lines_is_scored_from_the_units_products(unit):
    """C12, Art. 15 cl. 1-3 [confirmed]: role head, no lines, general 30, d = đ = e = 100 →
    a score, not "not scored". a = b = c = 6/8 = 75 % from the unit's products."""
    score_period(unit.period)
    row = stored(unit, "Trưởng phòng")
    assert row.scored and not row.input_errors
    assert (row.quantity, row.quality, row.timeliness) == (Decimal("75.00"),) * 3
    assert (row.unit_results, row.organising, row.cohesion) == (Decimal("100.00"),) * 3
    # (75 × 3 + 100 × 3) / 6 = 87.5 % → 61.25 task points + 30 general.
    assert row.task_points == Decimal("61.25") and row.total == Decimal("91.25")
    staff = {unit.people["Chuyên viên 1"].pk, unit.people["Chuyên viên 2"].pk}
    entries = row.explanation["unit_lines"]
    assert {entry[0] for entry in entries} == staff
    assert [(e[2], e[3]) for e in sorted(entries)] == [("4.00", "4.00"), ("4.00", "2.00")]
    assert row.explanation["lines"] == []
    text = render_steps(row.explanation["steps"])
    assert any("0 dòng sản phẩm của bản thân và 2 dòng sản phẩm của 2 công chức" in t for t in text)


def test_own_lines_and_the_charges_lines_are_blended(unit):
    """Art. 15 cl. 1-2: the head's directly performed products count with the unit's."""
    unit.line(unit.people["Trưởng phòng"], "X", 2, 0)
    score_period(unit.period)
    row = stored(unit, "Trưởng phòng")
    assert row.quantity == Decimal("60.00")  # (0 + 4 + 2) / (2 + 4 + 4)
    assert len(row.explanation["lines"]) == 1 and len(row.explanation["unit_lines"]) == 2


def test_own_only_keeps_the_old_reading_with_an_explicit_reason(unit):
    """Option ``own_only``: a leader with no own lines is not scored — and the stored
    explanation says why (Art. 15, never silent)."""
    use_leader_lines("own_only")
    score_period(unit.period)
    row = stored(unit, "Trưởng phòng")
    assert not row.scored and row.total is None
    assert row.explanation["unit_lines"] == []
    codes = [s["code"] for s in row.explanation["steps"]]
    assert "leader_not_scored" in codes
    text = " ".join(render_steps(row.explanation["steps"]))
    assert "khung tiêu chí chỉ tính sản phẩm của bản thân" in text


def test_charge_when_no_own_uses_the_unit_only_for_a_leader_without_lines(unit):
    """Option ``charge_when_no_own``: own lines when there are any, else the charge's."""
    use_leader_lines("charge_when_no_own")
    score_period(unit.period)
    assert stored(unit, "Trưởng phòng").quantity == Decimal("75.00")
    unit.line(unit.people["Trưởng phòng"], "X", 2, 1)
    score_period(unit.period)
    row = stored(unit, "Trưởng phòng")
    assert row.quantity == Decimal("50.00") and row.explanation["unit_lines"] == []


def test_a_leader_and_a_charge_with_no_products_are_not_scored_with_the_reason(unit):
    for person in unit.people.values():
        person.assignment_lines.all().delete()
    score_period(unit.period)
    row = stored(unit, "Trưởng phòng")
    assert not row.scored
    text = " ".join(render_steps(row.explanation["steps"]))
    assert "Lãnh đạo và công chức thuộc phạm vi phụ trách không có sản phẩm" in text


def test_a_deputy_counts_the_units_of_their_charge_only(unit):
    """Art. 15 (deputies "within the scope of the tasks and fields assigned to them"): the
    deputy's lines come from the units of their DeputyCharge, like criterion d."""
    other = UnitFactory(parent=unit.department, code="SNV-P9", name="Phòng khác")
    outsider = unit.person("Chuyên viên phòng khác", agency=other)
    unit.line(outsider, "X", 10, 0, unit=other)
    unit.marks(outsider, 27)
    deputy = unit.person("Phó Giám đốc", agency=unit.department, role=LeadershipRole.DEPUTY)
    unit.marks(deputy, 30)
    unit.leader_marks(deputy)
    charge = DeputyCharge.objects.create(deputy=deputy, start_date=unit.period.start_date)
    charge.units.add(unit.unit)
    charge.save()  # parental many-to-many relations are written on save
    score_period(unit.period)
    row = stored(unit, "Phó Giám đốc")
    assert row.scored and row.quantity == Decimal("75.00")
    assert outsider.pk not in {entry[0] for entry in row.explanation["unit_lines"]}
    # The director heads the whole department: everyone's lines, the deputy's none (no lines).
    director = unit.person("Giám đốc", agency=unit.department, role=LeadershipRole.HEAD)
    unit.marks(director, 30)
    unit.leader_marks(director)
    score_period(unit.period)
    assert stored(unit, "Giám đốc").quantity == Decimal("33.33")  # 6 / 18


def test_each_persons_products_are_counted_once(unit):
    """A person reached through two headed units (a concurrent headship) counts once."""
    nested = UnitFactory(parent=unit.unit, code="SNV-P1-T1", name="Tổ một cửa")
    member = unit.person("Chuyên viên tổ", agency=nested)
    unit.line(member, "X", 2, 2, unit=nested)
    unit.marks(member, 27)
    post(nested, role=LeadershipRole.HEAD, person=unit.people["Trưởng phòng"], is_concurrent=True)
    score_period(unit.period)
    row = stored(unit, "Trưởng phòng")
    people = [entry[0] for entry in row.explanation["unit_lines"]]
    assert len(people) == len(set(people)) == 3
    assert row.quantity == Decimal("80.00")  # (4 + 2 + 2) / (4 + 4 + 2)


def test_a_subordinates_line_change_rescores_the_leader(unit):
    """rescoring cascade (score_person → leaders_counting): a staff line change that leaves
    the staff rating unchanged still rescores the head whose a, b, c include that line."""
    score_period(unit.period)
    assert stored(unit, "Trưởng phòng").quantity == Decimal("75.00")
    second = unit.people["Chuyên viên 2"]
    line = second.assignment_lines.get()
    line.completed_quantity = Decimal(3)
    line.save()
    score_person(second, unit.period)
    assert stored(unit, "Trưởng phòng").quantity == Decimal("87.50")


def test_the_explain_page_lists_whose_lines_joined(unit):
    score_period(unit.period)
    context = explain_context(stored(unit, "Trưởng phòng"))
    names = {entry["person"].full_name for entry in context["unit_lines"]}
    assert names == {"Chuyên viên 1", "Chuyên viên 2"}
    assert {entry["completed"] for entry in context["unit_lines"]} == {"4,00", "2,00"}
    assert not context["inputs_changed"]


def test_the_option_is_validated_and_shown_on_the_rules_page():
    from scoring.framework_display import rules_context

    data = copy.deepcopy(DECREE_335_DEFAULT.to_dict())
    assert data["task_method"]["leader_lines"]["value"] == "own_and_charge"
    assert data["task_method"]["leader_lines"]["confidence"] == "inferred"
    rows = {row["code"]: row for row in rules_context(data)["options"]}
    assert "Điều 15" in rows["task_method.leader_lines"]["citation"]
    data["task_method"]["leader_lines"] = "all_of_them"
    assert "framework.task_method.leader_lines.value" in " ".join(
        framework_problems(parse_framework(data))
    )
