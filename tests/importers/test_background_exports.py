"""Issue 47: a long download is built in the background (``cms.exports``), shown on its page with
its progress, and downloaded by the person who asked only; below the threshold it stays at once.
Form 01 of Sở Tư pháp is the export asked for here (three people and one line: four rows)."""

import dataclasses
import datetime
import re

import pytest

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.importers.conftest import load
from tests.importers.test_exports import scored  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

LOW = override_settings(KPI_EXPORT_INLINE_ROWS=2)


def ask(client, world):
    return client.get(
        reverse("importers_form01"),
        {"exp-agency": world["justice"].pk, "exp-period": world["march"].pk},
    )


def cells(content: bytes) -> dict[str, list[list]]:
    book = load(content)
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


def page(client, job) -> str:
    response = client.get(reverse("cms_export_job", args=[job.pk]))
    assert response.status_code == 200
    return response.content.decode()


def refused(response) -> bool:
    """The admin's refusal: its home page with "Bạn không có quyền truy cập…"."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"].split("?")[0] in ("/admin/", "/admin")
    )


def test_below_the_threshold_the_download_is_immediate(client, scored):  # noqa: F811
    from cms.models import ExportJob

    client.force_login(scored["justice_admin"])
    response = ask(client, scored)
    assert response.status_code == 200
    assert 'filename="mau-01-stp-2026-03.xlsx"' in response["Content-Disposition"]
    assert not ExportJob.objects.exists()


def test_a_long_export_lands_on_its_page_and_downloads_the_same_workbook(client, scored):  # noqa: F811
    from audit.models import PersonalDataRead, ReadKind
    from cms.models import ExportJob

    client.force_login(scored["justice_admin"])
    inline = ask(client, scored).content
    with LOW:
        response = ask(client, scored)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cms_export_job", args=[job.pk])
    assert (job.requested_by, job.rows_total) == (scored["justice_admin"], 4)
    text = page(client, job)
    assert "Tệp đã sẵn sàng (4 dòng)." in text
    assert "Mẫu 01 của Sở Tư pháp" in text
    assert timezone.localtime(job.created_at).strftime("%d/%m/%Y") in text
    shown = re.sub(r"<[^>]+>", " ", text.split('id="export-job"')[1].split("</main>")[0])
    for raw in ("True", "False", "None", "done", "queued", "running", "importers.form01"):
        assert raw not in shown, raw
    reads = PersonalDataRead.objects.filter(kind=ReadKind.FORM01).count()
    download = client.get(reverse("cms_export_job_file", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="mau-01-stp-2026-03.xlsx"'
    assert cells(download.content) == cells(inline)
    # The download is logged as the inline one is.
    assert PersonalDataRead.objects.filter(kind=ReadKind.FORM01).count() == reads + 1


def test_the_page_shows_the_progress_and_refreshes_itself(client, scored):  # noqa: F811
    from cms import exports
    from cms.models import ExportJob, JobStatus
    from importers.exports.background import FORM01

    user = scored["justice_admin"]
    client.force_login(user)
    job = ExportJob.objects.create(
        requested_by=user,
        kind=FORM01,
        params={"agency": scored["justice"].pk, "period": scored["march"].pk},
        title="Mẫu 01 của Sở Tư pháp, Tháng 3/2026",
        scope=exports.scope_key(user),
        status=JobStatus.RUNNING,
        rows_done=120,
        rows_total=850,
    )
    text = page(client, job)
    assert "Đang tạo tệp: 120/850 dòng" in text
    assert '<meta http-equiv="refresh" content="3">' in text
    assert reverse("cms_export_job", args=[job.pk]) in text  # a plain link too
    assert client.get(reverse("cms_export_job_file", args=[job.pk])).status_code == 404


def test_another_agency_and_the_anonymous_are_refused(client, scored):  # noqa: F811
    from cms.models import ExportJob

    client.force_login(scored["justice_admin"])
    with LOW:
        ask(client, scored)
    job = ExportJob.objects.get()
    urls = [
        reverse("cms_export_job", args=[job.pk]),
        reverse("cms_export_job_file", args=[job.pk]),
    ]
    client.force_login(scored["health_admin"])
    for url in urls:
        response = client.get(url)
        assert refused(response), url
        assert "Sở Tư pháp" not in response.content.decode()
    followed = client.get(urls[0], follow=True).content.decode()
    assert "Bạn không có quyền truy cập" in followed
    assert refused(client.post(reverse("cms_export_job_retry", args=[job.pk])))
    # Sở Nội vụ reaches every agency, but did not ask for this file.
    client.force_login(scored["home_affairs"])
    assert refused(client.get(urls[1]))
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_who_lost_the_reach_since_asking_no_longer_downloads(client, scored):  # noqa: F811
    from cms.models import ExportJob
    from org.models import AgencyAccess

    user = scored["justice_admin"]
    client.force_login(user)
    with LOW:
        ask(client, scored)
    job = ExportJob.objects.get()
    AgencyAccess.objects.filter(user=user).delete()
    assert refused(client.get(reverse("cms_export_job_file", args=[job.pk])))


def test_a_failed_build_says_so_and_is_tried_again_from_the_page(client, scored, monkeypatch):  # noqa: F811
    from cms import exports
    from cms.models import ExportJob, JobStatus
    from importers.exports.background import FORM01

    kind = exports.KINDS[FORM01]

    def broken(params, progress):
        raise RuntimeError("disk full")

    monkeypatch.setitem(exports.KINDS, FORM01, dataclasses.replace(kind, build=broken))
    client.force_login(scored["justice_admin"])
    with LOW:
        ask(client, scored)
    job = ExportJob.objects.get()
    assert job.status == JobStatus.FAILED and job.last_error == "RuntimeError: disk full"
    text = page(client, job)
    assert "Lỗi hệ thống khi tạo tệp; quản trị viên đã được ghi nhận. Hãy thử lại sau." in text
    assert "disk full" not in text and "RuntimeError" not in text
    assert reverse("cms_export_job_retry", args=[job.pk]) in text
    monkeypatch.setitem(exports.KINDS, FORM01, kind)
    response = client.post(reverse("cms_export_job_retry", args=[job.pk]), follow=True)
    assert "Tệp đã sẵn sàng (4 dòng)." in response.content.decode()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)
    assert client.get(reverse("cms_export_job_file", args=[job.pk])).status_code == 200


def test_the_sweep_requeues_lost_work_and_ends_what_keeps_dying(client, scored):  # noqa: F811
    from cms import exports, jobs
    from cms.models import ExportJob, JobStatus
    from importers.exports.background import FORM01

    assert "exports" in jobs.CHECKS and "exports" in jobs.LIVE_TASKS
    user = scored["justice_admin"]
    client.force_login(user)
    params = {"agency": scored["justice"].pk, "period": scored["march"].pk}
    common = {"requested_by": user, "kind": FORM01, "params": params, "rows_total": 4}
    lost = ExportJob.objects.create(scope=exports.scope_key(user), **common)
    dying = ExportJob.objects.create(
        scope=exports.scope_key(user), status=JobStatus.RUNNING, attempts=3, **common
    )
    past = timezone.now() - datetime.timedelta(hours=1)
    ExportJob.objects.filter(pk__in=[lost.pk, dying.pk]).update(updated_at=past)
    report = exports.sweep_exports()
    assert report["requeued"] == [lost.pk]
    lost.refresh_from_db()
    dying.refresh_from_db()
    assert lost.status == JobStatus.DONE and lost.file
    assert dying.status == JobStatus.FAILED
    assert "Máy xử lý nền dừng nhiều lần khi đang tạo tệp này." in page(client, dying)
    # Finished files are deleted after KPI_EXPORT_KEEP_DAYS; the page says so.
    ExportJob.objects.filter(pk=lost.pk).update(finished_at=past - datetime.timedelta(days=30))
    assert exports.purge_old_files() == 1
    assert "Tệp đã được xoá sau thời hạn lưu giữ" in page(client, lost)
