"""Reminders before the due date (fixed clock): to the admins and the head of each agency that
has not submitted; once when the window opens, on the date, once after; never twice a day."""

import datetime
from io import StringIO

import pytest

from django.core import mail
from django.core.management import call_command

from oversight.models import MilestoneReminder
from oversight.services.reminders import send_reminders
from tests.factories import MilestoneFactory, MilestoneRecordFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_sent_at_once")]

DUE = datetime.date(2026, 3, 5)


def _day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


@pytest.fixture
def milestone(province):
    milestone = MilestoneFactory(
        due_date=DUE, reminder_days=7, name="Gửi danh mục", agency_kinds=["department"]
    )
    # Sở Tư pháp has submitted; Sở Y tế has not.
    MilestoneRecordFactory(milestone=milestone, agency=province.justice, submitted_on=_day(-10))
    return milestone


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_nothing_before_the_window(province, milestone):
    assert send_reminders(_day(-8)) == 0
    assert mail.outbox == []


def test_window_opens_then_due_date_then_overdue_once(province, milestone):
    assert send_reminders(_day(-7)) == 2
    assert _recipients() == ["giamdoc.syt@example.vn", "quantri.syt@example.vn"]
    body = mail.outbox[0].body
    assert "Sở Y tế" in body and "Gửi danh mục" in body and "05/03/2026" in body
    assert "Sở Tư pháp" not in body
    mail.outbox.clear()
    assert send_reminders(_day(-7)) == 0, "run again the same day: nothing more"
    assert send_reminders(_day(-3)) == 0, "already reminded in this window"
    assert send_reminders(_day(0)) == 2, "on the due date"
    mail.outbox.clear()
    assert send_reminders(_day(1)) == 2
    assert "ĐÃ QUÁ HẠN" in mail.outbox[0].body
    assert send_reminders(_day(2)) == 0, "the overdue notice goes once"
    assert MilestoneReminder.objects.filter(agency=province.justice).count() == 0


def test_a_missed_window_start_is_caught_up_by_the_next_run(province, milestone):
    assert send_reminders(_day(-4)) == 2


def test_no_reminder_once_submitted(province, milestone):
    MilestoneRecordFactory(milestone=milestone, agency=province.health, submitted_on=_day(-2))
    assert send_reminders(_day(0)) == 0


def test_command_takes_the_date_and_refuses_a_bad_one(province, milestone):
    out = StringIO()
    call_command("send_milestone_reminders", "--date", "26/02/2026", stdout=out)
    assert "Đã gửi 2 thư" in out.getvalue()
    with pytest.raises(Exception, match="dd/mm/yyyy"):
        call_command("send_milestone_reminders", "--date", "2026-02-26", stdout=out)


def test_no_overdue_notice_for_a_milestone_long_past(province, milestone):
    assert send_reminders(_day(31)) == 0
    assert send_reminders(_day(30)) == 2
