"""The worklog and the person categories (issue 18 item 5, docs/scope.md §2): a unit head
assigns work to a viên chức or a covered contract worker like to anyone, and is told why a
contract worker of an agency that has not switched them on gets no line."""

import pytest

from django.core.exceptions import ValidationError

from org.models import PersonCategory, Posting
from scoring.models import AssignmentLine

pytestmark = pytest.mark.django_db


def categorise(world, name, category):
    Posting.objects.filter(civil_servant=world.people[name]).update(category=category)


def test_a_public_employee_is_assigned_work(world):
    categorise(world, "nhan", PersonCategory.PUBLIC_EMPLOYEE)
    line = world.line()
    assert line.civil_servant == world.people["nhan"]


def test_a_contract_worker_is_assigned_work_where_the_agency_switched_them_on(world):
    categorise(world, "nhan", PersonCategory.CONTRACT_WORKER)
    world.department.applies_to_contract_workers = True
    world.department.save()
    assert world.line().civil_servant == world.people["nhan"]


def test_a_contract_worker_of_an_agency_without_the_switch_is_refused_with_the_reason(world):
    categorise(world, "nhan", PersonCategory.CONTRACT_WORKER)
    with pytest.raises(ValidationError) as refused:
        world.assign(people=("nhan", "binh"))
    (message,) = refused.value.messages
    assert message.startswith("Nguyễn Thị Nhàn: Sở Nội vụ thử nghiệm chưa áp dụng đánh giá")
    assert "người lao động hợp đồng" in message
    assert not AssignmentLine.objects.exists()
