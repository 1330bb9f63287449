"""Mail is after the fact (issue 28; reliability review M5, F11): a relay that is down never
turns a saved decision into an error page; the notification is kept, sent again by the sweep,
and given up (visibly) only after many attempts."""

import datetime
import smtplib

import pytest

from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone

from cms import mail as cms_mail
from cms.models import MailStatus, OutgoingMail
from ratings.models import CaseState
from scoring.services import sweeper
from tests.ratings.test_stale_scores import DECISION
from tests.ratings.world import reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def appraised(world):
    person = world.staff("Đỗ Văn Thư", 85, username="dovanthu")
    case = world.to_appraised(world.case_for(person))
    OutgoingMail.objects.all().delete()  # the notices of the steps up to here
    return world, case


def test_a_relay_down_never_turns_a_decision_into_an_error(
    appraised, client, monkeypatch, django_capture_on_commit_callbacks
):
    world, case = appraised

    def relay_down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(cms_mail, "send_mail", relay_down)
    client.force_login(world.users["giamdoc"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ratings_case_action", args=[case.pk, "decide"]), DECISION)
    assert response.status_code == 302  # not the 500 page saying nothing was written
    assert reload(case).state == CaseState.DECIDED
    queued = OutgoingMail.objects.get(status=MailStatus.PENDING)
    assert "ConnectionRefusedError" in queued.last_error
    assert queued.recipients == ["quantri@example.vn"]

    # Still down at the first retry: it waits longer.
    queued.next_attempt_at = queued.created_at
    queued.save()
    sweeper.sweep()
    queued.refresh_from_db()
    assert queued.status == MailStatus.PENDING and queued.attempts == 2

    monkeypatch.undo()  # the relay is back
    django_mail.outbox.clear()
    OutgoingMail.objects.filter(pk=queued.pk).update(next_attempt_at=queued.created_at)
    report = sweeper.sweep()
    assert report["mail"]["sent"] == 1
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT
    assert [m.to for m in django_mail.outbox] == [["quantri@example.vn"]]

    # Every attempt is kept, as a national batch's are (issue 46): two refused, one through.
    tries = list(queued.tries.order_by("started_at", "id"))
    assert [t.get_status_display() for t in tries] == ["Lỗi", "Lỗi", "Thành công"]
    assert "ConnectionRefusedError" in tries[0].error and not tries[2].error
    assert all(t.finished_at >= t.started_at for t in tries)

    # Sở Nội vụ reads them on the mail's page; nobody else opens it.
    client.force_login(world.users["sonoivu"])
    listing = client.get(reverse("outgoing_mail:index")).content.decode()
    assert queued.subject in listing and "quantri@example.vn" in listing
    page = client.get(reverse("outgoing_mail:inspect", args=[queued.pk])).content.decode()
    table = page[page.index('id="mail-attempts"') :]
    first = timezone.localtime(tries[0].started_at).strftime("%d/%m/%Y %H:%M")
    assert first in table and "Connection refused" in table
    assert table.count("<td>Lỗi</td>") == 2 and table.count("<td>Thành công</td>") == 1
    assert queued.body not in page  # an invitation's body carries an activation code
    client.force_login(world.users["quantri"])
    refused = client.get(reverse("outgoing_mail:inspect", args=[queued.pk]))
    assert refused.status_code in (302, 403)


def test_a_message_is_given_up_after_many_attempts(monkeypatch):
    monkeypatch.setattr(
        cms_mail, "send_mail", lambda *a, **k: (_ for _ in ()).throw(smtplib.SMTPException("x"))
    )
    assert cms_mail.send("Tiêu đề", "Nội dung", ["a@example.vn"]) is True  # queued
    row = OutgoingMail.objects.get()
    row.attempts = cms_mail.POLICY.max_attempts - 1
    row.next_attempt_at -= datetime.timedelta(days=1)
    row.save()
    assert cms_mail.retry_pending()["failed"] == 1
    row.refresh_from_db()
    assert row.status == MailStatus.FAILED
    assert [t.get_status_display() for t in row.tries.all()] == ["Lỗi"]
    assert row.tries.get().error == "SMTPException: x" == row.last_error
