"""Deadline warnings: working days and holidays decide who is warned, once per line and day."""

import datetime
from io import StringIO

import pytest

from django.core import mail
from django.core.management import call_command

from worklog.models import DeadlineWarning
from worklog.services.warnings import my_warnings, send_deadline_warnings, team_warnings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_sent_at_once")]
D = datetime.date


def test_due_soon_and_overdue_reach_assignee_and_leader(world):
    soon = world.line(deadline=D(2026, 4, 28))  # Tue after the 27/4 day off
    later = world.line(deadline=D(2026, 4, 29), people=("binh",))
    today = D(2026, 4, 23)  # Thursday
    assert [r.line for r in my_warnings(world.people["nhan"], today)] == [soon]
    assert [r.line for r in team_warnings(world.users["truong"], today)] == [soon]
    assert not my_warnings(world.people["binh"], today)
    # Overdue from the day after the deadline.
    assert [r.state for r in my_warnings(world.people["binh"], D(2026, 4, 30))] == ["overdue"]
    assert later


def test_submitted_or_accepted_work_is_not_warned(world):
    line = world.line(deadline=D(2026, 3, 11))
    world.submit(line)
    assert not my_warnings(world.people["nhan"], D(2026, 3, 12))


def test_emails_once_per_line_and_day(world):
    world.line(deadline=D(2026, 4, 28))
    world.line(deadline=D(2026, 4, 28), people=("binh",))
    today = D(2026, 4, 23)
    report = send_deadline_warnings(today)
    assert (report.lines, report.messages) == (2, 3)  # two assignees, one leader
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"nhan@example.vn", "binh@example.vn", "truong@example.vn"}
    leader_mail = by_address["truong@example.vn"].body
    assert "Nguyễn Thị Nhàn" in leader_mail and "Lê Văn Bình" in leader_mail
    assert "SẮP ĐẾN HẠN" in by_address["nhan@example.vn"].body
    # Second run the same day: nothing new.
    again = send_deadline_warnings(today)
    assert again.lines == 0 and len(mail.outbox) == 3
    assert DeadlineWarning.objects.filter(day=today).count() == 2
    # Next day they are still due soon: warned again (once).
    send_deadline_warnings(D(2026, 4, 24))
    assert len(mail.outbox) == 6


def test_no_warning_when_holidays_leave_enough_working_days(world):
    world.line(deadline=D(2026, 5, 5))  # Tuesday after 30/4–1/5
    # On Monday 27/4 (a day off itself): working days left Tue 28, Wed 29, Mon 4, Tue 5 = 4.
    assert send_deadline_warnings(D(2026, 4, 27)).lines == 0
    # On Wednesday 29/4: Mon 4 and Tue 5 remain (30/4 and 1/5 are holidays) — due soon.
    assert send_deadline_warnings(D(2026, 4, 29)).lines == 1


def test_command_dry_run_and_date(world):
    world.line(deadline=D(2026, 3, 12))
    out = StringIO()
    call_command("send_deadline_warnings", "--date", "2026-03-11", "--dry-run", stdout=out)
    assert "1 việc" in out.getvalue()
    assert not mail.outbox and not DeadlineWarning.objects.exists()
    call_command("send_deadline_warnings", "--date", "2026-03-11", stdout=StringIO())
    call_command("send_deadline_warnings", "--date", "2026-03-11", stdout=StringIO())
    assert len(mail.outbox) == 2
