"""Scoring agencies and units: bottom-up order, sub-unit ratings feeding the parent's
"no direct sub-unit not completed" condition, provenance, idempotent recompute."""

import datetime
from decimal import Decimal

import pytest

from org_scoring.frameworks import organisation_framework
from org_scoring.models import OrganisationGeneralMark, OrganisationScore, OrganisationTask
from org_scoring.services import (
    score_agency,
    score_organisations,
    stored_score,
)
from ratings.services.cases import open_agency_case
from ratings.services.frameworks import rules_for_case
from scoring.engine import ENGINE_VERSION, framework_problems
from scoring.engine.fingerprint import inputs_fingerprint
from scoring.models import CriteriaFramework
from tests.factories.org_scoring import (
    YEAR,
    OrganisationDisqualificationFactory,
    OrganisationShortcomingFactory,
    marks,
    tasks,
)

pytestmark = pytest.mark.django_db


def row(agency):
    return OrganisationScore.objects.get(agency=agency, year=YEAR)


def test_sub_units_are_scored_before_their_parent(world):
    report = score_organisations(YEAR)
    position = {pk: i for i, pk in enumerate(report.order)}
    assert position[world.unit.pk] < position[world.department.pk]
    assert position[world.unit2.pk] < position[world.department.pk]
    assert world.province.pk not in position  # the province is not rated as an organisation
    assert report.agencies == 4 and report.written == 4


def test_score_arithmetic_and_explanation(world):
    world.complete(world.unit, "on_time", "exceeded", "late:2")
    score_organisations(YEAR)
    score = row(world.unit)
    # (100 + 100 + 50) / 3 = 83.33 % → 58.33 points; 30 general → 88.33; a late share of 1/3
    # exceeds 20 %, so no level's conditions hold; no "not completed" case of Gia Lai §III.3.d
    # applies either, so the default fall-through gives the lowest level (review C17, W4).
    assert score.scored
    assert (score.general_points, score.task_percent, score.task_points, score.score) == (
        Decimal("30.00"),
        Decimal("83.33"),
        Decimal("58.33"),
        Decimal("88.33"),
    )
    assert (score.score_rating, score.rating) == ("good", "completed")
    assert score.result["failed_conditions"]["completed"] == ["late_share_exceeded"]
    assert score.result["fall_through"] == "lowest_level"
    assert score.result["not_completed_reasons"] == []
    codes = [step["code"] for step in score.explanation]
    assert codes[:3] == ["org_task", "org_task", "org_task"]
    assert {"org_task_counts", "org_score", "org_level_check", "final_rating"} <= set(codes)


def test_a_sub_unit_not_completed_keeps_the_parent_from_excellent(world):
    world.complete(world.unit, "exceeded", "exceeded", "on_time")
    world.complete(world.unit2, "on_time", "not_done", "not_done", "on_time")  # 50 % done
    world.complete(world.department, "exceeded", "exceeded", "on_time")
    score_organisations(YEAR)
    assert row(world.unit).rating == "excellent"
    assert row(world.unit2).rating == "not_completed"
    assert row(world.unit2).result["not_completed_reasons"] == ["done_share_below_min"]
    assert row(world.unit2).result["failed_conditions"]["completed"] == ["tasks_not_all_done"]
    department = row(world.department)
    assert department.score == Decimal("100.00")
    assert department.rating == "good"
    assert department.result["failed_conditions"] == {"excellent": ["subunit_not_completed"]}
    assert department.inputs["subunits"] == {
        str(world.unit.pk): {"rating": "excellent", "source": "computed"},
        str(world.unit2.pk): {"rating": "not_completed", "source": "computed"},
    }


def test_a_decided_rating_case_of_a_sub_unit_stands_over_its_computed_rating(world):
    world.complete(world.unit, "exceeded", "exceeded", "on_time")
    world.complete(world.unit2, "exceeded", "exceeded", "on_time")
    world.complete(world.department, "exceeded", "exceeded", "on_time")
    score_organisations(YEAR)
    assert row(world.department).rating == "excellent"
    case, _created = open_agency_case(world.unit2, YEAR)
    case.decision_level, case.state = "not_completed", "decided"
    case.save()  # a decision is recorded for org_scoring on save (ratings.signals)
    report = score_organisations(YEAR)
    assert report.written == 1  # only the department's inputs changed
    department = row(world.department)
    assert department.inputs["subunits"][str(world.unit2.pk)] == {
        "rating": "not_completed",
        "source": "decision",
    }
    assert department.rating == "good"


def test_provenance_is_stored(world):
    world.complete(world.unit)
    score_organisations(YEAR)
    score = row(world.unit)
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    assert score.framework_id == framework.pk
    assert score.framework_revision_id == framework.live_revision_id
    assert score.inputs["framework_revision"] == framework.live_revision_id
    assert score.engine_version == ENGINE_VERSION
    assert score.inputs_hash == inputs_fingerprint(score.inputs)
    assert len(score.inputs["tasks"]) == 3 and score.inputs["general"]["G.1"] == "7.5"
    assert score.result["score"] == "100.00" and score.computed_at is not None


def test_recomputing_unchanged_inputs_writes_nothing(world):
    world.complete(world.unit)
    score_organisations(YEAR)
    before = row(world.unit)
    report = score_organisations(YEAR)
    assert report.written == 0 and report.unchanged == report.agencies
    after = row(world.unit)
    assert (after.computed_at, after.inputs_hash) == (before.computed_at, before.inputs_hash)


def test_a_changed_input_gives_a_new_score(world):
    world.complete(world.unit, "on_time", "on_time", "on_time", "on_time", "on_time")
    score_organisations(YEAR)
    before = row(world.unit)
    task = OrganisationTask.objects.filter(agency=world.unit).first()
    task.outcome, task.delays = "late", 1
    task.completed_on = task.deadline + datetime.timedelta(days=3)
    task.save()
    report = score_organisations(YEAR)
    after = row(world.unit)
    assert report.written == 2  # the unit, and its parent whose sub-unit rating changed
    assert after.inputs_hash != before.inputs_hash and after.computed_at > before.computed_at
    # (75 + 4 × 100) / 5 = 95 % → 66.50 + 30; one late task in five (20 %) is "completed".
    assert after.score == Decimal("96.50") and after.rating == "completed"


def test_pending_tasks_are_stored_but_not_scored(world):
    world.complete(world.unit, "on_time", "pending", "exceeded")
    score_organisations(YEAR, as_of=datetime.date(YEAR, 6, 30))  # due today: not overdue
    score = row(world.unit)
    assert score.result["counts"]["total"] == 2
    assert len(score.inputs["pending_tasks"]) == 1
    assert score.inputs["overdue_unreported"] == []


def test_u8_overdue_unreported_tasks_count_as_not_done_by_default(world):
    """U8 [inferred] Gia Lai §III.3.d ("< 70 % of the year's tasks"): a task past its deadline
    with no reported outcome counts as not done (organisation.overdue_unreported = not_done),
    so an agency cannot escape the 70 % rule by not reporting."""
    world.complete(world.unit, "on_time", "pending", "pending", "exceeded")
    pending = list(OrganisationTask.objects.filter(agency=world.unit, outcome="pending"))
    score_organisations(YEAR, as_of=datetime.date(YEAR, 7, 1))  # both due 30/06
    score = row(world.unit)
    assert score.result["counts"]["total"] == 4
    assert score.result["counts"]["not_done"] == 2
    assert sorted(score.inputs["overdue_unreported"]) == sorted(t.pk for t in pending)
    assert score.inputs["pending_tasks"] == []
    assert score.inputs["rules"]["overdue_unreported"] == "not_done"
    # 2 of 4 done (50 % < 70 %): a Gia Lai §III.3.d case, with its reason.
    assert score.rating == "not_completed"
    assert score.result["not_completed_reasons"] == ["done_share_below_min"]


def test_u8_overdue_unreported_tasks_can_be_left_out_by_the_framework(world):
    """U8: with organisation.overdue_unreported = excluded the overdue task is left out, like
    one not yet due (the former behaviour)."""
    import dataclasses

    from org_scoring.frameworks import OrganisationFramework
    from org_scoring.services.inputs import YearInputs, build
    from scoring.engine import DECREE_335_DEFAULT

    world.complete(world.unit, "on_time", "pending", "exceeded")
    organisation = DECREE_335_DEFAULT.organisation
    rules = dataclasses.replace(
        DECREE_335_DEFAULT,
        organisation=dataclasses.replace(
            organisation,
            overdue_unreported=dataclasses.replace(
                organisation.overdue_unreported, value="excluded"
            ),
        ),
    )
    assert framework_problems(rules) == []
    data = YearInputs.load(YEAR, [world.unit.pk])
    after = datetime.date(YEAR, 7, 1)
    document, inp = build(data, world.unit.pk, OrganisationFramework(rules=rules), {}, after)
    assert [t.outcome for t in inp.tasks] == ["on_time", "exceeded"]
    assert len(document["pending_tasks"]) == 1 and len(document["overdue_unreported"]) == 1
    assert document["rules"]["overdue_unreported"] == "excluded"
    default = OrganisationFramework(rules=DECREE_335_DEFAULT)
    document, inp = build(data, world.unit.pk, default, {}, after)
    assert sorted(t.outcome for t in inp.tasks) == ["exceeded", "not_done", "on_time"]


def test_missing_marks_or_tasks_leave_the_agency_not_scored_with_reasons(world):
    tasks(world.unit, "on_time")
    marks(world.unit2)
    score_organisations(YEAR)
    unit, unit2 = row(world.unit), row(world.unit2)
    assert not unit.scored and unit.score is None and unit.rating == ""
    assert unit.input_errors["general"] == "Thiếu thông tin bắt buộc."
    assert not unit2.scored
    assert "Chưa có nhiệm vụ nào đã đến hạn" in unit2.input_errors["tasks"]
    assert stored_score(world.unit, YEAR) is None
    # A sub-unit that could not be scored is listed as unrated, not counted.
    assert set(row(world.department).inputs["subunits_unrated"]) == {world.unit.pk, world.unit2.pk}


def test_the_appraised_mark_counts(world):
    marks(world.unit, "7.5", appraised="5")
    tasks(world.unit, "on_time")
    score_organisations(YEAR)
    assert row(world.unit).general_points == Decimal("20.00")
    assert row(world.unit).inputs["marks"]["G.1"] == {"self": "7.5", "appraised": "5"}


def test_u7_a_self_mark_alone_leaves_the_organisation_not_scored_until_appraised(world):
    """Review U7 for organisations (Gia Lai §III.4.b: the appraised result counts; option
    ``marks.self_mark_without_evaluator`` [inferred], default ``not_scored``): an agency's
    unappraised self-marks of 30/30 are not its score; the stated reason names the criteria."""
    marks(world.unit, "7.5", appraised=None)
    tasks(world.unit, "on_time")
    score_organisations(YEAR)
    unit = row(world.unit)
    assert not unit.scored and unit.score is None and unit.rating == ""
    assert unit.inputs["unappraised"] == ["G.1", "G.2", "G.3", "G.4"]
    assert unit.inputs["rules"]["self_mark_without_evaluator"] == "not_scored"
    assert unit.result["explanation"][-1] == {
        "code": "org_not_scored",
        "reason": "awaiting_evaluator",
        "marks": ["G.1", "G.2", "G.3", "G.4"],
    }
    assert "chưa được cơ quan thẩm định chấm" in unit.input_errors["general"]
    assert stored_score(world.unit, YEAR) is None
    # Once the appraiser marks (even one criterion left self-marked still waits), it is scored.
    for mark in OrganisationGeneralMark.objects.filter(agency=world.unit):
        mark.appraised_mark = Decimal("7") if mark.criterion != "G.4" else None
        mark.save()
    score_organisations(YEAR)
    assert not row(world.unit).scored and row(world.unit).inputs["unappraised"] == ["G.4"]
    OrganisationGeneralMark.objects.filter(agency=world.unit, criterion="G.4").update(
        appraised_mark=Decimal("7")
    )
    score_organisations(YEAR)
    unit = row(world.unit)
    assert unit.scored and unit.general_points == Decimal("28.00") and unit.input_errors == {}


def test_u7_counts_option_takes_the_self_mark(world):
    """With ``marks.self_mark_without_evaluator = counts`` the self-mark stands (the former
    behaviour)."""
    import dataclasses

    from org_scoring.frameworks import OrganisationFramework
    from org_scoring.services.inputs import YearInputs, build
    from scoring.engine import DECREE_335_DEFAULT, Choice, MarksRule, score_organisation

    marks(world.unit, "7.5", appraised=None)
    tasks(world.unit, "on_time")
    rules = dataclasses.replace(
        DECREE_335_DEFAULT, marks=MarksRule(self_mark_without_evaluator=Choice("counts"))
    )
    data = YearInputs.load(YEAR, [world.unit.pk])
    day = datetime.date(YEAR, 12, 31)
    document, inp = build(data, world.unit.pk, OrganisationFramework(rules=rules), {}, day)
    assert document["rules"]["self_mark_without_evaluator"] == "counts"
    assert document["unappraised"] == ["G.1", "G.2", "G.3", "G.4"]
    result = score_organisation(inp, rules)
    assert result.scored and result.general_points == Decimal("30.00")
    assert not score_organisation(inp, DECREE_335_DEFAULT).scored


def test_open_shortcomings_and_conclusions(world):
    world.complete(world.unit, "exceeded", "exceeded", "on_time")
    OrganisationShortcomingFactory(agency=world.unit)
    score_organisations(YEAR)
    assert row(world.unit).rating == "good"
    assert row(world.unit).result["failed_conditions"]["excellent"] == ["shortcomings_not_remedied"]
    OrganisationDisqualificationFactory(agency=world.unit)
    score_organisations(YEAR)
    assert row(world.unit).rating == "not_completed"
    assert row(world.unit).result["not_completed_reasons"] == ["personnel_work_violation"]


def test_one_agency_is_scored_after_its_sub_units_and_before_the_agencies_above(world):
    world.complete(world.unit)
    world.complete(world.other)
    score = score_agency(world.department, YEAR)
    assert score.agency == world.department
    assert set(OrganisationScore.objects.values_list("agency__code", flat=True)) == {
        "STN",
        "STN-P1",
        "STN-P2",
    }
    score_agency(world.unit, YEAR)  # a unit: itself, then its department
    assert OrganisationScore.objects.count() == 3


def test_the_rating_case_and_the_stored_score_use_the_same_framework(world):
    case, _created = open_agency_case(world.unit, YEAR)
    resolved = organisation_framework(world.unit, YEAR)
    assert rules_for_case(case) is resolved.rules
    assert resolved.framework_id is not None
    # Before the default framework is in force (01/01/2026): the engine's defaults, no row.
    earlier = organisation_framework(world.unit, YEAR - 1)
    assert earlier.framework_id is None and earlier.revision_id is None
    marks(world.unit, year=YEAR - 1)
    tasks(world.unit, "on_time", year=YEAR - 1)
    score_organisations(YEAR - 1)
    old = OrganisationScore.objects.get(agency=world.unit, year=YEAR - 1)
    assert old.scored and old.framework_id is None and old.framework_revision_id is None
