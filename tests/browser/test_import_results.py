"""An agency user downloads the results template, fills it, uploads it, sees one row error in
the preview, fixes it, re-uploads, confirms, and the lines are stored."""

from decimal import Decimal

import openpyxl
import pytest

from django.core.management import call_command

from demo.loader import DEMO_PASSWORD
from scoring.models import AssignmentLine
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FIRST_DATA_ROW = 3  # title row, header row, then data


@pytest.fixture
def demo_province():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def choose(page, form, prefix=""):
    page.select_option(f"{form} select[name='{prefix}kind']", "results")
    page.select_option(f"{form} select[name='{prefix}agency']", label="Sở Tư pháp")
    page.select_option(f"{form} select[name='{prefix}period']", label="Tháng 03/2026")


def upload(page, path):
    page.goto(f"{page.base_url}/admin/excel/")
    choose(page, "#import-upload-form")
    page.set_input_files("#import-upload-form input[name='file']", str(path))
    page.click("#import-upload-submit")
    page.wait_for_selector("#import-job[data-running='false']")


def test_template_fill_upload_fix_confirm(page, demo_province, tmp_path, screenshot):
    login(page, "quantri.stp", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/admin/excel/")
    choose(page, "#template-form", "tpl-")
    with page.expect_download() as download:
        page.click("#template-download")
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)

    book = openpyxl.load_workbook(template)
    sheet = book["Kết quả"]
    first, second = FIRST_DATA_ROW, FIRST_DATA_ROW + 1
    official_id = sheet.cell(first, 1).value
    for row, assigned in ((first, 2), (second, -1)):
        sheet.cell(row, 3).value = "STP-002"
        sheet.cell(row, 5).value = assigned
        sheet.cell(row, 6).value = 1
    filled = tmp_path / "ket-qua.xlsx"
    book.save(filled)

    upload(page, filled)
    assert page.locator("#count-error-rows").inner_text().strip() == "1"
    issue = page.locator(f"#import-issues tr[data-row='{second}']")
    assert issue.count() >= 1
    screenshot("import-preview-error")
    assert (
        page.locator("#import-confirm").count() == 0
        or page.locator("#import-confirm").is_disabled()
    )

    sheet.cell(second, 5).value = 3
    book.save(filled)
    upload(page, filled)
    assert page.locator("#count-error-rows").inner_text().strip() == "0"
    page.click("#import-confirm")
    page.wait_for_selector("#import-job[data-status='committed']")
    screenshot("import-committed")

    line = AssignmentLine.objects.get(
        civil_servant__official_id=official_id,
        period__number=3,
        item__code="STP-002",
        source="excel",
    )
    assert line.assigned_quantity == Decimal("2") and line.completed_quantity == Decimal("1")
