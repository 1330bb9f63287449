"""One gate per write, on the import side (issue 27 item 5; review 2026-11-23 importers F1, F9):
a confirmation on a stale preview is sent back with the differences; re-uploading a file
compares it with the stored rows, not only with the hash of the last file."""

from decimal import Decimal

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from importers.models import ImportJob, ImportStatus
from org.models import CivilServant
from tests.importers.conftest import load, run_command, save, template_bytes

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARKS = "Tiêu chí chung"
PEOPLE = "Công chức"


def marks_file(world, tmp_path, name, evaluator_marks: dict, default=1):
    """The STP marks template of March with every self/evaluator mark ``default`` except the
    evaluator marks of the people in ``evaluator_marks`` (official id → mark)."""
    workbook = load(template_bytes("general_marks", world["justice"], world["march"]))
    sheet = workbook[MARKS]
    for row in range(3, sheet.max_row + 1):
        official = sheet.cell(row, 1).value
        if not official or not isinstance(sheet.cell(row, 6).value, int | float):
            continue  # the leaders' đ/e rows keep their levels empty
        sheet.cell(row, 7).value = default
        sheet.cell(row, 8).value = evaluator_marks.get(official, default)
    return save(workbook, tmp_path / name)


def personnel_file(world, tmp_path, name, edits: dict):
    """The STP personnel template with cells changed: {(official id, column letter): value}."""
    workbook = load(template_bytes("personnel", world["justice"]))
    sheet = workbook[PEOPLE]
    for row in range(3, sheet.max_row + 1):
        official = sheet.cell(row, 1).value
        for (who, column), value in edits.items():
            if who == official:
                sheet[f"{column}{row}"] = value
    return save(workbook, tmp_path / name)


def clerk(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, world, path, kind, period=True) -> ImportJob:
    payload = {
        "kind": kind,
        "agency": world["justice"].pk,
        "file": SimpleUploadedFile(path.name, path.read_bytes(), content_type=XLSX),
    }
    if period:
        payload["period"] = world["march"].pk
    response = client.post(reverse("importers_upload"), payload)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.order_by("-id").first()


def confirm(client, job) -> ImportJob:
    client.post(reverse("importers_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    return job


def evaluator_marks(official):
    from scoring.models import GeneralCriteriaMark

    return sorted(
        GeneralCriteriaMark.objects.filter(civil_servant__official_id=official).values_list(
            "evaluator_mark", flat=True
        )
    )


def test_two_clerks_confirming_marks_previews_do_not_revert_each_other(world, tmp_path):
    base = marks_file(world, tmp_path, "base.xlsx", {})
    a, b = clerk(world["justice_admin"]), clerk(world["home_affairs"])
    job = upload(a, world, base, "general_marks")
    assert confirm(a, job).status == ImportStatus.COMMITTED
    count = len(evaluator_marks("CT0001"))
    assert count

    job_a = upload(a, world, marks_file(world, tmp_path, "a.xlsx", {"CT0001": 2}), "general_marks")
    job_b = upload(b, world, marks_file(world, tmp_path, "b.xlsx", {"CT0002": 2}), "general_marks")
    assert job_a.status == job_b.status == ImportStatus.PREVIEW
    assert job_a.rows_changed == job_b.rows_changed == count

    assert confirm(a, job_a).status == ImportStatus.COMMITTED
    job_b = confirm(b, job_b)

    # B is sent back to the preview, told why and what changed; A's marks stay.
    assert job_b.status == ImportStatus.PREVIEW
    messages = [issue["message"] for issue in job_b.issues]
    assert messages[0].startswith("Dữ liệu đang lưu đã thay đổi từ lúc xem trước")
    assert f"{count} dòng đã khác" in messages[0]
    changed_since = [m for m in messages if m.startswith("Đã đổi từ lúc xem trước: CT0001")]
    assert len(changed_since) == count
    assert "Điểm người đánh giá chấm: “1” → “2”" in changed_since[0]
    assert evaluator_marks("CT0001") == [Decimal("2.00")] * count
    assert evaluator_marks("CT0002") == [Decimal("1.00")] * count
    # The new preview shows what B's file would now do: its own change and A's reverted.
    assert job_b.rows_changed == 2 * count
    page = b.get(reverse("importers_job", args=[job_b.pk])).content.decode()
    assert "Dữ liệu đang lưu đã thay đổi từ lúc xem trước" in page
    assert "Đã đổi từ lúc xem trước: CT0001" in page


def test_two_clerks_confirming_personnel_previews_do_not_revert_each_other(world, tmp_path):
    a, b = clerk(world["justice_admin"]), clerk(world["home_affairs"])
    file_a = personnel_file(world, tmp_path, "a.xlsx", {("CT0001", "F"): "0912000044"})
    file_b = personnel_file(world, tmp_path, "b.xlsx", {("CT0002", "E"): "binh@stp.gov.vn"})
    job_a = upload(a, world, file_a, "personnel", period=False)
    job_b = upload(b, world, file_b, "personnel", period=False)
    assert job_a.status == job_b.status == ImportStatus.PREVIEW
    assert job_a.rows_changed == job_b.rows_changed == 1

    assert confirm(a, job_a).status == ImportStatus.COMMITTED
    job_b = confirm(b, job_b)
    assert job_b.status == ImportStatus.PREVIEW
    messages = [issue["message"] for issue in job_b.issues]
    assert messages[0].startswith("Dữ liệu đang lưu đã thay đổi từ lúc xem trước")
    assert "Đã đổi từ lúc xem trước: CT0001: Số điện thoại: “—” → “0912000044”" in messages
    assert CivilServant.objects.get(official_id="CT0001").phone == "0912000044"
    assert CivilServant.objects.get(official_id="CT0002").email != "binh@stp.gov.vn"


def test_the_cli_confirms_a_recorded_preview_and_refuses_a_stale_one(world, tmp_path):
    base = marks_file(world, tmp_path, "base.xlsx", {})
    assert run_command("import_excel", str(base))[0] == 0
    path_b = marks_file(world, tmp_path, "b.xlsx", {"CT0002": 2})
    code, _out, err = run_command("import_excel", str(path_b), "--preview")
    assert code == 0, err
    job_b = ImportJob.objects.order_by("-id").first()
    assert job_b.status == ImportStatus.PREVIEW and f"--confirm {job_b.pk}" in err

    path_a = marks_file(world, tmp_path, "a.xlsx", {"CT0001": 2})
    assert run_command("import_excel", str(path_a))[0] == 0  # a colleague, meanwhile

    code, out, err = run_command("import_excel", "--confirm", str(job_b.pk))
    assert code == 1
    assert "Dữ liệu đang lưu đã thay đổi từ lúc xem trước" in out + err
    assert "Đã đổi từ lúc xem trước: CT0001" in out + err
    assert evaluator_marks("CT0001")[0] == Decimal("2.00")
    assert evaluator_marks("CT0002")[0] == Decimal("1.00")
    code, _out, err = run_command("import_excel", "--confirm", str(job_b.pk))  # seen: confirmed
    assert code == 0, err
    assert evaluator_marks("CT0002")[0] == Decimal("2.00")


# --- F9: the same file again ---------------------------------------------------------------


def test_reuploading_the_same_file_restores_what_changed_since(world, tmp_path):
    from scoring.models import GeneralCriteriaMark

    path = marks_file(world, tmp_path, "diem.xlsx", {"CT0001": 2})
    a = clerk(world["justice_admin"])
    first = upload(a, world, path, "general_marks")
    assert confirm(a, first).status == ImportStatus.COMMITTED

    # The same file, nothing changed since: a duplicate, "không có gì thay đổi".
    again = upload(a, world, path, "general_marks")
    assert again.status == ImportStatus.DUPLICATE
    assert "không có gì thay đổi" in again.issues[0]["message"]

    # A mark changed afterwards (Form 01): the same file is a real preview restoring it.
    mark = GeneralCriteriaMark.objects.filter(civil_servant__official_id="CT0001").first()
    mark.evaluator_mark = Decimal("0.5")
    mark.save()
    again = upload(a, world, path, "general_marks")
    assert again.status == ImportStatus.PREVIEW and again.rows_changed == 1
    assert "không có gì thay đổi" not in str(again.issues)
    assert f"giống hệt tệp đã nhập ở lần #{first.pk}" in again.issues[0]["message"]
    assert "dữ liệu đang lưu đã khác tệp" in again.issues[0]["message"]
    assert confirm(a, again).status == ImportStatus.COMMITTED
    mark.refresh_from_db()
    assert mark.evaluator_mark == Decimal("2.00")


def test_the_cli_reimport_of_the_same_file_restores_what_changed_since(world, tmp_path):
    from scoring.models import GeneralCriteriaMark

    path = marks_file(world, tmp_path, "diem.xlsx", {"CT0001": 2})
    assert run_command("import_excel", str(path))[0] == 0
    code, _out, err = run_command("import_excel", str(path))
    assert code == 0 and "không có gì thay đổi" in err

    mark = GeneralCriteriaMark.objects.filter(civil_servant__official_id="CT0001").first()
    mark.evaluator_mark = Decimal("0.5")
    mark.save()
    code, _out, err = run_command("import_excel", str(path))
    assert code == 0, err
    assert "không có gì thay đổi" not in err and "1 thay đổi" in err
    mark.refresh_from_db()
    assert mark.evaluator_mark == Decimal("2.00")


def test_two_clerks_confirming_catalog_previews_do_not_revert_each_other(world, tmp_path):
    def catalog(name, cell, value):
        workbook = load(template_bytes("catalog", world["justice"]))
        workbook["Danh mục"][cell] = value
        return save(workbook, tmp_path / name)

    a, b = clerk(world["justice_editor"]), clerk(world["home_affairs"])
    job_a = upload(a, world, catalog("a.xlsx", "B3", "Văn bản hành chính (sửa)"), "catalog", False)
    job_b = upload(b, world, catalog("b.xlsx", "F4", 240), "catalog", period=False)
    assert job_a.status == job_b.status == ImportStatus.PREVIEW
    assert confirm(a, job_a).status == ImportStatus.COMMITTED
    job_b = confirm(b, job_b)
    assert job_b.status == ImportStatus.PREVIEW
    messages = [issue["message"] for issue in job_b.issues]
    assert messages[0].startswith("Dữ liệu đang lưu đã thay đổi từ lúc xem trước")
    assert any(m.startswith("Đã đổi từ lúc xem trước: STP-001") for m in messages), messages
    page = type(world["justice_page"]).objects.get(pk=world["justice_page"].pk)
    draft = page.get_latest_revision_as_object()
    assert draft.items.get(code="STP-001").name == "Văn bản hành chính (sửa)"
