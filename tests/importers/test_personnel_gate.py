"""Personnel files that silently undid a transfer, renamed colleagues, erased values or were
refused with advice that would have made things worse (review 2026-11-23, importers F2, F8,
F11, P12, K05; issue 29 classes 5, 7, 8). Each advice is followed and the stored result checked.
"""

import datetime

import pytest

from django.test import Client
from django.urls import reverse

from importers import pipeline
from importers.models import ImportJob, ImportStatus
from org.models import CivilServant, Posting
from tests.factories import PostingFactory
from tests.importers.conftest import load, run_command, save, snapshot, template_bytes

pytestmark = pytest.mark.django_db

PEOPLE = "Công chức"
COLUMNS = "ABCDEFGHIJKLMN"
FIELDS = (
    *("official_id", "full_name", "gender", "date_of_birth", "email", "phone", "unit_code"),
    *("job_position_code", "role", "title", "start_date", "end_date", "is_concurrent"),
)
MOVED = datetime.date(2026, 3, 16)


def column(field: str) -> str:
    return COLUMNS[FIELDS.index(field)]


def rows_of(workbook) -> dict[str, int]:
    sheet = workbook[PEOPLE]
    return {
        sheet.cell(row, 1).value: row
        for row in range(3, sheet.max_row + 1)
        if sheet.cell(row, 1).value
    }


def personnel_file(workbook, tmp_path, edits: dict, name="nhan-su.xlsx"):
    """``edits``: {(official id, field): value} on the rows of ``workbook``'s people sheet."""
    sheet, rows = workbook[PEOPLE], rows_of(workbook)
    for (official, field), value in edits.items():
        sheet[f"{column(field)}{rows[official]}"] = value
    return save(workbook, tmp_path / name)


def template(world):
    return load(template_bytes("personnel", world["justice"]))


def commit(path, user, **kwargs):
    return pipeline.commit(path, user=user, **kwargs)


def refused(path, user):
    before = snapshot()
    analysis, job = commit(path, user)
    assert job is None and analysis.errors, [i.line() for i in analysis.issues]
    assert snapshot() == before
    return analysis.errors


def transfer_cuong(world):
    """CT0003 Lê Văn Cường leaves STP-PC on 15/03/2026 for Sở Y tế (done by Sở Nội vụ)."""
    cuong = CivilServant.objects.get(official_id="CT0003")
    old = cuong.postings.get()
    old.end_date = MOVED - datetime.timedelta(days=1)
    old.save()
    PostingFactory(
        civil_servant=cuong,
        agency=world["health"].children.get(code="SYT-VP"),
        start_date=MOVED,
        job_position=world["position"],
    )
    return old


# --- F2: the old agency's file and a transferred person ----------------------------------------


@pytest.mark.parametrize(
    ("edits", "where"),
    [
        ({("CT0003", "end_date"): "(xoá)"}, "end_date"),  # re-opened
        ({("CT0003", "end_date"): datetime.date(2026, 6, 30)}, "end_date"),  # extended
        ({("CT0003", "is_concurrent"): "Có"}, "is_concurrent"),  # the old advice followed
    ],
    ids=["reopened", "extended", "made-concurrent"],
)
def test_the_old_agency_cannot_reopen_a_transferred_persons_posting(world, tmp_path, edits, where):
    stale = template(world)  # downloaded before the move
    old = transfer_cuong(world)
    path = personnel_file(stale, tmp_path, edits)
    (error,) = refused(path, world["justice_admin"])
    row = rows_of(stale)["CT0003"]
    assert (error.sheet, error.row, error.column) == (PEOPLE, row, column(where))
    assert "CT0003 Lê Văn Cường đã chuyển sang Sở Y tế từ ngày 16/03/2026" in error.message
    assert "Hãy ghi Đến ngày 15/03/2026 và Kiêm nhiệm “Không”" in error.message
    assert "đề nghị Sở Nội vụ" in error.message
    assert "hoặc đánh dấu kiêm nhiệm" not in error.message

    # The advice, followed: the posting stays ended on 15/03, not concurrent.
    path = personnel_file(
        stale,
        tmp_path,
        {("CT0003", "end_date"): datetime.date(2026, 3, 15), ("CT0003", "is_concurrent"): "Không"},
        name="theo-huong-dan.xlsx",
    )
    analysis, job = commit(path, world["justice_admin"])
    assert job is not None, [i.line() for i in analysis.errors]
    old.refresh_from_db()
    assert old.end_date == datetime.date(2026, 3, 15) and not old.is_concurrent


def test_a_stale_template_with_the_end_date_blank_changes_nothing(world, tmp_path):
    """P13: the row as it was before the move (no "Đến ngày"): a blank keeps the stored end."""
    stale = template(world)
    old = transfer_cuong(world)
    path = personnel_file(stale, tmp_path, {("CT0001", "phone"): "0912000001"})
    analysis, job = commit(path, world["justice_admin"])
    assert job is not None, [i.line() for i in analysis.errors]
    old.refresh_from_db()
    assert old.end_date == datetime.date(2026, 3, 15) and not old.is_concurrent


def test_check_posting_change_is_a_rule_other_doors_can_call(world):
    from org.postings import check_posting_change

    old = transfer_cuong(world)
    person = old.civil_servant
    wide = {"agency": world["justice"], "start_date": old.start_date, "end_date": None}
    assert check_posting_change(
        world["justice_admin"], person, is_concurrent=True, posting=old, **wide
    )
    # Sở Nội vụ reaches the new agency: a real concurrent post is theirs to record.
    assert not check_posting_change(
        world["home_affairs"], person, is_concurrent=True, posting=old, **wide
    )
    # Correcting what is dated before the move stays possible.
    assert not check_posting_change(
        world["justice_admin"],
        person,
        agency=world["justice"],
        start_date=old.start_date,
        end_date=datetime.date(2026, 3, 10),
        is_concurrent=False,
        posting=old,
    )


# --- F8: a name column sorted on its own ----------------------------------------------------


def test_a_name_column_sorted_on_its_own_is_refused(world, tmp_path):
    workbook = template(world)
    names = {"CT0001": "Trần Thị Bình", "CT0002": "Lê Văn Cường", "CT0003": "Nguyễn Văn An"}
    path = personnel_file(workbook, tmp_path, {(o, "full_name"): n for o, n in names.items()})
    errors = refused(path, world["justice_admin"])
    rows = rows_of(workbook)
    assert len(errors) == 3
    first = next(e for e in errors if e.row == rows["CT0001"])
    assert (first.sheet, first.column) == (PEOPLE, "B")
    assert first.message == (
        "Mã số CT0001 đang lưu họ tên “Nguyễn Văn An”, tệp ghi “Trần Thị Bình” nhưng công chức "
        "mã số CT0002 đang mang họ tên này: cột họ tên có lẽ đã bị sắp xếp riêng hoặc dán lệch "
        "dòng. Hãy ghi lại “Nguyễn Văn An” (hoặc tải mẫu mới và dán lại cả dòng)."
    )
    # The advice, followed.
    stored = {"CT0001": "Nguyễn Văn An", "CT0002": "Trần Thị Bình", "CT0003": "Lê Văn Cường"}
    path = personnel_file(workbook, tmp_path, {(o, "full_name"): n for o, n in stored.items()})
    analysis, job = commit(path, world["justice_admin"])
    assert job is not None and analysis.counts.renamed == 0
    assert dict(CivilServant.objects.values_list("official_id", "full_name")) == {
        **stored,
        "YT0001": "Phạm Thị Dung",
    }


def test_a_new_name_repeated_in_another_row_of_the_file_is_refused(world, tmp_path):
    workbook = template(world)
    edits = {("CT0001", "full_name"): "Hoàng Minh Tú", ("CT0002", "full_name"): "Hoàng Minh Tú"}
    errors = refused(personnel_file(workbook, tmp_path, edits), world["justice_admin"])
    assert any("cũng ghi họ tên này" in e.message for e in errors)


@pytest.fixture
def one_rename(settings):
    settings.KPI_IMPORT_MAX_RENAMES = 1


def renames_file(world, tmp_path):
    edits = {("CT0001", "full_name"): "Nguyễn Văn Ân", ("CT0002", "full_name"): "Trần Thị Bính"}
    return personnel_file(template(world), tmp_path, edits)


def test_many_renames_are_a_question_on_the_web(world, tmp_path, one_rename):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(world["justice_admin"])
    path = renames_file(world, tmp_path)
    client.post(
        reverse("importers_upload"),
        {
            "kind": "personnel",
            "agency": world["justice"].pk,
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
        },
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEW and job.rows_renamed == 2
    assert any("Tệp đổi họ tên của 2 người" in issue["message"] for issue in job.issues)
    page = client.get(reverse("importers_job", args=[job.pk])).content.decode()
    assert 'id="import-confirm-renames"' in page

    client.post(reverse("importers_job_confirm", args=[job.pk]))  # box not ticked
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW
    assert CivilServant.objects.get(official_id="CT0001").full_name == "Nguyễn Văn An"

    client.post(reverse("importers_job_confirm", args=[job.pk]), {"confirm_renames": "2"})
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED
    assert CivilServant.objects.get(official_id="CT0001").full_name == "Nguyễn Văn Ân"


def test_many_renames_are_a_question_on_the_cli(world, tmp_path, one_rename):
    path = renames_file(world, tmp_path)
    code, out, err = run_command("import_excel", str(path))
    assert code == 1 and "Tệp đổi họ tên của 2 người" in err and "--allow-renames" in err
    assert "ĐỔI HỌ TÊN" in out and "Nguyễn Văn Ân" in out
    assert CivilServant.objects.get(official_id="CT0001").full_name == "Nguyễn Văn An"
    code, _out, err = run_command("import_excel", str(path), "--allow-renames")
    assert code == 0, err
    assert CivilServant.objects.get(official_id="CT0002").full_name == "Trần Thị Bính"


# --- F11: blank cells -----------------------------------------------------------------------


def test_blank_cells_keep_stored_values_and_the_marker_clears(world, tmp_path):
    CivilServant.objects.filter(official_id__in=["CT0001", "CT0002"]).update(
        date_of_birth=datetime.date(1993, 7, 3), email="x@stp.gov.vn"
    )
    workbook = template(world)
    blanks = {(o, f): None for o in ("CT0001", "CT0002") for f in ("date_of_birth", "email")}
    analysis, job = commit(personnel_file(workbook, tmp_path, blanks), world["justice_admin"])
    assert job is not None and analysis.counts.changed == 0 and analysis.counts.cleared == 0
    assert any("4 ô để trống được giữ nguyên" in w.message for w in analysis.warnings)
    kept = CivilServant.objects.filter(official_id__in=["CT0001", "CT0002"])
    assert set(kept.values_list("date_of_birth", "email")) == {
        (datetime.date(1993, 7, 3), "x@stp.gov.vn")
    }

    # Clearing is asked for with the marker; the preview counts what it clears.
    path = personnel_file(workbook, tmp_path, {("CT0001", "email"): "(xoá)"}, name="xoa.xlsx")
    analysis, job = commit(path, world["justice_admin"], dry_run=True)
    assert analysis.ok and analysis.counts.cleared == 1
    assert any("Tệp sẽ xoá 1 giá trị đang lưu" in w.message for w in analysis.warnings)
    change = next(c for c in analysis.changes if c.subject.startswith("CT0001"))
    assert [(f.label, f.old, f.new) for f in change.fields] == [("Thư điện tử", "x@stp.gov.vn", "")]
    analysis, job = commit(path, world["justice_admin"])
    assert job is not None and job.values_cleared == 1
    assert CivilServant.objects.get(official_id="CT0001").email == ""
    assert CivilServant.objects.get(official_id="CT0002").email == "x@stp.gov.vn"


# --- class 8: refusals whose advice was wrong -------------------------------------------------


def test_a_corrected_start_date_updates_the_posting(world, tmp_path):
    """P12: 01/01/2026 → 15/01/2026 was refused with "…hoặc đánh dấu kiêm nhiệm", which would
    have left two postings."""
    corrected = datetime.date(2026, 1, 15)
    path = personnel_file(template(world), tmp_path, {("CT0002", "start_date"): corrected})
    analysis, job = commit(path, world["justice_admin"])
    assert job is not None, [i.line() for i in analysis.errors]
    change = next(c for c in analysis.changes if c.subject.startswith("CT0002 Trần Thị Bình —"))
    fields = [(f.label, f.old, f.new) for f in change.fields]
    assert ("Từ ngày", "01/01/2026", "15/01/2026") in fields
    (posting,) = Posting.objects.filter(civil_servant__official_id="CT0002")
    assert posting.start_date == corrected and posting.agency == world["legal"]


def test_an_en_dash_in_a_job_position_is_pointed_at(world, tmp_path):
    workbook = template(world)
    path = personnel_file(workbook, tmp_path, {("CT0002", "job_position_code"): "CV–PC"})
    (error,) = refused(path, world["justice_admin"])
    assert (error.sheet, error.row, error.column) == (PEOPLE, rows_of(workbook)["CT0002"], "H")
    assert error.message == (
        "Mã vị trí việc làm “CV–PC” có dấu “–” (gạch dài, U+2013) ở ký tự thứ 3; mã chỉ dùng dấu "
        "gạch nối “-”. Hãy gõ lại: CV-PC."
    )
    path = personnel_file(workbook, tmp_path, {("CT0002", "job_position_code"): "CV-PC"}, "b.xlsx")
    _analysis, job = commit(path, world["justice_admin"])
    assert job is not None
    assert Posting.objects.get(civil_servant__official_id="CT0002").job_position.code == "CV-PC"


def test_an_en_dash_in_the_catalog_job_positions_is_pointed_at(world, tmp_path):
    workbook = load(template_bytes("catalog", world["justice"]))
    sheet = workbook["Danh mục"]
    sheet["I4"] = "CV–PC"
    path = save(workbook, tmp_path / "danh-muc.xlsx")
    analysis, job = commit(path, world["justice_editor"])
    assert job is None
    (error,) = analysis.errors
    assert (error.sheet, error.row, error.column) == ("Danh mục", 4, "I")
    assert (
        "gạch dài, U+2013) ở ký tự thứ 3" in error.message and "Hãy gõ lại: CV-PC" in error.message
    )
    sheet["I4"] = "CV-PC"
    _analysis, job = commit(save(workbook, tmp_path / "b.xlsx"), world["justice_editor"])
    assert job is not None


def test_the_upload_box_makes_blank_cells_clear(world, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    CivilServant.objects.filter(official_id__in=["CT0001", "CT0002"]).update(
        date_of_birth=datetime.date(1993, 7, 3), email="x@stp.gov.vn"
    )
    blanks = {(o, f): None for o in ("CT0001", "CT0002") for f in ("date_of_birth", "email")}
    path = personnel_file(template(world), tmp_path, blanks)
    client = Client()
    client.force_login(world["justice_admin"])
    page = client.get(reverse("importers_index")).content.decode()
    assert "Ô trống là xoá giá trị đang lưu" in page
    client.post(
        reverse("importers_upload"),
        {
            "kind": "personnel",
            "agency": world["justice"].pk,
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
            "blank_clears": "on",
        },
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEW and job.blank_clears
    assert job.values_cleared == 4 and job.rows_changed == 2
    assert any("Tệp sẽ xoá 4 giá trị đang lưu" in issue["message"] for issue in job.issues)
    client.post(reverse("importers_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED
    cleared = CivilServant.objects.filter(official_id__in=["CT0001", "CT0002"])
    assert set(cleared.values_list("date_of_birth", "email")) == {(None, "")}


# --- the people's write service at the personnel door (issue 27) -------------------------------


def test_the_old_agency_edits_no_record_of_a_person_who_moved(world, tmp_path):
    """The personnel commit goes through ``org.people_writes.save_many``: a person's record
    (name, birth date, contact) is changed only by the agency holding them now. Sở Tư pháp's
    file, downloaded before CT0003 moved, changing his phone: refused on his row, with what to
    do; nothing written. A colleague's phone in the same file goes through once his row is left
    as stored; the new agency changes his phone."""
    stale = template(world)
    transfer_cuong(world)
    path = personnel_file(
        stale, tmp_path, {("CT0003", "phone"): "0912000003", ("CT0001", "phone"): "0912000001"}
    )
    (error,) = refused(path, world["justice_admin"])
    assert (error.sheet, error.row, error.column) == (
        PEOPLE,
        rows_of(stale)["CT0003"],
        column("official_id"),
    )
    assert "Công chức mã số CT0003 đang thuộc cơ quan khác" in error.message
    assert "Hãy để nguyên các ô đó như đang lưu" in error.message

    path = personnel_file(
        stale,
        tmp_path,
        {("CT0003", "phone"): None, ("CT0001", "phone"): "0912000001"},
        name="de-nguyen.xlsx",
    )
    analysis, job = commit(path, world["justice_admin"])
    assert job is not None, [i.line() for i in analysis.errors]
    assert CivilServant.objects.get(official_id="CT0001").phone == "0912000001"
    assert CivilServant.objects.get(official_id="CT0003").phone != "0912000003"
