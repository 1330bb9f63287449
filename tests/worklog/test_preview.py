"""The period score preview is the score-preview engine fed with the person's lines."""

import datetime

import pytest

from scoring.engine import score_preview
from tests.worklog.helpers import TODAY
from worklog.services.preview import period_preview
from worklog.services.review import Exemption, accept, return_for_rework

pytestmark = pytest.mark.django_db
D = datetime.date


def test_one_return_costs_a_quarter_of_the_product(world):
    leader = world.users["truong"]
    line = world.line(deadline=D(2026, 3, 20))
    world.submit(line)
    return_for_rework(leader, line, round_number=1, comment="Sai số liệu", today=TODAY)
    world.submit(line)
    accept(leader, line, round_number=2, confirmed_on=TODAY, today=TODAY)
    preview = period_preview(world.people["nhan"], line.period, TODAY)
    assert preview.payload["lines"] == [
        {
            "ref": "X",
            "coefficient": "1",
            "assigned": "1",
            "completed": "1",
            "failed_reviews": 1,
            "exempt_reviews": 0,
            "delays": 0,
            "exempt_delays": 0,
            "failed_by_product": [1],
        }
    ]
    expected = score_preview(preview.payload)
    assert {k: v for k, v in preview.result.items() if k != "explanation"} == {
        k: v for k, v in expected.items() if k != "explanation"
    }
    assert (preview.result["quantity"], preview.result["quality"]) == ("100.00", "75.00")
    assert any("25%" in sentence for sentence in preview.result["explanation"])
    assert preview.assumptions  # general marks not entered yet


def test_exempted_return_costs_nothing(world):
    leader = world.users["truong"]
    line = world.line()
    world.submit(line)
    return_for_rework(
        leader,
        line,
        round_number=1,
        comment="Đổi biểu mẫu",
        today=TODAY,
        exemption=Exemption(True, "Văn bản hướng dẫn thay đổi"),
    )
    world.submit(line)
    accept(leader, line, round_number=2, confirmed_on=TODAY, today=TODAY)
    result = period_preview(world.people["nhan"], line.period, TODAY).result
    assert result["quality"] == "100.00"


def test_leader_preview_assumes_missing_leader_marks(world):
    line = world.line(leader="giamdoc", people=("truong",))
    preview = period_preview(world.people["truong"], line.period, TODAY)
    assert preview.payload["role"] == "head"
    assert preview.payload["leader"]["unit_results"] == "100"
    assert preview.result["quantity"] == "0.00"
