"""The admin flow: template → upload → background validation → preview → confirm → one
transaction; history, duplicates, and access checked on every URL."""

import datetime
import os
import re
from decimal import Decimal
from html import unescape

import pytest

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from importers import bulk, pipeline
from importers.models import ImportJob, ImportStatus
from tests.importers.conftest import fill_results, load, save, snapshot, template_bytes

pytestmark = pytest.mark.django_db

D31 = datetime.date(2026, 3, 31)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def line(official="CT0001", product="STP-001", assigned=3, completed=2, note=None):
    return [official, None, product, None, assigned, completed, D31, None, 0, 0, None, note]


def results_bytes(world, rows, tmp_path, name="ket-qua.xlsx") -> bytes:
    workbook = fill_results(load(template_bytes("results", world["justice"], world["march"])), rows)
    return save(workbook, tmp_path / name).read_bytes()


def upload(client, world, data, kind="results", agency=None, period=True, name="ket-qua.xlsx"):
    payload = {
        "kind": kind,
        "agency": (agency or world["justice"]).pk,
        "file": SimpleUploadedFile(name, data, content_type=XLSX),
    }
    if period:
        payload["period"] = world["march"].pk
    return client.post(reverse("importers_upload"), payload)


def latest_job():
    return ImportJob.objects.order_by("-id").first()


def lines():
    from scoring.models import AssignmentLine

    return AssignmentLine.objects.order_by("id")


def test_template_download_is_an_xlsx_for_the_chosen_agency_and_period(client, world):
    client.force_login(world["justice_admin"])
    response = client.get(
        reverse("importers_template"),
        {"tpl-kind": "results", "tpl-agency": world["justice"].pk, "tpl-period": world["march"].pk},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="mau-results-stp-2026-03.xlsx"' in response["Content-Disposition"]
    workbook = load(response.content)
    assert workbook["_meta"]["B4"].value == "STP"


def test_upload_preview_then_confirm(client, world, tmp_path):
    client.force_login(world["justice_admin"])
    data = results_bytes(world, [line(), line("CT0002", "STP-002")], tmp_path)
    response = upload(client, world, data)
    job = latest_job()
    assert response.status_code == 302 and response["Location"] == reverse(
        "importers_job", args=[job.pk]
    )
    assert job.status == ImportStatus.PREVIEW
    assert (job.rows_total, job.rows_new, job.rows_changed, job.rows_unchanged) == (2, 2, 0, 0)
    assert job.uploaded_by == world["justice_admin"] and job.sha256 and job.file
    assert not lines().exists()  # a preview writes nothing

    page = client.get(reverse("importers_job", args=[job.pk])).content.decode()
    for element in (
        'id="import-job"',
        'id="count-new">2<',
        'id="import-confirm"',
        'id="import-cancel"',
    ):
        assert element in page
    status = client.get(reverse("importers_job_status", args=[job.pk])).json()
    assert status["status"] == "preview" and status["counts"]["new"] == 2 and not status["running"]

    response = client.post(reverse("importers_job_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED
    assert job.committed_by == world["justice_admin"] and job.committed_at
    assert lines().count() == 2
    # What the clerk sees after "Xác nhận nhập" (review 2026-11-23 C8): the period by its
    # name, a success message and the next step.
    page = client.get(reverse("importers_job", args=[job.pk])).content.decode()
    assert 'id="import-period">Tháng 03/2026<' in page
    assert 'id="import-next-step"' in page and "Bước tiếp theo" in page


def test_preview_counts_new_changed_unchanged_removed(client, world, tmp_path):
    client.force_login(world["justice_admin"])
    first = results_bytes(world, [line(), line("CT0002", "STP-002"), line("CT0003")], tmp_path)
    upload(client, world, first)
    client.post(reverse("importers_job_confirm", args=[latest_job().pk]))
    second = results_bytes(
        world,
        [line(), line("CT0002", "STP-002", completed=3), line("CT0002", "STP-003")],
        tmp_path,
        "lan-2.xlsx",
    )
    upload(client, world, second, name="lan-2.xlsx")
    job = latest_job()
    assert job.status == ImportStatus.PREVIEW
    assert (job.rows_new, job.rows_changed, job.rows_unchanged, job.rows_removed) == (1, 1, 1, 1)


def test_invalid_file_lists_every_error_and_cannot_be_confirmed(client, world, tmp_path):
    client.force_login(world["justice_admin"])
    data = results_bytes(world, [line("XX1"), line(assigned=-1, completed=0)], tmp_path)
    upload(client, world, data)
    job = latest_job()
    assert job.status == ImportStatus.INVALID
    assert job.rows_error == 2 and job.error_count == 2
    errors = [i for i in job.issues if i["severity"] == "error"]
    assert [(i["sheet"], i["row"], i["column"]) for i in errors] == [
        ("Kết quả", 3, "A"),
        ("Kết quả", 4, "E"),
    ]
    page = client.get(reverse("importers_job", args=[job.pk])).content.decode()
    assert 'data-sheet="Kết quả" data-row="3" data-column="A"' in page
    assert "Không tìm thấy công chức có mã số XX1." in page
    assert 'id="import-confirm"' not in page
    # "Tải lên tệp đã sửa" opens the upload form filled with this file's kind, agency and
    # period; the clerk's one agency is chosen, periods read as names (review C8).
    again = re.search(r'id="import-upload-again" href="([^"]+)"', page)
    assert again and "Tải lên tệp đã sửa" in page
    form = client.get(unescape(again.group(1))).content.decode()
    upload_form = form[form.index('id="import-upload-form"') :]
    assert re.search(rf'<option value="{world["justice"].pk}" selected>', upload_form)
    assert re.search(
        rf'<option value="{world["march"].pk}" selected>Tháng 03/2026</option>', upload_form
    )
    assert "---------" not in upload_form.split('name="period"')[0].split('name="agency"')[1]
    before = snapshot()
    client.post(reverse("importers_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID and snapshot() == before


def test_unreadable_upload_is_recorded_with_its_message(client, world):
    client.force_login(world["justice_admin"])
    upload(client, world, b"Ma;Ten\nCT0001;An\n", name="ket-qua.csv")
    job = latest_job()
    assert job.status == ImportStatus.UNREADABLE
    assert "CSV" in job.issues[0]["message"]


def test_commit_is_one_transaction(client, world, tmp_path, monkeypatch):
    client.force_login(world["justice_admin"])
    upload(client, world, results_bytes(world, [line()], tmp_path))
    first = latest_job()
    client.post(reverse("importers_job_confirm", args=[first.pk]))
    before = snapshot()

    upload(
        client, world, results_bytes(world, [line(completed=3), line("CT0002")], tmp_path, "b.xlsx")
    )
    job = latest_job()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "update_columns", broken)  # the insert has already run by then
    client.post(reverse("importers_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    first.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "không có dữ liệu nào bị thay đổi" in job.issues[0]["message"]
    assert first.status == ImportStatus.COMMITTED
    assert snapshot() == before


def test_reupload_replaces_the_submission_and_keeps_history(client, world, tmp_path):
    client.force_login(world["justice_admin"])
    upload(client, world, results_bytes(world, [line(), line("CT0002")], tmp_path))
    first = latest_job()
    client.post(reverse("importers_job_confirm", args=[first.pk]))
    kept_id = lines().get(civil_servant__official_id="CT0001").pk

    upload(
        client, world, results_bytes(world, [line(completed=1), line("CT0003")], tmp_path, "b.xlsx")
    )
    second = latest_job()
    # CT0002's line is no longer in the file: its deletion is agreed to separately.
    client.post(reverse("importers_job_confirm", args=[second.pk]), {"confirm_deletions": "1"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == ImportStatus.COMMITTED and second.supersedes == first
    assert first.status == ImportStatus.SUPERSEDED and first.file.storage.exists(first.file.name)
    stored = {(x.civil_servant.official_id, x.completed_quantity) for x in lines()}
    assert stored == {("CT0001", Decimal("1.00")), ("CT0003", Decimal("2.00"))}
    assert lines().get(civil_servant__official_id="CT0001").pk == kept_id  # updated in place
    page = client.get(reverse("importers_job", args=[first.pk])).content.decode()
    assert f'id="import-replaced-by" href="{reverse("importers_job", args=[second.pk])}"' in page


def test_lines_entered_by_hand_are_not_replaced(client, world, tmp_path):
    from scoring.models import AssignmentLine, LineSource

    item = world["justice_page"].versions.get().items.get(code="STP-003")
    manual = AssignmentLine.objects.create(
        civil_servant=world["people"]["an"], period=world["march"], item=item,
        unit=world["office"], assigned_quantity=1, source=LineSource.MANUAL,
    )  # fmt: skip
    client.force_login(world["justice_admin"])
    upload(client, world, results_bytes(world, [line()], tmp_path))
    client.post(reverse("importers_job_confirm", args=[latest_job().pk]))
    assert AssignmentLine.objects.filter(pk=manual.pk).exists()
    assert latest_job().rows_removed == 0


def test_identical_file_is_detected_by_its_hash(client, world, tmp_path):
    client.force_login(world["justice_admin"])
    data = results_bytes(world, [line()], tmp_path)
    upload(client, world, data)
    first = latest_job()
    client.post(reverse("importers_job_confirm", args=[first.pk]))
    before = snapshot()
    upload(client, world, data, name="lan-nua.xlsx")
    again = latest_job()
    assert again.status == ImportStatus.DUPLICATE and again.duplicate_of == first
    assert again.sha256 == first.sha256
    assert f"lần #{first.pk}" in again.issues[0]["message"]
    assert snapshot() == before
    page = client.get(reverse("importers_job", args=[again.pk])).content.decode()
    assert 'id="import-duplicate-of"' in page and 'id="import-confirm"' not in page


def test_reuploading_an_older_file_restores_it(client, world, tmp_path):
    client.force_login(world["justice_admin"])
    old = results_bytes(world, [line()], tmp_path)
    upload(client, world, old)
    client.post(reverse("importers_job_confirm", args=[latest_job().pk]))
    upload(client, world, results_bytes(world, [line(completed=0)], tmp_path, "b.xlsx"))
    client.post(reverse("importers_job_confirm", args=[latest_job().pk]))
    upload(client, world, old, name="khoi-phuc.xlsx")
    restore = latest_job()
    assert restore.status == ImportStatus.PREVIEW and restore.rows_changed == 1


def test_confirming_twice_commits_once(client, world, tmp_path):
    client.force_login(world["justice_admin"])
    upload(client, world, results_bytes(world, [line()], tmp_path))
    job = latest_job()
    client.post(reverse("importers_job_confirm", args=[job.pk]))
    client.post(reverse("importers_job_confirm", args=[job.pk]))
    assert ImportJob.objects.filter(status=ImportStatus.COMMITTED).count() == 1
    assert lines().count() == 1


def test_commit_revalidates_what_changed_since_the_preview(client, world, tmp_path):
    client.force_login(world["justice_admin"])
    upload(client, world, results_bytes(world, [line()], tmp_path))
    job = latest_job()
    world["march"].status = "closed"
    world["march"].save()
    client.post(reverse("importers_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID and "khóa sổ" in job.issues[0]["message"]
    assert not lines().exists()


def test_a_review_between_preview_and_confirm_is_not_overwritten(client, world, tmp_path):
    """A leader returns a line (one failed review) after the preview of a file that changes
    that line: the confirmation writes nothing and shows the preview again, computed on what
    is stored now; the review is kept until the user confirms the new preview."""
    from scoring.models import DeductionKind
    from scoring.services.deductions import record_deduction

    client.force_login(world["justice_admin"])
    upload(client, world, results_bytes(world, [line(), line("CT0002", "STP-002")], tmp_path))
    client.post(reverse("importers_job_confirm", args=[latest_job().pk]))
    changed = results_bytes(
        world, [line(completed=3), line("CT0002", "STP-002")], tmp_path, "lan-2.xlsx"
    )
    upload(client, world, changed, name="lan-2.xlsx")
    job = latest_job()
    assert job.status == ImportStatus.PREVIEW and job.rows_changed == 1 and job.scope_fingerprint
    reviewed = lines().first()
    record_deduction(
        reviewed, DeductionKind.REVIEW, note="Trả lại", decided_by="test-setup"
    )  # the leader, meanwhile

    client.post(reverse("importers_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW
    assert "đã thay đổi từ lúc xem trước" in job.issues[0]["message"]
    reviewed.refresh_from_db()
    assert reviewed.failed_reviews == 1 and reviewed.completed_quantity == 2  # nothing written

    client.post(reverse("importers_job_confirm", args=[job.pk]))  # the user confirms again
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED
    reviewed.refresh_from_db()
    assert reviewed.completed_quantity == 3


def test_a_full_disk_during_an_upload_leaves_nothing(client, world, tmp_path, monkeypatch):
    """The disk fills up in the middle of writing the upload: a clear message, no job, and the
    part already written is removed."""
    import errno

    from django.core.files.storage import FileSystemStorage

    written = []

    def fill_up(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"PK\x03\x04 part of the file")
        written.append(path)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", fill_up)
    client.force_login(world["justice_admin"])
    response = upload(client, world, results_bytes(world, [line()], tmp_path))
    assert response.status_code == 503
    assert "ổ đĩa lưu trữ đã đầy" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert written and not os.path.exists(written[0])


def test_cancel_a_preview(client, world, tmp_path):
    client.force_login(world["justice_admin"])
    upload(client, world, results_bytes(world, [line()], tmp_path))
    job = latest_job()
    client.post(reverse("importers_job_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    client.post(reverse("importers_job_confirm", args=[job.pk]))
    assert not lines().exists()


def test_a_crash_in_the_worker_marks_the_job_failed(client, world, tmp_path, monkeypatch):
    def crash(*args, **kwargs):
        raise MemoryError("boom")

    monkeypatch.setattr(pipeline, "analyse", crash)
    client.force_login(world["justice_admin"])
    response = upload(client, world, results_bytes(world, [line()], tmp_path))
    job = latest_job()
    assert response.status_code == 302
    assert job.status == ImportStatus.FAILED and job.progress == 100
    # The clerk reads that it failed and what to do; no traceback, no exception's name.
    page = unescape(client.get(reverse("importers_job", args=[job.pk])).content.decode())
    assert 'id="import-status">Lỗi hệ thống<' in page
    assert "quản trị viên đã được ghi nhận. Hãy thử lại sau." in page
    assert "MemoryError" not in page and "boom" not in page
    assert 'id="import-confirm"' not in page


def test_the_page_polls_while_the_task_is_queued(client, world, tmp_path, monkeypatch):
    """With a real worker the task runs later: the page shows progress and polls the JSON."""
    from importers import tasks

    monkeypatch.setattr(tasks, "enqueue_validation", lambda job: None)
    client.force_login(world["justice_admin"])
    upload(client, world, results_bytes(world, [line()], tmp_path))
    job = latest_job()
    page = client.get(reverse("importers_job", args=[job.pk])).content.decode()
    assert 'id="import-progress"' in page and 'data-running="true"' in page
    assert client.get(reverse("importers_job_status", args=[job.pk])).json()["running"] is True
    tasks.run_validation(job.pk)
    assert client.get(reverse("importers_job_status", args=[job.pk])).json()["status"] == "preview"


# --- access on every URL --------------------------------------------------------------------------


@pytest.fixture
def justice_job(client, world, tmp_path):
    client.force_login(world["justice_admin"])
    upload(client, world, results_bytes(world, [line()], tmp_path))
    client.logout()
    return latest_job()


@pytest.mark.parametrize(
    ("name", "method"),
    [("importers_job", "get"), ("importers_job_status", "get"), ("importers_job_file", "get"),
     ("importers_job_confirm", "post"), ("importers_job_cancel", "post")],
)  # fmt: skip
def test_another_agency_cannot_reach_a_job_by_url(client, world, justice_job, name, method):
    client.force_login(world["health_admin"])
    response = getattr(client, method)(reverse(name, args=[justice_job.pk]))
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
    justice_job.refresh_from_db()
    assert justice_job.status == ImportStatus.PREVIEW


@pytest.mark.parametrize("user", ["justice_admin", "home_affairs"])
def test_own_agency_and_home_affairs_reach_the_job(client, world, justice_job, user):
    client.force_login(world[user])
    page = unescape(client.get(reverse("importers_job", args=[justice_job.pk])).content.decode())
    # The job as they know it: the agency, the period by its name, the file they can open again.
    assert f'id="import-agency">{world["justice"].name}<' in page
    assert 'id="import-period">Tháng 03/2026<' in page
    file_url = reverse("importers_job_file", args=[justice_job.pk])
    assert f'<a id="import-file" href="{file_url}">ket-qua.xlsx</a>' in page
    assert 'id="count-new">1<' in page and 'id="import-confirm"' in page
    response = client.get(file_url)
    assert 'filename="ket-qua.xlsx"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == justice_job.file.open("rb").read()


def test_status_json_refuses_other_agencies(client, world, justice_job):
    client.force_login(world["health_admin"])
    response = client.get(reverse("importers_job_status", args=[justice_job.pk]))
    assert response.status_code == 403 and response.json() == {"error": "forbidden"}
    # Nothing of the other agency's job: neither its file, its status nor its counts.
    body = response.content.decode()
    assert justice_job.original_name not in body and "rows" not in body


def test_job_list_shows_only_visible_jobs(client, world, justice_job):
    client.force_login(world["health_admin"])
    page = client.get(reverse("importers_index")).content.decode()
    assert f'data-job-id="{justice_job.pk}"' not in page
    client.force_login(world["home_affairs"])
    page = client.get(reverse("importers_index")).content.decode()
    assert f'data-job-id="{justice_job.pk}"' in page


def test_another_agencys_template_and_upload_are_refused(client, world, tmp_path):
    client.force_login(world["health_admin"])
    response = client.get(
        reverse("importers_template"),
        {"tpl-kind": "results", "tpl-agency": world["justice"].pk, "tpl-period": world["march"].pk},
    )
    assert response.status_code == 400 and 'data-error-for="agency"' in response.content.decode()
    before = ImportJob.objects.count()
    response = upload(client, world, results_bytes(world, [line()], tmp_path))
    assert response.status_code == 400
    # The upload form comes back naming the agency field, and nothing was recorded.
    assert 'data-error-for="agency"' in response.content.decode()
    assert ImportJob.objects.count() == before


def test_users_without_any_agency_are_refused(client, world):
    client.force_login(world["outsider"])
    response = client.get(reverse("importers_index"))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    # What the person sees after the redirect: the refusal in words, not the import page.
    page = client.get(response["Location"])
    shown = [str(m) for m in get_messages(page.wsgi_request)]
    assert shown and all("quyền" in text for text in shown), shown
    assert 'id="import-upload-form"' not in page.content.decode()
    assert client.get(reverse("importers_job_status", args=[1])).status_code == 404
    client.logout()
    response = client.get(reverse("importers_index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_upload_over_the_limit_is_recorded_without_keeping_the_file(
    client, world, tmp_path, settings
):
    settings.KPI_IMPORT_MAX_BYTES = 1000
    client.force_login(world["justice_admin"])
    before = snapshot()
    response = upload(client, world, results_bytes(world, [line()], tmp_path))
    job = latest_job()
    assert response.status_code == 302
    assert job.status == ImportStatus.UNREADABLE and not job.file and job.size > 1000
    assert "vượt giới hạn" in job.issues[0]["message"]
    assert job.issues[0]["sheet"] is None and job.issues[0]["row"] is None
    page = client.get(reverse("importers_job", args=[job.pk])).content.decode()
    assert "vượt giới hạn" in page
    missing = client.get(reverse("importers_job_file", args=[job.pk]))
    assert missing.status_code == 400
    assert "Tệp không được lưu (vượt giới hạn dung lượng)." in missing.content.decode()
    assert snapshot()["lines"] == before["lines"]


def test_catalog_editor_uploads_a_catalog(client, world):
    client.force_login(world["justice_editor"])
    index = unescape(client.get(reverse("importers_index")).content.decode())
    # The page offers the catalog template for the editor's own agency.
    assert '<option value="catalog"' in index and "Danh mục sản phẩm/công việc" in index
    assert world["justice"].name in index
    data = template_bytes("catalog", world["justice"])
    response = upload(client, world, data, kind="catalog", period=False, name="danh-muc.xlsx")
    job = latest_job()
    assert response.status_code == 302 and job.status == ImportStatus.PREVIEW
    client.post(reverse("importers_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED and job.rows_unchanged == 3
    response = upload(client, world, data, kind="results", name="sai-loai.xlsx")
    assert response.status_code == 400  # a catalog editor does not import results
    refused = unescape(response.content.decode())
    assert 'data-error-for="agency"' in refused
    assert (
        "Bạn không có quyền với mẫu “Kết quả thực hiện nhiệm vụ trong kỳ” của "
        f"{world['justice'].name}." in refused
    )


def test_period_is_required_for_results(client, world, tmp_path):
    client.force_login(world["justice_admin"])
    before = ImportJob.objects.count()
    response = upload(client, world, results_bytes(world, [line()], tmp_path), period=False)
    page = response.content.decode()
    assert response.status_code == 400 and 'data-error-for="period"' in page
    assert "Hãy chọn kỳ đánh giá cho loại mẫu này." in page
    assert ImportJob.objects.count() == before


def test_a_file_of_another_agency_keeps_the_agency_it_was_uploaded_for(client, world, tmp_path):
    """Review 2026-11-22 (importers #8): Sở Y tế's template uploaded for Sở Tư pháp was refused
    but listed under Sở Y tế — shown to Sở Y tế's admins, hidden from the uploader's list."""
    client.force_login(world["home_affairs"])
    data = fill_results(
        load(template_bytes("results", world["health"], world["march"])),
        [["YT0001", None, "SYT-001", None, 1, 1, D31, None, 0, 0, None, None]],
    )
    upload(client, world, save(data, tmp_path / "syt.xlsx").read_bytes(), agency=world["justice"])
    job = latest_job()
    assert job.status == ImportStatus.INVALID
    assert job.agency == world["justice"]
    assert "không phải của Sở Tư pháp" in job.issues[0]["message"]


def test_a_day_that_does_not_exist_is_named_as_such(client, world, tmp_path):
    """“31/11/2026” is not a format error: November has 30 days (review 2026-11-23 C8)."""
    client.force_login(world["justice_admin"])
    row = line()
    row[6] = "31/11/2026"
    upload(client, world, results_bytes(world, [row], tmp_path))
    job = latest_job()
    page = client.get(reverse("importers_job", args=[job.pk])).content.decode()
    assert "“31/11/2026” không có trong lịch" in page
    assert "hãy nhập theo dạng dd/mm/yyyy" not in page


def test_an_upload_whose_answer_was_lost_is_shown_on_the_upload_page(client, world, tmp_path):
    """Review L6: the web worker was killed after the upload was stored (the clerk saw a 502);
    the upload page then says the file was received and links its job, so the clerk opens it
    instead of uploading a second copy."""
    client.force_login(world["justice_admin"])
    page = client.get(reverse("importers_index")).content.decode()
    assert 'id="recent-upload"' not in page
    upload(client, world, results_bytes(world, [line()], tmp_path), name="ket-qua-thang-3.xlsx")
    job = latest_job()
    page = client.get(reverse("importers_index")).content.decode()
    assert "Tệp “ket-qua-thang-3.xlsx” bạn tải lên lúc" in page
    assert f"đã được nhận (lần nhập số {job.pk}" in page
    assert "hãy mở lần nhập này thay vì tải lại tệp" in page
    assert reverse("importers_job", args=[job.pk]) in page
