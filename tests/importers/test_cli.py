"""manage.py export_template / import_excel: exit codes 0, 1, 2 and nothing written unless 0."""

import datetime

import pytest

from django.core.management import ManagementUtility
from django.utils import translation

from importers.models import ImportJob, ImportStatus
from tests.importers.conftest import load, results_file, run_command, snapshot

pytestmark = pytest.mark.django_db

D31 = datetime.date(2026, 3, 31)


def line(official="CT0001", product="STP-001", assigned=3):
    return [official, None, product, None, assigned, 1, D31, None, 0, 0, None, None]


run = run_command


def exit_code(*argv) -> int:
    """What the shell would see: run_from_argv turns a CommandError into sys.exit(returncode)."""
    try:
        ManagementUtility(["manage.py", *argv]).execute()
    except SystemExit as exited:
        return exited.code
    return 0


def test_export_template_for_one_agency(world, tmp_path):
    target = tmp_path / "stp.xlsx"
    code, out, _err = run("export_template", "--kind", "results", "--agency", "stp",
                          "--period", "2026-03", str(target))  # fmt: skip
    assert code == 0 and str(target) in out
    meta = load(target.read_bytes())["_meta"]
    assert (meta["B2"].value, meta["B4"].value, meta["B5"].value) == ("results", "STP", "2026-03")


def test_export_template_for_all_agencies(world, tmp_path):
    code, _out, err = run("export_template", "--kind", "results", "--period", "2026-03",
                         "--all-agencies", str(tmp_path / "mau"))  # fmt: skip
    assert code == 0
    written = sorted(p.name for p in (tmp_path / "mau").iterdir())
    assert written == ["mau-results-stp-2026-03.xlsx", "mau-results-syt-2026-03.xlsx"]
    assert "TINH:" in err  # the province has no catalog: skipped with the reason


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--kind", "results", "--agency", "STP"], "--period"),
        (["--kind", "results", "--agency", "XYZ", "--period", "2026-03"], "XYZ"),
        (["--kind", "results", "--agency", "STP", "--period", "2026-13"], "2026-13"),
        (["--kind", "results", "--agency", "STP", "--period", "2027-01"], "chưa được tạo"),
    ],
)
def test_export_template_errors(world, tmp_path, args, fragment):
    code, _out, err = run("export_template", *args, str(tmp_path / "x.xlsx"))
    assert code == 1 and fragment in err


def test_import_excel_writes_and_records_a_job(world, tmp_path):
    path = results_file(world, tmp_path, [line(), line("CT0002")])
    code, _out, err = run("import_excel", str(path))
    assert code == 0, err
    assert "2 mới" in err
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.COMMITTED and job.uploaded_by is None
    assert job.kind == "results" and job.agency == world["justice"] and job.period_code == "2026-03"
    assert job.file.storage.exists(job.file.name)


def test_import_excel_dry_run_writes_nothing(world, tmp_path):
    path = results_file(world, tmp_path, [line()])
    before = snapshot()
    code, _out, err = run("import_excel", str(path), "--dry-run")
    assert code == 0 and "chạy thử" in err
    assert snapshot() == before and not ImportJob.objects.exists()


def test_import_excel_prints_every_error_and_exits_1(world, tmp_path):
    path = results_file(world, tmp_path, [line("XX1"), line(assigned=-1)])
    before = snapshot()
    with translation.override("en"):  # the CLI speaks the site's language regardless
        code, out, _err = run("import_excel", str(path))
    assert code == 1
    assert out.splitlines() == [
        "Kết quả!3:A Không tìm thấy công chức có mã số XX1.",
        "Kết quả!4:E “Số lượng được giao” không được âm (đang là -1).",
    ]
    assert snapshot() == before and not ImportJob.objects.exists()
    assert run("import_excel", str(path), "--dry-run")[0] == 1


def test_import_excel_unreadable_file_exits_2(world, tmp_path):
    path = tmp_path / "ket-qua.xlsx"
    path.write_text("Mã;Tên\n")
    before = snapshot()
    code, _out, err = run("import_excel", str(path))
    assert code == 2 and "CSV" in err
    assert snapshot() == before
    assert run("import_excel", str(tmp_path / "khong-co.xlsx"))[0] == 2


def test_import_excel_checks_what_the_caller_expects(world, tmp_path):
    path = results_file(world, tmp_path, [line()])
    code, out, _err = run("import_excel", str(path), "--agency", "SYT")
    assert code == 1 and out.startswith("_meta!4:B ")
    code, out, _err = run("import_excel", str(path), "--kind", "catalog")
    assert code == 1 and out.startswith("_meta!2:B ")


def test_import_excel_same_file_twice_changes_nothing(world, tmp_path):
    path = results_file(world, tmp_path, [line()])
    assert run("import_excel", str(path))[0] == 0
    before = snapshot()
    code, _out, err = run("import_excel", str(path))
    assert code == 0 and "giống hệt" in err
    assert snapshot() == before


def test_real_process_exit_codes(world, tmp_path, monkeypatch):
    # run_from_argv closes every connection when it ends; keep the test's transaction open.
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    good = results_file(world, tmp_path, [line()])
    bad = results_file(world, tmp_path, [line("XX1")], name="sai.xlsx")
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert exit_code("import_excel", str(bad)) == 1
    assert exit_code("import_excel", str(broken)) == 2
    assert exit_code("import_excel", str(good), "--dry-run") == 0


def test_a_missing_file_is_said_in_vietnamese(world, tmp_path):
    """The operating system says "No such file or directory", in English."""
    code, _out, err = run("import_excel", str(tmp_path / "khong-co.xlsx"))
    assert code == 2
    assert "không có tệp này (kiểm tra lại đường dẫn và tên tệp)" in err
    assert "No such file" not in err
