"""Issue 14: files that look right must never import wrong data without a word.

Every case builds the file a clerk really produces (the system's own template, filled with
openpyxl the way the review's 71 files were) and asserts what the clerk sees: the error or
warning at its ``sheet!row:column``, and that a refused file changed nothing.
"""

import datetime
from decimal import Decimal

import pytest

from importers import pipeline
from tests.importers.conftest import (
    load,
    results_file,
    run_command,
    save,
    snapshot,
    template_bytes,
)

pytestmark = pytest.mark.django_db

MARCH_31 = datetime.date(2026, 3, 31)


def line(official="CT0001", product="STP-001", assigned=3, completed=2, deadline=MARCH_31,
         done_on=None, failed=0, delays=0, code=None, note=None, name=None):  # fmt: skip
    return [official, name, product, None, assigned, completed, deadline, done_on, failed, delays,
            code, note]  # fmt: skip


def where(issue):
    return (issue.sheet, issue.row, issue.column)


def refused(path, expected=None, user=None, **options):
    before = snapshot()
    analysis, job = pipeline.commit(path, expected, user=user, **options)
    assert job is None
    assert not analysis.ok
    assert snapshot() == before
    return analysis


def accepted(path, expected=None, user=None, **options):
    analysis, job = pipeline.commit(path, expected, user=user, **options)
    assert job is not None, [i.line() for i in analysis.errors]
    return analysis


def stored_lines():
    from scoring.models import AssignmentLine

    return list(AssignmentLine.objects.order_by("id"))


def errors_at(analysis):
    return {where(issue): issue.message for issue in analysis.errors}


# --- 1. values 1000× too large -----------------------------------------------------------------


def test_a_quantity_with_a_three_digit_group_is_refused_with_both_readings(world, tmp_path):
    """R31/R02: ``2,500`` (a Vietnamese clerk means 2,5) was stored as 2500, silently."""
    path = results_file(
        world,
        tmp_path,
        [line(assigned="2,500", completed="1,25"), line(product="STP-002", assigned="1.500",
                                                        completed="1,250")],
    )  # fmt: skip
    analysis = refused(path)
    messages = errors_at(analysis)
    assert set(messages) == {("Kết quả", 3, "E"), ("Kết quả", 4, "E"), ("Kết quả", 4, "F")}
    assert messages[("Kết quả", 3, "E")] == (
        "“2,500” đọc được hai cách: 2,5 (nếu “,” là dấu thập phân) hoặc 2500 (nếu “,” ngăn "
        "cách hàng nghìn). Hãy ghi lại cho rõ: 2,5 hoặc 2500."
    )
    assert "1,25 (nếu “,” là dấu thập phân) hoặc 1250" in messages[("Kết quả", 4, "F")]
    assert "1,5 (nếu “.” là dấu thập phân) hoặc 1500" in messages[("Kết quả", 4, "E")]


def test_unambiguous_text_numbers_still_import(world, tmp_path):
    path = results_file(
        world,
        tmp_path,
        [line(assigned="2,5", completed="1,25"), line(product="STP-002", assigned="12.345.678",
                                                      completed="1.234,5")],
    )  # fmt: skip
    accepted(path)
    first, second = stored_lines()
    assert (first.assigned_quantity, first.completed_quantity) == (Decimal("2.50"), Decimal("1.25"))
    assert second.assigned_quantity == Decimal("12345678.00")
    assert second.completed_quantity == Decimal("1234.50")


def _catalog(world, tmp_path, edit, name="danh-muc.xlsx"):
    workbook = load(template_bytes("catalog", world["justice"]))
    edit(workbook["Danh mục"])
    return save(workbook, tmp_path / name)


def test_a_catalog_coefficient_written_1_125_is_refused_not_read_as_1125(world, tmp_path):
    """K03: ``1,125`` became 1125 and ``2.375`` became 2375, multiplying scores by 1000."""

    def edit(sheet):
        sheet["E4"], sheet["E5"] = "1,125", "2.375"
        for column, value in enumerate(
            ["STP-010", "Văn bản góp ý", "văn bản", 2, "0,125", None, "", "Không", "CV-PC"], 1
        ):
            sheet.cell(6, column).value = value

    analysis = refused(_catalog(world, tmp_path, edit), user=world["justice_editor"])
    messages = errors_at(analysis)
    assert set(messages) == {("Danh mục", 4, "E"), ("Danh mục", 5, "E")}
    assert messages[("Danh mục", 4, "E")].endswith("Hãy ghi lại cho rõ: 1,1250 hoặc 1125.")
    assert "2,375 (nếu “.” là dấu thập phân) hoặc 2375" in messages[("Danh mục", 5, "E")]


def test_a_coefficient_1000_times_the_others_is_flagged(world, tmp_path):
    """Typed as a real number (an English Excel turns ``1,125`` into 1125): a warning names
    the catalog's median and the product's previous coefficient."""

    def edit(sheet):
        sheet["E5"] = 1125  # STP-003, 2.5 before

    analysis = accepted(_catalog(world, tmp_path, edit), user=world["justice_editor"])
    assert [(where(w), w.message) for w in analysis.warnings] == [
        (
            ("Danh mục", 5, "E"),
            "Hệ số quy đổi 1.125 khác thường: trung vị các hệ số của danh mục là 8, hệ số cũ của "
            "sản phẩm này là 2,5. Hãy kiểm tra lại (ví dụ “1,125” bị ghi thành 1125).",
        )
    ]


def test_a_mark_written_4_250_is_refused_with_both_readings(world, tmp_path):
    """M05: ``4,250`` was read as 4250 and saved only by the maximum check."""
    workbook = load(template_bytes("general_marks", world["justice"], world["march"]))
    workbook["Tiêu chí chung"]["G3"] = "4,250"
    path = save(workbook, tmp_path / "diem.xlsx")
    messages = errors_at(refused(path))
    assert list(messages) == [("Tiêu chí chung", 3, "G")]
    assert "4,25 (nếu “,” là dấu thập phân) hoặc 4250" in messages[("Tiêu chí chung", 3, "G")]


# --- 2. personnel names --------------------------------------------------------------------------


def _personnel(world, tmp_path, names=None, cells=None, name="nhan-su.xlsx"):
    """The agency's personnel template with some names (by official id) or cells replaced."""
    workbook = load(template_bytes("personnel", world["justice"]))
    sheet = workbook["Công chức"]
    rows = {
        sheet.cell(r, 1).value: r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value
    }
    for official, value in (names or {}).items():
        sheet.cell(rows[official], 2).value = value
    for (official, column), value in (cells or {}).items():
        sheet[f"{column}{rows[official]}"] = value
    return save(workbook, tmp_path / name), rows


def test_names_pasted_from_a_tcvn3_document_are_refused_with_the_likely_name(world, tmp_path):
    """P03: "Phạm Ánh Tuyết" became "Ph¹m \u00b8nh TuyÕt"; the preview said only "Thay đổi 4"."""
    path, rows = _personnel(
        world,
        tmp_path,
        names={"CT0001": "NguyÔn V¨n An", "CT0002": "TrÇn ThÞ B×nh", "CT0003": "Lª V¨n C\xadêng"},
    )
    messages = errors_at(refused(path))
    assert set(messages) == {("Công chức", rows[code], "B") for code in ("CT0001", "CT0002",
                                                                          "CT0003")}  # fmt: skip
    assert messages[("Công chức", rows["CT0001"], "B")] == (
        "Họ tên “NguyÔn V¨n An” được dán từ văn bản dùng bảng mã cũ TCVN3 (phông .VnTime), có lẽ "
        "là “Nguyễn Văn An”. Hãy chuyển sang Unicode (Unikey › Công cụ chuyển mã, nguồn TCVN3, "
        "đích Unicode) hoặc gõ lại họ tên, rồi tải lên."
    )
    assert "có lẽ là “Lê Văn Cường”" in messages[("Công chức", rows["CT0003"], "B")]


def test_names_pasted_from_a_vni_document_are_refused(world, tmp_path):
    path, rows = _personnel(world, tmp_path, names={"CT0001": "Nguyeãn Vaên An"})
    messages = errors_at(refused(path))
    assert list(messages) == [("Công chức", rows["CT0001"], "B")]
    assert "bảng mã cũ VNI" in messages[("Công chức", rows["CT0001"], "B")]


def test_names_retyped_in_capitals_keep_the_stored_name_with_a_warning(world, tmp_path):
    """P02: "HUỲNH TRUNG LUÂN" used to overwrite "Huỳnh Trung Luân" (5 names changed)."""
    from org.models import CivilServant

    path, rows = _personnel(world, tmp_path, names={"CT0001": "NGUYỄN VĂN AN",
                                                    "CT0002": "trần thị bình"})  # fmt: skip
    analysis = accepted(path)
    assert analysis.counts.changed == 0 and analysis.changes == []
    assert [(where(w), w.message) for w in analysis.warnings] == [
        (
            ("Công chức", rows["CT0001"], "B"),
            "Họ tên “NGUYỄN VĂN AN” chỉ khác họ tên đã lưu “Nguyễn Văn An” ở chữ hoa, chữ "
            "thường; hệ thống giữ nguyên họ tên đã lưu.",
        ),
        (
            ("Công chức", rows["CT0002"], "B"),
            "Họ tên “trần thị bình” chỉ khác họ tên đã lưu “Trần Thị Bình” ở chữ hoa, chữ "
            "thường; hệ thống giữ nguyên họ tên đã lưu.",
        ),
    ]
    assert set(CivilServant.objects.values_list("full_name", flat=True)) >= {
        "Nguyễn Văn An",
        "Trần Thị Bình",
    }


def test_every_changed_name_is_shown_old_to_new_before_confirming(client, world, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from importers.models import ImportJob, ImportStatus

    path, rows = _personnel(
        world,
        tmp_path,
        names={"CT0001": "Nguyễn Văn Ân"},
        cells={("CT0002", "E"): "binh.tran@stp.gov.vn"},
    )
    client.force_login(world["home_affairs"])
    client.post(
        reverse("importers_upload"),
        {"kind": "personnel", "agency": world["justice"].pk,
         "file": SimpleUploadedFile("nhan-su.xlsx", path.read_bytes())},
    )  # fmt: skip
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEW and job.rows_changed == 2
    assert [(c["subject"], c["fields"]) for c in job.changes] == [
        ("CT0001 Nguyễn Văn An", [["Họ và tên", "Nguyễn Văn An", "Nguyễn Văn Ân"]]),
        ("CT0002 Trần Thị Bình", [["Thư điện tử", "", "binh.tran@stp.gov.vn"]]),
    ]
    page = client.get(reverse("importers_job", args=[job.pk])).content.decode()
    changes = page.index('id="import-changes"')
    assert changes < page.index('id="import-confirm"')
    assert "Nguyễn Văn An</td>" in page and "→ Nguyễn Văn Ân</td>" in page
    assert f'data-action="changed" data-sheet="Công chức" data-row="{rows["CT0001"]}"' in page


# --- 3. a transferred person's marks belong to the agency that rates him -------------------------


def _transfer_cuong(world):
    """Lê Văn Cường (CT0003) leaves Sở Tư pháp on 15/03/2026 and joins Sở Y tế on 16/03."""
    from org.models import Agency, Posting
    from tests.factories import PostingFactory

    cuong = world["people"]["cuong"]
    Posting.objects.filter(civil_servant=cuong).update(end_date=datetime.date(2026, 3, 15))
    clinic = Agency.objects.get(code="SYT-VP")
    PostingFactory(civil_servant=cuong, agency=clinic, job_position=world["position"],
                   start_date=datetime.date(2026, 3, 16))  # fmt: skip
    return cuong


def _marks_rows(sheet, official):
    """The general-criteria rows of ``official`` (not the leader's đ/e rows)."""
    return [
        r
        for r in range(3, sheet.max_row + 1)
        if sheet.cell(r, 1).value == official and sheet.cell(r, 3).value != "lanh_dao"
    ]


def _mark_everyone(sheet, value):
    """A self-mark on every general-criteria row (đ and e are the evaluator's: left alone)."""
    for row in range(3, sheet.max_row + 1):
        if sheet.cell(row, 1).value and sheet.cell(row, 3).value != "lanh_dao":
            sheet.cell(row, 7).value = value


def _stored_marks(person):
    from scoring.models import GeneralCriteriaMark

    return sorted(
        GeneralCriteriaMark.objects.filter(civil_servant=person).values_list(
            "criterion", "self_mark"
        )
    )


def test_the_old_agencys_file_never_deletes_the_marks_the_new_agency_gave(world, tmp_path):
    """M06: a template still listing the transferred person, his rows left empty, used to delete
    the 10 marks the other agency had entered."""
    stale = load(template_bytes("general_marks", world["justice"], world["march"]))
    cuong = _transfer_cuong(world)
    rated = load(template_bytes("general_marks", world["health"], world["march"]))
    _mark_everyone(rated["Tiêu chí chung"], 2)
    accepted(save(rated, tmp_path / "syt.xlsx"), user=world["health_admin"])
    given = _stored_marks(cuong)
    assert len(given) >= 10

    sheet = stale["Tiêu chí chung"]
    _mark_everyone(sheet, 1)
    for row in _marks_rows(sheet, "CT0003"):
        sheet.cell(row, 7).value = None
    analysis = accepted(save(stale, tmp_path / "stp.xlsx"), user=world["justice_admin"])
    assert analysis.counts.removed == 0
    assert _stored_marks(cuong) == given


def test_the_old_agency_cannot_change_the_marks_of_someone_it_no_longer_rates(world, tmp_path):
    stale = load(template_bytes("general_marks", world["justice"], world["march"]))
    _transfer_cuong(world)
    sheet = stale["Tiêu chí chung"]
    _mark_everyone(sheet, 1)
    first = _marks_rows(sheet, "CT0003")[0]
    messages = errors_at(refused(save(stale, tmp_path / "stp.xlsx"), user=world["justice_admin"]))
    assert ("Tiêu chí chung", first, "G") in messages
    assert messages[("Tiêu chí chung", first, "G")] == (
        "Điểm của công chức CT0003 trong kỳ Tháng 03/2026 do Sở Y tế chấm (nơi công tác từ "
        "16/03/2026); tệp của Sở Tư pháp không thay đổi được. Hãy để nguyên hoặc xoá các dòng "
        "của người này."
    )


def test_rows_repeating_the_new_agencys_marks_are_skipped_with_one_warning(world, tmp_path):
    cuong = _transfer_cuong(world)
    rated = load(template_bytes("general_marks", world["health"], world["march"]))
    _mark_everyone(rated["Tiêu chí chung"], 2)
    accepted(save(rated, tmp_path / "syt.xlsx"), user=world["health_admin"])
    # Sở Tư pháp's template is no longer listing him; a clerk pastes his rows back, unchanged.
    mine = load(template_bytes("general_marks", world["justice"], world["march"]))
    sheet = mine["Tiêu chí chung"]
    assert not _marks_rows(sheet, "CT0003")
    _mark_everyone(sheet, 1)
    source = rated["Tiêu chí chung"]
    pasted = [[cell.value for cell in source[row]] for row in _marks_rows(source, "CT0003")]
    start = sheet.max_row + 1
    for offset, values in enumerate(pasted):
        for column, value in enumerate(values, start=1):
            sheet.cell(start + offset, column).value = value
    analysis = accepted(save(mine, tmp_path / "stp.xlsx"), user=world["justice_admin"])
    warnings = [w for w in analysis.warnings if "CT0003" in w.message]
    assert [(where(w), w.message) for w in warnings] == [
        (
            ("Tiêu chí chung", start, None),
            f"Điểm của công chức CT0003 trong kỳ Tháng 03/2026 do Sở Y tế chấm (nơi công tác từ "
            f"16/03/2026): {len(pasted)} dòng của người này được bỏ qua, điểm đã lưu giữ nguyên.",
        )
    ]
    assert {mark for _criterion, mark in _stored_marks(cuong)} == {Decimal("2.00")}


# --- 4. deletions are explicit -------------------------------------------------------------------

# Sở Tư pháp: CT0001 works in STP-VP, CT0002 and CT0003 in STP-PC.
FULL = [line(), line("CT0001", "STP-002"), line("CT0002"), line("CT0003", "STP-003", 4, 1)]
ONLY_STP_VP = FULL[:2]


def test_a_partial_file_deletes_nothing_unless_deletions_are_allowed(world, tmp_path):
    """R27: one unit's rows deleted 24 of 30 lines, shown only as a count."""
    accepted(results_file(world, tmp_path, FULL))
    partial = results_file(world, tmp_path, ONLY_STP_VP, name="mot-don-vi.xlsx")
    before = snapshot()
    analysis, job = pipeline.commit(partial)
    assert job is None and analysis.ok and snapshot() == before
    assert analysis.blocked_removals == 2
    assert [change.subject for change in analysis.removals] == [
        "CT0002 Trần Thị Bình · STP-001 · hạn 31/03/2026 · giao 3, hoàn thành 2 · STP-PC",
        "CT0003 Lê Văn Cường · STP-003 · hạn 31/03/2026 · giao 4, hoàn thành 1 · STP-PC",
    ]
    analysis = accepted(partial, allowed_removals=2)
    assert analysis.counts.removed == 2 and len(stored_lines()) == 2


def test_the_cli_refuses_deletions_without_allow_deletions(world, tmp_path):
    accepted(results_file(world, tmp_path, FULL))
    partial = str(results_file(world, tmp_path, ONLY_STP_VP, name="mot-don-vi.xlsx"))
    before = snapshot()
    code, out, err = run_command("import_excel", partial)
    assert code == 1 and snapshot() == before
    assert out.splitlines() == [
        "XOÁ CT0002 Trần Thị Bình · STP-001 · hạn 31/03/2026 · giao 3, hoàn thành 2 · STP-PC",
        "XOÁ CT0003 Lê Văn Cường · STP-003 · hạn 31/03/2026 · giao 4, hoàn thành 1 · STP-PC",
    ]
    assert "Tệp sẽ xoá 2 dòng đã nhập trước đây" in err and "--allow-deletions" in err

    code, _out, err = run_command("import_excel", partial, "--dry-run")
    assert code == 0 and snapshot() == before
    assert "XOÁ CT0002 Trần Thị Bình" in err and "cần thêm --allow-deletions" in err

    code, _out, err = run_command("import_excel", partial, "--allow-deletions")
    assert code == 0 and "2 bị xoá" in err
    assert len(stored_lines()) == 2


def _upload(client, world, path, kind="results"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from importers.models import ImportJob

    payload = {"kind": kind, "agency": world["justice"].pk,
               "file": SimpleUploadedFile(path.name, path.read_bytes())}  # fmt: skip
    if kind in ("results", "general_marks"):
        payload["period"] = world["march"].pk
    client.post(reverse("importers_upload"), payload)
    return ImportJob.objects.order_by("-id").first()


def test_the_preview_shows_deletions_first_and_confirms_them_apart(client, world, tmp_path):
    from django.urls import reverse

    from importers.models import ImportStatus

    client.force_login(world["justice_admin"])
    first = _upload(client, world, results_file(world, tmp_path, FULL))
    client.post(reverse("importers_job_confirm", args=[first.pk]))
    job = _upload(client, world, results_file(world, tmp_path, ONLY_STP_VP, name="b.xlsx"))
    assert job.status == ImportStatus.PREVIEW and job.rows_removed == 2

    page = client.get(reverse("importers_job", args=[job.pk])).content.decode()
    assert page.index('id="import-removals"') < page.index('id="import-counts"')
    assert "2 dòng đã có sẽ bị XOÁ" in page
    assert page.count('data-action="removed"') == 2
    assert "CT0003 Lê Văn Cường · STP-003 · hạn 31/03/2026" in page
    assert 'name="confirm_deletions" value="2"' in page
    assert "Xác nhận nhập và xoá 2 dòng" in page

    before = snapshot()
    client.post(reverse("importers_job_confirm", args=[job.pk]))  # the box not ticked
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW and snapshot() == before

    client.post(reverse("importers_job_confirm", args=[job.pk]), {"confirm_deletions": "2"})
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED and job.allowed_removals == 2
    assert len(stored_lines()) == 2
    listing = client.get(reverse("importers_index")).content.decode()
    assert '0 / 0 / 2 / <strong class="import-removed">2</strong> / 0' in listing


def test_more_deletions_at_commit_than_agreed_go_back_to_the_preview(client, world, tmp_path):
    from django.urls import reverse

    from importers.models import ImportStatus
    from scoring.models import AssignmentLine

    client.force_login(world["justice_admin"])
    first = _upload(client, world, results_file(world, tmp_path, FULL))
    client.post(reverse("importers_job_confirm", args=[first.pk]))
    job = _upload(client, world, results_file(world, tmp_path, FULL[:3], name="b.xlsx"))
    assert job.rows_removed == 1
    # Meanwhile a colleague's upload added a line this file does not have.
    extra = AssignmentLine.objects.order_by("id").last()
    extra.pk, extra.external_id = None, extra.external_id + "-khac"
    extra.save()
    client.post(reverse("importers_job_confirm", args=[job.pk]), {"confirm_deletions": "1"})
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW and job.rows_removed == 2
    assert job.allowed_removals == 0
    assert "số dòng sẽ bị xoá đã thành 2 (bạn đã đồng ý 1)" in job.issues[0]["message"]
    assert AssignmentLine.objects.count() == 5


def test_a_partial_marks_file_lists_the_marks_it_would_delete(world, tmp_path):
    """M03: the clerk kept 40 of 220 rows; 180 marks went without a word."""
    workbook = load(template_bytes("general_marks", world["justice"], world["march"]))
    _mark_everyone(workbook["Tiêu chí chung"], 2)
    accepted(save(workbook, tmp_path / "day-du.xlsx"))
    sheet = workbook["Tiêu chí chung"]
    dropped = _marks_rows(sheet, "CT0003")
    for row in dropped:
        sheet.cell(row, 7).value = None
    partial = save(workbook, tmp_path / "thieu.xlsx")
    analysis, job = pipeline.commit(partial)
    assert job is None and analysis.blocked_removals == len(dropped)
    assert analysis.removals[0].subject.startswith("CT0003 Lê Văn Cường · ")
    assert analysis.removals[0].subject.endswith(" · tự chấm 2, người đánh giá chấm —")


# --- 5. a copied sheet ------------------------------------------------------------------------


def test_a_copied_sheet_with_lines_is_refused_by_name(world, tmp_path):
    """R19: 20 of 30 lines in a copy "Kết quả (2)"; 10 were imported with no word."""
    from tests.importers.conftest import fill_results

    data = template_bytes("results", world["justice"], world["march"])
    workbook = fill_results(load(data), [line()])
    copy = workbook.copy_worksheet(workbook["Kết quả"])
    copy.title = "Kết quả (2)"
    copy.cell(4, 1).value, copy.cell(4, 3).value, copy.cell(4, 5).value = "CT0002", "STP-002", 1
    analysis = refused(save(workbook, tmp_path / "hai-trang.xlsx"))
    assert [(i.sheet, i.message) for i in analysis.errors] == [
        (
            "Kết quả (2)",
            "Trang “Kết quả (2)” có 2 dòng dữ liệu cùng dạng trang “Kết quả” nhưng hệ thống chỉ "
            "nhập trang “Kết quả”: hãy chép các dòng đó vào trang “Kết quả”, xoá trang “Kết quả "
            "(2)” rồi tải lên lại.",
        )
    ]


def test_an_extra_sheet_of_notes_is_not_a_copy(world, tmp_path):
    from tests.importers.conftest import fill_results

    data = template_bytes("results", world["justice"], world["march"])
    workbook = fill_results(load(data), [line()])
    notes = workbook.create_sheet("Ghi chú")
    notes["A1"], notes["A2"] = "Ghi chú của văn thư", "Đã rà soát ngày 02/04"
    accepted(save(workbook, tmp_path / "ghi-chu.xlsx"))


# --- 6. name and official ID ------------------------------------------------------------------


def test_a_name_that_is_not_the_official_ids_holder_is_refused(world, tmp_path):
    """R27: a line with CT0002's ID and Lê Văn Cường's name went to CT0002 silently."""
    path = results_file(world, tmp_path, [line(official="CT0002", name="Lê Văn Cường")])
    analysis = refused(path)
    assert errors_at(analysis) == {
        ("Kết quả", 3, "B"): "Họ và tên “Lê Văn Cường” không khớp với công chức mã số CT0002 "
        "(Trần Thị Bình). Kiểm tra lại mã số hoặc họ và tên của dòng này."
    }


def test_a_name_typed_without_accents_or_in_capitals_still_matches(world, tmp_path):
    path = results_file(
        world,
        tmp_path,
        [line(official="CT0002", name="TRAN THI  BINH"), line(official="CT0001", name="")],
    )
    accepted(path)


# --- 7. dates against the period --------------------------------------------------------------


def test_a_completion_date_outside_the_period_is_refused(world, tmp_path):
    """R22/R35: March data in a November template, a completion date in 2027, both accepted."""
    path = results_file(
        world,
        tmp_path,
        [
            line(done_on=datetime.date(2027, 3, 10)),
            line(product="STP-002", done_on=datetime.date(2026, 2, 27)),
            line(product="STP-003", done_on=datetime.date(2026, 3, 31)),
        ],
    )
    analysis = refused(path)
    messages = errors_at(analysis)
    assert set(messages) == {("Kết quả", 3, "H"), ("Kết quả", 4, "H")}
    assert messages[("Kết quả", 3, "H")] == (
        "Ngày hoàn thành 10/03/2027 nằm ngoài kỳ Tháng 03/2026 (01/03/2026 – 31/03/2026): kết "
        "quả này thuộc kỳ khác, hoặc tệp là mẫu của kỳ khác."
    )


def test_a_deadline_a_year_away_is_refused_and_one_just_outside_is_a_warning(world, tmp_path):
    path = results_file(world, tmp_path, [line(deadline=datetime.date(2025, 1, 31))])
    assert "hơn một năm" in errors_at(refused(path))[("Kết quả", 3, "G")]
    path = results_file(world, tmp_path, [line(deadline=datetime.date(2026, 4, 15))], name="b.xlsx")
    analysis = accepted(path)
    assert [(i.row, i.column) for i in analysis.warnings] == [(3, "G")]
    assert "việc chuyển từ kỳ trước hoặc hạn ở kỳ sau" in analysis.warnings[0].message


# --- 8. small ones ----------------------------------------------------------------------------


def test_catalog_messages_name_the_excel_rows(world, tmp_path):
    """K11: a duplicate code at Excel row 4 said "trùng với dòng 1" (the list index + 1)."""

    def edit(sheet):
        sheet["A4"] = "STP-001"  # row 3 holds STP-001
        sheet["H4"] = "Có"  # and a second standard product

    analysis = refused(_catalog(world, tmp_path, edit), user=world["justice_editor"])
    messages = [issue.message for issue in analysis.errors]
    assert "Mã “STP-001” bị trùng với dòng 3." in messages
    assert "Chỉ được có một sản phẩm chuẩn; đang đánh dấu ở các dòng 3, 4." in messages


def test_an_inserted_stt_column_is_one_diagnosis_not_a_message_per_column(world, tmp_path):
    """R40: an "STT" column inserted before column A gave 12 header errors."""
    from tests.importers.conftest import fill_results

    workbook = fill_results(load(template_bytes("results", world["justice"], world["march"])),
                            [line()])  # fmt: skip
    sheet = workbook["Kết quả"]
    sheet.insert_cols(1)
    sheet["A2"], sheet["A3"] = "STT", 1
    analysis = refused(save(workbook, tmp_path / "stt.xlsx"))
    assert [(where(i), i.message) for i in analysis.errors] == [
        (
            ("Kết quả", 2, "A"),
            "Bố cục trang khác mẫu: có 1 cột được chèn thêm: A “STT”. Hãy xoá phần chèn thêm "
            "(hoặc tải mẫu mới và dán lại dữ liệu) rồi tải lên lại.",
        )
    ]


def test_a_row_inserted_above_the_headers_is_one_diagnosis(world, tmp_path):
    from tests.importers.conftest import fill_results

    workbook = fill_results(load(template_bytes("results", world["justice"], world["march"])),
                            [line()])  # fmt: skip
    workbook["Kết quả"].insert_rows(1)
    analysis = refused(save(workbook, tmp_path / "dong.xlsx"))
    assert len(analysis.errors) == 1
    assert "dòng tiêu đề đang ở dòng 3, mẫu đặt ở dòng 2" in analysis.errors[0].message


def test_two_unknown_people_are_not_duplicates_of_each_other(world, tmp_path):
    analysis = refused(
        results_file(world, tmp_path, [line(official="XX0001"), line(official="XX0002")])
    )
    assert [(i.row, i.column) for i in analysis.errors] == [(3, "A"), (4, "A")]
    assert all("Không tìm thấy công chức" in i.message for i in analysis.errors)


def test_a_code_with_an_en_dash_names_the_odd_character(world, tmp_path):
    """ "STP–005" looked exactly like "STP-005" in the message."""
    analysis = refused(results_file(world, tmp_path, [line(product="STP–001")]))
    assert errors_at(analysis)[("Kết quả", 3, "C")] == (
        "Không có sản phẩm/công việc mã STP–001 trong danh mục của Sở Tư pháp. Mã có ký tự lạ: "
        "“–” (U+2013) — có thể do gõ hoặc dán nhầm (ví dụ “–” thay cho “-”)."
    )
