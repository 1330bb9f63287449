"""Periods: naming, lookup, and the guard that freezes the inputs of closed periods."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError

from scoring.models import (
    AssignmentLine,
    DeductionKind,
    Evidence,
    GeneralCriteriaMark,
    Period,
    PeriodKind,
    PeriodStatus,
    parse_period_code,
)
from scoring.services import grant_exemption, record_deduction
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "number", "label", "code", "start", "end"),
    [
        (PeriodKind.MONTH, 3, "Tháng 03/2026", "2026-03", (2026, 3, 1), (2026, 3, 31)),
        (PeriodKind.MONTH, 2, "Tháng 02/2026", "2026-02", (2026, 2, 1), (2026, 2, 28)),
        (PeriodKind.QUARTER, 1, "Quý I/2026", "2026-Q1", (2026, 1, 1), (2026, 3, 31)),
        (PeriodKind.QUARTER, 4, "Quý IV/2026", "2026-Q4", (2026, 10, 1), (2026, 12, 31)),
        (PeriodKind.HALF_YEAR, 1, "6 tháng đầu năm 2026", "2026-H1", (2026, 1, 1), (2026, 6, 30)),
        (PeriodKind.YEAR, 1, "Năm 2026", "2026", (2026, 1, 1), (2026, 12, 31)),
    ],
)
def test_labels_codes_and_bounds(kind, number, label, code, start, end):
    period = Period.objects.create(kind=kind, year=2026, number=number)
    assert period.label == label and str(period) == label
    assert period.code == code
    assert (period.start_date, period.end_date) == (datetime.date(*start), datetime.date(*end))
    assert parse_period_code(code) == (kind, 2026, number)
    assert Period.from_code(code) == period


def test_for_date():
    day = datetime.date(2026, 5, 17)
    assert Period.for_date(day) is None
    month = Period.for_date(day, create=True)
    assert month.code == "2026-05" and Period.for_date(day) == month
    assert Period.for_date(day, PeriodKind.QUARTER, create=True).code == "2026-Q2"


def test_bad_code():
    with pytest.raises(ValueError, match="Mã kỳ không hợp lệ"):
        parse_period_code("2026-13")


def test_closing_records_the_time_and_reopening_clears_it():
    period = Period.for_date(datetime.date(2026, 1, 5), create=True)
    period.status = PeriodStatus.CLOSED
    period.save()
    assert period.closed_at is not None and not period.accepts_inputs
    period.status = PeriodStatus.OPEN
    period.save()
    assert period.closed_at is None


@pytest.fixture
def closed():
    world = build_world()
    person = world.person("Lý Thị Khóa")
    line = world.line(person, "X", 2, 2)
    world.marks(person, 27)
    deduction = record_deduction(line, DeductionKind.DELAY, decided_by="test-setup")
    world.period.status = PeriodStatus.CLOSED
    world.period.save()
    return world, person, AssignmentLine.objects.get(pk=line.pk), deduction


def test_closed_period_refuses_line_changes(closed):
    world, person, line, _deduction = closed
    line.completed_quantity = Decimal(1)
    with pytest.raises(ValidationError) as exc:
        line.save()
    assert "Tháng 03/2026 đã khóa sổ" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        line.delete()
    with pytest.raises(ValidationError):
        world.line(person, "Y", 1, 1)
    assert AssignmentLine.objects.filter(period=world.period).count() == 1


def test_a_line_cannot_be_moved_out_of_a_closed_period(closed):
    _world, _person, line, _deduction = closed
    line.period = Period.for_date(datetime.date(2026, 4, 1), create=True)
    with pytest.raises(ValidationError):
        line.save()


def test_closed_period_refuses_marks_deductions_and_evidence(closed):
    _world, person, line, deduction = closed
    mark = GeneralCriteriaMark.objects.filter(civil_servant=person).first()
    mark.self_mark = Decimal(1)
    with pytest.raises(ValidationError):
        mark.save()
    with pytest.raises(ValidationError):
        record_deduction(line, DeductionKind.REVIEW, decided_by="test-setup")
    with pytest.raises(ValidationError):
        grant_exemption(deduction, reason="Mất điện toàn tỉnh", decided_by="test-setup")
    with pytest.raises(ValidationError):
        Evidence.objects.create(line=line, document_number="12/BC-SNV")
    line.refresh_from_db()
    assert (line.failed_reviews, line.delays) == (0, 1)


def test_clean_reports_the_closed_period_to_forms(closed):
    _world, _person, line, _deduction = closed
    with pytest.raises(ValidationError) as exc:
        line.full_clean()
    assert "không thể thay đổi dữ liệu đầu vào" in " ".join(exc.value.messages)


def test_evidence_needs_something_to_show():
    world = build_world()
    line = world.line(world.person("Hà Minh Chứng"), "X", 1, 1)
    with pytest.raises(ValidationError, match="Minh chứng cần có"):
        Evidence(line=line).full_clean()
    Evidence(line=line, url="https://vanban.example.vn/12").full_clean()


def test_item_must_belong_to_the_units_catalog():
    from tests.factories import AgencyFactory, catalog_version

    world = build_world()
    other = AgencyFactory(parent=world.province, code="SYT")
    _version, items = catalog_version(other, items=(("Z", "3"),))
    line = AssignmentLine(
        civil_servant=world.person("Trịnh Văn Lạc"),
        period=world.period,
        item=items["Z"],
        unit=world.unit,
        assigned_quantity=Decimal(1),
    )
    with pytest.raises(ValidationError) as exc:
        line.full_clean()
    assert "không thuộc danh mục" in str(exc.value.message_dict["item"])


def test_a_period_with_data_keeps_its_identity():
    world = build_world()
    world.line(world.person("Tạ Văn Kỳ"), "X", 1, 1)
    world.period.number = 4
    with pytest.raises(ValidationError, match="không thể đổi loại kỳ"):
        world.period.full_clean()
