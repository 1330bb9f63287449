"""An agency's standing against a milestone, on both sides of the due date, derived from the
catalog workflow and versions, from criteria framework assignments, or recorded by hand."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import TaskState, WorkflowState

from catalog_pages.models import AgencyCatalogPage, CatalogVersion
from oversight.models import MilestoneKind
from oversight.services import providers
from oversight.services.milestones import (
    APPRAISED,
    APPROVED,
    OVERDUE,
    PENDING,
    SUBMITTED,
    agency_milestones,
    board,
)
from tests.factories import (
    AgencyFactory,
    CommuneFactory,
    JobPositionFactory,
    MilestoneFactory,
    MilestoneRecordFactory,
    basic_items,
)

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 3, 5)


def _status(milestone, agency, today):
    return next(s for s in board(milestone, today=today) if s.agency == agency)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


def test_nothing_submitted_is_pending_on_the_due_date_and_late_the_day_after(province):
    milestone = MilestoneFactory(due_date=DUE)
    on_the_day = _status(milestone, province.justice, DUE)
    assert (on_the_day.state, on_the_day.late, on_the_day.days_left) == (PENDING, False, 0)
    after = _status(milestone, province.justice, DUE + datetime.timedelta(days=1))
    assert (after.state, after.late, after.days_left) == (OVERDUE, True, -1)


def test_hand_record_on_the_due_date_is_on_time_and_the_day_after_late(province):
    milestone = MilestoneFactory(due_date=DUE)
    MilestoneRecordFactory(milestone=milestone, agency=province.justice, submitted_on=DUE)
    MilestoneRecordFactory(
        milestone=milestone,
        agency=province.health,
        submitted_on=DUE + datetime.timedelta(days=1),
        appraised_on=DUE + datetime.timedelta(days=3),
    )
    today = datetime.date(2026, 4, 1)
    justice = _status(milestone, province.justice, today)
    health = _status(milestone, province.health, today)
    assert (justice.state, justice.late, justice.source) == (SUBMITTED, False, "hand")
    assert (health.state, health.late) == (APPRAISED, True)
    assert "nộp muộn" in health.label


def test_milestone_binds_only_its_kinds_of_agency(province):
    milestone = MilestoneFactory(agency_kinds=["commune"])
    assert [s.agency for s in board(milestone, today=DUE)] == [province.commune]
    assert agency_milestones(province.justice, 2026, DUE) == []
    assert [s.milestone for s in agency_milestones(province.commune, 2026, DUE)] == [milestone]


def _submit_and_approve(page, editor, approver, submitted: datetime.date, approved=None):
    page = page.get_latest_revision_as_object()
    page.items = basic_items(JobPositionFactory(code="CV-PC"))
    page.approval_ref = "12/QĐ-UBND"
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    page = AgencyCatalogPage.objects.get(pk=page.pk)
    WorkflowState.objects.filter(object_id=str(page.pk)).update(created_at=_at(submitted))
    if approved is None:
        return
    state = page.current_workflow_state.current_task_state
    state.task.specific.on_action(state, approver, "approve")
    TaskState.objects.filter(workflow_state__object_id=str(page.pk)).update(
        finished_at=_at(approved)
    )
    CatalogVersion.objects.filter(agency=page.agency).update(approved_at=_at(approved))


def test_catalog_dates_come_from_the_workflow_and_the_version(province):
    milestone = MilestoneFactory(kind=MilestoneKind.CATALOG, due_date=DUE)
    justice = AgencyCatalogPage.objects.get(agency=province.justice)
    health = AgencyCatalogPage.objects.get(agency=province.health)
    editor = province.sonoivu
    _submit_and_approve(justice, editor, province.sonoivu, DUE, approved=datetime.date(2026, 3, 12))
    _submit_and_approve(health, editor, province.sonoivu, DUE + datetime.timedelta(days=2))
    today = datetime.date(2026, 3, 20)
    approved = _status(milestone, province.justice, today)
    assert (approved.state, approved.late, approved.source) == (APPROVED, False, "software")
    assert approved.submitted_on == DUE
    assert approved.approved_on == approved.appraised_on == datetime.date(2026, 3, 12)
    assert approved.decision_ref == "12/QĐ-UBND"
    assert approved.appraised_by
    waiting = _status(milestone, province.health, today)
    assert (waiting.state, waiting.late) == (SUBMITTED, True)
    assert waiting.approved_on is None
    nothing = _status(milestone, province.commune, today)
    assert (nothing.state, nothing.late) == (OVERDUE, True)


def test_a_catalog_approved_before_the_milestone_opened_does_not_count(province):
    milestone = MilestoneFactory(kind=MilestoneKind.CATALOG, due_date=DUE, year=2026)
    page = AgencyCatalogPage.objects.get(agency=province.justice)
    _submit_and_approve(
        page,
        province.sonoivu,
        province.sonoivu,
        datetime.date(2025, 11, 2),
        approved=datetime.date(2025, 11, 20),
    )
    assert _status(milestone, province.justice, DUE).state == PENDING


def test_a_date_recorded_by_hand_wins_over_the_derived_one(province):
    milestone = MilestoneFactory(kind=MilestoneKind.CATALOG, due_date=DUE)
    page = AgencyCatalogPage.objects.get(agency=province.justice)
    late = DUE + datetime.timedelta(days=10)
    _submit_and_approve(page, province.sonoivu, province.sonoivu, late, approved=late)
    assert _status(milestone, province.justice, late).late
    MilestoneRecordFactory(
        milestone=milestone,
        agency=province.justice,
        submitted_on=DUE - datetime.timedelta(days=1),
        submission_ref="15/STP-VP",
    )
    status = _status(milestone, province.justice, late)
    assert (status.state, status.late, status.source) == (APPROVED, False, "both")
    assert status.submission_ref == "15/STP-VP"


def test_criteria_framework_approval_comes_from_its_assignment(province):
    from scoring.models import CriteriaFramework, FrameworkAssignment

    milestone = MilestoneFactory(kind=MilestoneKind.CRITERIA_FRAMEWORK, due_date=DUE)
    framework = CriteriaFramework.objects.first()
    assert framework is not None, "the migrations install the decree's frameworks"
    FrameworkAssignment.objects.create(
        framework=framework,
        agency=province.health,
        effective_from=datetime.date(2026, 3, 1),
        decision_ref="9/QĐ-UBND",
    )
    status = _status(milestone, province.health, DUE)
    assert (status.state, status.approved_on, status.decision_ref) == (
        APPROVED,
        datetime.date(2026, 3, 1),
        "9/QĐ-UBND",
    )


def test_a_provider_can_be_plugged_in_for_a_kind(province, monkeypatch):
    milestone = MilestoneFactory(kind=MilestoneKind.JOB_DESCRIPTION, due_date=DUE)
    monkeypatch.setitem(
        providers.PROVIDERS,
        MilestoneKind.JOB_DESCRIPTION.value,
        lambda m, ids: {province.health.pk: providers.Dates(submitted_on=DUE)},
    )
    assert _status(milestone, province.health, DUE).state == SUBMITTED
    assert _status(milestone, province.justice, DUE).state == PENDING


@pytest.mark.parametrize("kind", [MilestoneKind.CATALOG, MilestoneKind.CRITERIA_FRAMEWORK])
def test_fixed_number_of_queries_whatever_the_number_of_agencies(province, kind):
    milestone = MilestoneFactory(kind=kind, due_date=DUE)

    def count():
        with CaptureQueriesContext(connection) as queries:
            board(milestone, today=DUE)
        return len(queries)

    few = count()
    for n in range(8):
        agency = AgencyFactory(parent=province.root, code=f"S{n}")
        MilestoneRecordFactory(milestone=milestone, agency=agency, submitted_on=DUE)
        CommuneFactory(parent=province.root, code=f"X{n}")
    assert count() == few
