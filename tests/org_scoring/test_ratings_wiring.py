"""The agency rating case uses the stored organisation score: the case page shows it, the
ceiling guard uses its rating (and says so), and the score typed in at appraisal remains the
fallback when no score is stored."""

from decimal import Decimal

import pytest

from django.urls import reverse

from org_scoring.services import score_organisations
from ratings.services.ceilings import APPRAISAL, ORGANISATION_SCORE, ceiling_for
from ratings.workflow.machine import Refused, perform
from tests.factories import minutes_file
from tests.factories.org_scoring import YEAR, marks, tasks
from tests.ratings.world import TODAY, build_rating_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw(db):
    world = build_rating_world()
    # Phòng Một: one late task in five → 96.50 points, "completed" (late tasks bar "good").
    marks(world.unit)
    tasks(world.unit, "on_time", "on_time", "exceeded", "exceeded", "late")
    score_organisations(YEAR, world.unit)
    return world


def to_reviewed(world, agency):
    case = world.agency_case(agency)
    user = world.users[
        {
            world.unit.pk: "truongphong",
            world.unit2.pk: "truongphong2",
            world.department.pk: "giamdoc",
        }[agency.pk]
    ]
    perform(
        case,
        "self_assess",
        user,
        data={
            "self_assessment": "Hoàn thành kế hoạch năm.",
            "self_level": "good",
        },
        today=TODAY,
    )
    perform(
        case,
        "review",
        user,
        data={
            "meeting_date": TODAY,
            "meeting_comments": "Thống nhất.",
            "minutes": minutes_file(),
        },
        today=TODAY,
    )
    case.refresh_from_db()
    return case


def test_the_stored_score_sets_the_ceiling_and_says_so(rw):
    case = to_reviewed(rw, rw.unit)
    ceiling = ceiling_for(case, score=Decimal("99"))  # a typed score does not override it
    assert ceiling.source == ORGANISATION_SCORE
    assert (ceiling.level, ceiling.score) == ("completed", Decimal("96.50"))
    assert ceiling.reasons[0].startswith("Dùng kết quả chấm điểm tổ chức đã lưu")
    assert "Chưa đạt mức “Hoàn thành tốt nhiệm vụ”: số nhiệm vụ trễ hạn vượt mức cho phép." in (
        ceiling.reasons
    )
    with pytest.raises(Refused) as refused:
        rw.appraise(case, "good")
    assert "Dùng kết quả chấm điểm tổ chức đã lưu" in " ".join(refused.value.reasons)
    rw.appraise(case, "completed")  # no score typed: the stored one stands
    case.refresh_from_db()
    assert case.score == Decimal("96.50") and case.proposal_level == "completed"
    logged = case.transitions.get(action="appraise").data
    assert logged["score"] == "96.50" and logged["score_source"] == "organisation_score"


def test_without_a_stored_score_the_typed_score_is_the_fallback(rw):
    case = to_reviewed(rw, rw.unit2)
    with pytest.raises(Refused) as refused:
        rw.appraise(case, "good")
    assert "Phải nhập điểm đánh giá của tổ chức sau thẩm định." in refused.value.reasons
    rw.appraise(case, "good", score=85)
    case.refresh_from_db()
    ceiling = ceiling_for(case)
    assert ceiling.source == APPRAISAL and ceiling.level == "good"
    assert ceiling.reasons[0] == (
        "Chưa có kết quả chấm điểm tổ chức được lưu: dùng điểm nhập khi thẩm định."
    )


def test_a_sub_unit_decided_not_completed_since_lowers_a_stored_excellent(rw):
    marks(rw.department)
    tasks(rw.department, "exceeded", "exceeded", "on_time")
    score_organisations(YEAR, rw.department)
    department = to_reviewed(rw, rw.department)
    assert ceiling_for(department).level == "excellent"  # Phòng Một was "completed"
    unit2 = to_reviewed(rw, rw.unit2)
    rw.appraise(unit2, "completed", score=60)
    unit2.refresh_from_db()
    rw.decide(unit2, "not_completed")
    ceiling = ceiling_for(department)
    assert ceiling.level == "good" and ceiling.source == ORGANISATION_SCORE
    assert any("Phòng Hai" in reason for reason in ceiling.reasons)
    # Recomputing feeds the decision into the stored score itself.
    score_organisations(YEAR, rw.department)
    stored = rw.department.organisation_scores.get(year=YEAR)
    assert stored.rating == "good"
    assert stored.inputs["subunits"][str(rw.unit2.pk)]["source"] == "decision"
    assert (
        "Chưa đạt mức “Hoàn thành xuất sắc nhiệm vụ”: có đơn vị cấp dưới trực tiếp không hoàn "
        "thành nhiệm vụ." in ceiling_for(department).reasons
    )


def test_the_case_page_shows_the_stored_score_and_drops_the_score_field(client, rw):
    case = to_reviewed(rw, rw.unit)
    client.force_login(rw.users["quantri"])  # the department's personnel unit (appraiser)
    html = client.get(reverse("ratings_case", args=[case.pk])).content.decode()
    assert 'id="case-organisation-score"' in html
    assert "96,50 điểm, xếp loại theo điểm và điều kiện “Hoàn thành nhiệm vụ”" in html
    assert reverse("org_scoring_agency_year", args=[rw.unit.pk, YEAR]) in html
    assert 'name="appraise-score"' not in html
    assert "Dùng kết quả chấm điểm tổ chức đã lưu" in html  # the ceiling's reasons
    other = to_reviewed(rw, rw.unit2)
    html = client.get(reverse("ratings_case", args=[other.pk])).content.decode()
    assert "Chưa có; dùng điểm nhập khi thẩm định." in html
    assert 'name="appraise-score"' in html


def test_the_case_page_states_that_self_marks_await_the_appraiser(client, rw):
    """Review U7 for organisations: unappraised self-marks leave the stored score not scored
    (default ``marks.self_mark_without_evaluator = not_scored``), and the case page says why."""
    marks(rw.unit2, "7.5", appraised=None)
    tasks(rw.unit2, "on_time")
    score_organisations(YEAR, rw.unit2)
    case = to_reviewed(rw, rw.unit2)
    client.force_login(rw.users["quantri"])
    html = client.get(reverse("ratings_case", args=[case.pk])).content.decode()
    assert "Chưa đủ dữ liệu để chấm điểm; dùng điểm nhập khi thẩm định." in html
    assert "Điểm tự chấm của tiêu chí G.1, G.2, G.3, G.4 chưa được cơ quan thẩm định chấm" in html
