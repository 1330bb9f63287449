"""Review 2026-11-22 (ux #3, friction 9): in the demo the province chairman could not decide
the director's case — Sở Tư pháp and its units must be decided first, and five unit heads had
no sign-in. Every person holding a role on a demo case now has one (password DEMO_PASSWORD),
and the demo walks from the lowest level up to the director's case, each step performed by the
demo sign-in that holds the role."""

import datetime

import pytest
from django.core.management import call_command

from demo.loader import DEMO_PASSWORD
from demo.ratings_demo import YEAR, load_ratings_demo
from org.authority import head_posting
from org.models import Agency
from org_scoring.services.lookup import stored_score
from ratings.models import CaseState, RatingCase
from ratings.services.ceilings import ceiling_for
from ratings.services.prerequisites import decision_prerequisites
from ratings.workflow.actors import (
    APPRAISER,
    EVALUATOR,
    OPINION_HOLDER,
    RATER,
    SUBJECT,
    resolve_actors,
)
from ratings.workflow.machine import perform
from tests.ratings.factories import minutes_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def signed_in_holder(case, role):
    """The demo sign-in holding ``role`` on ``case`` (it must exist and use the demo password)."""
    users = resolve_actors(case).users_for(role)
    assert users, f"nobody can sign in as {role} on {case.subject_name}"
    user = users[0]
    assert user.check_password(DEMO_PASSWORD), user.username
    return user


def take_to_decision(case, level=None):
    """self-assess → meeting → appraisal (→ opinion) → decision, each by its role holder."""
    perform(
        case,
        "self_assess",
        signed_in_holder(case, SUBJECT),
        data={"self_assessment": "Hoàn thành các nhiệm vụ được giao.", "self_level": "good"},
    )
    perform(
        case,
        "review",
        signed_in_holder(case, EVALUATOR),
        data={
            "meeting_date": datetime.date(YEAR, 11, 25),
            "meeting_comments": "Thống nhất.",
            "minutes": minutes_file(),
        },
    )
    data = {"proposal_level": "", "proposal_comment": "Đủ căn cứ."}
    if case.is_agency_case and stored_score(case.subject_agency, YEAR) is None:
        data["score"] = 85
    level = level or ceiling_for(case, score=data.get("score")).level
    data["proposal_level"] = level
    perform(case, "appraise", signed_in_holder(case, APPRAISER), data=data)
    actors = resolve_actors(case)
    if actors.opinion_required:
        perform(case, "request_opinion", signed_in_holder(case, APPRAISER))
        perform(
            case,
            "give_opinion",
            signed_in_holder(case, OPINION_HOLDER),
            data={"opinion_text": "Đồng ý."},
        )
    rater = signed_in_holder(case, RATER)
    perform(
        case,
        "decide",
        rater,
        data={
            "decision_level": level,
            "decision_ref": f"{case.pk}/QĐ-DEMO",
            "decision_date": datetime.date(YEAR, 12, 10),
        },
    )
    case.refresh_from_db()
    assert case.state == CaseState.DECIDED
    return rater


def test_every_role_on_every_demo_case_can_sign_in(demo):
    cases = RatingCase.objects.filter(year=YEAR).exclude(state=CaseState.CANCELLED)
    assert cases.count() > 10
    for case in cases:
        actors = resolve_actors(case)
        roles = [SUBJECT, EVALUATOR, APPRAISER, RATER]
        if actors.opinion_required:
            roles.append(OPINION_HOLDER)
        for role in roles:
            signed_in_holder(case, role)


def test_the_demo_walks_from_the_units_to_the_directors_case(demo):
    department = Agency.objects.get(code="STP")
    units = list(department.children.filter(is_active=True).order_by("path"))
    assert len(units) >= 5
    agency_case = RatingCase.objects.get(subject_agency=department, year=YEAR)
    director = head_posting(department, datetime.date(YEAR, 11, 1)).civil_servant
    director_case = RatingCase.objects.get(civil_servant=director, year=YEAR)

    # From the start, the agency's page says which units must be decided first.
    before = {check.key: check for check in decision_prerequisites(agency_case)}
    assert not before["subunits"].done
    assert len(before["subunits"].items) == len(units)
    assert not {check.key: check for check in decision_prerequisites(director_case)}[
        "agency_first"
    ].done

    for unit in units:
        rater = take_to_decision(RatingCase.objects.get(subject_agency=unit, year=YEAR))
        assert rater.username == "giamdoc.stp"
    assert {check.key: check for check in decision_prerequisites(agency_case)}["subunits"].done
    assert take_to_decision(agency_case).username == "chutich.tinh"
    assert {check.key: check for check in decision_prerequisites(director_case)}[
        "agency_first"
    ].done
    agency_case.refresh_from_db()
    assert take_to_decision(director_case, level=agency_case.decision_level).username == (
        "chutich.tinh"
    )


def test_demo_sign_ins_are_stable_across_runs(demo):
    first = load_ratings_demo()
    second = load_ratings_demo()
    assert first.users == second.users
    names = {username for username, _role in first.users}
    assert {"giamdoc.stp", "chutich.tinh"} <= names
    assert any(name.startswith("truongphong.") for name in names)
