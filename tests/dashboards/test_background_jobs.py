"""Sở Nội vụ's one listing of every kind of background job (issue 46, arch.md F5): the latest
scoring runs, Excel imports, sign-in batches and export files side by side, each in its own
words — what it is about, its status, how often it was tried, when it is tried again and why
the last try failed — filtered by kind and status; refused to whoever may not see the stuck
work."""

from types import SimpleNamespace

import pytest

from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountBatch
from cms.models import ExportJob, JobStatus
from importers.models import ImportJob, ImportKind, ImportStatus
from org.access import HOME_AFFAIRS_GROUP
from scoring.models import Period, PeriodKind, ScoringRun
from scoring.services import rescoring
from tests.factories import AgencyFactory, UserFactory, agency_admin

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _text(html: str) -> str:
    import re
    from html import unescape

    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def world():
    agency = AgencyFactory(name="Sở Tư pháp", code="STP")
    snv = UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP])
    clerk = agency_admin(agency, username="quantri.stp")
    october = Period.objects.create(kind=PeriodKind.MONTH, year=2026, number=10)
    run = ScoringRun.objects.create(period=october, agency=agency, reason="Nhập Excel số 12")
    with override_settings(TASKS=DATABASE_QUEUE):
        # The real failure path: one failed attempt, tried again after the policy's delay.
        assert rescoring._failed(run.pk, OperationalError("deadlock detected")) == "retrying"
    run.refresh_from_db()
    imported = ImportJob.objects.create(
        kind=ImportKind.RESULTS,
        agency=agency,
        period_code="2026-10",
        file="imports/2026/10/ket-qua.xlsx",
        original_name="ket-qua-thang-10.xlsx",
        sha256="0" * 64,
        status=ImportStatus.COMMITTED,
        uploaded_by=clerk,
    )
    batch = AccountBatch.objects.create(created_by=snv, agency=agency, total=3)
    export = ExportJob.objects.create(
        requested_by=snv,
        kind="listing",
        title="Danh sách công chức Sở Tư pháp",
        status=JobStatus.FAILED,
        attempts=1,
        last_error="ValueError: bảng quá lớn",
    )
    return SimpleNamespace(
        snv=snv, clerk=clerk, run=run, imported=imported, batch=batch, export=export
    )


def _page(client, **query):
    response = client.get(reverse("dashboards_background_jobs"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_home_affairs_sees_every_kind_of_job_in_its_own_words(client, world):
    client.force_login(world.snv)
    html = _page(client)
    text = _text(html)
    assert "Việc chạy nền" in text
    run = world.run
    at = timezone.localtime(run.next_attempt_at).strftime("%d/%m/%Y %H:%M")
    # The scoring run waiting for its retry: its status, one attempt, when, and why.
    assert f'id="job-scoring_runs-{run.pk}"' in html
    row = _text(html.split(f'id="job-scoring_runs-{run.pk}"')[1].split("</tr>")[0])
    assert "Lượt tính điểm" in row and "Nhập Excel số 12" in row and "Đang chờ" in row
    assert f" 1 {at} OperationalError: deadlock detected" in row
    # The import, the sign-in batch and the failed export, each with its kind's status text.
    row = _text(html.split(f'id="job-imports-{world.imported.pk}"')[1].split("</tr>")[0])
    assert "Lần nhập Excel" in row and "ket-qua-thang-10.xlsx" in row and "Đã nhập" in row
    row = _text(html.split(f'id="job-account_batches-{world.batch.pk}"')[1].split("</tr>")[0])
    assert "Lô tạo tài khoản" in row and "Sở Tư pháp, 0/3 người" in row and "Đang chạy" in row
    row = _text(html.split(f'id="job-exports-{world.export.pk}"')[1].split("</tr>")[0])
    assert "Tệp xuất chạy nền" in row and "Không thành công" in row
    assert "ValueError: bảng quá lớn" in row
    # Links to the page of one job: the run's and the import's admin pages, the batch that
    # Sở Nội vụ ran itself.
    assert reverse("wagtailsnippets_scoring_scoringrun:inspect", args=[run.pk]) in html
    assert reverse("importers_job", args=[world.imported.pk]) in html
    assert reverse("accounts_batch", args=[world.batch.pk]) in html
    # No internal codes on screen.
    for code in (">queued<", ">committed<", ">running<", ">failed<", "True", "False", "None"):
        assert code not in html.split('id="background-jobs"')[1]


def test_the_listing_filters_by_kind_and_status(client, world):
    client.force_login(world.snv)
    html = _page(client, loai="scoring_runs")
    assert f"job-scoring_runs-{world.run.pk}" in html and "job-imports-" not in html
    # The chosen kind offers its own statuses, in its words.
    assert ">Đã tính xong<" in html

    html = _page(client, trang_thai="loi")
    assert f"job-exports-{world.export.pk}" in html
    assert "job-scoring_runs-" not in html and "job-imports-" not in html

    html = _page(client, trang_thai="dang-chay")
    assert f"job-scoring_runs-{world.run.pk}" in html
    assert f"job-account_batches-{world.batch.pk}" in html
    assert "job-imports-" not in html and "job-exports-" not in html

    html = _page(client, loai="imports", trang_thai=ImportStatus.COMMITTED)
    assert f"job-imports-{world.imported.pk}" in html
    html = _page(client, loai="imports", trang_thai=ImportStatus.FAILED)
    assert 'id="background-jobs-none"' in html and "Không có việc chạy nền nào." in html


def test_the_listing_is_refused_to_a_clerk_and_not_in_their_menu(client, world):
    client.force_login(world.clerk)
    response = client.get(reverse("dashboards_background_jobs"), follow=True)
    # The admin's refusal: its home page with "Bạn không có quyền truy cập…", no job shown.
    assert response.redirect_chain[0][0] == reverse("wagtailadmin_home")
    page = _text(response.content.decode())
    assert "Bạn không có quyền truy cập" in page
    assert "Nhập Excel số 12" not in page and "Việc chạy nền" not in page
    client.force_login(world.snv)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("dashboards_background_jobs") in home
    # And from the stuck-work page.
    stuck = client.get(reverse("dashboards_stuck_work")).content.decode()
    assert reverse("dashboards_background_jobs") in stuck


def _given_up(world) -> ScoringRun:
    """A run that failed until the retry policy gave up (the real path)."""
    run = ScoringRun.objects.create(
        period=world.run.period, agency=world.run.agency, reason="Tính lại phòng Pháp chế"
    )
    with override_settings(TASKS=DATABASE_QUEUE):
        for _attempt in range(20):
            if rescoring._failed(run.pk, OperationalError("server closed the connection")) != (
                "retrying"
            ):
                break
    run.refresh_from_db()
    assert run.status == "failed"
    return run


def test_home_affairs_retries_a_failed_scoring_run_at_once(client, world):
    run = _given_up(world)
    client.force_login(world.snv)
    html = _page(client, loai="scoring_runs")
    url = reverse("dashboards_background_job_retry", args=["scoring_runs", run.pk])
    failed_row = html.split(f'id="job-scoring_runs-{run.pk}"')[1].split("</tr>")[0]
    assert url in failed_row and "Thử lại ngay" in _text(failed_row)
    # A run still being retried by itself offers no button.
    waiting_row = html.split(f'id="job-scoring_runs-{world.run.pk}"')[1].split("</tr>")[0]
    assert "Thử lại ngay" not in _text(waiting_row)
    assert "tự thử lại ở lần đối chiếu hằng ngày" in _text(html)

    with override_settings(TASKS=DATABASE_QUEUE):
        response = client.post(url, follow=True)
    page = _text(response.content.decode())
    assert "Đã đưa “" in page and "trở lại hàng chờ" in page
    run.refresh_from_db()
    assert (run.status, run.attempts, run.next_attempt_at) == ("queued", 0, None)
    at = timezone.localtime().strftime("%d/%m/%Y")
    name = world.snv.get_full_name() or world.snv.get_username()
    assert run.message.startswith(f"Đã xếp hàng tính lại theo yêu cầu của {name} lúc {at}")
    # Back on the listing: waiting, no button; asked again, the page says it is not needed.
    html = response.content.decode()
    row = _text(html.split(f'id="job-scoring_runs-{run.pk}"')[1].split("</tr>")[0])
    assert "Tính lại phòng Pháp chế" in row and "Đang chờ" in row and "Thử lại ngay" not in row
    response = client.post(url, follow=True)
    run.refresh_from_db()
    assert "không còn ở trạng thái lỗi (đang chờ): không cần thử lại" in _text(
        response.content.decode()
    )


def test_a_clerk_may_not_retry_a_failed_run(client, world):
    run = _given_up(world)
    client.force_login(world.clerk)
    url = reverse("dashboards_background_job_retry", args=["scoring_runs", run.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain[0][0] == reverse("wagtailadmin_home")
    assert "Bạn không có quyền truy cập" in _text(response.content.decode())
    run.refresh_from_db()
    assert run.status == "failed" and run.attempts > 0
    # A kind that cannot be retried from the listing is not found, even for Sở Nội vụ.
    client.force_login(world.snv)
    other = reverse("dashboards_background_job_retry", args=["imports", world.imported.pk])
    assert client.post(other).status_code == 404
    assert client.get(url).status_code == 405


def test_a_run_is_sent_back_once_and_the_listing_keeps_its_filter(client, world):
    """Two requests for the same failed run (a double click, the daily check beside a person)
    send it back once; a run already queued or running is left as it is."""
    run = _given_up(world)
    with override_settings(TASKS=DATABASE_QUEUE):
        assert rescoring.retry_failed([run.pk], asked_by=world.snv) == [run.pk]
        assert rescoring.retry_failed([run.pk]) == []
    run.refresh_from_db()
    assert run.status == "queued" and "theo yêu cầu của" in run.message
    ScoringRun.objects.filter(pk=run.pk).update(status="running")
    assert rescoring.retry_failed([run.pk]) == []
    assert ScoringRun.objects.get(pk=run.pk).status == "running"

    # The page comes back filtered as it was ("Không thành công").
    other = _given_up(world)
    client.force_login(world.snv)
    html = _page(client, loai="scoring_runs", trang_thai="loi")
    assert 'name="trang_thai" value="loi"' in html
    url = reverse("dashboards_background_job_retry", args=["scoring_runs", other.pk])
    with override_settings(TASKS=DATABASE_QUEUE):
        response = client.post(url, {"trang_thai": "loi"})
    assert response["Location"] == (
        reverse("dashboards_background_jobs") + "?loai=scoring_runs&trang_thai=loi"
    )
