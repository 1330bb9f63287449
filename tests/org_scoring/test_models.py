"""Model validation of the organisation-scoring inputs: clear Vietnamese messages, and the
database refusing a late task without delays (or delays on another outcome)."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from org_scoring.models import OrganisationTask, TaskOutcome
from scoring.engine import ORG_OUTCOMES
from tests.factories.org_scoring import (
    YEAR,
    OrganisationDisqualificationFactory,
    OrganisationGeneralMarkFactory,
    OrganisationShortcomingFactory,
    OrganisationTaskFactory,
)

pytestmark = pytest.mark.django_db
DEADLINE = datetime.date(YEAR, 6, 30)


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_outcomes_are_the_engines_plus_pending():
    assert set(TaskOutcome.values) == {*ORG_OUTCOMES, "pending"}


def test_a_valid_task_of_each_outcome_passes(world):
    for outcome in TaskOutcome.values:
        OrganisationTaskFactory(agency=world.unit, outcome=outcome).full_clean()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"outcome": "late", "delays": 0, "completed_on": datetime.date(YEAR, 7, 5)},
            "delays",
            "Nhiệm vụ trễ hạn phải có ít nhất 1 lần trễ hạn.",
        ),
        (
            {"outcome": "on_time", "delays": 2, "completed_on": datetime.date(YEAR, 6, 1)},
            "delays",
            "Chỉ nhiệm vụ trễ hạn mới có số lần trễ hạn.",
        ),
        (
            {"outcome": "on_time", "completed_on": None},
            "completed_on",
            "Nhiệm vụ đã hoàn thành phải có ngày hoàn thành.",
        ),
        (
            {"outcome": "exceeded", "completed_on": datetime.date(YEAR, 7, 2)},
            "outcome",
            "Ngày hoàn thành sau hạn: kết quả phải là “Hoàn thành nhưng trễ hạn”.",
        ),
        (
            {"outcome": "late", "delays": 1, "completed_on": DEADLINE},
            "outcome",
            "Ngày hoàn thành không sau hạn: nhiệm vụ không thể là trễ hạn.",
        ),
        (
            {"outcome": "pending", "completed_on": datetime.date(YEAR, 6, 1)},
            "completed_on",
            "Nhiệm vụ chưa hoàn thành hoặc chưa báo cáo thì không có ngày hoàn thành.",
        ),
        (
            {
                "outcome": "pending",
                "deadline": datetime.date(YEAR + 1, 1, 15),
                "completed_on": None,
            },
            "deadline",
            f"Hạn hoàn thành phải thuộc năm đánh giá {YEAR}.",
        ),
    ],
)
def test_task_validation_messages(world, values, field, message):
    fields = {"deadline": DEADLINE, **values}
    task = OrganisationTask(
        agency=world.unit, year=YEAR, document_ref="1/QĐ-UBND", description="Nhiệm vụ", **fields
    )
    assert message in errors_of(task)[field]


def test_the_province_itself_is_not_scored(world):
    task = OrganisationTaskFactory.build(agency=world.province, outcome="pending")
    assert "UBND tỉnh không được đánh giá như một tổ chức" in errors_of(task)["agency"][0]


@pytest.mark.parametrize(("outcome", "delays"), [("late", 0), ("on_time", 1), ("pending", 3)])
def test_the_database_refuses_delays_that_do_not_match_the_outcome(world, outcome, delays):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationTask.objects.create(
            agency=world.unit,
            year=YEAR,
            document_ref="9/QĐ",
            description="x",
            deadline=DEADLINE,
            outcome=outcome,
            delays=delays,
        )


def test_general_marks_follow_the_framework(world):
    mark = OrganisationGeneralMarkFactory.build(agency=world.unit, criterion="G.9")
    message = errors_of(mark)["criterion"][0]
    assert "Tiêu chí “G.9” không có trong tiêu chí chung của tổ chức" in message
    assert "G.1, G.2, G.3, G.4" in message
    mark = OrganisationGeneralMarkFactory.build(
        agency=world.unit, criterion="G.2", self_mark=Decimal("8"), appraised_mark=Decimal("7.6")
    )
    errors = errors_of(mark)
    assert errors["self_mark"] == ["Điểm không được vượt quá điểm tối đa 7.5 của tiêu chí."]
    assert "appraised_mark" in errors


def test_the_appraised_mark_stands_when_given(world):
    mark = OrganisationGeneralMarkFactory(agency=world.unit, self_mark=Decimal("7.5"))
    assert mark.effective_mark == Decimal("7.5")
    mark.appraised_mark = Decimal("6")
    assert mark.effective_mark == Decimal("6")


def test_disqualification_codes_come_from_the_framework(world):
    OrganisationDisqualificationFactory.build(agency=world.unit).full_clean()
    wrong = OrganisationDisqualificationFactory.build(agency=world.unit, kind="corruption")
    assert "personnel_work_violation" in errors_of(wrong)["kind"][0]


def test_a_shortcoming_is_remedied_once_dated(world):
    item = OrganisationShortcomingFactory(agency=world.unit)
    assert not item.remedied
    item.remedied_on = datetime.date(YEAR, 5, 1)
    assert item.remedied
