"""Form 01 on screen: the civil servant writes own marks, the evaluator the counted ones; the
period is rescored; nobody else may open it; a closed period is read-only."""

import pytest

from django.urls import reverse

from org.access import CIVIL_SERVANT_GROUP, UNIT_LEADER_GROUP
from org.models import LeadershipRole
from scoring.models import GeneralCriteriaMark, PeriodScore, PeriodStatus, RunStatus, ScoringRun
from tests.factories import GENERAL_CODES, UserFactory
from tests.scoring.helpers import build_world

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
    # Self-marks alone: not scored until the evaluator marks (review U7, framework default
    # marks.self_mark_without_evaluator = not_scored [inferred]).
    waiting = PeriodScore.objects.get(civil_servant=person)
    assert not waiting.scored and waiting.general_points is None
    assert waiting.explanation["steps"][-1]["reason"] == "awaiting_evaluator"
    # What the civil servant sees (review 2026-11-23 C1): waiting for the leader, with the
    # self-marks — not "—" and not "không chấm điểm" (which reads as exempt).
    page = client.get(url, follow=True).content.decode()
    assert "Đã lưu điểm tự chấm; kỳ này chờ lãnh đạo chấm." in page
    assert "Chờ lãnh đạo chấm." in page and "Điểm tự chấm tiêu chí chung: 20 điểm." in page
    assert "tổng điểm —" not in page
    mine = client.get(reverse("ratings_my")).content.decode()
    assert "chờ lãnh đạo chấm" in mine and "không chấm điểm" not in mine

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


@pytest.fixture
def leader_setup(client):
    """A unit head (a leader) and the director who evaluates him (Art. 15 cl. 3 đ, e)."""
    world = build_world()
    head = world.person("Trương Văn Chấm", role=LeadershipRole.HEAD)
    world.line(head, "X", 2, 2)
    world.marks(head, 27, evaluator_total=27)
    director = world.person("Lê Thị Giám", agency=world.department, role=LeadershipRole.HEAD)
    head.user = UserFactory(username="cham", groups=[UNIT_LEADER_GROUP])
    head.save()
    director.user = UserFactory(username="giamdoc", groups=[UNIT_LEADER_GROUP])
    director.save()
    url = reverse("ratings_form01_entry", args=[head.pk, world.period.pk])
    return world, head, director, url


def test_the_evaluator_chooses_leader_criteria_dd_and_e_and_the_leader_is_scored(
    client, leader_setup
):
    """Review 2026-11-22 (legal #1): đ and e had no entry outside the demo, so no leader was
    ever scored. The evaluator now chooses them on Form 01 (Art. 15 cl. 3 đ, e)."""
    from scoring.models import LeaderMark

    _world, head, director, url = leader_setup
    client.force_login(director.user)
    page = client.get(url).content.decode()
    assert 'id="leader-criteria"' in page and 'name="leader_dd"' in page
    assert client.post(url, {"leader_dd": "100", "leader_e": "50"}).status_code == 302
    mark = LeaderMark.objects.get(civil_servant=head)
    assert (mark.organising, mark.cohesion, mark.evaluator) == (100, 50, director.user)
    score = PeriodScore.objects.get(civil_servant=head)
    assert score.task_points is not None and score.total is not None
    # Shown again as chosen.
    page = client.get(url).content.decode()
    assert '<option value="50" selected>' in page


def test_only_one_of_dd_and_e_is_refused(client, leader_setup):
    from scoring.models import LeaderMark

    _world, head, director, url = leader_setup
    client.force_login(director.user)
    response = client.post(url, {"leader_dd": "100"})
    assert response.status_code == 400
    assert "phải được chọn cùng lúc" in response.content.decode()
    assert not LeaderMark.objects.filter(civil_servant=head).exists()


def test_a_leader_cannot_choose_his_own_dd_and_e(client, leader_setup):
    from scoring.models import LeaderMark

    _world, head, _director, url = leader_setup
    client.force_login(head.user)
    page = client.get(url).content.decode()
    assert 'name="leader_dd"' in page and "disabled" in page.split('name="leader_dd"')[1][:200]
    client.post(url, {"leader_dd": "100", "leader_e": "100"})
    assert not LeaderMark.objects.filter(civil_servant=head).exists()


def test_staff_have_no_leader_criteria(client, setup):
    _world, person, _head, _outsider, url = setup
    client.force_login(person.user)
    assert 'id="leader-criteria"' not in client.get(url).content.decode()


def test_two_evaluators_on_one_form_the_second_is_told_and_nothing_is_reverted(setup):
    """The head and Sở Nội vụ-like second evaluator open the same Form 01; the first saves;
    the second's save on the page opened before is refused with the differences, and the first
    one's marks stay (issue 27: lost updates)."""
    from django.test import Client

    from tests.browsing import form_data

    _world, person, head, _outsider, url = setup
    first, second = Client(), Client()
    first.force_login(head.user)
    second.force_login(head.user)
    page_a = form_data(first.get(url).content.decode())
    page_b = form_data(second.get(url).content.decode())
    assert page_a["kpi_seen"]
    assert first.post(url, {**page_a, **marks("eval", "2,5")}).status_code == 302
    stale = second.post(url, {**page_b, **marks("eval", "1")})
    text = stale.content.decode()
    assert "đã được người khác thay đổi" in text
    assert "I.1 (người đánh giá chấm): lúc bạn mở trang là “—”, nay là “2,50”" in text
    stored = GeneralCriteriaMark.objects.filter(civil_servant=person)
    assert {m.evaluator_mark for m in stored} == {2.5}
    # Having seen it, the second saves on purpose.
    again = second.post(url, {**form_data(text), **marks("eval", "1")})
    assert again.status_code == 302
    assert {m.evaluator_mark for m in stored.all()} == {1}


def test_form01_the_api_and_the_scorer_agree_on_a_role_change_mid_period():
    """Staff until the 19th, head of the unit from the 20th of an open month: every door asks
    the one rule (the posting on the period's last day governs), so Form 01 offers đ/e, the
    scorer needs them and the API accepts them (review arch.md H1; Form 01 used to ask about
    today, before the change)."""
    import datetime

    from org.models import Posting
    from ratings.services.form01_entry import is_leader_in
    from scoring.services import framework_for_person
    from scoring.services.postings import governing_posting_of

    world = build_world(datetime.date(2099, 12, 1))
    person = world.person("Phan Văn Lên")
    staff = person.postings.get()
    staff.end_date = datetime.date(2099, 12, 19)
    staff.save()
    Posting.objects.create(
        civil_servant=person,
        agency=staff.agency,
        job_position=staff.job_position,
        role=LeadershipRole.HEAD,
        start_date=datetime.date(2099, 12, 20),
    )
    rules = framework_for_person(person, world.period).rules
    scorer_role = governing_posting_of(person, world.period).role
    assert scorer_role == LeadershipRole.HEAD
    assert is_leader_in(person, world.period, rules) is rules.is_leader_role(scorer_role) is True


def test_a_level_the_framework_lacks_gets_the_message_of_every_door(client, leader_setup):
    """A forged Form 01 (đ = 75 %) is refused with the sentence the API and the admin give
    (``scoring.services.leader_marks.level_message``); nothing is stored."""
    from html import unescape

    from scoring.models import LeaderMark

    _world, head, director, url = leader_setup
    client.force_login(director.user)
    response = client.post(url, {"leader_dd": "75", "leader_e": "50"})
    assert "Giá trị phải là một trong các mức: 100, 50." in unescape(response.content.decode())
    assert not LeaderMark.objects.filter(civil_servant=head).exists()


def test_two_evaluators_choosing_dd_and_e_the_second_is_told_in_words(leader_setup):
    """The leader marks on Form 01: the second save on a page opened before the first is
    refused, naming criterion đ as the form does (not the stored field), and the first one's
    levels stay."""
    from html import unescape

    from django.test import Client

    from scoring.models import LeaderMark
    from tests.browsing import form_data

    _world, head, director, url = leader_setup
    first, second = Client(), Client()
    first.force_login(director.user)
    second.force_login(director.user)
    page_a = form_data(first.get(url).content.decode())
    page_b = form_data(second.get(url).content.decode())
    assert first.post(url, {**page_a, "leader_dd": "100", "leader_e": "50"}).status_code == 302
    stale = second.post(url, {**page_b, "leader_dd": "50", "leader_e": "50"})
    text = unescape(stale.content.decode())
    assert "đ (lãnh đạo): lúc bạn mở trang là “—”, nay là “100" in text
    assert "organising" not in text
    mark = LeaderMark.objects.get(civil_servant=head)
    assert (mark.organising, mark.cohesion) == (100, 50)


def test_my_results_lists_the_people_i_evaluate_with_their_form01(client, setup):
    """A head's own results page lists the people they evaluate today, each with the link to
    their Form 01 of the open period (the people read once per request with the menu's)."""
    _world, person, head, _outsider, url = setup
    client.force_login(head.user)
    page = client.get(reverse("ratings_my")).content.decode()
    assert "Công chức do tôi theo dõi, đánh giá" in page
    assert "Nguyễn Văn Điền" in page and f'href="{url}"' in page
    client.force_login(person.user)
    page = client.get(reverse("ratings_my")).content.decode()
    assert "Công chức do tôi theo dõi, đánh giá" not in page


def test_in_a_large_tree_the_leaders_above_follow_in_the_background(client, monkeypatch):
    """Issue 48: in a 100,000-person province a Form 01 saved on screen waited about 7 s for
    the leaders above (the chairman's charge is the province). In a large tree the person is
    rescored before the page answers and the leaders above go to the period's leaders' run, as
    an import's do: the page says so, their annual figures count as owed until it has run, and
    the run then gives the figures the inline cascade gave (nothing left for a batch)."""
    from scoring.services import person as person_service
    from scoring.services import rescoring, score_period
    from scoring.services.freshness import annual_refusal, pending_run_since

    world = build_world()
    director = world.person("Lê Giám Đốc", agency=world.department, role=LeadershipRole.HEAD)
    head = world.person("Trương Văn Chấm", role=LeadershipRole.HEAD)
    staff = world.person("Nguyễn Văn Điền")
    for person in (director, head, staff):
        world.full_month(person, total=28)
    for leader in (director, head):
        world.leader_marks(leader)
    head.user = UserFactory(username="cham", groups=[UNIT_LEADER_GROUP])
    head.save()
    score_period(world.period)
    before = {p.pk: PeriodScore.objects.get(civil_servant=p) for p in (director, head)}

    monkeypatch.setattr(person_service, "CASCADE_BATCH_FROM", 1)  # every tree is large
    monkeypatch.setattr(rescoring, "database_queue", lambda: True)  # the worker's queue
    queued = []
    monkeypatch.setattr(
        rescoring, "enqueue_run", lambda pk, run_after=None: queued.append((pk, run_after))
    )
    client.force_login(head.user)
    url = reverse("ratings_form01_entry", args=[staff.pk, world.period.pk])
    page = client.post(url, marks("eval", "0.5"), follow=True).content.decode()

    run = ScoringRun.objects.get(leaders=True)
    assert "Đã lưu điểm và tính lại kết quả của kỳ." in page
    assert f"Kết quả của lãnh đạo cấp trên đang được tính lại (lượt tính số {run.pk})." in page
    assert queued == [(run.pk, None)]
    assert set(run.people) == {director.pk, head.pk} and run.requested_by == head.user
    assert run.reason == "Lãnh đạo cấp trên của Nguyễn Văn Điền (Phiếu 01)"
    staff_score = PeriodScore.objects.get(civil_servant=staff)
    assert (staff_score.general_points, staff_score.rating) == (5, "good")  # was excellent
    counted = str(staff.pk)
    for leader in (director, head):  # not yet: owed, so no decision or print takes them
        stored = PeriodScore.objects.get(civil_servant=leader)
        assert stored.explanation["subordinates"][counted] == "excellent"
        assert "đang được tính lại" in annual_refusal(leader.pk, world.period.year)
        assert pending_run_since(leader.pk, world.period.year) == run.created_at

    assert rescoring.run(run.pk) == RunStatus.DONE
    for leader in (director, head):
        stored = PeriodScore.objects.get(civil_servant=leader)
        assert stored.explanation["subordinates"][counted] == "good"
        assert stored.computed_at > before[leader.pk].computed_at
        # No run owes them any more (the annual refresh then follows their new period scores).
        assert pending_run_since(leader.pk, world.period.year) is None
    assert score_period(world.period).written == 0
