"""The personnel sheet's "Đối tượng" column (issue 18, docs/scope.md): the category of each
posting, with clear Vietnamese errors for an unknown value or an id that does not fit it."""

import pytest

from org.models import CivilServant, PersonCategory
from tests.importers.conftest import load, save, template_bytes
from tests.importers.test_kinds import commit, person_row, personnel, refused, where

pytestmark = pytest.mark.django_db

CATEGORY_COLUMN = 14  # N: the last column, added after the first templates


def test_the_template_has_the_category_column_filled_in(world):
    workbook = load(template_bytes("personnel", world["justice"]))
    sheet = workbook["Công chức"]
    assert sheet.cell(2, CATEGORY_COLUMN).value == "Đối tượng"
    assert sheet.cell(3, CATEGORY_COLUMN).value == "Công chức"


@pytest.mark.parametrize(
    ("cell", "official", "expected"),
    [
        ("Viên chức", "VC0100", PersonCategory.PUBLIC_EMPLOYEE),
        ("cán bộ", "CB0100", PersonCategory.CADRE),
        ("HĐLĐ", "HD-0100", PersonCategory.CONTRACT_WORKER),
        ("Người lao động hợp đồng", "HD-0101", PersonCategory.CONTRACT_WORKER),
        (None, "CT0100", PersonCategory.CIVIL_SERVANT),
    ],
)
def test_the_category_is_imported(world, tmp_path, cell, official, expected):
    # Contract workers only where the agency switched them on (Gia Lai plan §V.1.e).
    world["justice"].applies_to_contract_workers = True
    world["justice"].save()
    path = personnel(world, tmp_path, people=[[*person_row(official=official), cell]])
    analysis, job = commit(path)
    assert job is not None, [issue.line() for issue in analysis.errors]
    posting = CivilServant.objects.get(official_id=official).postings.get()
    assert posting.category == expected


def test_an_unknown_category_is_refused_in_vietnamese(world, tmp_path):
    path = personnel(world, tmp_path, people=[[*person_row(), "Nhân viên"]])
    error = refused(path).errors[0]
    assert where(error) == ("Công chức", 6, "N")
    assert "“Nhân viên” không hợp lệ" in error.message
    assert "Người lao động hợp đồng" in error.message


def test_a_contract_worker_with_a_national_number_is_refused(world, tmp_path):
    path = personnel(world, tmp_path, people=[[*person_row(official="CT0100"), "Hợp đồng"]])
    error = refused(path).errors[0]
    assert where(error) == ("Công chức", 6, "A")
    assert "mã nội bộ bắt đầu bằng “HD-”" in error.message


def test_a_file_from_the_template_before_the_column_still_reads(world, tmp_path):
    workbook = load(template_bytes("personnel", world["justice"]))
    sheet = workbook["Công chức"]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, CATEGORY_COLUMN).value = None
    for column, value in enumerate(person_row(), start=1):
        sheet.cell(sheet.max_row + 1 if column == 1 else sheet.max_row, column).value = value
    analysis, job = commit(save(workbook, tmp_path / "cu.xlsx"))
    assert job is not None, [issue.line() for issue in analysis.errors]
    posting = CivilServant.objects.get(official_id="CT0100").postings.get()
    assert posting.category == PersonCategory.CIVIL_SERVANT
