"""Sở Nội vụ sends a failed scoring run back to the queue from *Việc chạy nền*, in headless
Chromium (session 40): the failed row offers "Thử lại ngay", the click says the run is back in
the queue, the row no longer offers it and the run's message names who asked. Here the tasks run
in the request (the test settings' immediate backend), so the run is already done when the page
comes back; with the worker it reads "Đang chờ" until the worker takes it. Screenshot under
tests/artifacts/."""

import pytest

from django.db import OperationalError
from django.test import override_settings

from org.access import HOME_AFFAIRS_GROUP
from scoring.models import Period, PeriodKind, RunStatus, ScoringRun
from scoring.services import rescoring
from tests.browser.conftest import login
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "matkhau-123"  # tests.factories.UserFactory
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def run():
    agency = AgencyFactory(name="Sở Tư pháp", code="STP")
    UserFactory(username="snv.thulai", groups=[HOME_AFFAIRS_GROUP], first_name="Mai")
    october = Period.objects.create(kind=PeriodKind.MONTH, year=2026, number=10)
    run = ScoringRun.objects.create(period=october, agency=agency, reason="Nhập Excel số 7")
    with override_settings(TASKS=DATABASE_QUEUE):
        # The real failure path, until the retry policy gives up.
        while rescoring._failed(run.pk, OperationalError("deadlock detected")) == "retrying":
            pass
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    return run


def test_home_affairs_retries_a_failed_run_from_the_listing(page, run, screenshot):
    login(page, "snv.thulai", PASSWORD)
    page.goto(f"{page.base_url}/admin/viec-chay-nen/?loai=scoring_runs")
    row = page.locator(f"#job-scoring_runs-{run.pk}")
    assert "Lỗi" in row.inner_text() and "deadlock detected" in row.inner_text()
    button = row.get_by_role("button", name="Thử lại ngay")
    assert button.is_visible()
    screenshot("background-jobs-retry-before")

    button.click()
    page.wait_for_load_state("networkidle")
    message = page.locator(".messages").inner_text()
    assert "Tháng 10/2026 · Nhập Excel số 7" in message and "trở lại hàng chờ" in message
    row = page.locator(f"#job-scoring_runs-{run.pk}")
    assert row.get_by_role("button", name="Thử lại ngay").count() == 0
    screenshot("background-jobs-retry-after")

    run.refresh_from_db()
    assert run.status != RunStatus.FAILED
    assert run.attempts <= 1
