"""Reviewing: returns and delays move the line counters exactly once; exemptions need a reason;
logging late with a confirmed real completion date is not a delay."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import PermissionDenied, ValidationError

from scoring.models import AssignmentLine, Deduction, DeductionKind
from tests.worklog.helpers import TODAY
from worklog.models import ReviewEvent, ReviewOutcome, WorkItem, WorkStatus
from worklog.services.progress import EvidenceInput, submit_completion, update_progress
from worklog.services.review import Exemption, accept, return_for_rework

pytestmark = pytest.mark.django_db
D = datetime.date
DEADLINE = D(2026, 3, 20)


@pytest.fixture
def line(world):
    return world.line(deadline=DEADLINE)


def counters(line):
    fresh = AssignmentLine.objects.get(pk=line.pk)
    return fresh.failed_reviews, fresh.delays


def work(line):
    return WorkItem.objects.get(line=line)


def test_returns_count_once_per_round_even_on_double_submit(world, line):
    leader = world.users["truong"]
    world.submit(line)
    first = return_for_rework(leader, line, round_number=1, comment="Thiếu số liệu", today=TODAY)
    again = return_for_rework(leader, line, round_number=1, comment="Thiếu số liệu", today=TODAY)
    assert first.pk == again.pk
    assert counters(line) == (1, 0)
    deduction = Deduction.objects.get(line=line)
    assert (deduction.kind, deduction.recorded_by, deduction.note) == (
        DeductionKind.REVIEW,
        leader,
        "Thiếu số liệu",
    )
    assert work(line).status == WorkStatus.RETURNED
    # Resubmitted and returned again: a second failed review.
    world.submit(line)
    return_for_rework(leader, line, round_number=2, comment="Vẫn sai biểu 2", today=TODAY)
    assert counters(line) == (2, 0)
    # Then accepted (twice, by a double click): no further change.
    world.submit(line)
    accepted = accept(leader, line, round_number=3, confirmed_on=TODAY, today=TODAY)
    accept(leader, line, round_number=3, confirmed_on=TODAY, today=TODAY)
    assert accepted.outcome == ReviewOutcome.ACCEPTED
    assert counters(line) == (2, 0)
    assert ReviewEvent.objects.filter(work__line=line).count() == 3
    fresh = AssignmentLine.objects.get(pk=line.pk)
    assert (fresh.completed_quantity, fresh.completed_on) == (Decimal(1), TODAY)


def test_stale_round_is_refused(world, line):
    world.submit(line)
    with pytest.raises(ValidationError):
        return_for_rework(world.users["truong"], line, round_number=2, comment="x", today=TODAY)
    assert counters(line) == (0, 0)


def test_return_needs_a_comment(world, line):
    world.submit(line)
    with pytest.raises(ValidationError):
        return_for_rework(world.users["truong"], line, round_number=1, comment=" ", today=TODAY)


def test_objective_cause_needs_a_reason(world, line):
    world.submit(line)
    leader = world.users["truong"]
    with pytest.raises(ValidationError, match="nguyên nhân khách quan"):
        return_for_rework(
            leader,
            line,
            round_number=1,
            comment="Phải sửa theo văn bản mới",
            today=TODAY,
            exemption=Exemption(granted=True, reason="  "),
        )
    assert counters(line) == (0, 0) and not Deduction.objects.exists()
    return_for_rework(
        leader,
        line,
        round_number=1,
        comment="Phải sửa theo văn bản mới",
        today=TODAY,
        exemption=Exemption(True, "Bộ Nội vụ đổi biểu mẫu ngày 5/3"),
    )
    deduction = Deduction.objects.get(line=line)
    assert counters(line) == (1, 0)
    assert (deduction.exempt, deduction.exempt_by) == (True, leader)
    assert deduction.exempt_reason == "Bộ Nội vụ đổi biểu mẫu ngày 5/3"


def test_late_logging_with_confirmed_date_is_not_a_delay(world, line):
    # Done on 19/3 (before the 20/3 deadline) but logged only on 27/3.
    logged = D(2026, 3, 27)
    world.submit(line, completed_on=D(2026, 3, 19), today=logged)
    accept(world.users["truong"], line, round_number=1, confirmed_on=D(2026, 3, 19), today=logged)
    assert counters(line) == (0, 0)
    assert AssignmentLine.objects.get(pk=line.pk).completed_on == D(2026, 3, 19)
    assert work(line).confirmed_by == world.users["truong"]


def test_confirmed_date_after_deadline_is_one_delay(world, line):
    leader = world.users["truong"]
    world.submit(line, completed_on=D(2026, 3, 19), today=D(2026, 3, 24))
    # The leader corrects the claimed date: the report was really finished on 23/3.
    accept(leader, line, round_number=1, confirmed_on=D(2026, 3, 23), today=D(2026, 3, 24))
    accept(leader, line, round_number=1, confirmed_on=D(2026, 3, 23), today=D(2026, 3, 24))
    assert counters(line) == (0, 1)
    delay = Deduction.objects.get(line=line)
    assert (delay.kind, delay.recorded_by) == (DeductionKind.DELAY, leader)
    assert work(line).delay_deduction == delay


def test_delay_exemption_needs_a_reason(world, line):
    leader = world.users["truong"]
    world.submit(line, completed_on=D(2026, 3, 23), today=D(2026, 3, 24))
    with pytest.raises(ValidationError):
        accept(
            leader,
            line,
            round_number=1,
            confirmed_on=D(2026, 3, 23),
            today=D(2026, 3, 24),
            delay_exemption=Exemption(granted=True),
        )
    assert counters(line) == (0, 0)
    accept(
        leader,
        line,
        round_number=1,
        confirmed_on=D(2026, 3, 23),
        today=D(2026, 3, 24),
        delay_exemption=Exemption(True, "Mất điện diện rộng ngày 20/3"),
    )
    assert counters(line) == (0, 1)
    assert Deduction.objects.get(line=line).exempt


def test_only_the_evaluator_reviews(world, line):
    world.submit(line)
    for key in ("truong2", "nhan", "giamdoc"):
        with pytest.raises(PermissionDenied):
            return_for_rework(world.users[key], line, round_number=1, comment="x", today=TODAY)
        with pytest.raises(PermissionDenied):
            accept(world.users[key], line, round_number=1, confirmed_on=TODAY, today=TODAY)
    assert counters(line) == (0, 0)


def test_only_the_assignee_reports(world, line):
    with pytest.raises(PermissionDenied):
        world.submit(line, person="binh")
    with pytest.raises(PermissionDenied):
        update_progress(world.users["truong"], line, percent=50)


def test_report_rules(world, line):
    user = world.users["nhan"]
    update_progress(user, line, percent=40, note="Đã thu thập số liệu")
    assert work(line).status == WorkStatus.IN_PROGRESS
    with pytest.raises(ValidationError) as error:
        submit_completion(user, line, quantity=Decimal(1), completed_on=TODAY, today=TODAY)
    assert "evidence" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        submit_completion(
            user,
            line,
            quantity=Decimal(1),
            completed_on=D(2026, 3, 11),
            today=TODAY,
            evidence=EvidenceInput(url="https://vb.example.vn/1"),
        )
    assert "completed_on" in error.value.message_dict
    world.submit(line)
    world.submit(line)  # a double submit is a no-op
    assert work(line).round == 1
    assert line.evidence.count() == 1


def test_closed_period_refuses_reports_and_reviews(world, line):
    from scoring.models import PeriodStatus

    world.submit(line)
    period = line.period
    period.status = PeriodStatus.CLOSED
    period.save()
    with pytest.raises(ValidationError):
        return_for_rework(world.users["truong"], line, round_number=1, comment="x", today=TODAY)
    with pytest.raises(ValidationError):
        update_progress(world.users["nhan"], line, percent=10)
    assert counters(line) == (0, 0)


def test_the_review_steps_are_on_the_workflow_kit(world, line):
    """The submit → return / accept flow is ``cms.workflow``'s table (arch.md F2): a submitted
    report offers return and accept; an accepted one offers nothing, and a second review is
    refused with the page's sentence; the acceptance's completion is written by the line
    service (``scoring.services.lines.accept_completion``)."""
    from worklog.services import flow

    leader = world.users["truong"]
    world.submit(line)
    assert {t.action for t in flow.FLOW.available(work(line), leader)} == {
        "return",
        "accept",
        "report",  # a connector's newer report replaces a pending one
    }
    accept(leader, line, round_number=1, confirmed_on=TODAY, today=TODAY)
    assert flow.FLOW.available(work(line), leader) == []
    with pytest.raises(ValidationError) as refused:
        return_for_rework(leader, line, round_number=2, comment="x", today=TODAY)
    assert refused.value.messages == [
        "Báo cáo này đã thay đổi hoặc chưa được gửi; vui lòng tải lại trang."
    ]
    event = ReviewEvent.objects.get(work__line=line)
    assert (event.outcome, event.decided_by, event.round) == (ReviewOutcome.ACCEPTED, leader, 1)
