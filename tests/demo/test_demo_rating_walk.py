"""Review 2026-11-22 (ux #3, friction 9): in the demo the province chairman could not decide
the director's case — Sở Tư pháp and its units must be decided first, and five unit heads had
no sign-in. Every person holding a role on a demo case now has one (password DEMO_PASSWORD),
and the demo walks from the lowest level up to the director's case, each step performed by the
demo sign-in that holds the role."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.loader import DEMO_PASSWORD
from demo.ratings_demo import YEAR, load_ratings_demo
from org.authority import head_posting
from org.models import Agency
from org_scoring.services.lookup import stored_score
from ratings.actors import (
    APPRAISER,
    EVALUATOR,
    OPINION_HOLDER,
    RATER,
    SUBJECT,
    resolve_actors,
)
from ratings.models import CaseState, RatingCase
from ratings.services.ceilings import ceiling_for
from ratings.services.prerequisites import decision_prerequisites
from ratings.workflow.machine import perform
from tests.factories import minutes_file

pytestmark = pytest.mark.django_db


def signed_in_holder(case, role):
    """The demo sign-in holding ``role`` on ``case`` (it must exist and use the demo password)."""
    users = resolve_actors(case).users_for(role)
    assert users, f"nobody can sign in as {role} on {case.subject_name}"
    user = users[0]
    assert user.check_password(DEMO_PASSWORD), user.username
    return user


def take_to_decision(case, level=None, stop_at=None):
    """self-assess → meeting → appraisal (→ opinion) → decision, each by its role holder
    (``stop_at``: the last state to reach)."""
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
    if stop_at == CaseState.REVIEWED:
        return None
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
    if stop_at == CaseState.APPRAISED:
        return None
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


def unit_case_of(unit):
    return RatingCase.objects.get(subject_agency=unit, year=YEAR)


def brute_force_waiting(user):
    """The reference: open every case the user sees and ask its roles (the old list filter)."""
    from ratings.access import visible_cases
    from ratings.actors import waiting_on

    found = []
    for case in visible_cases(user).exclude(state__in=[CaseState.CANCELLED, CaseState.NOTIFIED]):
        actors = resolve_actors(case)
        if actors.roles_of(user) & waiting_on(case, actors.opinion_required):
            found.append(case.pk)
    return sorted(found)


def test_cases_waiting_for_each_role_with_what_blocks_them(demo):
    """Review 2026-11-22 (friction 9): raters had no "waiting for me" panel. Each user's
    waiting cases equal opening every case one by one; the director's case shows that Sở Tư
    pháp must be decided first, Sở Tư pháp's that its units must; in a fixed number of
    queries."""
    from django.contrib.auth import get_user_model

    from ratings.case_reads.waiting import cases_waiting_for

    User = get_user_model()
    department = Agency.objects.get(code="STP")
    units = list(department.children.filter(is_active=True).order_by("path"))
    agency_case = RatingCase.objects.get(subject_agency=department, year=YEAR)
    director = head_posting(department, datetime.date(YEAR, 11, 1)).civil_servant
    director_case = RatingCase.objects.get(civil_servant=director, year=YEAR)
    take_to_decision(RatingCase.objects.get(subject_agency=units[0], year=YEAR))
    take_to_decision(
        RatingCase.objects.get(subject_agency=units[1], year=YEAR), stop_at="appraised"
    )
    take_to_decision(unit_case_of(units[2]), stop_at="reviewed")
    take_to_decision(agency_case, stop_at=CaseState.APPRAISED)
    take_to_decision(director_case, stop_at=CaseState.APPRAISED)
    staff = RatingCase.objects.filter(agency=units[0], year=YEAR, kind="civil_servant")
    for case in staff[:2]:
        perform(
            case,
            "self_assess",
            signed_in_holder(case, SUBJECT),
            data={"self_assessment": "Hoàn thành.", "self_level": "good"},
        )

    usernames = ["chutich.tinh", "giamdoc.stp", "quantri.stp", "sonoivu", "lanhdao.phong"]
    usernames += ["congchuc", "phogiamdoc1.stp"]
    for username in usernames:
        user = User.objects.get(username=username)
        got = sorted(item.case.pk for item in cases_waiting_for(user))
        assert got == brute_force_waiting(user), username

    chairman = User.objects.get(username="chutich.tinh")
    by_case = {item.case.pk: item for item in cases_waiting_for(chairman)}
    assert [a.action for a in by_case[director_case.pk].actions] == ["decide"]
    assert [c.key for c in by_case[director_case.pk].blockers] == ["agency_first"]
    assert "Sở Tư pháp" in by_case[director_case.pk].blockers[0].short
    assert [c.short for c in by_case[agency_case.pk].blockers] == [
        f"chờ quyết định cấp dưới: {len(units) - 1} đơn vị"
    ]
    director_user = User.objects.get(username="giamdoc.stp")
    mine = {item.case.pk: item for item in cases_waiting_for(director_user)}
    unit_case = RatingCase.objects.get(subject_agency=units[1], year=YEAR)
    assert mine[unit_case.pk].actions[0].action == "decide" and not mine[unit_case.pk].blocked

    # A fixed number of queries: two more cases waiting for the director cost nothing more.
    with CaptureQueriesContext(connection) as before:
        cases_waiting_for(director_user)
    take_to_decision(
        RatingCase.objects.get(subject_agency=units[3], year=YEAR), stop_at="appraised"
    )
    take_to_decision(
        RatingCase.objects.get(subject_agency=units[4], year=YEAR), stop_at="appraised"
    )
    with CaptureQueriesContext(connection) as after:
        waiting = cases_waiting_for(director_user)
    assert len(waiting) == len(mine) + 2
    assert len(after) == len(before) <= 40


def test_the_home_page_shows_the_chairman_what_waits_and_why(demo, client):
    from django.contrib.auth import get_user_model

    department = Agency.objects.get(code="STP")
    director = head_posting(department, datetime.date(YEAR, 11, 1)).civil_servant
    director_case = RatingCase.objects.get(civil_servant=director, year=YEAR)
    take_to_decision(director_case, stop_at=CaseState.APPRAISED)
    client.force_login(get_user_model().objects.get(username="chutich.tinh"))
    page = client.get("/admin/").content.decode()
    assert 'id="ratings-waiting-table"' in page
    assert f"/admin/ratings/cases/{director_case.pk}/" in page
    assert "chờ quyết định Sở Tư pháp" in page
    # The panel's link: the case list filtered on "waiting for me" (the same answer).
    listing = client.get("/admin/ratings/?mine=1").content.decode()
    assert f"/admin/ratings/cases/{director_case.pk}/" in listing
    case_page = client.get(f"/admin/ratings/cases/{director_case.pk}/").content.decode()
    assert 'id="case-prerequisites"' in case_page
    assert 'data-check="agency_first" data-done="0"' in case_page
