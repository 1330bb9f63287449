"""Form 01 on screen: the civil servant writes own marks, the evaluator the counted ones; the
period is rescored; nobody else may open it; a closed period is read-only."""

import pytest
from django.urls import reverse

from org.access import CIVIL_SERVANT_GROUP, UNIT_LEADER_GROUP
from org.models import LeadershipRole
from scoring.models import GeneralCriteriaMark, PeriodScore, PeriodStatus
from tests.factories import UserFactory
from tests.scoring.helpers import GENERAL_CODES, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    world = build_world()
    person = world.person("Nguyễn Văn Điền")
    world.line(person, "X", 2, 2)
    head = world.person("Trương Văn Chấm", role=LeadershipRole.HEAD)
    person.user = UserFactory(username="dien", groups=[CIVIL_SERVANT_GROUP])
    person.save()
    head.user = UserFactory(username="cham", groups=[UNIT_LEADER_GROUP])
    head.save()
    outsider = UserFactory(username="ngoai", groups=[CIVIL_SERVANT_GROUP])
    url = reverse("ratings_form01_entry", args=[person.pk, world.period.pk])
    return world, person, head, outsider, url


def marks(prefix, value):
    return {f"{prefix}_{code.replace('.', '_')}": value for code in GENERAL_CODES}


def test_self_then_evaluator_marks_and_rescoring(client, setup):
    _world, person, head, _outsider, url = setup
    client.force_login(person.user)
    page = client.get(url).content.decode()
    assert "III.4" in page and "Điểm người đánh giá chấm" in page
    assert client.post(url, {**marks("self", "2"), **marks("eval", "1")}).status_code == 302
    stored = GeneralCriteriaMark.objects.filter(civil_servant=person)
    assert stored.count() == 10
    assert {m.self_mark for m in stored} == {2} and {m.evaluator_mark for m in stored} == {None}
    assert PeriodScore.objects.get(civil_servant=person).general_points is not None

    client.force_login(head.user)
    assert client.post(url, {**marks("eval", "2.5"), **marks("self", "0")}).status_code == 302
    stored = GeneralCriteriaMark.objects.filter(civil_servant=person)
    assert {m.self_mark for m in stored} == {2}  # the evaluator cannot touch own marks
    assert {m.evaluator_mark for m in stored} == {2.5}
    assert {m.evaluator for m in stored} == {head.user}
    score = PeriodScore.objects.get(civil_servant=person)
    assert score.general_points == 25  # 10 × 2.5 of 30 marks → 25 points


def test_marks_above_the_maximum_are_refused(client, setup):
    _world, person, _head, _outsider, url = setup
    client.force_login(person.user)
    response = client.post(url, marks("self", "6"))
    assert response.status_code == 400
    assert not GeneralCriteriaMark.objects.filter(civil_servant=person).exists()


def test_others_cannot_open_it_and_closed_periods_are_read_only(client, setup):
    world, person, _head, outsider, url = setup
    client.force_login(outsider)
    assert client.get(url).status_code in (302, 403)
    world.period.status = PeriodStatus.CLOSED
    world.period.save()
    client.force_login(person.user)
    assert "chỉ xem" in client.get(url).content.decode()
    assert client.post(url, marks("self", "2")).status_code in (302, 403)
    assert not GeneralCriteriaMark.objects.filter(civil_servant=person).exists()


def test_my_page_links_to_open_periods_and_people_i_evaluate(client, setup):
    _world, _person, head, _outsider, url = setup
    client.force_login(head.user)
    page = client.get(reverse("ratings_my")).content.decode()
    assert "Nguyễn Văn Điền" in page and url in page
