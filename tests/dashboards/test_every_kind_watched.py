"""Every kind of background work is watched in the same two places (issue 46, arch.md F5): the
health endpoint ``/healthz/work`` that a monitor reads, and Sở Nội vụ's page of stuck work.

Each kind the sweep looks after (``cms.jobs.register_check``) registers its lines with the job
kit (``cms.jobs.register_health``); until this round the downloads built in the background,
the sign-in batches and the national database's records were swept but seen nowhere."""

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountBatch
from api.models import OutboxKind, OutboxRecord, OutboxStatus
from cms import jobs
from cms.models import ExportJob, JobStatus
from org.access import HOME_AFFAIRS_GROUP
from org.roles import ensure_roles
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

HOUR_AGO = datetime.timedelta(hours=1)


def test_every_kind_the_sweep_looks_after_has_its_lines():
    assert set(jobs.CHECKS) <= set(jobs.HEALTH), set(jobs.CHECKS) - set(jobs.HEALTH)
    assert {"exports", "imports", "account_batches", "national_outbox", "connectors"} <= set(
        jobs.HEALTH
    )


@pytest.fixture
def home_affairs(client):
    ensure_roles()
    user = UserFactory(username="snv.health", groups=[HOME_AFFAIRS_GROUP])
    client.force_login(user)
    return user


def _health(client):
    response = client.get("/healthz/work")
    return response.status_code, response.json()


def _page(client) -> str:
    return client.get(reverse("dashboards_stuck_work")).content.decode()


def test_an_export_that_stopped_moving_alarms(client, home_affairs):
    assert _health(client)[0] == 200
    job = ExportJob.objects.create(
        requested_by=home_affairs, kind="people", title="Danh sách công chức Sở Tư pháp"
    )
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, updated_at=timezone.now() - HOUR_AGO
    )
    status, body = _health(client)
    assert status == 503 and body["items"]["exports_live"]["stuck"] is True
    assert body["items"]["exports_live"]["count"] == 1
    assert "Sở Tư pháp" not in str(body)  # counts and ages only
    page = _page(client)
    assert "Tệp xuất chạy nền đang chờ hoặc đang tạo" in page
    assert "Danh sách công chức Sở Tư pháp" in page

    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, finished_at=timezone.now())
    status, body = _health(client)
    assert status == 200  # given up: the person sees it and asks again
    assert body["items"]["exports_failed"] == {
        "count": 1,
        "oldest_age_seconds": pytest.approx(0, abs=60),
        "stuck": False,
    }
    assert "Tệp xuất không tạo được (24 giờ qua)" in _page(client)


def test_a_sign_in_batch_running_for_an_hour_alarms(client, home_affairs):
    batch = AccountBatch.objects.create(
        created_by=home_affairs, agency=AgencyFactory(name="Sở Công Thương"), total=40, done=12
    )
    status, body = _health(client)
    assert status == 200 and body["items"]["account_batches_running"]["stuck"] is False

    AccountBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - HOUR_AGO)
    status, body = _health(client)
    assert status == 503 and body["items"]["account_batches_running"]["stuck"] is True
    page = _page(client)
    assert "Lô tạo tài khoản đang chạy" in page
    shown = timezone.localtime(timezone.now() - HOUR_AGO).strftime("%d/%m/%Y")
    assert f"{shown}" in page and "(12/40)" in page


def _record(status=OutboxStatus.PENDING, due_days=-3, **fields):
    today = timezone.localdate()
    return OutboxRecord.objects.create(
        kind=OutboxKind.PERIOD_RESULT,
        year=today.year,
        result_date=today + datetime.timedelta(days=due_days - 10),
        due_date=today + datetime.timedelta(days=due_days),
        status=status,
        payload={"civil_servant": {"official_id": "CC-0001", "full_name": "Lê Thị Hoa"}},
        **fields,
    )


def test_overdue_national_records_are_counted_and_alarm_only_when_the_sending_is_left(
    client, home_affairs, settings
):
    record = _record(created_at=timezone.now() - HOUR_AGO)
    _record(status=OutboxStatus.SENT)  # sent: not overdue
    _record(due_days=5)  # not due yet

    status, body = _health(client)
    # In-process tasks (tests, the demo): nothing sends by itself, so it is counted only.
    assert status == 200
    assert body["items"]["national_overdue"]["count"] == 1
    assert body["items"]["national_overdue"]["stuck"] is False
    assert "Kết quả quá hạn gửi Cơ sở dữ liệu quốc gia" in _page(client)

    # With a worker sending on schedule, an overdue record left for an hour means it is not.
    # (No worker runs in this test, so the endpoint's own worker check fails too: the items
    # are what is asserted from here on.)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    status, body = _health(client)
    assert status == 503 and body["items"]["national_overdue"]["stuck"] is True

    # A failed send waiting for its back-off is being retried: counted, not stuck.
    OutboxRecord.objects.filter(pk=record.pk).update(
        status=OutboxStatus.FAILED,
        attempts=2,
        last_error="Bên nhận không trả lời",
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=10),
    )
    _status, body = _health(client)
    assert body["items"]["national_failing"] == {
        "count": 1,
        "oldest_age_seconds": pytest.approx(3600, abs=60),
        "stuck": False,
    }
    assert body["items"]["national_overdue"]["stuck"] is False
    assert not any(item["stuck"] for item in body["items"].values()), body["items"]
    assert "Kết quả gửi Cơ sở dữ liệu quốc gia bị lỗi, chờ gửi lại" in _page(client)
