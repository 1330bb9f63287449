"""The quarterly assessment (docs/organisation-scoring.md §9; Gia Lai plan §V.3, §IV.4.1.a):
the Office's entry window on both sides of each boundary, late marks, role permissions, the
score rule on both sides of its minimums, six-month results and the roll-up into the annual
organisation score."""

import datetime
from decimal import Decimal

import pytest

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from org.access import (
    AGENCY_ADMIN_GROUP,
    HOME_AFFAIRS_GROUP,
    PROVINCE_OFFICE_GROUP,
    UNIT_LEADER_GROUP,
)
from org.models import LeadershipRole
from org.roles import role_permissions
from org_scoring import access, quarters
from org_scoring.models import (
    AnnualUse,
    OrganisationScore,
    ProvinceTask,
    ProvinceTaskStatus,
    QuarterlyAssessment,
    QuarterlyRule,
    QuarterWindow,
)
from org_scoring.services import quarterly as service
from org_scoring.services import score_agency
from org_scoring.services.quarterly_reminders import send_quarterly_reminders
from scoring.models import Rating
from tests.factories import CommuneFactory, ProvinceTaskFactory, UserFactory, post, with_user
from tests.factories.org_scoring import marks, tasks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_sent_at_once")]
Y, Q = 2026, 3
S = ProvinceTaskStatus


def at(month, day, hour=9):
    return timezone.make_aware(datetime.datetime(Y, month, day, hour, 0))


@pytest.fixture
def office(db):
    return UserFactory(username="vanphong", groups=[PROVINCE_OFFICE_GROUP])


@pytest.fixture
def chairman(world):
    person = post(world.province, role=LeadershipRole.HEAD, full_name="Chủ Tịch Tỉnh")
    return with_user(person, "chutich", groups=(UNIT_LEADER_GROUP,))


def new_task(world, status=S.DONE_ON_TIME, **kwargs):
    values = {
        "agency": world.department,
        "year": Y,
        "quarter": Q,
        "title": "Báo cáo sơ kết",
        "document_number": "15/UBND-TH",
        "document_date": datetime.date(Y, 7, 2),
        "deadline": datetime.date(Y, 8, 31),
        "status": status,
        **kwargs,
    }
    return ProvinceTask(**values)


# --- the window ------------------------------------------------------------------------------


def test_default_window_is_day_5_to_day_10_of_the_last_month():
    assert quarters.default_window(Y, 3) == (datetime.date(Y, 9, 5), datetime.date(Y, 9, 10))
    assert quarters.default_window(Y, 4) == (datetime.date(Y, 12, 5), datetime.date(Y, 12, 10))
    opens, closes = quarters.default_window(Y, 1)
    assert [quarters.window_state(datetime.date(Y, 3, d), opens, closes) for d in (4, 5)] == [
        quarters.BEFORE,
        quarters.OPEN,
    ]
    assert [quarters.window_state(datetime.date(Y, 3, d), opens, closes) for d in (10, 11)] == [
        quarters.OPEN,
        quarters.AFTER,
    ]
    assert quarters.quarter_bounds(Y, 4) == (datetime.date(Y, 10, 1), datetime.date(Y, 12, 31))


@pytest.mark.parametrize(
    ("day", "allowed", "late"),
    [(4, False, False), (5, True, False), (10, True, False), (11, True, True)],
)
def test_entry_on_both_sides_of_each_boundary(world, office, day, allowed, late):
    task = new_task(world)
    if not allowed:
        with pytest.raises(ValidationError, match="Chưa đến thời hạn nhập nhiệm vụ quý 3/2026"):
            service.save_task(task, office, may_enter_late=True, now=at(9, day))
        assert not ProvinceTask.objects.exists()
        return
    decision = service.save_task(task, office, may_enter_late=True, now=at(9, day))
    task.refresh_from_db()
    assert decision.late is late and task.entered_late is late and task.late is late
    assert task.entered_by == office and task.entered_at == at(9, day)


def test_after_the_window_without_the_permission_or_when_the_window_refuses(world, office):
    with pytest.raises(ValidationError, match="không có quyền nhập sau hạn"):
        service.save_task(new_task(world), office, may_enter_late=False, now=at(9, 11))
    QuarterWindow.objects.create(year=Y, quarter=Q, late_entry=False)
    with pytest.raises(ValidationError, match="Đã hết thời hạn"):
        service.save_task(new_task(world), office, may_enter_late=True, now=at(9, 11))
    assert not ProvinceTask.objects.exists()


def test_a_configured_window_moves_the_boundaries(world, office):
    window = QuarterWindow.objects.create(
        year=Y, quarter=Q, opens_on=datetime.date(Y, 9, 1), closes_on=datetime.date(Y, 9, 3)
    )
    assert service.window_for(Y, Q).pk == window.pk
    assert service.entry_decision(Y, Q, datetime.date(Y, 9, 1), may_enter_late=False).allowed
    assert service.entry_decision(Y, Q, datetime.date(Y, 9, 4), may_enter_late=True).late
    window.closes_on = datetime.date(Y, 8, 30)
    with pytest.raises(ValidationError):
        window.full_clean()


def test_a_late_change_of_an_early_entry_is_marked_and_kept(world, office):
    task = new_task(world)
    service.save_task(task, office, may_enter_late=True, now=at(9, 6))
    task.note = "Bổ sung"
    service.save_task(task, office, may_enter_late=True, now=at(9, 12))
    task.refresh_from_db()
    assert not task.entered_late and task.updated_late and task.late
    assert task.updated_at == at(9, 12)
    task.note = "Sửa lại"  # a later change still within… nothing: the late mark stays
    service.save_task(task, office, may_enter_late=True, now=at(9, 13))
    task.refresh_from_db()
    assert task.updated_late


def test_status_must_fit_the_deadline_on_the_entry_day(world, office):
    late = new_task(world, S.IN_PROGRESS, deadline=datetime.date(Y, 9, 6))
    with pytest.raises(ValidationError, match="Nhiệm vụ đã quá hạn"):
        service.save_task(late, office, may_enter_late=True, now=at(9, 7))
    early = new_task(world, S.OVERDUE, deadline=datetime.date(Y, 9, 7))
    with pytest.raises(ValidationError, match="chưa quá hạn"):
        service.save_task(early, office, may_enter_late=True, now=at(9, 7))
    assert not ProvinceTask.objects.exists()


# --- roles ------------------------------------------------------------------------------------


def test_the_office_role_is_in_the_registry():
    registry = role_permissions()
    office = set(registry[PROVINCE_OFFICE_GROUP])
    assert ("org_scoring", "add_provincetask") in office
    assert ("org_scoring", "enter_late_provincetask") in office
    assert ("org_scoring", "view_quarterlyassessment") in office
    assert ("org_scoring", "change_quarterlyassessment") not in office
    assert ("org_scoring", "add_provincetask") not in set(registry[AGENCY_ADMIN_GROUP])


def test_who_may_enter_see_and_confirm(world, office, chairman):
    home_affairs = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    admin = UserFactory(username="qtri", groups=[AGENCY_ADMIN_GROUP])
    for user, enter, board, confirm in (
        (office, True, True, False),
        (home_affairs, True, True, False),
        (chairman, False, True, True),
        (admin, False, False, False),
    ):
        assert access.may_enter_province_tasks(user) is enter, user
        assert access.may_enter_late(user) is enter, user
        assert access.may_view_quarterly_board(user) is board, user
        assert access.may_confirm_quarter(user) is confirm, user
    assert set(access.quarterly_agencies(office)) == {world.department, world.other}
    assert not access.quarterly_agencies(admin).exists()


def test_pages_refuse_other_roles(world, office):
    admin = UserFactory(username="qtri", groups=[AGENCY_ADMIN_GROUP])
    task = ProvinceTaskFactory(agency=world.department)
    client = Client()
    client.force_login(admin)
    for name, args in (
        ("org_scoring_quarter_entry", []),
        ("org_scoring_quarter_board", []),
        ("org_scoring_quarter_task_add", []),
        ("org_scoring_quarter_task_edit", [task.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code in (302, 403, 404), name
    client.force_login(office)
    page = client.get(reverse("org_scoring_quarter_entry") + "?year=2026&quarter=3")
    assert page.status_code == 200
    text = page.content.decode()
    assert "từ ngày 05/09/2026 đến hết ngày 10/09/2026" in text
    assert task.title in text


# --- the score rule ---------------------------------------------------------------------------


def rule(**kwargs):
    return QuarterlyRule(effective_year=Y, **kwargs)


def test_score_rule_defaults_and_in_progress_not_counted():
    result = service.quarter_result([S.DONE_ON_TIME, S.DONE_LATE, S.IN_PROGRESS], rule())
    assert (result.assessed, result.counted, result.score) == (True, 2, Decimal("75.00"))
    assert result.level == Rating.GOOD
    nothing = service.quarter_result([S.IN_PROGRESS], rule())
    assert not nothing.assessed and nothing.score is None and nothing.level == ""


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("90", Rating.EXCELLENT),
        ("89.99", Rating.GOOD),
        ("70", Rating.GOOD),
        ("69.99", Rating.COMPLETED),
        ("50", Rating.COMPLETED),
        ("49.99", Rating.NOT_COMPLETED),
    ],
)
def test_levels_on_both_sides_of_each_minimum(score, level):
    assert service.level_for(Decimal(score), rule()) == level


def test_the_score_on_both_sides_of_the_excellent_minimum():
    # 9 on time + 1 late at 0 % → 90.00 → excellent; at 0 % with 1 more late of 11 → good.
    at_zero = rule(late_credit=Decimal("0"))
    nine = service.quarter_result([S.DONE_ON_TIME] * 9 + [S.DONE_LATE], at_zero)
    assert (nine.score, nine.level) == (Decimal("90.00"), Rating.EXCELLENT)
    below = service.quarter_result([S.DONE_ON_TIME] * 9 + [S.DONE_LATE, S.OVERDUE], at_zero)
    assert below.score == Decimal("81.82") and below.level == Rating.GOOD
    half = service.quarter_result([S.NOT_DONE, S.DONE_ON_TIME], rule())
    assert (half.score, half.level) == (Decimal("50.00"), Rating.COMPLETED)
    under = service.quarter_result([S.NOT_DONE, S.DONE_LATE], rule(late_credit=Decimal("99.98")))
    assert (under.score, under.level) == (Decimal("49.99"), Rating.NOT_COMPLETED)


def test_the_rule_must_decrease():
    with pytest.raises(ValidationError):
        rule(good_min=Decimal("95")).full_clean()


def test_the_default_rule_row_is_stored_by_a_migration():
    stored = QuarterlyRule.objects.get(effective_year=2026)
    assert stored.late_credit == Decimal("50") and stored.annual_use == AnnualUse.PROVINCE_TASKS
    assert service.rule_for(2030).pk == stored.pk


# --- assessing and confirming -----------------------------------------------------------------


def test_assessment_keeps_its_inputs_and_the_head(world, chairman):
    head = post(world.department, role=LeadershipRole.HEAD)
    ProvinceTaskFactory(agency=world.department, status=S.DONE_ON_TIME)
    ProvinceTaskFactory(agency=world.department, status=S.NOT_DONE)
    report = service.assess_quarter(Y, Q, now=at(9, 12))
    assert report.written == 2  # both departments; the other has no task
    row = QuarterlyAssessment.objects.get(agency=world.department, year=Y, quarter=Q)
    assert row.head == head and row.score == Decimal("50.00") and row.level == Rating.COMPLETED
    assert [t["status"] for t in row.inputs["tasks"]] == [S.DONE_ON_TIME, S.NOT_DONE]
    assert row.inputs["rule"]["late_credit"] == "50.00"
    other = QuarterlyAssessment.objects.get(agency=world.other, year=Y, quarter=Q)
    assert not other.assessed
    again = service.assess_quarter(Y, Q, now=at(9, 13))
    assert again.unchanged == 2 and again.written == 0


def test_the_chairman_confirms_after_the_window_and_the_quarter_locks(world, office, chairman):
    task = new_task(world)
    service.save_task(task, office, may_enter_late=True, now=at(9, 6))
    with pytest.raises(ValidationError, match="sau khi hết thời hạn nhập liệu"):
        service.confirm_quarter(Y, Q, chairman, now=at(9, 10, 23))
    assert service.confirm_quarter(Y, Q, chairman, note="Đồng ý", now=at(9, 11)) == 2
    row = QuarterlyAssessment.objects.get(agency=world.department, year=Y, quarter=Q)
    assert row.confirmed_by == chairman and row.confirm_note == "Đồng ý"
    task.note = "Muộn"
    with pytest.raises(ValidationError, match="đã được Chủ tịch UBND tỉnh xác nhận"):
        service.save_task(task, office, may_enter_late=True, now=at(9, 12))
    with pytest.raises(ValidationError, match="đã được xác nhận"):
        service.confirm_quarter(Y, Q, chairman, now=at(9, 12))
    assert service.assess_quarter(Y, Q).frozen == 2


# --- six months and the year ------------------------------------------------------------------


def _assessed(agency, quarter, score, confirmed=True):
    return QuarterlyAssessment.objects.create(
        agency=agency,
        year=Y,
        quarter=quarter,
        assessed=score is not None,
        score=None if score is None else Decimal(score),
        confirmed_at=at(9, 20) if confirmed else None,
    )


def test_six_months_from_the_two_quarters(world):
    _assessed(world.department, 3, "100")
    _assessed(world.department, 4, "79.99")
    _assessed(world.other, 3, "60", confirmed=False)
    rows = {r.agency: r for r in service.half_year_rows(Y, 2)}
    both = rows[world.department]
    assert both.score == Decimal("90.00") and both.level == Rating.EXCELLENT and both.complete
    one = rows[world.other]
    assert one.score == Decimal("60.00") and one.level == Rating.COMPLETED and not one.complete
    first = {r.agency: r for r in service.half_year_rows(Y, 1)}
    assert first[world.department].score is None and first[world.department].level == ""


def test_confirmed_quarters_roll_into_the_annual_organisation_score(world, office, chairman):
    marks(world.department)
    tasks(world.department, "on_time", "on_time", "on_time")
    before = score_agency(world.department, Y)
    assert before.task_percent == Decimal("100.00")
    late = new_task(world, S.DONE_LATE)
    service.save_task(late, office, may_enter_late=True, now=at(9, 6))
    # Not confirmed yet: the annual score does not move.
    assert score_agency(world.department, Y).inputs_hash == before.inputs_hash
    service.confirm_quarter(Y, Q, chairman, now=at(9, 15))
    after = score_agency(world.department, Y)
    counted = [t for t in after.inputs["tasks"] if str(t["id"]).startswith("Q3-")]
    assert counted == [{"id": f"Q3-{late.pk}", "ref": "15/UBND-TH", "outcome": "late", "delays": 1}]
    assert after.task_percent == Decimal("93.75")  # (3 × 100 + 75) / 4


def test_a_carried_task_counts_once_and_none_keeps_the_year_apart(world, chairman):
    marks(world.department)
    tasks(world.department, "on_time")
    q3 = ProvinceTaskFactory(agency=world.department, status=S.IN_PROGRESS, quarter=3)
    ProvinceTaskFactory(agency=world.department, status=S.DONE_ON_TIME, quarter=4, carried_from=q3)
    for quarter in (3, 4):
        _assessed(world.department, quarter, "100")
    rows = service.confirmed_province_tasks(Y, [world.department.pk])[world.department.pk]
    assert [r["outcome"] for r in rows] == ["on_time"]
    QuarterlyRule.objects.filter(effective_year=2026).update(annual_use=AnnualUse.NONE)
    assert service.confirmed_province_tasks(Y, [world.department.pk]) == {}
    score = score_agency(world.department, Y)
    assert not any(str(t["id"]).startswith("Q") for t in score.inputs["tasks"])
    assert OrganisationScore.objects.filter(agency=world.department).count() == 1


# --- reminders --------------------------------------------------------------------------------


def test_reminders_before_the_window_opens_and_closes(world, office):
    UserFactory(username="khac", groups=[AGENCY_ADMIN_GROUP])
    commune = CommuneFactory(parent=world.province, code="XTN", name="UBND xã Thử Nghiệm")
    ProvinceTaskFactory(agency=world.department)
    assert send_quarterly_reminders(datetime.date(Y, 9, 2)) == 0
    assert send_quarterly_reminders(datetime.date(Y, 9, 3)) == 1  # 2 days before the 5th
    assert "Sắp mở thời hạn nhập nhiệm vụ UBND tỉnh giao quý 3/2026" in mail.outbox[-1].subject
    assert mail.outbox[-1].to == [office.email]
    assert send_quarterly_reminders(datetime.date(Y, 9, 8)) == 1  # 2 days before the 10th
    body = mail.outbox[-1].body
    assert "hết ngày 10/09/2026" in body and commune.name in body
    assert world.other.name in body and world.department.name not in body
    call_command("send_quarterly_reminders", "--date", "2026-12-03", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "quý 4/2026" in mail.outbox[-1].subject


def test_the_board_shows_the_quarter_and_the_chairman_confirms_through_it(
    world, office, chairman, settings
):
    ProvinceTaskFactory(agency=world.department, status=S.DONE_LATE, entered_late=True)
    service.assess_quarter(Y, Q)
    client = Client()
    client.force_login(chairman)
    url = reverse("org_scoring_quarter_board") + "?year=2026&quarter=3"
    text = client.get(url).content.decode()
    assert 'data-level="completed"' in text  # one task done late: 50 points
    assert "50,00" in text and "Kết quả 6 tháng cuối năm 2026" in text
    response = client.post(
        reverse("org_scoring_quarter_board"),
        {"year": "2026", "quarter": "3", "action": "confirm", "note": "Đồng ý"},
    )
    assert response.status_code == 302
    assert QuarterlyAssessment.objects.filter(confirmed_by=chairman).count() == 2
    client.force_login(office)
    refused = client.post(
        reverse("org_scoring_quarter_board"), {"year": "2026", "quarter": "3", "action": "confirm"}
    )
    assert refused.status_code in (302, 403)  # Wagtail sends a refused admin user home
    assert not QuarterlyAssessment.objects.filter(confirmed_by=office).exists()


def test_the_task_form_reads_dd_mm_yyyy_and_names_the_bad_field(world, office):
    today = timezone.localdate()
    quarter = quarters.quarter_of(today)
    QuarterWindow.objects.create(
        year=today.year,
        quarter=quarter,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=1),
    )
    first, _last = quarters.quarter_bounds(today.year, quarter)
    data = {
        "agency": world.department.pk,
        "year": today.year,
        "quarter": quarter,
        "title": "Rà soát thủ tục",
        "document_number": "88/UBND-TH",
        "document_date": first.strftime("%d/%m/%Y"),
        "deadline": "31/02/2026",
        "status": S.DONE_ON_TIME,
    }
    client = Client()
    client.force_login(office)
    url = reverse("org_scoring_quarter_task_add")
    page = client.post(url, data)
    assert page.status_code == 200 and not ProvinceTask.objects.exists()
    assert 'data-field="deadline"' in page.content.decode()
    assert "Nhập một ngày hợp lệ" in page.content.decode() or "hợp lệ" in page.content.decode()
    data["deadline"] = (first + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    assert client.post(url, data).status_code == 302
    task = ProvinceTask.objects.get()
    assert task.deadline == first + datetime.timedelta(days=3) and task.entered_by == office
    assert not task.entered_late
    edit = client.get(reverse("org_scoring_quarter_task_edit", args=[task.pk])).content.decode()
    assert task.deadline.strftime("%d/%m/%Y") in edit
