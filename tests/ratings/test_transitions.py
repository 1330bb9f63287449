"""Every transition is allowed for the role the authority rules give and refused for everyone
else (``Forbidden``); moves from a wrong state are ``NotAllowed``."""

import datetime

import pytest

from ratings.models import CaseState
from ratings.workflow.machine import Forbidden, NotAllowed, perform
from ratings.workflow.transitions import TRANSITIONS
from tests.factories import minutes_file
from tests.ratings.world import DECISION_DAY, TODAY, reload

pytestmark = pytest.mark.django_db

EVERYONE = [
    "subject",
    "colleague",
    "truongphong",
    "truongphong2",
    "giamdoc",
    "phogiamdoc",
    "chutich",
    "quantri",
    "quantrikhac",
    "sonoivu",
    "giamdockhac",
]

DATA = {
    "self_assess": {"self_assessment": "Tự đánh giá.", "self_level": "good"},
    "return_to_subject": {"comment": "Bổ sung nội dung."},
    "review": {"meeting_date": datetime.date(2026, 11, 25), "meeting_comments": "Thống nhất."},
    "appraise": {"proposal_level": "good", "proposal_comment": "Đủ điều kiện."},
    "request_opinion": {"comment": "Kính trình xin ý kiến."},
    "give_opinion": {"opinion_text": "Đồng ý."},
    "return_to_review": {"comment": "Thẩm định lại."},
    "decide": {"decision_level": "good", "decision_ref": "01/QĐ", "decision_date": DECISION_DAY},
    "notify": {},
    "hold": {"comment": "Có đơn phản ánh, cần xác minh."},
    "resume": {"comment": "Đã xác minh."},
    "cancel": {"comment": "Lập nhầm hồ sơ."},
    "complain": {"complaint_text": "Đề nghị xem xét lại."},
}


def data_for(action):
    data = dict(DATA[action])
    if action == "review":
        data["minutes"] = minutes_file()
    return data


@pytest.fixture
def people(world):
    world.staff("Nguyễn Văn Được", 85, username="subject")
    world.staff("Trần Thị Đồng", 80, username="colleague")
    return world


def staff_case_in(world, state):
    """A case of the unit staff member "subject" brought to ``state`` by the right people."""
    case = world.case_for(world.people["Nguyễn Văn Được"])
    path = {
        CaseState.DRAFT: [],
        CaseState.SELF_ASSESSED: ["self_assess"],
        CaseState.REVIEWED: ["self_assess", "review"],
        CaseState.APPRAISED: ["self_assess", "review", "appraise"],
        CaseState.DECIDED: ["self_assess", "review", "appraise", "decide"],
        CaseState.NOTIFIED: ["self_assess", "review", "appraise", "decide", "notify"],
        CaseState.ON_HOLD: ["self_assess", "review", "hold"],
    }[state]
    actor = {
        "self_assess": "subject",
        "review": "truongphong",
        "appraise": "quantri",
        "decide": "giamdoc",
        "notify": "quantri",
        "hold": "quantri",
    }
    for action in path:
        perform(
            case,
            action,
            world.users[actor[action]],
            data=data_for(action),
            today=DECISION_DAY if action == "decide" else TODAY,
        )
    return reload(case)


STAFF_MATRIX = [
    ("self_assess", CaseState.DRAFT, {"subject"}),
    ("return_to_subject", CaseState.SELF_ASSESSED, {"truongphong"}),
    ("review", CaseState.SELF_ASSESSED, {"truongphong"}),
    ("appraise", CaseState.REVIEWED, {"quantri"}),
    ("return_to_review", CaseState.APPRAISED, {"giamdoc"}),
    ("decide", CaseState.APPRAISED, {"giamdoc"}),
    ("notify", CaseState.DECIDED, {"quantri", "giamdoc"}),
    ("hold", CaseState.REVIEWED, {"quantri", "giamdoc"}),
    ("resume", CaseState.ON_HOLD, {"quantri", "giamdoc"}),
    ("cancel", CaseState.APPRAISED, {"quantri", "giamdoc"}),
    ("complain", CaseState.NOTIFIED, {"subject"}),
]


@pytest.mark.parametrize(
    ("action", "state", "allowed"), STAFF_MATRIX, ids=[row[0] for row in STAFF_MATRIX]
)
def test_staff_case_transition_roles(people, action, state, allowed):
    world = people
    case = staff_case_in(world, state)
    today = DECISION_DAY if action == "decide" else TODAY
    for username in EVERYONE:
        if username in allowed:
            continue
        with pytest.raises(Forbidden):
            perform(case, action, world.users[username], data=data_for(action), today=today)
        assert reload(case).state == state
    allowed_user = sorted(allowed)[0]
    perform(case, action, world.users[allowed_user], data=data_for(action), today=today)
    case = reload(case)
    expected = TRANSITIONS[action].target or CaseState.REVIEWED  # resume → where it was
    assert case.state == expected
    last = case.transitions.order_by("-id").first()
    assert (last.action, last.from_state, last.to_state) == (action, state, expected)
    assert last.user == world.users[allowed_user]


def test_every_action_is_covered_by_a_matrix():
    covered = {row[0] for row in STAFF_MATRIX} | {"request_opinion", "give_opinion"}
    assert covered == set(TRANSITIONS)


def test_deputy_director_needs_the_chairmans_opinion(world):
    """Deputy directors: the rule names the province chairman's opinion before the decision."""
    deputy = world.people["phogiamdoc"]
    case = world.case_for(deputy)
    perform(case, "self_assess", world.users["phogiamdoc"], data=DATA["self_assess"], today=TODAY)
    for username in ("truongphong", "chutich", "quantri", "phogiamdoc"):
        with pytest.raises(Forbidden):
            perform(case, "review", world.users[username], data=data_for("review"), today=TODAY)
    perform(case, "review", world.users["giamdoc"], data=data_for("review"), today=TODAY)
    perform(case, "appraise", world.users["quantri"], data=DATA["appraise"], today=TODAY)

    # The decision is refused until the opinion is in.
    with pytest.raises(Exception, match="ý kiến"):
        perform(case, "decide", world.users["giamdoc"], data=DATA["decide"], today=DECISION_DAY)
    for username in ("giamdoc", "chutich", "sonoivu", "phogiamdoc"):
        with pytest.raises(Forbidden):
            perform(
                case,
                "request_opinion",
                world.users[username],
                data=DATA["request_opinion"],
                today=TODAY,
            )
    perform(
        case, "request_opinion", world.users["quantri"], data=DATA["request_opinion"], today=TODAY
    )
    for username in ("giamdoc", "quantri", "sonoivu", "phogiamdoc"):
        with pytest.raises(Forbidden):
            perform(
                case, "give_opinion", world.users[username], data=DATA["give_opinion"], today=TODAY
            )
    perform(case, "give_opinion", world.users["chutich"], data=DATA["give_opinion"], today=TODAY)
    perform(case, "decide", world.users["giamdoc"], data=DATA["decide"], today=DECISION_DAY)
    assert reload(case).state == CaseState.DECIDED
    assert [t.to_state for t in reload(case).transitions.order_by("id")] == [
        "draft",
        "self_assessed",
        "reviewed",
        "appraised",
        "opinion_requested",
        "opinion_given",
        "decided",
    ]


def test_no_opinion_step_where_the_rules_need_none(world, people):
    case = staff_case_in(people, CaseState.APPRAISED)
    with pytest.raises(Exception, match="không cần xin ý kiến"):
        perform(
            case,
            "request_opinion",
            world.users["quantri"],
            data=DATA["request_opinion"],
            today=TODAY,
        )


def test_director_is_appraised_by_home_affairs_and_rated_by_the_chairman(world):
    case = world.case_for(world.people["giamdoc"])
    perform(case, "self_assess", world.users["giamdoc"], data=DATA["self_assess"], today=TODAY)
    perform(case, "review", world.users["chutich"], data=data_for("review"), today=TODAY)
    with pytest.raises(Forbidden):
        perform(case, "appraise", world.users["quantri"], data=DATA["appraise"], today=TODAY)
    perform(case, "appraise", world.users["sonoivu"], data=DATA["appraise"], today=TODAY)
    with pytest.raises(Forbidden):
        perform(case, "decide", world.users["sonoivu"], data=DATA["decide"], today=DECISION_DAY)
    perform(case, "decide", world.users["chutich"], data=DATA["decide"], today=DECISION_DAY)
    assert reload(case).state == CaseState.DECIDED


def test_unit_case_roles(world):
    """A unit: its head self-assesses and reviews, the department's HR unit appraises, the
    director recognises the rating."""
    case = world.agency_case(world.unit)
    for username in ("quantri", "giamdoc", "truongphong2"):
        with pytest.raises(Forbidden):
            perform(
                case, "self_assess", world.users[username], data=DATA["self_assess"], today=TODAY
            )
    perform(case, "self_assess", world.users["truongphong"], data=DATA["self_assess"], today=TODAY)
    perform(case, "review", world.users["truongphong"], data=data_for("review"), today=TODAY)
    with pytest.raises(Forbidden):
        perform(
            case,
            "appraise",
            world.users["sonoivu"],
            data={**DATA["appraise"], "score": 85},
            today=TODAY,
        )
    perform(
        case,
        "appraise",
        world.users["quantri"],
        data={**DATA["appraise"], "score": 85},
        today=TODAY,
    )
    with pytest.raises(Forbidden):
        perform(case, "decide", world.users["truongphong"], data=DATA["decide"], today=DECISION_DAY)
    perform(case, "decide", world.users["giamdoc"], data=DATA["decide"], today=DECISION_DAY)
    assert reload(case).decision_level == "good"


def test_wrong_state_is_not_allowed(people):
    world = people
    case = staff_case_in(world, CaseState.DRAFT)
    with pytest.raises(NotAllowed):
        perform(case, "decide", world.users["giamdoc"], data=DATA["decide"], today=DECISION_DAY)
    with pytest.raises(NotAllowed):
        perform(case, "resume", world.users["quantri"], data=DATA["resume"], today=TODAY)
    with pytest.raises(NotAllowed):
        perform(case, "no_such_action", world.users["quantri"], today=TODAY)


def test_evaluator_vacancy_falls_back_to_the_rater(world):
    """With the unit head's post vacant, the director holds the meeting."""
    person = world.staff("Lý Văn Khuyết", 82, unit=world.unit2, username="khuyet")
    posting = world.people["truongphong2"].postings.get()
    posting.end_date = datetime.date(2026, 6, 30)
    posting.save()
    case = world.case_for(person)
    perform(case, "self_assess", world.users["khuyet"], data=DATA["self_assess"], today=TODAY)
    with pytest.raises(Forbidden):
        perform(case, "review", world.users["truongphong2"], data=data_for("review"), today=TODAY)
    perform(case, "review", world.users["giamdoc"], data=data_for("review"), today=TODAY)
    assert reload(case).state == CaseState.REVIEWED
