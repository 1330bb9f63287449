"""The worklog's doors after a transfer (issue 27, "a person transferred on day D"): Nguyễn Thị
Nhàn moves from Phòng Công chức to Phòng Tổ chức on 01/04/2026. Her former head assigns no work
dated from April on and records no failed review on an April line; her new head does both; the
former head still reviews her March work."""

import datetime

import pytest

from django.core.exceptions import PermissionDenied

from org.models import Posting
from scoring.models import AssignmentLine, Deduction, Period
from tests.factories import PostingFactory
from tests.worklog.helpers import TODAY
from worklog.services.review import return_for_rework

pytestmark = pytest.mark.django_db

D = datetime.date(2026, 4, 1)
IN_APRIL = datetime.date(2026, 4, 7)


@pytest.fixture
def moved(world):
    march_line = world.line()  # assigned by her head on 10/03, due 20/03
    world.submit(march_line)
    person = world.people["nhan"]
    Posting.objects.filter(civil_servant=person).update(end_date=D - datetime.timedelta(days=1))
    PostingFactory(civil_servant=person, agency=world.other_unit, start_date=D)
    Period.for_date(D, create=True)
    return march_line


def test_the_former_head_assigns_nothing_from_the_transfer_day_on(world, moved):
    with pytest.raises(PermissionDenied) as refused:
        world.assign(leader="truong", deadline=datetime.date(2026, 4, 20), today=IN_APRIL)
    assert "Bạn không phải người theo dõi, đánh giá của: Nguyễn Thị Nhàn" in str(refused.value)
    april = AssignmentLine.objects.filter(civil_servant=world.people["nhan"], period__start_date=D)
    assert not april.exists()

    created = world.assign(leader="truong2", deadline=datetime.date(2026, 4, 20), today=IN_APRIL)
    assert [line.unit for line in created.created] == [world.other_unit]


def test_the_former_head_records_no_failed_review_on_an_april_line(world, moved):
    line = world.line(leader="truong2", deadline=datetime.date(2026, 4, 20), today=IN_APRIL)
    world.submit(line, completed_on=IN_APRIL, today=IN_APRIL)
    with pytest.raises(PermissionDenied):
        return_for_rework(
            world.users["truong"], line, round_number=1, comment="Thiếu số liệu", today=IN_APRIL
        )
    assert not Deduction.objects.filter(line=line).exists()


def test_the_former_head_still_reviews_the_march_work(world, moved):
    with pytest.raises(PermissionDenied):  # not the new head: March was not hers to evaluate
        return_for_rework(
            world.users["truong2"], moved, round_number=1, comment="Thiếu", today=IN_APRIL
        )
    assert not Deduction.objects.filter(line=moved).exists()
    return_for_rework(
        world.users["truong"], moved, round_number=1, comment="Thiếu số liệu", today=IN_APRIL
    )
    assert Deduction.objects.filter(line=moved).count() == 1
    assert TODAY < D
