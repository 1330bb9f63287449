"""Rules that refuse a decision: the score/disqualifier ceiling, the excellent quota of one
authority's group, bottom-up agencies, and the head never above their agency."""

import datetime
from decimal import Decimal

import pytest

from org.models import PositionGroup
from ratings.models import CaseState
from ratings.workflow.machine import Refused, perform
from scoring.models import AnnualScore, Disqualification, StaleFigure
from scoring.services import freshness
from tests.ratings.world import DECISION_DAY, TODAY, reload

pytestmark = pytest.mark.django_db


def refusal(callable_, *args, **kwargs) -> str:
    with pytest.raises(Refused) as info:
        callable_(*args, **kwargs)
    return " ".join(str(r) for r in info.value.reasons)


# --- ceiling -----------------------------------------------------------------------------------


def test_a_decision_above_the_score_is_refused_with_the_reason(world):
    person = world.staff("Hồ Văn Khá", 75)
    case = world.to_appraised(world.case_for(person), "good")
    message = refusal(world.decide, case, "excellent")
    assert "tối đa “Hoàn thành tốt nhiệm vụ”" in message
    assert "Điểm năm 75,00" in message
    assert reload(case).state == CaseState.APPRAISED
    world.decide(case, "good")
    assert reload(case).decision_level == "good"


def test_a_decision_dated_before_the_meeting_is_refused(world):
    """Review 2026-11-23 C7: a meeting dated after the decision was accepted and printed."""
    person = world.staff("Hồ Văn Họp", 85)
    case = world.to_appraised(world.case_for(person), "good")
    RatingCaseModel = type(case)
    RatingCaseModel.objects.filter(pk=case.pk).update(meeting_date=datetime.date(2026, 12, 30))
    message = refusal(world.decide, case, "good")
    assert "Ngày quyết định 10/12/2026 trước ngày họp nhận xét, đánh giá 30/12/2026" in message
    assert reload(case).state == CaseState.APPRAISED


def test_the_appraisal_proposal_is_held_to_the_same_ceiling(world):
    person = world.staff("Hồ Văn Đề", 60)
    case = world.case_for(person)
    world.self_assess(case, "good")
    world.review(case)
    message = refusal(world.appraise, case, "good")
    assert "Mức đề xuất" in message and "Hoàn thành nhiệm vụ" in message


def test_a_reprimand_recorded_after_the_annual_score_caps_the_decision(world):
    person = world.staff("Bạch Văn Kỷ", 92)
    case = world.to_appraised(world.case_for(person), "good")
    Disqualification.objects.create(
        civil_servant=person,
        year=2026,
        kind="discipline_reprimand_or_heavier",
        reference="07/QĐ-KL",
        decided_on=datetime.date(2026, 11, 30),
    )
    # The reprimand makes the annual score stale at once, and the decision recomputes the year
    # on the spot (issue 42): this world writes its annual scores by hand, with no months to
    # recompute them from, so the recomputed year has no results and "good" is refused.
    assert "Chưa có kết quả theo dõi, đánh giá của năm" in refusal(world.decide, case, "good")
    assert reload(case).decision_level != "good"
    # The mark is cleared as the refresh would: the ceiling guard reads the reprimand itself.
    StaleFigure.objects.all().delete()
    message = refusal(world.decide, case, "good")
    assert "không hoàn thành nhiệm vụ" in message.lower()
    world.decide(case, "not_completed")
    assert reload(case).decision_level == "not_completed"


# --- quota -------------------------------------------------------------------------------------


def test_the_excellent_quota_refuses_the_decision_over_the_cap(world):
    stars = [world.staff(f"Xuất Sắc {i}", 95) for i in range(3)]
    goods = [
        world.staff(f"Tốt Số {i}", 80, unit=world.unit2 if i % 2 else world.unit) for i in range(5)
    ]

    # No "good" decided yet in the group: 20 % of 0 is 0.
    first = world.to_appraised(world.case_for(stars[0]), "excellent")
    message = refusal(world.decide, first, "excellent")
    assert "0 hoàn thành xuất sắc và 0 hoàn thành tốt" in message
    assert "20%" in message and "tối đa 0" in message

    for person in goods:  # both units: one rater (the director) → one group
        world.decided(person, "good")
    world.decide(first, "excellent")  # 1 ≤ 20 % × 5

    second = world.to_appraised(world.case_for(stars[1]), "excellent")
    message = refusal(world.decide, second, "excellent")
    assert "1 hoàn thành xuất sắc và 5 hoàn thành tốt" in message
    assert "tối đa 1" in message
    assert reload(second).state == CaseState.APPRAISED
    world.decide(second, "good")  # the same person may still be decided good

    # Now 6 good: still ⌊0.2 × 6⌋ = 1 excellent.
    third = world.to_appraised(world.case_for(stars[2]), "excellent")
    assert "1 hoàn thành xuất sắc và 6 hoàn thành tốt" in refusal(world.decide, third, "excellent")


def test_the_quota_group_is_per_job_position_group(world):
    goods = [world.staff(f"Tốt {i}", 80) for i in range(5)]
    for person in goods:
        world.decided(person, "good")
    support = world.staff("Hỗ Trợ Giỏi", 95, group=PositionGroup.SUPPORT)
    case = world.to_appraised(world.case_for(support), "excellent")
    message = refusal(world.decide, case, "excellent")
    assert "nhóm Hỗ trợ, phục vụ" in message and "0 hoàn thành tốt" in message


def test_cancelled_decisions_do_not_count_in_the_quota(world):
    goods = [world.staff(f"Tốt {i}", 80) for i in range(5)]
    cases = [world.decided(person, "good") for person in goods]
    perform(cases[0], "cancel", world.users["giamdoc"], comment="Sai sót hồ sơ.", today=TODAY)
    star = world.staff("Sao Sáng", 96)
    case = world.to_appraised(world.case_for(star), "excellent")
    assert "0 hoàn thành xuất sắc và 4 hoàn thành tốt" in refusal(world.decide, case, "excellent")


# --- bottom-up agencies ------------------------------------------------------------------------


def test_a_parent_cannot_be_decided_before_its_sub_units(world):
    department = world.agency_to_appraised(
        world.department, score=92, level="excellent", appraiser=world.users["sonoivu"]
    )
    unit = world.agency_to_appraised(world.unit, score=85)
    message = refusal(world.decide, department, "good", user=world.users["chutich"])
    assert "Phòng Một" in message and "Phòng Hai" in message
    world.decide(unit, "good")
    message = refusal(world.decide, department, "good", user=world.users["chutich"])
    assert "Phòng Hai" in message and "Phòng Một" not in message
    unit2 = world.agency_to_appraised(world.unit2, score=60, level="completed")
    world.decide(unit2, "not_completed")
    # A sub-unit not completed: the department cannot be excellent despite 92 points.
    message = refusal(world.decide, department, "excellent", user=world.users["chutich"])
    assert "Phòng Hai" in message and "không hoàn thành" in message
    world.decide(department, "good", user=world.users["chutich"])
    assert reload(department).decision_level == "good"


def test_inactive_sub_units_do_not_block(world):
    world.unit2.is_active = False
    world.unit2.save()
    unit = world.agency_to_appraised(world.unit, score=85)
    world.decide(unit, "good")
    department = world.agency_to_appraised(
        world.department, score=85, appraiser=world.users["sonoivu"]
    )
    world.decide(department, "good", user=world.users["chutich"])
    assert reload(department).state == CaseState.DECIDED


# --- head below agency -------------------------------------------------------------------------


def _head_case(world, score=95, level="excellent"):
    head = world.people["truongphong"]
    AnnualScore.objects.filter(civil_servant=head).update(score=Decimal(score))
    case = world.case_for(head)
    perform(
        case,
        "self_assess",
        world.users["truongphong"],
        data={"self_assessment": "Tốt.", "self_level": level},
        today=TODAY,
    )
    world.review(case, user=world.users["giamdoc"])  # the head's evaluator is the director
    world.appraise(case, level)
    return reload(case)


def test_the_head_waits_for_the_agency_and_is_never_rated_above_it(world):
    world.agency_case(world.unit)
    head_case = _head_case(world)
    message = refusal(world.decide, head_case, "good")
    assert "phải quyết định xếp loại Phòng Một trước" in message

    unit_case = _finish_unit(world)
    message = refusal(world.decide, head_case, "excellent")
    assert "không được xếp loại cao hơn tổ chức" in message
    assert "Hoàn thành tốt nhiệm vụ" in message
    world.decide(head_case, "good")
    assert reload(head_case).decision_level == "good"
    assert unit_case.decision_level == "good"


def _finish_unit(world):
    from ratings.models import RatingCase

    case = RatingCase.objects.get(subject_agency=world.unit)
    subject = world.users["truongphong"]
    perform(
        case,
        "self_assess",
        subject,
        data={"self_assessment": "Đạt.", "self_level": "good"},
        today=TODAY,
    )
    world.review(case, user=subject)
    world.appraise(case, "good", score=80)
    world.decide(case, "good")
    return reload(case)


def test_without_an_agency_case_the_head_is_not_capped(world):
    head_case = _head_case(world, score=85, level="good")
    world.decide(head_case, "good")
    assert reload(head_case).state == CaseState.DECIDED


def test_deciding_on_the_decision_day_checks_the_authority_of_that_day(world):
    """The rater is resolved on the day the action is taken (moved into the rating year)."""
    person = world.staff("Đoàn Văn Chuyển", 80)
    case = world.to_appraised(world.case_for(person))
    posting = world.people["giamdoc"].postings.get()
    posting.end_date = datetime.date(2026, 12, 1)
    posting.save()
    from ratings.workflow.machine import Forbidden

    with pytest.raises(Forbidden):
        world.decide(case, "good")  # DECISION_DAY = 10/12: the director has left
    perform(
        case,
        "decide",
        world.users["giamdoc"],
        data={
            "decision_level": "good",
            "decision_ref": "1/QĐ",
            "decision_date": DECISION_DAY,
        },
        today=datetime.date(2026, 11, 30),
    )
    assert reload(case).state == CaseState.DECIDED


def test_a_head_decided_before_the_agency_case_existed_is_reported(world):
    head_case = _head_case(world, score=85, level="good")
    world.decide(head_case, "good")
    unit_case = world.agency_to_appraised(world.unit, score=60, level="completed")
    world.decide(unit_case, "completed")
    from ratings.services.hierarchy import heads_above

    assert heads_above(reload(unit_case)) == [reload(head_case)]


def test_a_recognised_agency_decides_up_to_25_percent_excellent(world):
    """Art. 20 cl. 5(b): recognised for outstanding achievements → outstanding_ratio (25 %)."""
    from scoring.models import OutstandingRecognition

    OutstandingRecognition.objects.create(
        agency=world.department,
        year=2026,
        decision_ref="88/QĐ-UBND",
        decided_on=datetime.date(2027, 1, 20),
    )
    freshness.refresh_derived()  # the recognition made the year stale; the worker recomputes
    stars = [world.staff(f"Xuất Sắc {i}", 95) for i in range(2)]
    for i in range(4):
        world.decided(world.staff(f"Tốt Số {i}", 80), "good")
    first = world.to_appraised(world.case_for(stars[0]), "excellent")
    world.decide(first, "excellent")  # 1 ≤ 25 % × 4 (at 20 % it would be 0)
    second = world.to_appraised(world.case_for(stars[1]), "excellent")
    message = refusal(world.decide, second, "excellent")
    assert "25%" in message and "tối đa 1" in message
