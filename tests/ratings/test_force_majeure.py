"""Force majeure: the deciding authority of an organisation's rating case may decide above the
computed ceiling, with the circumstances recorded (review 2026-11-22 W4, issue 13 item 7).

[secondary] Gia Lai plan §III.3.d: "Trường hợp không hoàn thành nhiệm vụ mà có lý do bất khả
kháng thì cấp có thẩm quyền căn cứ vào điều kiện, hoàn cảnh … để xem xét, đánh giá, xếp loại …
và chịu trách nhiệm về quyết định của mình". The lift is part of the decision (only the rater
of the case may take it), needs a reason, and is shown in the case log, on Form 02 and on the
public method page.
"""

import pytest

from django.urls import reverse
from django.utils import timezone

from org_scoring.services import score_organisations
from ratings.models import CaseState
from ratings.printing.form02 import build_form02
from ratings.workflow.machine import Forbidden, Refused, perform
from tests.factories.org_scoring import YEAR, marks, tasks
from tests.ratings.world import DECISION_DAY, build_rating_world, reload

pytestmark = pytest.mark.django_db

# A decision is a fact: dated today at the latest, never before the meeting (issue 42).
DECIDED_ON = timezone.localdate().isoformat()
REASON = "Bão số 3 làm ngập trụ sở 20 ngày; hai nhiệm vụ bị chậm do phải ứng phó thiên tai."


@pytest.fixture
def fm(db):
    world = build_rating_world()
    # Phòng Một: one late task in five → 96.50 points, computed "completed" (the ceiling).
    marks(world.unit)
    tasks(world.unit, "on_time", "on_time", "exceeded", "exceeded", "late")
    score_organisations(YEAR, world.unit)
    world.case = world.agency_to_appraised(world.unit, level="completed")
    return world


def decide(world, case, level="good", user="giamdoc", **extra):
    return perform(
        case,
        "decide",
        world.users[user],
        data={
            "decision_level": level,
            "decision_ref": "15/QĐ-STN",
            "decision_date": DECISION_DAY,
            **extra,
        },
        today=DECISION_DAY,
    )


def test_above_the_ceiling_without_lifting_is_refused(fm):
    with pytest.raises(Refused) as refused:
        decide(fm, fm.case, "good")
    assert "cao hơn mức mà điểm" in " ".join(refused.value.reasons)


def test_the_authority_lifts_the_ceiling_with_a_recorded_reason(fm):
    """W4 [secondary] Gia Lai §III.3.d: decided "good" above the computed "completed"."""
    decide(fm, fm.case, "good", lift_ceiling=True, force_majeure_reason=REASON)
    case = reload(fm.case)
    assert case.state == CaseState.DECIDED and case.decision_level == "good"
    assert case.ceiling_lifted_from == "completed"
    assert case.force_majeure_reason == REASON
    logged = case.transitions.get(action="decide").data
    assert logged["ceiling_lifted_from"] == "completed"
    assert logged["force_majeure_reason"] == REASON
    rows = {
        str(row.label): row.value for section in build_form02(case).sections for row in section.rows
    }
    assert rows["Mức tối đa theo kết quả chấm điểm, đánh giá"] == "Hoàn thành nhiệm vụ"
    assert rows["Lý do bất khả kháng (quyết định cao hơn mức tối đa)"] == REASON


def test_lifting_needs_a_reason(fm):
    with pytest.raises(Refused) as refused:
        decide(fm, fm.case, "good", lift_ceiling=True, force_majeure_reason="   ")
    assert any("lý do bất khả kháng" in r for r in refused.value.reasons)
    assert reload(fm.case).state == CaseState.APPRAISED


def test_lifting_is_refused_when_the_decision_is_within_the_ceiling(fm):
    with pytest.raises(Refused) as refused:
        decide(fm, fm.case, "completed", lift_ceiling=True, force_majeure_reason=REASON)
    assert any("không cao hơn mức tối đa" in r for r in refused.value.reasons)


def test_a_decision_within_the_ceiling_records_no_lift(fm):
    decide(fm, fm.case, "completed")
    case = reload(fm.case)
    assert case.ceiling_lifted_from == "" and case.force_majeure_reason == ""
    assert "ceiling_lifted_from" not in case.transitions.get(action="decide").data


def test_a_civil_servants_case_cannot_be_lifted(world):
    """The discretion of §III.3.d is for organisations; a person's ceiling (Decree 335 Art. 20)
    stays a hard limit."""
    person = world.staff("Nguyễn Văn A", score=80)  # band "good"
    case = world.to_appraised(world.case_for(person), "good")
    with pytest.raises(Refused) as refused:
        perform(
            case,
            "decide",
            world.users["giamdoc"],
            data={
                "decision_level": "excellent",
                "decision_ref": "1/QĐ",
                "decision_date": DECISION_DAY,
                "lift_ceiling": True,
                "force_majeure_reason": REASON,
            },
            today=DECISION_DAY,
        )
    assert any("chỉ áp dụng với hồ sơ của tổ chức" in r for r in refused.value.reasons)


@pytest.mark.parametrize("user", ["quantri", "truongphong", "sonoivu", "giamdockhac"])
def test_only_the_deciding_authority_may_lift(fm, user):
    """The appraiser, the subject's head, Sở Nội vụ and another director hold no rater role on
    this case: the decision (and so the lift) is forbidden to them."""
    with pytest.raises(Forbidden):
        decide(fm, fm.case, "good", user=user, lift_ceiling=True, force_majeure_reason=REASON)
    assert reload(fm.case).ceiling_lifted_from == ""


def test_the_case_page_offers_the_lift_only_to_the_rater_and_logs_it(client, fm):
    url = reverse("ratings_case", args=[fm.case.pk])
    client.force_login(fm.users["quantri"])
    html = client.get(url).content.decode()
    assert 'name="decide-force_majeure_reason"' not in html
    response = client.post(
        reverse("ratings_case_action", args=[fm.case.pk, "decide"]),
        {
            "decide-decision_level": "good",
            "decide-decision_ref": "15/QĐ-STN",
            "decide-decision_date": DECIDED_ON,
            "decide-lift_ceiling": "on",
            "decide-force_majeure_reason": REASON,
        },
    )
    # Wagtail turns the refusal (PermissionDenied) into a redirect to the admin home.
    assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")
    assert reload(fm.case).state == CaseState.APPRAISED
    client.force_login(fm.users["giamdoc"])
    html = client.get(url).content.decode()
    assert 'name="decide-force_majeure_reason"' in html
    response = client.post(
        reverse("ratings_case_action", args=[fm.case.pk, "decide"]),
        {
            "decide-decision_level": "good",
            "decide-decision_ref": "15/QĐ-STN",
            "decide-decision_date": DECIDED_ON,
            "decide-lift_ceiling": "on",
            "decide-force_majeure_reason": "",
        },
    )
    assert response.status_code == 400
    assert "Hãy ghi rõ lý do bất khả kháng" in response.content.decode()
    response = client.post(
        reverse("ratings_case_action", args=[fm.case.pk, "decide"]),
        {
            "decide-decision_level": "good",
            "decide-decision_ref": "15/QĐ-STN",
            "decide-decision_date": DECIDED_ON,
            "decide-lift_ceiling": "on",
            "decide-force_majeure_reason": REASON,
        },
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert 'id="case-ceiling-lifted"' in html and REASON in html
    history = html.split('id="case-history"', 1)[1]
    assert "Quyết định cao hơn mức tối đa “Hoàn thành nhiệm vụ” do bất khả kháng" in history
    assert REASON in history
