"""Templates out: pre-filled, dropdowns and number/date validation, frozen and protected headers
with unlocked data cells, Vietnamese instructions, identity in _meta and custom properties."""

import datetime

import pytest

from importers import pipeline
from tests.importers.conftest import fill_results, load, save, template_bytes

pytestmark = pytest.mark.django_db


def validations(sheet):
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in str(validation.sqref).split():
            found[cell_range.split(":")[0].rstrip("0123456789")] = validation
    return found


def test_results_template_layout(world):
    workbook = load(template_bytes("results", world["justice"], world["march"]))
    assert workbook.sheetnames[:2] == ["Hướng dẫn", "Kết quả"]
    assert workbook.active.title == "Kết quả"
    sheet = workbook["Kết quả"]
    assert sheet.freeze_panes == "C3"
    assert [c.value for c in sheet[2]][:6] == [
        "Mã số công chức",
        "Họ và tên",
        "Mã sản phẩm/công việc",
        "Tên sản phẩm/công việc",
        "Số lượng được giao",
        "Số lượng hoàn thành",
    ]
    # Protected sheet: header cells locked, data area unlocked (cells and whole columns).
    assert sheet.protection.sheet is True
    assert sheet["A2"].protection.locked and sheet["A1"].protection.locked
    assert not sheet["A3"].protection.locked
    assert not sheet.column_dimensions["E"].protection.locked
    assert sheet.protection.insertRows is False and sheet.protection.insertColumns is True
    assert workbook.security.lockStructure
    # Pre-filled: one starter row per person of the agency (not Sở Y tế's).
    codes = [sheet.cell(row, 1).value for row in range(3, sheet.max_row + 1)]
    assert sorted(c for c in codes if c) == ["CT0001", "CT0002", "CT0003"]
    assert sheet.column_dimensions["G"].number_format == "dd/mm/yyyy"
    assert sheet.column_dimensions["A"].number_format == "@"


def test_results_template_validation(world):
    workbook = load(template_bytes("results", world["justice"], world["march"]))
    found = validations(workbook["Kết quả"])
    assert found["A"].type == "list" and found["A"].formula1.startswith("'DS công chức'!$A$2")
    assert found["C"].type == "list" and found["C"].formula1.startswith("'DS sản phẩm'!$A$2")
    assert found["E"].type == "decimal" and found["E"].formula1 == "0"
    assert found["I"].type == "whole"
    assert found["G"].type == "date" and found["H"].type == "date"
    assert "B" not in found and "D" not in found  # names are for reading only
    products = workbook["DS sản phẩm"]
    assert [products.cell(r, 1).value for r in range(2, 5)] == ["STP-001", "STP-002", "STP-003"]
    assert products.protection.sheet


def test_template_identity_is_stored_twice(world):
    data = template_bytes("results", world["justice"], world["march"])
    workbook = load(data)
    meta = workbook["_meta"]
    assert meta.sheet_state == "veryHidden"
    values = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(2, meta.max_row + 1)}
    assert values["kind"] == "results" and values["template_version"] == "1"
    assert values["agency_code"] == "STP" and values["period_code"] == "2026-03"
    assert values["catalog_version"] == "1"
    properties = {p.name: p.value for p in workbook.custom_doc_props.props}
    assert properties["KPI.kind"] == "results" and properties["KPI.agency_code"] == "STP"


def test_instructions_are_in_vietnamese(world):
    workbook = load(template_bytes("results", world["justice"], world["march"]))
    text = " ".join(
        str(cell.value) for row in workbook["Hướng dẫn"].iter_rows() for cell in row if cell.value
    )
    assert "HƯỚNG DẪN ĐIỀN MẪU" in text and "dd/mm/yyyy" in text
    assert "Sở Tư pháp (STP)" in text and "Tháng 03/2026" in text
    assert "Số lượng được giao" in text  # one line per column


def test_results_template_is_prefilled_with_the_current_submission(world, tmp_path):
    workbook = fill_results(
        load(template_bytes("results", world["justice"], world["march"])),
        [["CT0002", None, "STP-002", None, 4, 1, datetime.date(2026, 3, 20), None, 0, 1, "A-1"]],
    )
    pipeline.commit(save(workbook, tmp_path / "a.xlsx"))
    sheet = load(template_bytes("results", world["justice"], world["march"]))["Kết quả"]
    rows = [[c.value for c in sheet[r]] for r in range(3, sheet.max_row + 1)]
    filled = [r for r in rows if r[2]]
    assert filled == [
        ["CT0002", "Trần Thị Bình", "STP-002", "Báo cáo thẩm định dự thảo nghị quyết", 4, 1,
         datetime.datetime(2026, 3, 20), None, 0, 1, "A-1", None, None]
    ]  # fmt: skip
    assert {r[0] for r in rows if not r[2]} == {"CT0001", "CT0003"}
    # Every pre-filled cell is the clerk's to change, in its column's format (the cells share
    # each column's style: a date stays dd/mm/yyyy, a code stays text, a quantity a number).
    cells = [
        c
        for r in range(3, sheet.max_row + 1)
        for c in sheet[r][: 13 if sheet.cell(r, 3).value else 2]  # a starter row: id and name
    ]
    assert cells and not any(c.protection.locked for c in cells)
    line = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 3).value)
    assert [sheet.cell(line, col).number_format for col in (1, 3, 5, 7, 8, 11)] == [
        "@", "@", "General", "dd/mm/yyyy", "dd/mm/yyyy", "@"
    ]  # fmt: skip
    assert sheet.cell(line, 7).is_date and sheet.cell(line, 5).data_type == "n"


@pytest.mark.parametrize("kind", ["personnel", "catalog", "general_marks"])
def test_an_untouched_template_reimports_as_unchanged(world, tmp_path, kind):
    period = world["march"] if kind == "general_marks" else None
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(template_bytes(kind, world["justice"], period))
    if kind == "general_marks":
        workbook = load(path.read_bytes())
        workbook["Tiêu chí chung"]["G3"] = 4
        save(workbook, path)
        pipeline.commit(path)
        path.write_bytes(template_bytes(kind, world["justice"], period))
    analysis = pipeline.analyse(path)
    assert analysis.ok, [i.line() for i in analysis.errors]
    assert analysis.counts.total > 0
    assert analysis.counts.new == analysis.counts.changed == 0


def test_personnel_template_has_units_people_and_dropdowns(world):
    workbook = load(template_bytes("personnel", world["justice"]))
    assert {"Đơn vị", "Công chức", "DS đơn vị", "DS vị trí việc làm"} <= set(workbook.sheetnames)
    units = workbook["Đơn vị"]
    assert [units.cell(r, 1).value for r in (3, 4)] == ["STP-VP", "STP-PC"]
    people = workbook["Công chức"]
    row = [c.value for c in people[3]]
    assert row[0] == "CT0001" and row[8] == "Cấp trưởng"
    found = validations(people)
    assert found["I"].type == "list" and "Cấp trưởng" in found["I"].formula1
    assert found["M"].formula1 == '"Có,Không"'
    assert found["H"].formula1.startswith("'DS vị trí việc làm'!")


def test_catalog_template_has_group_dropdown_and_current_items(world):
    workbook = load(template_bytes("catalog", world["justice"]))
    sheet = workbook["Danh mục"]
    assert [sheet.cell(r, 1).value for r in range(3, 6)] == ["STP-001", "STP-002", "STP-003"]
    assert sheet.cell(3, 8).value == "Có" and sheet.cell(3, 9).value == "CV-PC"
    found = validations(sheet)
    assert found["D"].formula1 == '"1,2,3,4,5"'


def test_general_marks_template_lists_criteria_per_person(world):
    sheet = load(template_bytes("general_marks", world["justice"], world["march"]))[
        "Tiêu chí chung"
    ]
    rows = [[c.value for c in sheet[r]] for r in range(3, sheet.max_row + 1)]
    assert {r[0] for r in rows} == {"CT0001", "CT0002", "CT0003"}
    # The head of the office (CT0001) also has the leader criteria đ and e (Art. 15 cl. 3).
    assert {r[2] for r in rows} == {"general", "lanh_dao"}
    assert {r[0] for r in rows if r[2] == "lanh_dao"} == {"CT0001"}
    assert ("I.1", 5) in {(r[3], r[5]) for r in rows}


def test_a_template_made_in_english_imports_for_a_vietnamese_user(world, tmp_path):
    """Headers and dropdown labels are matched in every configured language."""
    from django.utils import translation

    with translation.override("en"):
        data = template_bytes("personnel", world["justice"])
    path = tmp_path / "en.xlsx"
    path.write_bytes(data)
    with translation.override("vi"):
        analysis = pipeline.analyse(path)
    assert analysis.ok, [i.line() for i in analysis.errors]
    assert analysis.counts.unchanged == analysis.counts.total


def test_a_template_opens_on_a_sheet_it_has(world):
    """The builder names the sheet the clerk lands on; a name it does not have is an error, not
    a template opening elsewhere."""
    from importers.builders import base

    book = base.new_workbook()
    base.add_list_sheet(book, "DS công chức", ["Mã số công chức"], [["CT0001"]])
    with pytest.raises(ValueError, match="Kết quả"):
        base.finish(book, "Kết quả")
    sheet = load(base.finish(book, "DS công chức"))["DS công chức"]
    assert sheet["A2"].value == "CT0001" and sheet.protection.sheet
    # The header notes stay editable, as openpyxl's protection left them.
    assert not sheet.protection.objects and not sheet.protection.scenarios
