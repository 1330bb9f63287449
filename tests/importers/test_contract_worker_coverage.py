"""Contract workers at the Excel doors (issue 18 item 5, docs/scope.md §2): the personnel and
results imports take a contract worker of an agency that switched them on
(``applies_to_contract_workers``, Gia Lai plan §V.1.e) and refuse one of an agency that did
not — with the reason, on the cell (sheet, row, column), and nothing written."""

import datetime

import pytest

from importers import pipeline
from org.models import CivilServant, PersonCategory
from tests.factories import CivilServantFactory, post
from tests.importers.conftest import results_file
from tests.importers.test_kinds import person_row, personnel, refused, where

pytestmark = pytest.mark.django_db

MARCH_31 = datetime.date(2026, 3, 31)


def switch(world, on: bool):
    world["justice"].applies_to_contract_workers = on
    world["justice"].save()


def contract_row(official="HD-0100"):
    return [*person_row(official=official), "Hợp đồng"]


def test_personnel_takes_a_contract_worker_where_the_agency_switched_them_on(world, tmp_path):
    switch(world, True)
    analysis, job = pipeline.commit(personnel(world, tmp_path, people=[contract_row()]))
    assert job is not None, [issue.line() for issue in analysis.errors]
    posting = CivilServant.objects.get(official_id="HD-0100").postings.get()
    assert posting.category == PersonCategory.CONTRACT_WORKER


def test_personnel_refuses_a_contract_worker_where_the_switch_is_off(world, tmp_path):
    switch(world, False)
    error = refused(personnel(world, tmp_path, people=[contract_row()])).errors[0]
    assert where(error) == ("Công chức", 6, "N")
    assert "Sở Tư pháp chưa áp dụng đánh giá đối với người lao động hợp đồng" in error.message
    assert "Áp dụng cho người lao động hợp đồng" in error.message


def contract_worker(world):
    person = CivilServantFactory(official_id="HD-0200", full_name="Vũ Văn Lái")
    post(world["legal"], person=person, category=PersonCategory.CONTRACT_WORKER)
    return person


def result_line(official):
    return [official, None, "STP-001", None, 2, 2, MARCH_31, None, 0, 0, None, None, None]


def test_results_take_a_contract_worker_where_the_agency_switched_them_on(world, tmp_path):
    switch(world, True)
    person = contract_worker(world)
    analysis, job = pipeline.commit(results_file(world, tmp_path, [result_line("HD-0200")]))
    assert job is not None, [issue.line() for issue in analysis.errors]
    assert person.assignment_lines.count() == 1


def test_results_refuse_a_contract_worker_where_the_switch_is_off(world, tmp_path):
    switch(world, False)
    contract_worker(world)
    path = results_file(
        world, tmp_path, [result_line("CT0002"), result_line("HD-0200")], name="kq.xlsx"
    )
    analysis = refused(path)
    assert len(analysis.errors) == 1
    error = analysis.errors[0]
    assert where(error) == ("Kết quả", 4, "A")
    assert error.message.startswith("HD-0200: Sở Tư pháp chưa áp dụng đánh giá")
