"""A mid-period transfer: which unit's period is it? (legal review 2026-11-23 U-C, issue 28.)

M1 failed work in unit A and was transferred to unit B on 15 March. Decree 335 Art. 21 names
the agency only for the annual rating; for months and quarters the law is silent. The system
scored the whole month under B — B's head's criterion d fell for work done in A, and A's head
never saw it. Now the province chooses in Settings ("Quy tắc chấm điểm kỳ"): the posting of the
period's last day (default, as before), of its first day, or of more days; every door asks the
same rule (the scorer one by one and in batch, the org snapshot's heads and criterion d, Form
01's evaluator, the API), the person's explanation says which unit the month went to and by
which rule, and changing the rule rescores the open periods it touches."""

import datetime

import pytest

from django.urls import reverse

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org.models import LeadershipRole, Posting
from ratings.services.form01_entry import entry_rights
from scoring.explain import render_steps
from scoring.models import PeriodScore, ScoringSettings, TransferRule
from scoring.services import score_period
from scoring.services.person import prepare_person, score_person
from scoring.services.postings import (
    governing_posting_of,
    governing_row_in,
    governing_rows_in,
)
from tests.factories import UnitFactory, UserFactory, with_user
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

MARCH_15 = datetime.date(2026, 3, 15)


@pytest.fixture
def world():
    world = build_world()
    world.unit_b = UnitFactory(parent=world.department, code="SNV-P2", name="Phòng Đào tạo")
    head_a = world.person("Trưởng phòng A", role=LeadershipRole.HEAD)
    head_b = world.person("Trưởng phòng B", agency=world.unit_b, role=LeadershipRole.HEAD)
    mover = world.person("Người chuyển")
    for head in (head_a, head_b):
        world.full_month(head)
        world.leader_marks(head)
        with_user(head, head.full_name.lower().replace(" ", "."))
    # Work done in unit A, before the transfer: 4 assigned, 1 completed (not completed).
    world.line(mover, "X", 4, 1)
    world.marks(mover, 27)
    posting = mover.postings.get()
    posting.end_date = MARCH_15 - datetime.timedelta(days=1)
    posting.save()
    Posting.objects.create(
        civil_servant=mover,
        agency=world.unit_b,
        job_position=posting.job_position,
        role=LeadershipRole.STAFF,
        start_date=MARCH_15,
    )
    world.head_a, world.head_b, world.mover = head_a, head_b, mover
    return world


def choose(rule):
    settings = ScoringSettings.load()
    settings.transfer_rule = rule
    settings.save()


def stored(world, person):
    return PeriodScore.objects.get(civil_servant=person, period=world.period)


def counted_by(world, head):
    return set(map(int, (stored(world, head).explanation.get("subordinates") or {})))


def transfer_line(world):
    return next(
        line
        for line in render_steps(stored(world, world.mover).explanation["steps"])
        if line.startswith("Thay đổi nơi công tác trong kỳ")
    )


@pytest.mark.parametrize(
    "rule, unit",
    [
        (TransferRule.END_OF_PERIOD, "unit_b"),
        (TransferRule.START_OF_PERIOD, "unit"),
        # 14 days in A (1–14 March), 17 in B (15–31): B.
        (TransferRule.MOST_DAYS, "unit_b"),
    ],
)
def test_each_rule_gives_the_month_to_one_unit_and_every_door_agrees(world, rule, unit):
    choose(rule)
    score_period(world.period)
    governs = getattr(world, unit)
    other = world.unit if governs == world.unit_b else world.unit_b
    head = world.head_a if governs == world.unit else world.head_b
    other_head = world.head_b if head == world.head_a else world.head_a

    # The scorer (batch): the month's agency, and whose criterion d counts the mover.
    assert stored(world, world.mover).agency_id == governs.pk
    assert world.mover.pk in counted_by(world, head)
    assert world.mover.pk not in counted_by(world, other_head)
    # The one-person scorer computes the same from the same inputs (nothing stale).
    for person in (world.mover, world.head_a, world.head_b):
        _data, prepared = prepare_person(person, world.period)
        assert prepared.inputs_hash == stored(world, person).inputs_hash, person.full_name
    # The framework and the API's posting.
    assert governing_posting_of(world.mover, world.period).agency_id == governs.pk
    # Many people at once (where a bulk write's rescoring runs are filed): the same postings
    # as one by one.
    people = [world.mover.pk, world.head_a.pk, world.head_b.pk]
    together = governing_rows_in(people, world.period)
    assert together == {pk: governing_row_in(pk, world.period) for pk in people}
    assert together[world.mover.pk].agency_id == governs.pk
    # Form 01: the head of the unit the month is scored for enters the evaluator's marks.
    after = datetime.date(2026, 4, 10)
    assert entry_rights(head.user, world.mover, world.period, after).evaluate
    assert not entry_rights(other_head.user, world.mover, world.period, after).evaluate
    # The explanation says what happened and by which rule.
    line = transfer_line(world)
    assert "từ Phòng Công chức sang Phòng Đào tạo (từ ngày 15/03/2026)" in line
    assert f"được tính cho {governs.name}" in line
    assert str(TransferRule(rule).label) in line
    assert other.name in line


def test_a_transfer_on_the_20th_stays_with_the_old_unit_under_more_days(world):
    new = world.mover.postings.get(agency=world.unit_b)
    new.start_date = datetime.date(2026, 3, 20)
    new.save()
    old = world.mover.postings.get(agency=world.unit)
    old.end_date = datetime.date(2026, 3, 19)
    old.save()
    choose(TransferRule.MOST_DAYS)
    score_period(world.period)
    assert stored(world, world.mover).agency_id == world.unit.pk


def test_a_head_transferred_mid_month_heads_the_unit_the_rule_gives(world):
    """The head of unit A moves to head unit B's sister unit C on 15 March; a new head of A
    starts that day. Under the first-day rule the old head is A's head for March (evaluates A's
    people, counts them in d); under the last-day rule the new head is."""
    unit_c = UnitFactory(parent=world.department, code="SNV-P3", name="Phòng Thanh tra")
    old_head = world.head_a
    posting = old_head.postings.get()
    posting.end_date = MARCH_15 - datetime.timedelta(days=1)
    posting.save()
    Posting.objects.create(
        civil_servant=old_head,
        agency=unit_c,
        job_position=posting.job_position,
        role=LeadershipRole.HEAD,
        start_date=MARCH_15,
    )
    new_head = world.person("Trưởng phòng A mới", role=LeadershipRole.HEAD, start=MARCH_15)
    world.full_month(new_head)
    world.leader_marks(new_head)
    staff = world.person("Chuyên viên A")
    world.full_month(staff)

    score_period(world.period)
    assert staff.pk in counted_by(world, new_head)
    assert stored(world, old_head).agency_id == unit_c.pk

    choose(TransferRule.START_OF_PERIOD)
    score_period(world.period)
    assert stored(world, old_head).agency_id == world.unit.pk
    assert staff.pk in counted_by(world, old_head)
    assert staff.pk not in counted_by(world, new_head)
    for person in (old_head, new_head, staff):
        _data, prepared = prepare_person(person, world.period)
        assert prepared.inputs_hash == stored(world, person).inputs_hash, person.full_name


def test_no_transfer_no_line_and_the_default_is_unchanged(world):
    steady = world.person("Ở yên")
    world.full_month(steady)
    score_period(world.period)
    assert ScoringSettings.load().transfer_rule == TransferRule.END_OF_PERIOD
    codes = [s.get("code") for s in stored(world, steady).explanation["steps"]]
    assert "period_transfer" not in codes


def test_home_affairs_changes_the_rule_in_settings_and_the_open_month_follows(
    world, client, django_capture_on_commit_callbacks
):
    score_period(world.period)
    assert stored(world, world.mover).agency_id == world.unit_b.pk
    officer = UserFactory(groups=[HOME_AFFAIRS_GROUP])
    client.force_login(officer)
    opened = client.get(
        reverse("wagtailsettings:edit", args=["scoring", "scoringsettings"]), follow=True
    )
    url = opened.redirect_chain[-1][0]
    page = opened.content.decode()
    assert "quy tắc chấm điểm kỳ" in page.lower()
    assert "Vị trí công tác ngày đầu kỳ" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"transfer_rule": TransferRule.START_OF_PERIOD}, follow=True)
    assert response.status_code == 200
    assert ScoringSettings.load().transfer_rule == TransferRule.START_OF_PERIOD
    # The open month was rescored by the background run the change queued.
    assert stored(world, world.mover).agency_id == world.unit.pk
    assert "theo quy tắc Sở Nội vụ chọn: Vị trí công tác ngày đầu kỳ" in transfer_line(world)
    # Who changed it, and from what, is kept.
    history = ScoringSettings.history.order_by("-history_date").first()
    assert history.transfer_rule == TransferRule.START_OF_PERIOD
    assert history.history_user_id == officer.pk


def test_an_agency_admin_cannot_change_the_rule(world, client):
    admin = UserFactory(groups=[AGENCY_ADMIN_GROUP])
    client.force_login(admin)
    url = reverse("wagtailsettings:edit", args=["scoring", "scoringsettings"])
    for target in (url, f"{url}{ScoringSettings.load().pk}/"):
        response = client.post(target, {"transfer_rule": TransferRule.START_OF_PERIOD})
        assert response.status_code in (302, 403)
    assert ScoringSettings.load().transfer_rule == TransferRule.END_OF_PERIOD


def test_a_closed_month_keeps_its_result_when_the_rule_changes(world):
    score_period(world.period)
    world.period.status = "closed"
    world.period.save()
    choose(TransferRule.START_OF_PERIOD)
    score_person(world.mover, world.period)
    assert stored(world, world.mover).agency_id == world.unit_b.pk
