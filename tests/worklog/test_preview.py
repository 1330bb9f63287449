"""The period score preview is the score-preview engine fed with the person's lines."""

import datetime

import pytest

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
    assert (preview.result["quantity"], preview.result["quality"]) == ("100.00", "75.00")
    assert any("25%" in sentence for sentence in preview.result["explanation"])
    assert preview.assumptions  # general marks not entered yet


def test_the_preview_is_the_stored_score_once_the_marks_are_in(world):
    """Issue 15 item 4: the preview goes through the stored score's path (framework in force,
    governing posting, exemptions, per-product events) — with every mark entered nothing is
    assumed and both agree to the digit."""
    from scoring.services import score_person
    from tests.factories import marks_summing_to

    line = world.line(deadline=D(2026, 3, 20))
    world.submit(line)
    accept(world.users["truong"], line, round_number=1, confirmed_on=TODAY, today=TODAY)
    person = world.people["nhan"]
    from scoring.models import GeneralCriteriaMark

    for code, mark in marks_summing_to(27).items():
        GeneralCriteriaMark.objects.create(
            civil_servant=person,
            period=line.period,
            component="general",
            criterion=code,
            self_mark=mark,
            evaluator_mark=mark,
        )
    preview = period_preview(person, line.period, TODAY)
    stored = score_person(person, line.period)
    assert not preview.assumptions
    assert preview.result["total"] == f"{stored.total:f}"
    assert preview.result["rating"] == stored.rating


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
    assert preview.role == "head"
    assert any("đ, e" in note for note in preview.assumptions)
    assert preview.result["quantity"] == "0.00"
