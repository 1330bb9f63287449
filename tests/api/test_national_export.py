"""The national civil-servant database outbox: records on final results, the daily batch
(command, endpoint, transport), acknowledgements and the overdue list in the admin."""

import csv
import datetime
import io
import json
from html import unescape
from io import StringIO

import pytest

from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from api.models import OutboxKind, OutboxRecord, OutboxStatus
from api.national_export import CSV_COLUMNS, Transport, export
from api.outbox import collect_final_results, period_payload, record_annual_rating
from ratings.models import RatingCase
from ratings.models.choices import CaseKind, CaseState
from scoring.models import Period, PeriodScore, PeriodStatus

pytestmark = pytest.mark.django_db

FAR = datetime.date(2099, 12, 31)


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def drop(tmp_path, settings):
    settings.KPI_NATIONAL_DB_DROP_DIR = str(tmp_path)
    return tmp_path


def period_records(period):
    return OutboxRecord.objects.filter(kind=OutboxKind.PERIOD_RESULT, period=period)


# --------------------------------------------------------------------------- records


def test_closing_a_period_creates_one_record_per_scored_result(world):
    february = period_records(world.february)
    assert february.count() == PeriodScore.objects.filter(period=world.february).count() == 3
    record = february.get(civil_servant=world.people["alice"])
    closed_on = timezone.localdate(Period.objects.get(pk=world.february.pk).closed_at)
    assert record.result_date == closed_on
    assert record.due_date == closed_on + datetime.timedelta(days=5)
    assert record.status == OutboxStatus.PENDING
    assert record.payload["civil_servant"]["official_id"] == world.people["alice"].official_id
    assert record.payload["period"]["code"] == "2026-02"
    assert record.payload["result"]["total"] == "83.00"
    assert record.payload["result"]["rating"] == "good"
    # The open month has none.
    assert not period_records(world.march).exists()
    # Every record carries what the score's own payload says (read as values at the close,
    # not as model instances with each person's explanation: the same dict).
    for row in february.select_related("period_score"):
        assert row.payload == period_payload(row.period_score)


def test_closing_and_locking_again_never_duplicates(world):
    march = Period.objects.get(pk=world.march.pk)
    for status in (
        PeriodStatus.CLOSED,
        PeriodStatus.OPEN,
        PeriodStatus.CLOSED,
        PeriodStatus.LOCKED,
    ):
        march.status = status
        march.save()
    assert period_records(march).count() == 3


def test_unsent_records_are_refreshed_sent_ones_are_not(world):
    march = Period.objects.get(pk=world.march.pk)
    march.status = PeriodStatus.CLOSED
    march.save()
    alice = period_records(march).get(civil_servant=world.people["alice"])
    hung = period_records(march).get(civil_servant=world.people["hung"])
    OutboxRecord.objects.filter(pk=hung.pk).update(status=OutboxStatus.SENT)
    march.status = PeriodStatus.OPEN
    march.save()
    PeriodScore.objects.filter(period=march).update(total="50.00", rating="completed")
    march.status = PeriodStatus.CLOSED
    march.save()
    alice.refresh_from_db()
    hung.refresh_from_db()
    assert alice.payload["result"]["total"] == "50.00"
    assert hung.payload["result"]["total"] != "50.00"


def test_decided_annual_ratings_create_records(world):
    records = OutboxRecord.objects.filter(kind=OutboxKind.ANNUAL_RATING)
    assert records.count() == 2
    alice = records.get(civil_servant=world.people["alice"])
    assert alice.result_date == datetime.date(2026, 12, 20)
    assert alice.due_date == datetime.date(2026, 12, 25)
    # The year's score (83.00, the one Form 02 prints), not the 85.00 the case was opened with
    # (issue 42, legal review F3).
    assert alice.payload["result"] == {
        "score": "83.00",
        "rating": "good",
        "decision_ref": alice.rating_case.decision_ref,
        "decision_date": "2026-12-20",
    }


def test_undecided_cases_and_agency_cases_are_not_exported(world):
    case = RatingCase.objects.create(
        kind=CaseKind.CIVIL_SERVANT,
        year=2027,
        civil_servant=world.people["hung"],
        agency=world.snv_unit,
        state=CaseState.APPRAISED,
        proposal_level="good",
    )
    assert record_annual_rating(case) is None
    agency_case = RatingCase.objects.create(
        kind=CaseKind.AGENCY,
        year=2026,
        subject_agency=world.snv,
        agency=world.snv,
        state=CaseState.DECIDED,
        decision_level="good",
    )
    assert record_annual_rating(agency_case) is None
    # Deciding it later (the rating process saves the case) creates the record.
    case.state = CaseState.DECIDED
    case.decision_level = "excellent"
    case.decision_date = datetime.date(2027, 12, 30)
    case.save()
    assert OutboxRecord.objects.get(rating_case=case).payload["result"]["rating"] == "excellent"


def test_collect_catches_periods_closed_without_signals(world):
    Period.objects.filter(pk=world.march.pk).update(
        status=PeriodStatus.CLOSED, closed_at=timezone.now()
    )
    assert not period_records(world.march).exists()
    assert collect_final_results() == 3
    assert period_records(world.march).count() == 3
    assert collect_final_results() == 0


# --------------------------------------------------------------------------- the batch


def test_export_command_drops_json_and_csv_and_marks_records_sent(world, drop):
    out = StringIO()
    call_command("export_national_db", "--date", "2099-12-31", stdout=out)
    assert "5 bản ghi" in out.getvalue()
    assert sorted(path.name for path in drop.iterdir()) == [
        "kpi-congvu-20991231.csv",
        "kpi-congvu-20991231.json",
    ]
    doc = json.loads((drop / "kpi-congvu-20991231.json").read_text())
    assert doc["format"] == "kpi-congvu/national-db-results"
    assert doc["format_version"] == 2
    assert doc["count"] == 5 == len(doc["records"])
    assert doc["source"]["province_code"] == "TINH"
    kinds = sorted(record["kind"] for record in doc["records"])
    assert kinds == ["annual_rating"] * 2 + ["period_result"] * 3
    first = doc["records"][0]
    assert {"record_id", "kind", "result_date", "due_date", "civil_servant", "agency"} <= set(first)
    rows = list(
        csv.DictReader(io.StringIO((drop / "kpi-congvu-20991231.csv").read_text("utf-8-sig")))
    )
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == 5
    assert {row["official_id"] for row in rows} == {
        person.official_id for person in world.people.values()
    }
    sent = OutboxRecord.objects.filter(status=OutboxStatus.SENT)
    assert sent.count() == 5
    assert set(sent.values_list("batch", flat=True)) == {"kpi-congvu-20991231"}
    assert all(record.sent_at and record.attempts == 1 for record in sent)

    # Nothing left: a second run sends nothing and overwrites nothing.
    out = StringIO()
    call_command("export_national_db", "--date", "2099-12-31", stdout=out)
    assert "Không có kết quả nào cần gửi." in out.getvalue()
    assert len(list(drop.iterdir())) == 2


def test_batch_of_a_day_holds_results_up_to_that_day(world, drop):
    period_records(world.february).update(result_date=datetime.date(2026, 3, 2))
    assert export(datetime.date(2026, 3, 1)).count == 0
    assert export(datetime.date(2026, 12, 19)).count == 3  # February's results
    assert export(datetime.date(2026, 12, 20)).count == 2  # the ratings decided that day
    assert sorted(path.name for path in drop.iterdir() if path.suffix == ".json") == [
        "kpi-congvu-20261219.json",
        "kpi-congvu-20261220.json",
    ]


def test_a_second_batch_on_the_same_day_gets_a_new_file(world, drop):
    export(FAR)
    march = Period.objects.get(pk=world.march.pk)
    march.status = PeriodStatus.CLOSED
    march.save()
    result = export(FAR)
    assert result.count == 3
    assert result.reference.endswith("kpi-congvu-20991231-2")
    assert (drop / "kpi-congvu-20991231-2.json").exists()


class BrokenTransport(Transport):
    def send(self, name, files):
        raise OSError("máy chủ nhận dữ liệu không phản hồi")


def test_a_failed_send_is_recorded_and_retried(world, drop, settings):
    result = export(FAR, transport=BrokenTransport())
    assert result.error == "máy chủ nhận dữ liệu không phản hồi"
    failed = OutboxRecord.objects.filter(status=OutboxStatus.FAILED)
    assert failed.count() == 5
    assert all(r.attempts == 1 and "không phản hồi" in r.last_error for r in failed)
    settings.KPI_NATIONAL_DB_TRANSPORT = "tests.api.test_national_export.BrokenTransport"
    with pytest.raises(CommandError, match="không thành công"):
        call_command("export_national_db", "--date", "2099-12-31", stdout=StringIO())
    assert OutboxRecord.objects.get(pk=failed.first().pk).attempts == 2
    settings.KPI_NATIONAL_DB_TRANSPORT = "api.national_export.FileDropTransport"
    # The worker waits for the back-off (10 minutes after a second failure), then sends.
    assert export(FAR).count == 0
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert export(FAR, now=later).count == 5
    assert OutboxRecord.objects.filter(status=OutboxStatus.SENT).count() == 5


# --------------------------------------------------------------------------- the endpoint


def test_endpoint_returns_the_batch_as_json_and_csv(world):
    client = world.client_for("province-hr")
    body = client.get("/api/v1/national-export/?date=2099-12-31").json()
    assert body["batch"] == "kpi-congvu-20991231"
    assert body["count"] == 5
    response = client.get("/api/v1/national-export/?date=2099-12-31&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="kpi-congvu-20991231.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 5
    # Reading changes nothing.
    assert OutboxRecord.objects.filter(status=OutboxStatus.PENDING).count() == 5


def test_endpoint_serves_a_sent_batch_and_takes_acknowledgements(world, drop):
    export(FAR)
    client = world.client_for("province-hr")
    assert client.get("/api/v1/national-export/?date=2099-12-31").json()["count"] == 0
    batch = client.get("/api/v1/national-export/?batch=kpi-congvu-20991231").json()
    ids = [record["record_id"] for record in batch["records"]]
    assert len(ids) == 5
    response = client.post(
        "/api/v1/national-export/acknowledgements/", {"ids": ids[:3]}, format="json"
    )
    assert response.json() == {"acknowledged": 3}
    again = client.post("/api/v1/national-export/acknowledgements/", {"ids": ids}, format="json")
    assert again.json() == {"acknowledged": 2}
    assert OutboxRecord.objects.filter(status=OutboxStatus.ACKNOWLEDGED).count() == 5


def test_bad_requests_to_the_endpoint(world):
    client = world.client_for("province-hr")
    error = client.get("/api/v1/national-export/?date=31/12/2099").json()["error"]
    assert error["fields"] == {"date": ["Ngày không hợp lệ; hãy ghi theo dạng yyyy-mm-dd."]}
    response = client.post("/api/v1/national-export/acknowledgements/", {"ids": []}, format="json")
    assert response.status_code == 400
    forbidden = world.client_for("snv-docs").post(
        "/api/v1/national-export/acknowledgements/", {"ids": [1]}, format="json"
    )
    assert forbidden.status_code == 403


# --------------------------------------------------------------------------- admin listing


@pytest.fixture
def home_affairs_admin(world):
    client = Client()
    client.force_login(world.users["home_affairs"])
    return client


def test_overdue_list_shows_only_unsent_records_past_due(world, home_affairs_admin):
    today = timezone.localdate()
    alice, hung, binh = (
        period_records(world.february).get(civil_servant=world.people[name])
        for name in ("alice", "hung", "binh")
    )
    OutboxRecord.objects.filter(pk=alice.pk).update(due_date=today - datetime.timedelta(days=1))
    OutboxRecord.objects.filter(pk=hung.pk).update(
        due_date=today - datetime.timedelta(days=3), status=OutboxStatus.FAILED
    )
    OutboxRecord.objects.filter(pk=binh.pk).update(
        due_date=today - datetime.timedelta(days=3), status=OutboxStatus.SENT
    )
    response = home_affairs_admin.get("/admin/national_outbox_overdue/")
    assert response.status_code == 200
    html = response.content.decode()
    assert world.people["alice"].full_name in html
    assert world.people["hung"].full_name in html
    assert world.people["binh"].full_name not in html
    assert set(OutboxRecord.objects.overdue()) == {alice, hung}


def test_outbox_listing_and_inspect(world, home_affairs_admin):
    """What Sở Nội vụ reads: each record by the person's id and name, its kind and status in
    words and its dates day first; the record's page with the same; the CSV with a row per
    record; no way to edit what the system wrote."""
    record = period_records(world.february).get(civil_servant=world.people["alice"])
    shown_due = record.due_date.strftime("%d/%m/%Y")
    listing = home_affairs_admin.get("/admin/national_outbox/")
    assert listing.status_code == 200
    html = unescape(listing.content.decode())
    for header in ("mã số công chức", "họ và tên", "hạn gửi", "trạng thái", "loại kết quả"):
        assert header in html.lower(), header
    assert record.official_id in html and record.full_name in html
    assert "Kết quả theo dõi, đánh giá theo kỳ" in html and "Chờ gửi" in html
    assert shown_due in html and "Vừa xong" not in html  # a due date in days, not "just now"
    assert "period_result" not in html.replace('value="period_result"', "")
    assert f"/admin/national_outbox/inspect/{record.pk}/" in html

    inspect = home_affairs_admin.get(f"/admin/national_outbox/inspect/{record.pk}/")
    assert inspect.status_code == 200
    page = unescape(inspect.content.decode())
    assert record.full_name in page and "Chờ gửi" in page and shown_due in page
    assert "Kết quả theo dõi, đánh giá theo kỳ" in page

    exported = home_affairs_admin.get("/admin/national_outbox/?export=csv")
    assert exported.status_code == 200
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any(record.official_id in row and record.full_name in row for row in rows[1:])
    assert len(rows) - 1 == OutboxRecord.objects.count()

    # Written by the system only: no editing, even for Sở Nội vụ.
    response = home_affairs_admin.get(f"/admin/national_outbox/edit/{record.pk}/")
    assert response.status_code in (302, 403)
    assert 'name="status"' not in response.content.decode()
    before = (record.status, record.due_date)
    home_affairs_admin.post(f"/admin/national_outbox/edit/{record.pk}/", {"status": "sent"})
    record.refresh_from_db()
    assert (record.status, record.due_date) == before


def test_api_admin_pages_are_for_home_affairs(world):
    client = Client()
    client.force_login(world.users["snv_admin"])
    for url in ("/admin/national_outbox/", "/admin/api_access_log/", "/admin/integration_systems/"):
        assert client.get(url).status_code in (302, 403), url
        # What the admin sees: sent elsewhere, never the listing.
        shown = client.get(url, follow=True)
        assert not shown.redirect_chain or shown.redirect_chain[-1][0] != url
        assert 'class="listing' not in shown.content.decode() or shown.status_code == 403


# --------------------------------------------------------------------------- scope (review M1, L1)


def test_a_system_scoped_to_one_agency_cannot_read_or_acknowledge_the_province(world):
    """A department's system given the national-export right by mistake reads nothing of other
    agencies and cannot mark their records received (security review 2026-11-23 M1)."""
    world.system("stc-national", [world.stc], can_write=True, national_export=True)
    client = world.client_for("stc-national")
    response = client.get("/api/v1/national-export/?date=2099-12-31")
    assert response.status_code == 403
    assert "toàn tỉnh" in response.json()["error"]["message"]
    ids = list(OutboxRecord.objects.values_list("pk", flat=True))
    refused = client.post("/api/v1/national-export/acknowledgements/", {"ids": ids}, format="json")
    assert refused.status_code == 403
    assert not OutboxRecord.objects.filter(status=OutboxStatus.ACKNOWLEDGED).exists()


def test_another_tree_root_is_not_the_province(world):
    """A token granted the Party committee (a root of its own tree) is not province-wide
    (security review 2026-11-23 L1)."""
    from tests.factories import AgencyFactory

    party = AgencyFactory(parent=None, code="TU", name="Tỉnh ủy", kind="party")
    world.system("party-docs", [party], can_write=False)
    response = world.client_for("party-docs").get("/api/v1/aggregates/province/?period=2026-03")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert "counts" not in response.json()
    province = world.client_for("province-hr").get("/api/v1/aggregates/province/?period=2026-03")
    assert "counts" in province.json()
