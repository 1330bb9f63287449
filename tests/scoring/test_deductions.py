"""Recording failed reviews and delays, and exemptions for certified objective causes."""

import pytest

from django.core.exceptions import ValidationError

from scoring.models import AssignmentLine, Deduction, DeductionKind
from scoring.services import grant_exemption, record_deduction, remove_deduction, revoke_exemption
from scoring.services.loading import LineRow, load_lines
from tests.factories import UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def line():
    world = build_world()
    return world.line(world.person("Đặng Thị Trừ"), "X", 4, 4)


def counters(line):
    fresh = AssignmentLine.objects.get(pk=line.pk)
    return fresh.failed_reviews, fresh.delays


def test_each_event_moves_its_counter_exactly_once(line):
    user = UserFactory()
    deduction = record_deduction(
        line, DeductionKind.REVIEW, user=user, note="Sai số liệu", decided_by="test-setup"
    )
    assert counters(line) == (1, 0)
    assert (deduction.recorded_by, deduction.kind, deduction.exempt) == (user, "review", False)
    record_deduction(line, DeductionKind.DELAY, decided_by="test-setup")
    record_deduction(line, DeductionKind.DELAY, decided_by="test-setup")
    assert counters(line) == (1, 2)
    assert Deduction.objects.filter(line=line).count() == 3
    # Saving the line or the row again never touches the counters.
    AssignmentLine.objects.get(pk=line.pk).save()
    deduction.note = "Sai số liệu tổng hợp"
    deduction.save()
    assert counters(line) == (1, 2)
    assert line.failed_reviews == 1  # the passed instance is refreshed


def test_removing_an_event_takes_it_off_the_counter(line):
    deduction = record_deduction(line, DeductionKind.REVIEW, decided_by="test-setup")
    remove_deduction(deduction, decided_by="test-setup")
    assert counters(line) == (0, 0)
    assert not Deduction.objects.exists()


def test_exemption_needs_a_reason(line):
    deduction = record_deduction(line, DeductionKind.REVIEW, decided_by="test-setup")
    for reason in ("", "   ", None):
        with pytest.raises(ValidationError) as exc:
            grant_exemption(deduction, reason=reason, decided_by="test-setup")
        assert "nguyên nhân khách quan" in exc.value.message_dict["exempt_reason"][0]
    deduction.refresh_from_db()
    assert not deduction.exempt
    with pytest.raises(ValidationError):
        Deduction(line=line, kind="review", exempt=True).full_clean()


def test_exemption_is_recorded_with_who_and_when_and_counts_once(line):
    user = UserFactory()
    deduction = record_deduction(line, DeductionKind.REVIEW, decided_by="test-setup")
    record_deduction(line, DeductionKind.REVIEW, decided_by="test-setup")
    exempted = grant_exemption(
        deduction, reason="Thay đổi quy định giữa kỳ", user=user, decided_by="test-setup"
    )
    grant_exemption(
        exempted, reason="Thay đổi quy định giữa kỳ", user=user, decided_by="test-setup"
    )  # idempotent
    assert (exempted.exempt, exempted.exempt_by, exempted.exempt_at is not None) == (
        True,
        user,
        True,
    )
    assert counters(line) == (2, 0)
    [row] = map(LineRow._make, load_lines(line.period).line_rows(line.civil_servant_id))
    assert (row.failed_reviews, row.exempt_reviews) == (2, 1)
    revoke_exemption(exempted, decided_by="test-setup")
    [row] = map(LineRow._make, load_lines(line.period).line_rows(line.civil_servant_id))
    assert row.exempt_reviews == 0


def test_unknown_kind_is_refused(line):
    with pytest.raises(ValidationError):
        record_deduction(line, "absence", decided_by="test-setup")
