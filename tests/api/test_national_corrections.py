"""Corrections to the national civil-servant database (issue 19 item 7): a result that changes
after it was sent produces one correction or cancellation record, with its own due date, sent
with the next batch and closed by an acknowledgement; a result never sent gets none."""

import datetime
import json

import pytest

from django.utils import timezone

from api.models import OutboxKind, OutboxRecord, OutboxStatus
from api.national_export import CSV_COLUMNS, Transport, acknowledge, export
from api.outbox import record_period
from dashboards import national_sync
from org.models import PersonCategory, Posting
from ratings.models import Complaint, ComplaintStatus, RatingCase
from ratings.models.choices import CaseState
from scoring.models import Period, PeriodScore
from tests.clock import on_the_day

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _clock():
    with on_the_day(TODAY):  # TODAY is read at collection (tests/clock.py)
        yield


@pytest.fixture
def world(shared_world):
    return shared_world


class Capture(Transport):
    def __init__(self):
        self.files = {}

    def send(self, name, files):
        self.files = files
        return name


def case_of(world, who="alice"):
    return RatingCase.objects.get(civil_servant=world.people[who], year=2026)


def original(case):
    return OutboxRecord.objects.get(rating_case=case)


def send(record):
    OutboxRecord.objects.filter(pk=record.pk).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), batch="kpi-congvu-20261221"
    )
    record.refresh_from_db()
    return record


def corrections(record):
    return list(OutboxRecord.objects.filter(corrects=record).order_by("id"))


def test_a_result_never_sent_gets_no_correction(world):
    case = case_of(world)
    record = original(case)
    assert record.status == OutboxStatus.PENDING
    case.decision_level = "completed"
    case.save()
    record.refresh_from_db()
    assert record.payload["result"]["rating"] == "completed"  # refreshed in place
    assert corrections(record) == []
    case.state = CaseState.CANCELLED
    case.cancel_reason = "Lập nhầm hồ sơ"
    case.save()
    assert not OutboxRecord.objects.filter(pk=record.pk).exists()  # nothing was ever sent
    assert not OutboxRecord.objects.filter(kind__in=["correction", "cancellation"]).exists()


def test_a_corrected_decision_produces_a_correction_due_in_five_days(world):
    case = case_of(world)
    record = send(original(case))
    case.decision_level = "excellent"
    case.decision_ref = "99/QĐ-SNV"
    case.save()
    [correction] = corrections(record)
    assert correction.kind == OutboxKind.CORRECTION
    assert correction.status == OutboxStatus.PENDING
    assert correction.payload["result"]["rating"] == "excellent"
    assert correction.payload["civil_servant"] == record.payload["civil_servant"]
    assert correction.result_date == TODAY
    assert correction.due_date == TODAY + datetime.timedelta(days=5)
    assert "99/QĐ-SNV" in correction.reason
    record.refresh_from_db()
    assert record.payload["result"]["rating"] == "good"  # what was sent never changes
    # A second change before sending refreshes the same correction…
    case.decision_level = "completed"
    case.save()
    [again] = corrections(record)
    assert again.pk == correction.pk and again.payload["result"]["rating"] == "completed"
    # …and a change back to what the national database holds drops it.
    case.decision_level = "good"
    case.decision_ref = record.payload["result"]["decision_ref"]
    case.save()
    assert corrections(record) == []


def test_an_upheld_complaint_is_the_reason(world):
    case = case_of(world)
    record = send(original(case))
    Complaint.objects.create(
        case=case,
        filed_by=world.users["alice"],
        text="Đề nghị xem xét lại",
        status=ComplaintStatus.RESOLVED,
        resolution="Chấp nhận kiến nghị, điều chỉnh mức xếp loại",
        resolved_by=world.users["home_affairs"],
        resolved_at=timezone.now(),
    )
    case.decision_level = "excellent"
    case.save()
    [correction] = corrections(record)
    assert correction.reason.startswith("Kiến nghị được giải quyết")
    assert "Chấp nhận kiến nghị" in correction.reason


def test_a_case_on_hold_changes_nothing_until_decided_again(world):
    case = case_of(world)
    record = send(original(case))
    case.held_from, case.state = case.state, CaseState.ON_HOLD
    case.save()
    assert corrections(record) == []


def test_a_cancelled_decision_produces_a_cancellation(world, settings):
    settings.KPI_NATIONAL_CORRECTION_DAYS = 3
    case = case_of(world)
    record = send(original(case))
    case.state = CaseState.CANCELLED
    case.cancel_reason = "Quyết định bị hủy"
    case.cancelled_at = timezone.now()
    case.save()
    [cancellation] = corrections(record)
    assert cancellation.kind == OutboxKind.CANCELLATION
    assert cancellation.payload["result"] is None
    assert cancellation.payload["civil_servant"]["official_id"] == record.official_id
    assert "Quyết định bị hủy" in cancellation.reason
    assert cancellation.due_date == TODAY + datetime.timedelta(days=3)
    case.save()  # saving again does not add another
    assert len(corrections(record)) == 1


def test_a_changed_period_result_after_sending_is_corrected(world):
    february = Period.objects.get(pk=world.february.pk)
    records = OutboxRecord.objects.filter(kind=OutboxKind.PERIOD_RESULT, period=february)
    for record in records:
        send(record)
    score = PeriodScore.objects.get(period=february, civil_servant=world.people["alice"])
    PeriodScore.objects.filter(pk=score.pk).update(total="71.00", rating="completed")
    record_period(february)
    record = records.get(period_score=score)
    [correction] = corrections(record)
    assert correction.payload["result"]["total"] == "71.00"
    assert correction.period_id == february.pk
    record_period(february)  # re-closing again: still one
    assert len(corrections(record)) == 1
    assert OutboxRecord.objects.filter(kind=OutboxKind.CORRECTION).count() == 1


def test_corrections_go_with_the_next_batch_and_acknowledgement_closes_them(world):
    case = case_of(world)
    OutboxRecord.objects.update(status=OutboxStatus.SENT, sent_at=timezone.now())
    record = original(case)
    case.decision_level = "excellent"
    case.save()
    [correction] = corrections(record)
    transport = Capture()
    result = export(TODAY, transport=transport)
    assert result.count == 1
    doc = json.loads(transport.files["json"])
    assert doc["format_version"] == 2
    [entry] = doc["records"]
    assert entry["kind"] == "correction"
    assert entry["corrects_record_id"] == record.pk
    assert entry["reason"] == correction.reason
    assert entry["result"]["rating"] == "excellent"
    header, row = transport.files["csv"].decode("utf-8-sig").splitlines()[:2]
    assert header.split(",") == list(CSV_COLUMNS)
    assert str(record.pk) in row and "correction" in row
    correction.refresh_from_db()
    assert correction.status == OutboxStatus.SENT
    assert acknowledge([correction.pk]) == 1
    correction.refresh_from_db()
    assert correction.status == OutboxStatus.ACKNOWLEDGED and correction.acknowledged_at
    # A later change corrects what was last sent (the correction), not the original.
    case.decision_level = "good"
    case.save()
    latest = corrections(record)[-1]
    assert latest.pk != correction.pk and latest.payload["result"]["rating"] == "good"


def test_overdue_corrections_show_on_the_national_sync_dashboard(world):
    case = case_of(world)
    record = send(original(case))
    case.decision_level = "excellent"
    case.save()
    OutboxRecord.objects.filter(corrects=record).update(due_date=TODAY - datetime.timedelta(1))
    kinds = {item.kind for item in national_sync.overdue_exports(TODAY)}
    assert OutboxKind.CORRECTION in kinds
    assert national_sync.kind_labels()[OutboxKind.CORRECTION] == "Điều chỉnh kết quả đã gửi"


@pytest.mark.parametrize(
    "category", [PersonCategory.PUBLIC_EMPLOYEE, PersonCategory.CONTRACT_WORKER]
)
def test_other_categories_never_reach_the_outbox_nor_its_corrections(world, category):
    binh = world.people["binh"]
    Posting.objects.filter(civil_servant=binh).update(category=category)
    case = case_of(world, "binh")
    OutboxRecord.objects.filter(rating_case=case).delete()
    case.decision_level = "good"
    case.save()
    annual = OutboxRecord.objects.filter(civil_servant=binh, year=2026).exclude(
        kind=OutboxKind.PERIOD_RESULT
    )
    assert not annual.exists()


def test_a_recomputed_period_score_with_the_same_values_is_no_correction(world):
    february = Period.objects.get(pk=world.february.pk)
    records = OutboxRecord.objects.filter(kind=OutboxKind.PERIOD_RESULT, period=february)
    for record in records:
        send(record)
    PeriodScore.objects.filter(period=february).update(computed_at=timezone.now())
    record_period(february)
    assert not OutboxRecord.objects.filter(kind=OutboxKind.CORRECTION).exists()
