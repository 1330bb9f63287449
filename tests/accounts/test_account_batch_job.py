""" "Create sign-ins for everyone" runs as a background job (issue 47; reliability review M1,
ML4): the request answers at once with a progress page (no relay, no loop over the people);
the worker creates the sign-ins and queues the invitations; the result page then prints every
activation code, from any session of the person who ran it; a worker killed half-way is
resumed by the sweep with nobody created twice and no code lost."""

import re

import pytest
from django_tasks_db.models import DBTaskResult

from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from accounts import services, tasks
from accounts.models import AccountBatch, ActivationCode
from accounts.tasks import resume_lost_batches
from cms.models import OutgoingMail
from org.access import HOME_AFFAIRS_GROUP
from org.roles import ensure_roles
from tests.factories import AgencyFactory, UnitFactory, UserFactory, post

# The worker commits and closes its database connections as a real worker does (PostgreSQL
# included), so these tests cannot live inside a rolled-back transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PEOPLE = 12


@pytest.fixture
def agency():
    ensure_roles()
    dept = AgencyFactory(code="STC", name="Sở Tài chính")
    unit = UnitFactory(code="STC-NS", name="Phòng Ngân sách", parent=dept)
    for n in range(PEOPLE):
        person = post(unit, full_name=f"Người Số {n:02d}")
        person.email = f"nguoi{n}@example.vn"
        person.save()
    return dept


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _slip_codes(client, batch):
    page = client.get(reverse("accounts_slips", args=[batch.pk]))
    assert page.status_code == 200
    return re.findall(r'<span class="code">([A-Z0-9-]+)</span>', page.content.decode())


def test_the_batch_runs_in_the_worker_and_every_code_is_printable(
    agency, django_capture_on_commit_callbacks
):
    sonoivu = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    client = _signed_in(sonoivu)
    with override_settings(TASKS=DATABASE_QUEUE):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("accounts_index"), {"agency": agency.pk, "email": "1"}, follow=True
            )
        html = response.content.decode()
        # The request only queued the job: nobody created yet, no invitation written.
        batch = AccountBatch.objects.get()
        assert batch.status == AccountBatch.Status.RUNNING and batch.done == 0
        assert f"Đã xử lý 0/{PEOPLE} người." in html and "Đang chạy…" in html
        assert 'http-equiv="refresh"' in html and "In phiếu kích hoạt" not in html
        assert not OutgoingMail.objects.exists()
        assert DBTaskResult.objects.filter(task_path__endswith="provision_batch_task").exists()

        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    batch.refresh_from_db()
    assert (batch.status, batch.done) == (AccountBatch.Status.DONE, PEOPLE)
    # Each invitation is an outbox row, sent by the worker (one per person).
    assert OutgoingMail.objects.count() == PEOPLE
    # Another session of the same person (signed in again): every slip is printable.
    again = _signed_in(sonoivu)
    page = again.get(reverse("accounts_batch", args=[batch.pk])).content.decode()
    assert "Đã xong." in page and "In phiếu kích hoạt" in page
    codes = _slip_codes(again, batch)
    assert len(set(codes)) == PEOPLE
    assert not ActivationCode.objects.filter(code_hash__in=codes).exists()  # hashed at rest
    assert all(
        ActivationCode.objects.filter(code_hash=services.code_hash(c)).exists() for c in codes
    )
    # Somebody else may not see them.
    other = UserFactory(username="snv2", groups=[HOME_AFFAIRS_GROUP])
    assert _signed_in(other).get(reverse("accounts_slips", args=[batch.pk])).status_code == 404


def test_a_worker_killed_half_way_is_resumed_without_a_person_twice(agency, monkeypatch):
    sonoivu = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    people = list(services.people_posted_in(sonoivu, agency).filter(user=None))
    with override_settings(TASKS=DATABASE_QUEUE):
        batch = tasks.start_provision(sonoivu, people, agency=agency)
        original = services._provision_one
        calls = []

        def dies_after_five(*args, **kwargs):
            if len(calls) == 5:
                raise SystemExit("worker killed")
            calls.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(services, "_provision_one", dies_after_five)
        with pytest.raises(SystemExit):
            services.run_batch(batch.pk)
        monkeypatch.setattr(services, "_provision_one", original)
        batch.refresh_from_db()
        assert (batch.status, batch.done) == (AccountBatch.Status.RUNNING, 5)

        DBTaskResult.objects.all().delete()  # the killed worker's task is gone
        AccountBatch.objects.filter(pk=batch.pk).update(
            created_at=batch.created_at.replace(year=batch.created_at.year - 1)
        )
        assert resume_lost_batches() == [batch.pk]  # its task is gone: queued again
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    batch.refresh_from_db()
    assert (batch.status, batch.done) == (AccountBatch.Status.DONE, PEOPLE)
    assert [row["outcome"] for row in batch.results] == ["created"] * PEOPLE
    assert ActivationCode.objects.filter(batch=batch).count() == PEOPLE
    assert len(_slip_codes(_signed_in(sonoivu), batch)) == PEOPLE
