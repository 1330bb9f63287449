"""The mail-relay drill with a real SMTP server (issue 28, issue 47; reliability reviews M5
and M1): a decision made while the relay is down — nothing listening, or a relay that accepts
the connection and never answers — is saved and answered without the request ever talking to
the relay: its notice is an outbox row committed with the decision (so a web worker killed
after the commit loses nothing), the worker tries it, and it is delivered once when the relay
is back. The server is aiosmtpd on loopback; Django's own SMTP backend talks to it."""

import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.models import DBTaskResult

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from cms.models import MailStatus, OutgoingMail
from ratings.models import CaseState
from scoring.services import sweeper
from tests.ratings.test_stale_scores import DECISION
from tests.ratings.world import reload

# The worker commits and closes its database connections as a real worker does (PostgreSQL
# included), so these tests cannot live inside a rolled-back transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Relay:
    """What the province's relay received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


class Silent:
    """A relay that accepts the connection and never says a word (a stalled server)."""

    def __init__(self, port):
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", port))
        self.socket.listen(8)
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self):
        for connection in self.accepted:
            connection.close()
        self.socket.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        self.socket.close()
        self.thread.join(5)


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def relay_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return settings


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def decide(world, case, client, capture):
    client.force_login(world.users["giamdoc"])
    with capture(execute=True):
        response = client.post(
            reverse("ratings_case_action", args=[case.pk, "decide"]), DECISION, follow=True
        )
    return response


def deliver_when_back(relay_settings):
    handler = Relay()
    controller = Controller(handler, hostname="127.0.0.1", port=relay_settings.EMAIL_PORT)
    controller.start()
    try:
        OutgoingMail.objects.update(next_attempt_at=OutgoingMail.objects.get().created_at)
        report = sweeper.sweep()
        again = sweeper.sweep()  # nothing is sent twice
    finally:
        controller.stop()
    return handler, report, again


@pytest.mark.parametrize("down", ["nothing listening", "a relay that never answers"])
def test_a_decision_made_while_the_relay_is_down_is_saved_and_its_notice_delivered_later(
    world, client, relay_settings, django_capture_on_commit_callbacks, down
):
    person = world.staff("Đỗ Văn Thư", 85, username="dovanthu")
    case = world.to_appraised(world.case_for(person))
    OutgoingMail.objects.all().delete()  # the notices of the steps up to here
    silent = Silent(relay_settings.EMAIL_PORT) if down == "a relay that never answers" else None
    try:
        with override_settings(TASKS=DATABASE_QUEUE):
            response = decide(world, case, client, django_capture_on_commit_callbacks)
            # The request never opened a connection to the relay.
            assert silent is None or silent.accepted == []
            queued = OutgoingMail.objects.get()
            assert (queued.status, queued.attempts) == (MailStatus.PENDING, 0)
            assert DBTaskResult.objects.filter(task_path__endswith="deliver_task").count() == 1
            run_worker()  # the worker tries: refused, or times out on the stalled relay
    finally:
        if silent:
            silent.close()
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lỗi máy chủ" not in page
    assert reload(case).state == CaseState.DECIDED
    queued.refresh_from_db()
    assert queued.status == MailStatus.PENDING and queued.attempts == 1
    assert queued.recipients == ["quantri@example.vn"]

    handler, report, again = deliver_when_back(relay_settings)
    assert report["mail"]["sent"] == 1 and again["mail"]["sent"] == 0
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT
    assert len(handler.messages) == 1
    recipients, content = handler.messages[0]
    assert recipients == ["quantri@example.vn"]
    assert "Subject:" in content


def test_a_notice_is_committed_with_the_action_or_not_at_all(
    world, relay_settings, django_capture_on_commit_callbacks
):
    """The outbox row is part of the action's transaction: an action that rolls back (as one
    whose web worker is killed before the commit) leaves no notice, one that commits leaves
    exactly its notice, before any word with the relay."""
    from django.db import transaction

    person = world.staff("Đỗ Văn Thư", 85, username="dovanthu")
    case = world.to_appraised(world.case_for(person))
    before = OutgoingMail.objects.count()

    class Killed(Exception):
        pass

    with pytest.raises(Killed), transaction.atomic():
        world.decide(case)
        # Written inside the action's transaction, addressed to whom the case now waits on.
        assert OutgoingMail.objects.count() == before + 1
        assert OutgoingMail.objects.latest("id").recipients == ["quantri@example.vn"]
        raise Killed
    assert OutgoingMail.objects.count() == before
    assert reload(case).state == CaseState.APPRAISED

    world.decide(case)
    assert OutgoingMail.objects.count() == before + 1
