"""A contract worker's three marks (M7, docs/scoring.md §14) in the general-marks Excel file:
under the framework's own method the template lists the three rows of component ``hop_dong``
(0–100 % each) instead of the general criteria, the file writes them through the same rules
(reach, history, the stored-row difference) and the period is scored from them; a mark above
100 or a general criterion for that person is refused on its cell, nothing written."""

from decimal import Decimal

import pytest

from org.models import PersonCategory
from scoring.models import GeneralCriteriaMark, PeriodScore
from scoring.services import score_person
from tests.factories import CivilServantFactory, post
from tests.importers.conftest import load, save, template_bytes
from tests.importers.test_kinds import commit, refused, where
from tests.scoring.helpers import contract_method

pytestmark = pytest.mark.django_db

SHEET = "Tiêu chí chung"


@pytest.fixture
def worker(world):
    world["justice"].applies_to_contract_workers = True
    world["justice"].save()
    person = CivilServantFactory(official_id="HD-0300", full_name="Vũ Văn Lái")
    post(world["legal"], person=person, category=PersonCategory.CONTRACT_WORKER)
    return person


def rows_of(sheet, official):
    return {
        sheet.cell(r, 4).value: r
        for r in range(3, sheet.max_row + 1)
        if sheet.cell(r, 1).value == official
    }


def test_by_default_the_worker_has_the_general_criteria(world, worker):
    sheet = load(template_bytes("general_marks", world["justice"], world["march"]))[SHEET]
    assert "I.1" in rows_of(sheet, "HD-0300") and "chat_luong" not in rows_of(sheet, "HD-0300")


def marks_file(world, tmp_path, values):
    workbook = load(template_bytes("general_marks", world["justice"], world["march"]))
    sheet = workbook[SHEET]
    rows = rows_of(sheet, "HD-0300")
    for code, value in values.items():
        sheet.cell(rows[code], 8).value = value  # the evaluator's mark
    return save(workbook, tmp_path / "diem-hop-dong.xlsx")


def test_the_template_lists_the_three_marks_and_the_file_scores_them(world, worker, tmp_path):
    contract_method("own_method")
    sheet = load(template_bytes("general_marks", world["justice"], world["march"]))[SHEET]
    rows = rows_of(sheet, "HD-0300")
    assert list(rows) == ["chat_luong", "chap_hanh", "hieu_qua"]
    first = rows["chat_luong"]
    assert sheet.cell(first, 3).value == "hop_dong"
    assert sheet.cell(first, 5).value == "Chất lượng thực hiện công việc (%)"
    assert sheet.cell(first, 6).value == 100

    path = marks_file(world, tmp_path, {"chat_luong": 90, "chap_hanh": 90, "hieu_qua": 90})
    analysis, job = commit(path, user=world["justice_admin"])
    assert job is not None, [issue.line() for issue in analysis.errors]
    stored = GeneralCriteriaMark.objects.filter(civil_servant=worker, component="hop_dong")
    assert {m.criterion: m.evaluator_mark for m in stored} == {
        "chat_luong": Decimal("90.00"),
        "chap_hanh": Decimal("90.00"),
        "hieu_qua": Decimal("90.00"),
    }
    assert {m.evaluator for m in stored} == {world["justice_admin"]}
    score_person(worker, world["march"])
    score = PeriodScore.objects.get(civil_servant=worker, period=world["march"])
    assert score.total == Decimal("90.00") and score.rating == "excellent"


def test_a_mark_above_100_is_refused_on_its_cell(world, worker, tmp_path):
    contract_method("own_method")
    path = marks_file(world, tmp_path, {"chat_luong": 101})
    error = refused(path, user=world["justice_admin"]).errors[0]
    assert where(error)[0] == SHEET and where(error)[2] == "H"
    assert "điểm tối đa 100" in error.message


def test_a_general_criterion_for_the_worker_is_refused(world, worker, tmp_path):
    contract_method("own_method")
    workbook = load(template_bytes("general_marks", world["justice"], world["march"]))
    sheet = workbook[SHEET]
    row = rows_of(sheet, "HD-0300")["chat_luong"]
    sheet.cell(row, 3).value, sheet.cell(row, 4).value = "general", "I.1"
    sheet.cell(row, 8).value = 4
    error = refused(save(workbook, tmp_path / "sai.xlsx"), user=world["justice_admin"]).errors[0]
    assert where(error) == (SHEET, row, "D") and "I.1" in error.message
