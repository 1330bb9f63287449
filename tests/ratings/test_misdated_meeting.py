"""The guide's path when the meeting was mis-dated (review 2026-11-25, guide gap 8; blocker B2):
a decision dated before the meeting recorded on the case is refused; the meeting date cannot be
changed once the meeting is recorded — "Trả lại để thẩm định lại" keeps it — so the case is
cancelled and opened again ("Hủy hồ sơ", then "Lập hồ sơ"), and the new case records the right
meeting. ``docs/huong-dan/giam-doc-chu-tich.md`` says exactly this, with the app's words."""

import datetime
from pathlib import Path

import pytest

from ratings.models import CaseState
from ratings.services.cases import open_cases
from ratings.workflow.machine import Refused, perform
from ratings.workflow.transitions import TRANSITIONS
from tests.ratings.world import DECISION_DAY, TODAY, YEAR, reload

pytestmark = pytest.mark.django_db
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "huong-dan" / "giam-doc-chu-tich.md"


def test_a_mis_dated_meeting_is_mended_by_cancelling_and_opening_the_case_again(world):
    person = world.staff("Hồ Văn Ngày", 85)
    case = world.to_appraised(world.case_for(person), "good")
    type(case).objects.filter(pk=case.pk).update(meeting_date=datetime.date(2026, 12, 30))
    with pytest.raises(Refused) as info:
        world.decide(case, "good")
    message = " ".join(str(r) for r in info.value.reasons)
    assert "Ngày quyết định 10/12/2026 trước ngày họp nhận xét, đánh giá 30/12/2026" in message
    # Returned to the appraisal step, the case keeps the wrong meeting date.
    perform(
        case, "return_to_review", world.users["giamdoc"], comment="Kiểm tra ngày họp.", today=TODAY
    )
    assert reload(case).meeting_date == datetime.date(2026, 12, 30)
    perform(
        reload(case),
        "cancel",
        world.users["giamdoc"],
        comment="Ghi sai ngày họp: biên bản họp ngày 25/11.",
        today=TODAY,
    )
    assert reload(case).state == CaseState.CANCELLED
    report = open_cases(YEAR, world.department)
    new = next(c for c in report.created if c.civil_servant_id == person.pk)
    assert new.pk != case.pk and new.meeting_date is None and new.state == CaseState.DRAFT
    new = world.to_appraised(new, "good")
    assert new.meeting_date == datetime.date(2026, 11, 25)
    world.decide(new, "good")
    assert reload(new).decision_date == DECISION_DAY
    assert reload(case).state == CaseState.CANCELLED  # kept, with its history


def test_the_guide_names_the_steps_as_the_screen_does():
    guide = " ".join(GUIDE.read_text("utf-8").split())
    for label in (
        TRANSITIONS["cancel"].label,
        TRANSITIONS["return_to_review"].label,
        "Lập hồ sơ xếp loại",
        "Lập hồ sơ",
        "trước ngày họp nhận xét, đánh giá",
        "hãy kiểm tra lại ngày quyết định.",
    ):
        assert str(label) in guide, label
