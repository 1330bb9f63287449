"""Replacing a large file deletes by set (reliability review M7: 100,000 lines deleted row by
row through the ORM held the agency's locks for 236 s; ``benchmarks/replace_file.py``).

``importers.bulk.delete_ids`` must leave the same database as the ORM's delete: the lines,
their deductions (and their history rows "deleted"), the deadline warnings that point at
them, and their links from a complaint; nothing else."""

import datetime

import pytest

from audit.history import DELETED, history_model
from importers import bulk
from ratings.models import PeriodComplaint
from scoring.models import AssignmentLine, Deduction
from scoring.services import rescoring, score_person
from scoring.services.deductions import record_deduction
from tests.factories import UserFactory, period_complaint
from tests.scoring.helpers import build_world
from worklog.models import DeadlineWarning

pytestmark = pytest.mark.django_db


def _state():
    return {
        "lines": sorted(AssignmentLine.objects.values_list("id", flat=True)),
        "deductions": sorted(Deduction.objects.values_list("id", flat=True)),
        "warnings": sorted(DeadlineWarning.objects.values_list("line_id", flat=True)),
        "complaint_lines": sorted(
            PeriodComplaint.lines.through.objects.values_list("assignmentline_id", flat=True)
        ),
        "deleted_history": sorted(
            (model.__name__, row)
            for model in (AssignmentLine, Deduction)
            for row in history_model(model)
            .objects.filter(history_type=DELETED)
            .values_list("id", flat=True)
        ),
    }


@pytest.mark.parametrize("way", ["orm", "set"])
def test_deleting_by_set_leaves_what_the_orm_leaves(way):
    with rescoring.paused():
        world = build_world()
        person = world.person("Nguyễn Văn Xoá")
        kept = world.line(person, "X", 2, 2)
        gone = [world.line(person, "Y", 3, 1), world.line(person, "X", 1, 0)]
        world.marks(person, 27)
        record_deduction(gone[0], "review", note="Sai mẫu", decided_by="test-setup")
        record_deduction(kept, "delay", note="Chậm", decided_by="test-setup")
        for line in (kept, *gone):
            DeadlineWarning.objects.create(
                line=line, day=datetime.date(2026, 3, 20), state="due_soon"
            )
        score = score_person(person, world.period)
        complaint = period_complaint(score, filed_by=UserFactory())
        complaint.lines.set([kept, gone[1]])

    gone_ids = [line.pk for line in gone]
    if way == "orm":
        for line in gone:
            line.delete()
    else:
        assert bulk.delete_ids(AssignmentLine, gone_ids) == 2
    state = _state()
    assert state["lines"] == [kept.pk]
    assert state["deductions"] == list(
        Deduction.objects.filter(line=kept).values_list("id", flat=True)
    )
    assert state["warnings"] == [kept.pk]
    assert state["complaint_lines"] == [kept.pk]
    assert ("AssignmentLine", gone_ids[0]) in state["deleted_history"]
    assert ("AssignmentLine", gone_ids[1]) in state["deleted_history"]
    assert [name for name, _id in state["deleted_history"]].count("Deduction") == 1
