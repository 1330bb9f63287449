"""Rules of the reference-data kinds (personnel, catalog) and of general-criteria marks."""

import datetime
from decimal import Decimal

import pytest

from catalog_pages.validation import ItemRow, validate_catalog
from importers import pipeline
from org.models import Agency, CivilServant, LeadershipRole
from tests.factories import CivilServantFactory, PostingFactory
from tests.importers.conftest import load, save, snapshot, template_bytes

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)


def where(issue):
    return (issue.sheet, issue.row, issue.column)


def commit(path, user=None, allowed_removals=0):
    analysis, job = pipeline.commit(path, user=user, allowed_removals=allowed_removals)
    return analysis, job


def refused(path, user=None):
    before = snapshot()
    analysis, job = commit(path, user)
    assert job is None and analysis.errors
    assert snapshot() == before
    return analysis


# --- personnel -----------------------------------------------------------------------------------


def personnel(world, tmp_path, units=(), people=(), keep=True):
    workbook = load(template_bytes("personnel", world["justice"]))
    for name, rows in (("Đơn vị", units), ("Công chức", people)):
        sheet = workbook[name]
        start = sheet.max_row + 1 if keep else 3
        if not keep:
            for row in range(3, sheet.max_row + 1):
                for column in range(1, 14):
                    sheet.cell(row, column).value = None
        for offset, values in enumerate(rows):
            for column, value in enumerate(values, start=1):
                sheet.cell(start + offset, column).value = value
    return save(workbook, tmp_path / "nhan-su.xlsx")


def person_row(official="CT0100", name="Đỗ Minh Châu", unit="STP-PC", position="CV-PC",
               role="Không giữ chức vụ lãnh đạo", start=JAN, end=None,
               email="chau@stp.gov.vn"):  # fmt: skip
    return [official, name, "Nữ", datetime.date(1990, 5, 2), email, "0912345678", unit, position,
            role, "Chuyên viên", start, end, "Không"]  # fmt: skip


def test_personnel_adds_units_people_and_postings(world, tmp_path):
    path = personnel(
        world,
        tmp_path,
        units=[["STP-TT", "Trung tâm Trợ giúp pháp lý", "STP", "Có"]],
        people=[person_row(unit="STP-TT")],
    )
    analysis, job = commit(path)
    assert job is not None, [i.line() for i in analysis.errors]
    unit = Agency.objects.get(code="STP-TT")
    assert unit.parent == world["justice"] and unit.kind == "unit"
    person = CivilServant.objects.get(official_id="CT0100")
    assert person.gender == "female" and person.postings.get().agency == unit
    assert analysis.counts.new == 2 and analysis.counts.unchanged == 3 + 2


def test_personnel_updates_an_existing_person(world, tmp_path):
    workbook = load(template_bytes("personnel", world["justice"]))
    sheet = workbook["Công chức"]
    sheet["E3"] = "an.nguyen@stp.gov.vn"
    analysis, job = commit(save(workbook, tmp_path / "a.xlsx"))
    assert job is not None and analysis.counts.changed == 1
    person = CivilServant.objects.get(official_id="CT0001")
    assert person.email == "an.nguyen@stp.gov.vn"
    assert person.gender == "" and person.date_of_birth is None  # blanks stay blank


def test_unit_code_of_another_agency_is_refused(world, tmp_path):
    path = personnel(world, tmp_path, units=[["SYT-VP", "Chiếm mã", "STP", "Có"]])
    error = refused(path).errors[0]
    assert where(error) == ("Đơn vị", 5, "A") and "Sở Y tế" in error.message


def test_person_of_another_agency_is_refused(world, tmp_path):
    path = personnel(world, tmp_path, people=[person_row(official="YT0001", name="Phạm Thị Dung")])
    error = refused(path).errors[0]
    assert where(error) == ("Công chức", 6, "A") and "cơ quan khác" in error.message


def test_overlapping_primary_postings_use_the_admin_rule(world, tmp_path):
    path = personnel(
        world,
        tmp_path,
        people=[person_row(), person_row(unit="STP-VP", start=datetime.date(2026, 2, 1))],
    )
    error = refused(path).errors[0]
    assert where(error) == ("Công chức", 6, "K")
    assert "chồng thời gian" in error.message


def test_second_head_of_a_unit_is_refused(world, tmp_path):
    path = personnel(world, tmp_path, people=[person_row(unit="STP-VP", role="Cấp trưởng")])
    error = refused(path).errors[0]
    assert where(error) == ("Công chức", 6, "I") and "Nguyễn Văn An" in error.message


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({"position": "XX"}, "H", "Không có vị trí việc làm mã XX"),
        ({"end": datetime.date(2025, 1, 1)}, "L", "Ngày kết thúc"),
        ({"email": "khong-phai-email"}, "E", "thư điện tử"),
        ({"unit": "SYT-VP"}, "G", "SYT-VP"),
        ({"role": "Giám đốc"}, "I", "Cấp trưởng, Cấp phó"),
    ],
)
def test_personnel_row_errors(world, tmp_path, change, column, fragment):
    path = personnel(world, tmp_path, people=[person_row(**change)])
    error = refused(path).errors[0]
    assert where(error) == ("Công chức", 6, column) and fragment in error.message


def test_role_spelled_short_is_understood(world, tmp_path):
    path = personnel(world, tmp_path, people=[person_row(unit="STP-PC", role="trưởng")])
    _analysis, job = commit(path)
    assert job is not None
    posting = CivilServant.objects.get(official_id="CT0100").postings.get()
    assert posting.role == LeadershipRole.HEAD


# --- catalog -------------------------------------------------------------------------------------


def catalog(world, tmp_path, edit):
    workbook = load(template_bytes("catalog", world["justice"]))
    edit(workbook["Danh mục"])
    return save(workbook, tmp_path / "danh-muc.xlsx")


def test_catalog_import_becomes_a_draft_revision(world, tmp_path):
    page = world["justice_page"]
    live_uid = page.items.get(code="STP-002").uid

    def edit(sheet):
        sheet["B4"] = "Báo cáo thẩm định dự thảo nghị quyết HĐND"
        sheet["A5"], sheet["B5"], sheet["E5"] = "STP-009", "Hồ sơ mới", 3
        for column, value in enumerate(
            ["STP-010", "Văn bản góp ý", "văn bản", 2, "1,5", None, "", "Không", "cv-pc"], start=1
        ):
            sheet.cell(6, column).value = value

    path = catalog(world, tmp_path, edit)
    analysis, job = commit(path, user=world["justice_editor"])
    assert job is None and analysis.blocked_removals == 1  # STP-003 is no longer in the file
    assert [change.subject for change in analysis.removals] == [
        "STP-003 Hồ sơ hộ tịch có yếu tố nước ngoài (hệ số 2,5)"
    ]
    analysis, job = commit(path, user=world["justice_editor"], allowed_removals=1)
    assert job is not None, [i.line() for i in analysis.errors]
    counts = analysis.counts
    assert (counts.new, counts.changed, counts.unchanged, counts.removed) == (2, 1, 1, 1)
    page.refresh_from_db()
    assert page.has_unpublished_changes  # a draft waits for appraisal
    draft = page.get_latest_revision_as_object()
    assert [i.code for i in draft.items.all()] == ["STP-001", "STP-002", "STP-009", "STP-010"]
    assert draft.items.all()[1].uid == live_uid
    assert draft.items.all()[3].coefficient == Decimal("1.5000")
    assert page.items.count() == 3 and page.versions.count() == 1  # nothing published


@pytest.mark.parametrize(
    ("edit", "location", "message"),
    [
        (lambda s: s.__setitem__("E4", 0), ("Danh mục", 4, "E"), "Hệ số quy đổi phải lớn hơn 0."),
        (lambda s: s.__setitem__("D4", 6), ("Danh mục", 4, "D"),
         "Nhóm mức độ phức tạp phải là số nguyên từ 1 đến 5."),
        (lambda s: s.__setitem__("A5", "STP-002"), ("Danh mục", 5, "A"),
         "Mã “STP-002” bị trùng với dòng 4."),
        (lambda s: (s.__setitem__("H4", "Có"), s.__setitem__("E4", 1)), ("Danh mục", None, "H"),
         "Chỉ được có một sản phẩm chuẩn; đang đánh dấu ở các dòng 3, 4."),
        (lambda s: s.__setitem__("E4", "tám"), ("Danh mục", 4, "E"), "“tám” không phải là số."),
        (lambda s: s.__setitem__("I4", "CV-PC, XX"), ("Danh mục", 4, "I"),
         "Không có vị trí việc làm mã XX."),
    ],
    ids=["coefficient-zero", "group-6", "duplicate-code", "two-standards", "text-coefficient",
         "unknown-position"],
)  # fmt: skip
def test_catalog_rules_are_those_of_the_admin_form(world, tmp_path, edit, location, message):
    analysis = refused(catalog(world, tmp_path, edit))
    assert [(where(e), e.message) for e in analysis.errors] == [(location, message)]


def test_catalog_messages_come_from_validate_catalog(world):
    """The same function the page form calls produces the messages asserted above."""
    issues = validate_catalog(
        [ItemRow("A", "x", 1, 1, True), ItemRow("B", "y", 0, 1, True)], max_groups=5
    )
    assert "Hệ số quy đổi phải lớn hơn 0." in [i.message for i in issues]


def test_catalog_in_appraisal_is_refused(world, tmp_path):
    page = world["justice_page"]
    workflow = page.get_workflow()
    workflow.start(page, world["justice_editor"])
    analysis = refused(catalog(world, tmp_path, lambda sheet: None))
    assert "đang chờ Sở Nội vụ thẩm định" in analysis.errors[0].message


def test_only_catalog_editors_of_the_agency_may_import_it(world, tmp_path):
    path = catalog(world, tmp_path, lambda sheet: None)
    analysis = refused(path, user=world["health_admin"])
    assert where(analysis.errors[0]) == ("_meta", 4, "B")
    assert commit(path, user=world["justice_editor"])[1] is not None


# --- general-criteria marks -----------------------------------------------------------------------


def marks(world, tmp_path, edit):
    workbook = load(template_bytes("general_marks", world["justice"], world["march"]))
    edit(workbook["Tiêu chí chung"])
    return save(workbook, tmp_path / "diem.xlsx")


def test_marks_are_upserted_and_the_evaluator_recorded(world, tmp_path):
    from scoring.models import GeneralCriteriaMark

    def edit(sheet):
        sheet["G3"], sheet["H3"], sheet["G4"] = 4, "4,5", 3

    analysis, job = commit(marks(world, tmp_path, edit), user=world["justice_admin"])
    assert job is not None and analysis.counts.new == 2
    mark = GeneralCriteriaMark.objects.get(evaluator_mark__isnull=False)
    assert mark.evaluator == world["justice_admin"] and mark.self_mark == Decimal("4.00")

    def again(sheet):
        sheet["G4"] = None  # removed from the submission

    path = marks(world, tmp_path, again)
    analysis, job = commit(path, user=world["justice_admin"])
    assert job is None and analysis.blocked_removals == 1  # deletions are agreed to explicitly
    analysis, job = commit(path, user=world["justice_admin"], allowed_removals=1)
    assert analysis.counts.removed == 1 and GeneralCriteriaMark.objects.count() == 1


def test_a_file_repeating_the_stored_marks_writes_only_what_it_changes(world, tmp_path):
    """Issue 48 (Form 01 at the month-end): a row equal to the stored mark is neither written
    nor given a history row; the one row the file changes is, with its history."""
    from audit.history import history_model
    from scoring.models import GeneralCriteriaMark

    def edit(sheet):
        sheet["G3"], sheet["H3"], sheet["G4"], sheet["H4"] = 4, 4, 3, 3

    commit(marks(world, tmp_path, edit), user=world["justice_admin"])
    history = history_model(GeneralCriteriaMark)
    stored = {m.criterion: m for m in GeneralCriteriaMark.objects.all()}
    rows_before = history.objects.count()

    # The template brings the stored marks back; the clerk changes one evaluator mark.
    def change_one(sheet):
        sheet["H4"] = 2

    analysis, job = commit(marks(world, tmp_path, change_one), user=world["justice_admin"])
    assert job is not None and (analysis.counts.changed, analysis.counts.unchanged) == (1, 1)
    after = {m.criterion: m for m in GeneralCriteriaMark.objects.all()}
    changed = next(c for c in after if after[c].evaluator_mark == Decimal("2.00"))
    kept = next(c for c in after if c != changed)
    assert after[kept].updated_at == stored[kept].updated_at
    assert after[changed].updated_at > stored[changed].updated_at
    assert history.objects.count() == rows_before + 1
    assert history.objects.latest("pk").evaluator_mark == Decimal("2.00")


@pytest.mark.parametrize(
    ("cell", "value", "location", "fragment"),
    [
        ("G3", 9, ("Tiêu chí chung", 3, "G"), "điểm tối đa 5"),
        ("H3", -1, ("Tiêu chí chung", 3, "H"), "không được âm"),
        ("D3", "IX.9", ("Tiêu chí chung", 3, "D"), "IX.9"),
        ("A3", "YT0001", ("Tiêu chí chung", 3, "A"), "không công tác"),
    ],
)
def test_mark_errors(world, tmp_path, cell, value, location, fragment):
    def edit(sheet):
        sheet["G3"] = 1
        sheet[cell] = value

    error = refused(marks(world, tmp_path, edit)).errors[0]
    assert where(error) == location and fragment in error.message


def test_a_person_moved_in_mid_period_is_reportable(world, tmp_path):
    newcomer = CivilServantFactory(official_id="CT0200", full_name="Vũ Thị Hoa")
    PostingFactory(
        civil_servant=newcomer, agency=world["legal"], start_date=datetime.date(2026, 3, 15)
    )
    sheet = load(template_bytes("general_marks", world["justice"], world["march"]))[
        "Tiêu chí chung"
    ]
    assert "CT0200" in {sheet.cell(r, 1).value for r in range(3, sheet.max_row + 1)}


def test_a_phone_number_excel_stored_as_a_number_keeps_its_leading_zero(world, tmp_path):
    row = person_row(official="CT0101")
    row[5] = 912345678  # Excel turned the typed 0912345678 into a number
    analysis, job = commit(personnel(world, tmp_path, people=[row]))
    assert job is not None, [i.line() for i in analysis.errors]
    assert CivilServant.objects.get(official_id="CT0101").phone == "0912345678"
