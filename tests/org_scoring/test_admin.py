"""The admin pages: who may list, add, edit and recompute which agency's rows (Sở Nội vụ
everything; an agency admin their agency's subtree; anyone else 403 or a redirect), the
appraiser-only fields, and the agency-year page with its explanation."""

import datetime

import pytest

from django.urls import reverse

from org.access import (
    AGENCY_ADMIN_GROUP,
    CIVIL_SERVANT_GROUP,
    HOME_AFFAIRS_GROUP,
    UNIT_LEADER_GROUP,
)
from org.models import AccessRole
from org_scoring.models import OrganisationGeneralMark, OrganisationScore, OrganisationTask
from org_scoring.services import score_organisations
from tests.factories import AgencyAccessFactory, UserFactory
from tests.factories.org_scoring import YEAR, OrganisationTaskFactory

pytestmark = pytest.mark.django_db
DENIED = (302, 403)


@pytest.fixture
def setup(world):
    users = {
        "home_affairs": UserFactory(groups=[HOME_AFFAIRS_GROUP]),
        "admin": UserFactory(groups=[AGENCY_ADMIN_GROUP]),
        "other_admin": UserFactory(groups=[AGENCY_ADMIN_GROUP]),
        "unit_leader": UserFactory(groups=[UNIT_LEADER_GROUP]),
        "civil_servant": UserFactory(groups=[CIVIL_SERVANT_GROUP]),
    }
    AgencyAccessFactory(user=users["admin"], agency=world.department)
    AgencyAccessFactory(user=users["other_admin"], agency=world.other)
    AgencyAccessFactory(user=users["unit_leader"], agency=world.unit, role=AccessRole.UNIT_LEADER)
    world.complete(world.unit, "on_time", "exceeded", "late:2")
    world.complete(world.other)
    world.extra.update(
        users=users,
        own_task=OrganisationTask.objects.filter(agency=world.unit).first(),
        other_task=OrganisationTask.objects.filter(agency=world.other).first(),
    )
    return world


def snippet_url(model, action, *args):
    return reverse(f"wagtailsnippets_org_scoring_{model}:{action}", args=args)


def login(client, world, who):
    client.force_login(world.extra["users"][who])
    return client


def test_home_affairs_lists_every_agencys_tasks(client, setup):
    html = login(client, setup, "home_affairs").get(snippet_url("organisationtask", "list"))
    assert html.status_code == 200
    text = html.content.decode()
    assert "Phòng Một" in text and "Sở Khác" in text


def test_an_agency_admin_lists_only_their_agencys_subtree(client, setup):
    text = (
        login(client, setup, "admin").get(snippet_url("organisationtask", "list")).content.decode()
    )
    assert "Phòng Một" in text and "Sở Khác" not in text
    text = client.get(snippet_url("organisationgeneralmark", "list")).content.decode()
    assert "Phòng Một" in text and "Sở Khác" not in text


@pytest.mark.parametrize("action", ["edit", "delete", "history", "usage"])
def test_an_agency_admin_cannot_open_another_agencys_row_by_url(client, setup, action):
    login(client, setup, "admin")
    own = client.get(snippet_url("organisationtask", action, setup.extra["own_task"].pk))
    other = client.get(snippet_url("organisationtask", action, setup.extra["other_task"].pk))
    assert own.status_code == 200
    assert other.status_code in DENIED


def test_an_agency_admin_cannot_change_or_delete_another_agencys_task(client, setup):
    login(client, setup, "admin")
    other = setup.extra["other_task"]
    assert client.post(snippet_url("organisationtask", "delete", other.pk)).status_code in DENIED
    assert OrganisationTask.objects.filter(pk=other.pk).exists()
    response = client.post(snippet_url("organisationtask", "edit", other.pk), task_form(other))
    assert response.status_code in DENIED


@pytest.mark.parametrize("who", ["unit_leader", "civil_servant"])
def test_others_get_nothing(client, setup, who):
    login(client, setup, who)
    for model in ("organisationtask", "organisationgeneralmark", "organisationshortcoming"):
        assert client.get(snippet_url(model, "list")).status_code in DENIED
    task = setup.extra["own_task"]
    assert client.get(snippet_url("organisationtask", "edit", task.pk)).status_code in DENIED
    assert client.get(reverse("org_scoring_index")).status_code in DENIED
    page = reverse("org_scoring_agency_year", args=[setup.unit.pk, YEAR])
    assert client.get(page).status_code in DENIED
    assert client.post(page).status_code in DENIED
    assert not OrganisationScore.objects.exists()


def task_form(task=None, **overrides):
    data = {
        "agency": task.agency_id if task else "",
        "year": YEAR,
        "document_ref": "77/QĐ-UBND",
        "document_title": "Quyết định giao nhiệm vụ",
        "description": "Hoàn thành đề án sắp xếp tổ chức",
        "deadline": "2026-09-30",
        "outcome": "on_time",
        "delays": 0,
        "completed_on": "2026-09-20",
        "note": "",
    }
    data.update(overrides)
    return data


def test_an_agency_admin_adds_a_task_to_their_unit_but_not_elsewhere(client, setup):
    login(client, setup, "admin")
    url = snippet_url("organisationtask", "add")
    response = client.post(url, task_form(agency=setup.unit.pk))
    assert response.status_code == 302
    created = OrganisationTask.objects.get(document_ref="77/QĐ-UBND")
    assert created.agency == setup.unit and not created.is_certified
    response = client.post(url, task_form(agency=setup.other.pk, document_ref="78/QĐ-UBND"))
    assert response.status_code == 200  # the form again, with the error
    assert not OrganisationTask.objects.filter(document_ref="78/QĐ-UBND").exists()


def test_the_model_validation_is_shown_in_the_form(client, setup):
    login(client, setup, "admin")
    response = client.post(
        snippet_url("organisationtask", "add"),
        task_form(agency=setup.unit.pk, outcome="late", delays=0, completed_on="2026-10-05"),
    )
    assert response.status_code == 200
    assert "Nhiệm vụ trễ hạn phải có ít nhất 1 lần trễ hạn." in response.content.decode()


def test_only_the_appraiser_certifies_an_outcome(client, setup):
    # The department's admin appraises its units, not the department itself.
    login(client, setup, "admin")
    url = snippet_url("organisationtask", "add")
    client.post(url, task_form(agency=setup.unit.pk, document_ref="1/X", certify="on"))
    unit_task = OrganisationTask.objects.get(document_ref="1/X")
    assert unit_task.certified_by == setup.extra["users"]["admin"]
    response = client.post(
        url, task_form(agency=setup.department.pk, document_ref="2/X", certify="on")
    )
    assert response.status_code == 200
    assert "Chỉ Sở Nội vụ" in response.content.decode()
    # Sở Nội vụ certifies the department's; changing the outcome later clears it.
    login(client, setup, "home_affairs")
    client.post(url, task_form(agency=setup.department.pk, document_ref="3/X", certify="on"))
    task = OrganisationTask.objects.get(document_ref="3/X")
    assert task.is_certified
    login(client, setup, "admin")
    data = task_form(task, document_ref="3/X", outcome="exceeded", certify="on")
    assert client.post(snippet_url("organisationtask", "edit", task.pk), data).status_code == 302
    task.refresh_from_db()
    assert task.outcome == "exceeded" and not task.is_certified


def test_only_the_appraiser_gives_the_appraised_mark(client, setup):
    login(client, setup, "admin")
    url = snippet_url("organisationgeneralmark", "add")
    base = {"year": YEAR, "criterion": "G.1", "self_mark": "7", "note": ""}
    response = client.post(url, {**base, "agency": setup.department.pk, "appraised_mark": "6"})
    assert response.status_code == 200 and "Chỉ Sở Nội vụ" in response.content.decode()
    assert client.post(url, {**base, "agency": setup.unit2.pk, "appraised_mark": "6"}).status_code
    mark = OrganisationGeneralMark.objects.get(agency=setup.unit2)
    assert mark.appraised_by == setup.extra["users"]["admin"] and mark.appraised_at is not None
    # On the department's own row the field is disabled for its admin: a posted value is ignored.
    login(client, setup, "home_affairs")
    client.post(url, {**base, "agency": setup.department.pk, "appraised_mark": "6.5"})
    own = OrganisationGeneralMark.objects.get(agency=setup.department)
    login(client, setup, "admin")
    edit = snippet_url("organisationgeneralmark", "edit", own.pk)
    data = {**base, "agency": setup.department.pk, "self_mark": "7.5", "appraised_mark": "1"}
    assert client.post(edit, data).status_code == 302
    own.refresh_from_db()
    assert own.self_mark == 7.5 and own.appraised_mark == 6.5


def test_the_index_lists_the_agencies_in_scope_with_their_scores(client, setup):
    score_organisations(YEAR)
    html = login(client, setup, "admin").get(reverse("org_scoring_index"), {"year": YEAR})
    text = html.content.decode()
    assert html.status_code == 200
    assert "Phòng Một" in text and "Sở Khác" not in text
    assert "88,33" in text or "88.33" in text
    html = login(client, setup, "home_affairs").get(reverse("org_scoring_index"), {"year": YEAR})
    assert "Sở Khác" in html.content.decode()


@pytest.mark.parametrize(
    ("who", "agency", "allowed"),
    [
        ("home_affairs", "unit", True),
        ("home_affairs", "other", True),
        ("admin", "unit", True),
        ("admin", "department", True),
        ("admin", "other", False),
        ("other_admin", "unit", False),
    ],
)
def test_agency_year_page_and_recompute_access(client, setup, who, agency, allowed):
    target = getattr(setup, agency)
    url = reverse("org_scoring_agency_year", args=[target.pk, YEAR])
    login(client, setup, who)
    response = client.get(url)
    posted = client.post(url)
    if allowed:
        assert response.status_code == 200
        assert posted.status_code == 302 and posted["Location"] == url
        assert OrganisationScore.objects.filter(agency=target, year=YEAR).exists()
    else:
        assert response.status_code in DENIED and posted.status_code in DENIED
        assert not OrganisationScore.objects.filter(agency=target).exists()


def test_the_agency_year_page_explains_the_stored_score(client, setup):
    url = reverse("org_scoring_agency_year", args=[setup.unit.pk, YEAR])
    login(client, setup, "admin")
    assert "Chưa tính điểm cho cơ quan, đơn vị này trong năm." in client.get(url).content.decode()
    client.post(url)
    text = client.get(url).content.decode()
    task = OrganisationTask.objects.filter(agency=setup.unit, outcome="late").get()
    assert f"Nhiệm vụ 3 ({task.document_ref}): trễ hạn 2 lần → 50,00%." in text
    assert "Tổng 3 nhiệm vụ được tính: 1 đúng hạn, 1 vượt mức yêu cầu, 1 trễ hạn" in text
    assert "Tổng điểm của tổ chức = 88,33 điểm." in text
    assert "số nhiệm vụ trễ hạn vượt mức cho phép" in text
    # No level's conditions hold, no "not completed" case: the fall-through (review C17).
    assert "không thuộc trường hợp không hoàn thành nhiệm vụ (mục III.3.d)" in text
    assert "Dữ liệu đầu vào đã thay đổi" not in text
    OrganisationTaskFactory(
        agency=setup.unit, outcome="on_time", deadline=datetime.date(YEAR, 3, 1)
    )
    assert "Dữ liệu đầu vào đã thay đổi" in client.get(url).content.decode()


def test_the_menu_shows_only_to_those_allowed(client, setup):
    home, link = reverse("wagtailadmin_home"), reverse("org_scoring_index").encode()
    tasks_link = snippet_url("organisationtask", "list").encode()
    page = login(client, setup, "admin").get(home).content
    assert link in page and tasks_link in page
    page = login(client, setup, "unit_leader").get(home).content
    assert link not in page and tasks_link not in page


def test_the_agency_year_page_states_why_self_marks_are_not_scored(client, setup):
    """Review U7 for organisations (Gia Lai §III.4.b; ``marks.self_mark_without_evaluator``
    [inferred], default not_scored): the page says the agency waits for the appraiser, names
    the criteria and shows the rounding used once scored (Art. 20, [inferred])."""
    from org_scoring.models import OrganisationGeneralMark

    OrganisationGeneralMark.objects.filter(agency=setup.unit, criterion="G.2").update(
        appraised_mark=None
    )
    url = reverse("org_scoring_agency_year", args=[setup.unit.pk, YEAR])
    login(client, setup, "admin")
    client.post(url)
    text = client.get(url).content.decode()
    assert "Điểm tự chấm của tiêu chí G.2 chưa được cơ quan thẩm định chấm" in text
    assert "Chưa đủ dữ liệu để chấm điểm" in text
    OrganisationGeneralMark.objects.filter(agency=setup.unit, criterion="G.2").update(
        appraised_mark="7.5"
    )
    client.post(url)
    text = client.get(url).content.decode()
    assert "chưa được cơ quan thẩm định chấm" not in text
    assert "Làm tròn 2 chữ số thập phân" in text
