"""The worklog demo builds every workflow state and is idempotent."""

import datetime

import pytest

from demo.worklog_demo import load_worklog_demo
from org.models import LeadershipRole
from scoring.models import AssignmentLine
from worklog.models import WorkItem, WorkStatus

pytestmark = pytest.mark.django_db


def test_demo_states_and_idempotence(world):
    world.person("lanhdao.phong", world.other_unit, LeadershipRole.HEAD, "Lãnh Đạo Phòng")
    world.person("congchuc", world.other_unit, name="Công Chức Mẫu")
    world.people["truong2"].postings.update(end_date=datetime.date(2026, 1, 31))
    today = datetime.date(2026, 3, 10)
    first = load_worklog_demo(today)
    assert not first.skipped, first.skipped
    statuses = sorted(
        WorkItem.objects.filter(line__civil_servant=world.people["congchuc"]).values_list(
            "status", flat=True
        )
    )
    assert statuses.count(WorkStatus.ACCEPTED) == 1
    assert WorkStatus.SUBMITTED in statuses and WorkStatus.IN_PROGRESS in statuses
    reviewed = AssignmentLine.objects.get(work__status=WorkStatus.ACCEPTED)
    assert reviewed.failed_reviews == 1
    count = AssignmentLine.objects.count()
    again = load_worklog_demo(today)
    assert again.created == 0 and again.existing == first.created
    assert AssignmentLine.objects.count() == count
    assert AssignmentLine.objects.get(pk=reviewed.pk).failed_reviews == 1


def test_demo_without_demo_users_is_skipped(db):
    assert load_worklog_demo(datetime.date(2026, 3, 10)).skipped
