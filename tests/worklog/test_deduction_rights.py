"""The deductions service decides "who may" itself (issue 27, item 1): not only its worklog
door. Nguyễn Thị Nhàn's failed reviews and delays are recorded by her evaluator of the line's
period, or by whoever's reach takes the line by its period (her agency's organisation staff) —
never by herself or a colleague, and after her transfer on 01/04/2026 the former head and the
former agency write nothing on her April work and still correct March."""

import datetime

import pytest

from org import write_gate
from org.access import AGENCY_ADMIN_GROUP
from org.models import Posting
from org.roles import ensure_roles
from scoring.models import AssignmentLine, Deduction, DeductionKind, Period
from scoring.services import grant_exemption, record_deduction, remove_deduction
from tests.factories import AgencyAccessFactory, AgencyFactory, PostingFactory, UserFactory
from tests.worklog.helpers import TODAY

pytestmark = pytest.mark.django_db

D = datetime.date(2026, 4, 1)
IN_APRIL = datetime.date(2026, 4, 7)


def failed_reviews(line) -> int:
    return AssignmentLine.objects.get(pk=line.pk).failed_reviews


def test_nobody_records_or_exempts_a_failed_review_on_their_own_work(world):
    line = world.line()
    with pytest.raises(write_gate.Refused) as refused:
        record_deduction(line, DeductionKind.REVIEW, user=world.users["nhan"], today=TODAY)
    assert "trên kết quả của chính mình" in refused.value.message
    assert failed_reviews(line) == 0 and not Deduction.objects.filter(line=line).exists()

    deduction = record_deduction(
        line, DeductionKind.REVIEW, user=world.users["truong"], today=TODAY
    )
    with pytest.raises(write_gate.Refused) as refused:
        grant_exemption(deduction, reason="Mất điện", user=world.users["nhan"], today=TODAY)
    assert "trên kết quả của chính mình" in refused.value.message
    deduction.refresh_from_db()
    assert not deduction.exempt


def test_a_colleague_without_reach_records_nothing(world):
    ensure_roles()
    line = world.line()
    for user in (world.users["binh"], world.users["truong2"], UserFactory(username="ngoai")):
        with pytest.raises(write_gate.Refused) as refused:
            record_deduction(line, DeductionKind.DELAY, user=user, today=TODAY)
        assert "Bạn không có quyền ghi dữ liệu này" in refused.value.message
    assert AssignmentLine.objects.get(pk=line.pk).delays == 0
    deduction = record_deduction(line, DeductionKind.DELAY, user=world.users["truong"])
    with pytest.raises(write_gate.Refused):
        remove_deduction(deduction, user=world.users["binh"])
    assert AssignmentLine.objects.get(pk=line.pk).delays == 1


def test_a_write_without_a_writer_or_a_decision_is_refused(world):
    line = world.line()
    with pytest.raises(write_gate.Refused) as refused:
        record_deduction(line, DeductionKind.REVIEW)
    assert "Chưa rõ ai ghi nhận" in refused.value.message
    record_deduction(line, DeductionKind.REVIEW, decided_by="period-complaint:1")
    assert failed_reviews(line) == 1


@pytest.fixture
def moved_out(world):
    """Nhàn moves to another agency on 01/04: her March line (Phòng Công chức) and April line
    (the new agency)."""
    ensure_roles()
    march = world.line()
    other = AgencyFactory(parent=world.department.parent, code="STC", name="Sở Tài chính thử")
    person = world.people["nhan"]
    Posting.objects.filter(civil_servant=person).update(end_date=D - datetime.timedelta(days=1))
    PostingFactory(civil_servant=person, agency=other, start_date=D)
    april = AssignmentLine.objects.create(
        civil_servant=person,
        period=Period.for_date(D, create=True),
        item=march.item,
        unit=other,
        assigned_quantity=1,
        completed_quantity=1,
    )
    return march, april, other


def test_after_a_transfer_the_former_agency_records_only_before_the_day(world, moved_out):
    march, april, other = moved_out
    clerk = UserFactory(username="quantri.snv", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=clerk, agency=world.department)
    for user in (clerk, world.users["truong"]):
        with pytest.raises(write_gate.Refused) as refused:
            record_deduction(april, DeductionKind.REVIEW, user=user, today=IN_APRIL)
        assert "Bạn không có quyền ghi dữ liệu này" in refused.value.message
    assert failed_reviews(april) == 0

    record_deduction(march, DeductionKind.REVIEW, user=clerk, today=IN_APRIL)
    record_deduction(march, DeductionKind.REVIEW, user=world.users["truong"], today=IN_APRIL)
    assert failed_reviews(march) == 2

    new_clerk = UserFactory(username="quantri.stc", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=new_clerk, agency=other)
    record_deduction(april, DeductionKind.REVIEW, user=new_clerk, today=IN_APRIL)
    assert failed_reviews(april) == 1
