"""E-mails go to whoever the case waits on after each move, the result to the person rated,
and one reminder per user for cases at risk or overdue."""

import datetime

import pytest

from django.core import mail

from ratings.services.notifications import send_reminders
from ratings.workflow.machine import perform
from tests.ratings.world import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_sent_at_once")]


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """Run one move and its after-commit e-mails, on a fresh outbox."""

    def run(func, *args, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            func(*args, **kwargs)

    return run


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_each_move_mails_the_next_actor(world, step):
    person = world.staff("Kiều Văn Thư", 80, username="kieuvanthu")
    case = world.case_for(person)

    step(world.self_assess, case)
    assert recipients() == ["truongphong@example.vn"]
    assert "đang chờ bạn xử lý" in mail.outbox[0].subject
    assert f"/admin/ratings/cases/{case.pk}/" in mail.outbox[0].body

    step(world.review, case)
    assert recipients() == ["quantri@example.vn"]

    step(world.appraise, case)
    assert recipients() == ["giamdoc@example.vn"]

    step(world.decide, case)
    assert recipients() == ["quantri@example.vn"]  # the HR unit notifies the result

    step(perform, case, "notify", world.users["quantri"], today=TODAY)
    assert recipients() == ["kieuvanthu@example.vn"]
    assert "Hoàn thành tốt nhiệm vụ" in mail.outbox[0].body


def test_the_opinion_holder_is_mailed_when_an_opinion_is_requested(world, step):
    case = world.case_for(world.people["phogiamdoc"])
    perform(
        case,
        "self_assess",
        world.users["phogiamdoc"],
        data={"self_assessment": "Tốt.", "self_level": "good"},
        today=TODAY,
    )
    world.review(case)
    step(world.appraise, case)
    assert recipients() == ["quantri@example.vn"]  # appraised, the opinion must be requested
    step(
        perform, case, "request_opinion", world.users["quantri"], comment="Xin ý kiến.", today=TODAY
    )
    assert recipients() == ["chutich@example.vn"]


def test_reminders_for_cases_at_risk_or_overdue(world):
    waiting = [world.case_for(world.staff(f"Chờ Đợi {i}", 80)) for i in range(2)]
    world.self_assess(waiting[1])
    mail.outbox.clear()
    assert send_reminders(today=datetime.date(2026, 11, 1)) == 0  # on track

    sent = send_reminders(today=datetime.date(2026, 12, 16))
    assert sent == 2  # one e-mail to each person waited on
    by_user = {m.to[0]: m for m in mail.outbox}
    assert set(by_user) == {"truongphong@example.vn", waiting[0].civil_servant.user.email}
    assert "ĐÃ QUÁ HẠN" in by_user["truongphong@example.vn"].body


def test_commands(world):
    from io import StringIO

    from django.core.management import call_command

    world.staff("Lệnh Văn Mở", 80)
    out = StringIO()
    call_command("open_rating_cases", "2026", "--agency", "stn", stdout=out)
    assert out.getvalue().startswith("8 hồ sơ mới")  # 5 people, 3 agencies
    call_command("open_rating_cases", "2026", stdout=out)
    out = StringIO()
    call_command("send_rating_reminders", "--year", "2026", stdout=out)
    assert out.getvalue().startswith("Đã gửi")


def test_an_agency_rating_is_told_to_the_bodies_concerned(world, step):
    """Coverage M5 (Gia Lai §III.4.b): an organisation's result is notified to the rated body
    and the bodies concerned (the one that appraised it, the one that recognised it), not to
    the rated body alone."""
    case = world.agency_to_appraised(world.unit)
    step(world.decide, case)
    step(perform, case, "notify", world.users["quantri"], today=TODAY)
    result = [m for m in mail.outbox if "Kết quả xếp loại chất lượng năm" in m.subject]
    told = sorted(address for message in result for address in message.to)
    assert told == ["giamdoc@example.vn", "quantri@example.vn", "truongphong@example.vn"]
