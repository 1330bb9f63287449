"""Security review 2026-11-22, C1, H1, H3: add and edit forms, their choices and the choosers.

Reproductions of the review: an agency admin (and a unit leader) posted assignment lines and
disqualifications for another agency's people — even the province chairman — and the scores of
those people fell; an agency admin re-linked the director's record to their own sign-in and
then acted as the director in the rating workflow.
"""

import datetime
import re

import pytest

from django.urls import reverse

from wagtail.snippets.models import get_snippet_models

from org import access
from org.access import (
    AGENCY_ADMIN_GROUP,
    CIVIL_SERVANT_GROUP,
    HOME_AFFAIRS_GROUP,
    UNIT_LEADER_GROUP,
)
from org.admin_scope import ScopedSnippetViewSet, restrict_form
from org.models import AccessRole, CivilServant, LeadershipRole
from scoring.models import AssignmentLine, Disqualification
from tests.factories import (
    AgencyAccessFactory,
    AgencyFactory,
    UnitFactory,
    UserFactory,
    catalog_version,
    post,
)
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_agencies():
    world = build_world()
    other = AgencyFactory(parent=world.province, code="SNNMT", name="Sở Nông nghiệp thử nghiệm")
    other_unit = UnitFactory(parent=other, code="SNNMT-P1", name="Phòng Trồng trọt")
    _version, other_items = catalog_version(other, items=(("N1", "1"),))
    own_person = world.person("Lê Thị Thu Hà")
    own_head = world.person("Trần Văn Trưởng", role=LeadershipRole.HEAD)
    outsider = post(other_unit, full_name="Bùi Bảo Dung")
    chairman = post(world.province, role=LeadershipRole.HEAD, full_name="Chủ Tịch Tỉnh")
    agency_admin = UserFactory(username="quantri.thu", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=agency_admin, agency=world.department)
    leader = UserFactory(username="lanhdao.thu", groups=[UNIT_LEADER_GROUP])
    AgencyAccessFactory(user=leader, agency=world.unit, role=AccessRole.UNIT_LEADER)
    own_head.user = leader
    own_head.save()
    return {
        "world": world,
        "other_unit": other_unit,
        "other_item": other_items["N1"],
        "own_person": own_person,
        "outsider": outsider,
        "chairman": chairman,
        "agency_admin": agency_admin,
        "leader": leader,
        "home_affairs": UserFactory(username="sonoivu.thu", groups=[HOME_AFFAIRS_GROUP]),
    }


def snippet_url(model, action, *args):
    return reverse(
        f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:{action}", args=args
    )


def line_data(person, unit, item, period, **extra):
    return {
        "civil_servant": person.pk,
        "period": period.pk,
        "item": item.pk,
        "unit": unit.pk,
        "assigned_quantity": "50",
        "completed_quantity": "0",
        "deadline": "",
        "completed_on": "",
        "failed_reviews": "9",
        "delays": "9",
        "note": "probe",
        **extra,
    }


@pytest.mark.parametrize("role", ["agency_admin", "leader"])
def test_no_assignment_line_for_another_agencys_person(client, two_agencies, role):
    """C1 reproduction 1 and 3: the line is refused and nothing is stored."""
    w = two_agencies
    client.force_login(w[role])
    response = client.post(
        snippet_url(AssignmentLine, "add"),
        line_data(
            w["outsider"],
            w["other_unit"],
            w["other_item"],
            w["world"].period,
            source="api",
            external_id="api:1:forged",
        ),
    )
    assert response.status_code == 200  # the form again, with errors
    assert not AssignmentLine.objects.filter(civil_servant=w["outsider"]).exists()


def test_no_line_for_an_own_unit_but_another_agencys_person(client, two_agencies):
    w = two_agencies
    client.force_login(w["agency_admin"])
    client.post(
        snippet_url(AssignmentLine, "add"),
        line_data(w["outsider"], w["world"].unit, w["world"].items["X"], w["world"].period),
    )
    assert not AssignmentLine.objects.filter(civil_servant=w["outsider"]).exists()


def test_own_agency_line_is_stored_with_its_author_and_no_forged_provenance(client, two_agencies):
    """What the agency admin may do still works; source and external id cannot be set by hand
    (an integration's idempotency keys), and the author is recorded."""
    w = two_agencies
    client.force_login(w["agency_admin"])
    response = client.post(
        snippet_url(AssignmentLine, "add"),
        line_data(
            w["own_person"],
            w["world"].unit,
            w["world"].items["X"],
            w["world"].period,
            source="api",
            external_id="api:1:forged",
            failed_reviews="0",
            delays="0",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    line = AssignmentLine.objects.get(civil_servant=w["own_person"])
    assert line.source == "manual" and line.external_id == ""
    assert line.created_by == w["agency_admin"]


def test_nobody_changes_the_inputs_of_their_own_score(client, two_agencies):
    """A unit leader reaches their unit, themselves included, but may not add lines to
    their own record."""
    w = two_agencies
    head = CivilServant.objects.get(user=w["leader"])
    client.force_login(w["leader"])
    client.post(
        snippet_url(AssignmentLine, "add"),
        line_data(
            head,
            w["world"].unit,
            w["world"].items["X"],
            w["world"].period,
            failed_reviews="0",
            delays="0",
        ),
    )
    assert not AssignmentLine.objects.filter(civil_servant=head).exists()


def test_moving_a_line_to_another_agencys_person_is_refused(client, two_agencies):
    w = two_agencies
    line = w["world"].line(w["own_person"])
    client.force_login(w["agency_admin"])
    client.post(
        snippet_url(AssignmentLine, "edit", line.pk),
        line_data(w["outsider"], w["world"].unit, w["world"].items["X"], w["world"].period),
    )
    line.refresh_from_db()
    assert line.civil_servant == w["own_person"]


@pytest.mark.parametrize("target", ["outsider", "chairman"])
def test_no_disqualification_for_another_agencys_person(client, two_agencies, target):
    """C1 reproduction 2 (the province chairman included)."""
    w = two_agencies
    client.force_login(w["agency_admin"])
    client.post(
        snippet_url(Disqualification, "add"),
        {
            "civil_servant": w[target].pk,
            "year": "2026",
            "kind": "discipline_reprimand_or_heavier",
            "reference": "SEC-TEST-1",
            "decided_on": "2026-03-01",
            "note": "probe",
        },
    )
    assert not Disqualification.objects.filter(reference="SEC-TEST-1").exists()


def test_home_affairs_may_record_a_disqualification_anywhere(client, two_agencies):
    w = two_agencies
    client.force_login(w["home_affairs"])
    response = client.post(
        snippet_url(Disqualification, "add"),
        {
            "civil_servant": w["outsider"].pk,
            "year": "2026",
            "kind": "discipline_reprimand_or_heavier",
            "reference": "15/QĐ-KL",
            "decided_on": "2026-03-01",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert Disqualification.objects.filter(civil_servant=w["outsider"]).exists()


def test_only_home_affairs_links_a_sign_in_to_a_person(client, two_agencies):
    """H3: the agency admin's form shows the link disabled and a posted value is ignored."""
    w = two_agencies
    director = w["world"].person(
        "Phạm Ánh Tuyết", agency=w["world"].department, role=LeadershipRole.HEAD
    )
    director_user = UserFactory(username="giamdoc.thu", groups=[CIVIL_SERVANT_GROUP])
    director.user = director_user
    director.save()
    client.force_login(w["agency_admin"])
    page = client.get(snippet_url(CivilServant, "edit", director.pk)).content.decode()
    select = re.search(r'<select name="user".*?</select>', page, re.S).group(0)
    # L3: no list of every account, only the current link.
    assert re.findall(r'<option value="(\d+)"', select) == [str(director_user.pk)]
    posting = director.postings.get()
    client.post(
        snippet_url(CivilServant, "edit", director.pk),
        {
            "official_id": director.official_id,
            "full_name": director.full_name,
            "gender": "",
            "date_of_birth": "",
            "email": "",
            "phone": "",
            "is_active": "on",
            "user": w["agency_admin"].pk,
            "postings-TOTAL_FORMS": "1",
            "postings-INITIAL_FORMS": "1",
            "postings-MIN_NUM_FORMS": "0",
            "postings-MAX_NUM_FORMS": "1000",
            "postings-0-id": posting.pk,
            "postings-0-agency": posting.agency_id,
            "postings-0-job_position": posting.job_position_id,
            "postings-0-role": posting.role,
            "postings-0-category": posting.category,
            "postings-0-title": "",
            "postings-0-start_date": posting.start_date.isoformat(),
            "postings-0-end_date": "",
            "postings-0-decision_ref": "",
            "postings-0-ORDER": "1",
        },
    )
    director.refresh_from_db()
    assert director.user == director_user


def test_home_affairs_links_a_sign_in(two_agencies):
    w = two_agencies
    form_class = CivilServant.snippet_viewset.get_form_class()
    form = form_class(instance=w["own_person"], for_user=w["home_affairs"])
    restrict_form(form, w["home_affairs"])
    assert not form.fields["user"].disabled
    assert form.fields["user"].queryset.filter(pk=w["agency_admin"].pk).exists()


def test_every_snippet_viewset_asks_the_permission_layer():
    """A snippet registered with a plain SnippetViewSet would bring back every leak above."""
    plain = [
        m.__name__
        for m in get_snippet_models()
        if not isinstance(m.snippet_viewset, ScopedSnippetViewSet)
    ]
    assert not plain


def test_every_model_a_form_can_pick_has_a_declared_scope():
    """Undeclared models are Sở Nội vụ-only by default; every model an admin form can pick is
    declared in some app's ``policy.ROW_SCOPES`` (except sign-ins, Sở Nội vụ's alone)."""
    from django.contrib.auth import get_user_model
    from django.forms import ModelChoiceField

    undeclared = set()
    for model in get_snippet_models():
        if not model.snippet_viewset.permission_policy.user_has_permission(
            UserFactory(is_superuser=True), "add"
        ):
            continue  # read-only listings (stored scores): their forms are never shown
        form_class = model.snippet_viewset.get_form_class()
        for name, field in form_class.base_fields.items():
            if isinstance(field, ModelChoiceField):
                target = field.queryset.model
                if target is not get_user_model() and not access.is_declared(target):
                    undeclared.add(f"{model.__name__}.{name} → {target.__name__}")
    assert not undeclared


@pytest.mark.parametrize("role", ["agency_admin", "leader"])
def test_no_add_form_offers_another_agencys_rows(two_agencies, role):
    """Generated over every snippet add form: no choice (foreign key, many-to-many, inline
    child) offers a person, unit or row of another agency."""
    w = two_agencies
    user = w[role]
    outside_people = {w["outsider"].pk, w["chairman"].pk}
    outside_agencies = {w["other_unit"].pk, w["other_unit"].parent_id, w["world"].province.pk}
    offered = []
    for model in get_snippet_models():
        form_class = model.snippet_viewset.get_form_class()
        form = form_class(for_user=user)
        restrict_form(form, user)
        forms = [
            form,
            *[
                f
                for fs in getattr(form, "formsets", {}).values()
                for f in [*fs.forms, fs.empty_form]
            ],
        ]
        for each in forms:
            for name, field in each.fields.items():
                queryset = getattr(field, "queryset", None)
                if queryset is None:
                    continue
                pks = set(queryset.values_list("pk", flat=True))
                if queryset.model is CivilServant and pks & outside_people:
                    offered.append(f"{model.__name__}.{name}")
                if queryset.model._meta.label == "org.Agency" and pks & outside_agencies:
                    offered.append(f"{model.__name__}.{name}")
    assert not offered


def test_a_period_closed_still_refuses(client, two_agencies):
    """What held in the review keeps holding: a closed period refuses the line."""
    from scoring.models import Period, PeriodStatus

    w = two_agencies
    closed = Period.for_date(datetime.date(2026, 2, 1), create=True)
    Period.objects.filter(pk=closed.pk).update(status=PeriodStatus.CLOSED)
    client.force_login(w["agency_admin"])
    client.post(
        snippet_url(AssignmentLine, "add"),
        line_data(
            w["own_person"],
            w["world"].unit,
            w["world"].items["X"],
            closed,
            failed_reviews="0",
            delays="0",
        ),
    )
    assert not AssignmentLine.objects.filter(period=closed).exists()
