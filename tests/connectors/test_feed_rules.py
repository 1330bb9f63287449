"""The rules every document feed keeps (issue 43 items 3–5; docs/connectors.md §0): a document's
identity is its sender and DocumentId (or number and year), replacements follow the standard's
fields, times keep their zone, an older package or a replayed request never rolls a newer one
back; each package is received or refused on its own (dead-letter list), a failing source shows
on /healthz/work, attachments never refuse a package, links are not followed; a "completed"
waits for the evaluator; an agency configures its own sources and clears its own queue."""

import datetime
import os
import time

from django.test import Client

from cms.models import AttemptStatus
from connectors import edxml
from connectors.ingest import receive
from connectors.models import (
    Package,
    PackageState,
    PersonMapping,
    SourceKind,
    TaskTypeMapping,
)
from connectors.schedule import FAILING_AFTER, pull
from connectors.views import sign
from org.access import AGENCY_ADMIN_GROUP, UNIT_LEADER_GROUP
from org.models import LeadershipRole
from scoring.models import AssignmentLine, LineSource
from tests.connectors.world import document, ident, status
from tests.factories import AgencyAccessFactory, UserFactory, post
from worklog.models import WorkStatus
from worklog.services.review import accept
from worklog.services.work import status_of, work_of

D = datetime.date


def _mapped(source):
    TaskTypeMapping.objects.create(source=source, external_type="CV", product_code="CV")
    return source


def _lines(source):
    return AssignmentLine.objects.filter(
        source=LineSource.API, external_id__startswith=f"edxml:{source.pk}:"
    ).order_by("deadline")


def _drop(folder, name, content, age):
    path = folder / name
    path.write_bytes(content)
    os.utime(path, (1_700_000_000 + age, 1_700_000_000 + age))
    return path


def _push(source, body, timestamp):
    return Client().post(
        f"/ket-noi/webhook/{source.pk}/",
        data=body,
        content_type="application/xml",
        HTTP_X_KPI_TIMESTAMP=timestamp,
        HTTP_X_KPI_SIGNATURE=sign(source.secret, timestamp, body),
    )


def _client(user):
    client = Client()
    client.force_login(user)
    return client


# --- identity, replacement, time, order ----------------------------------------------------


def test_h4_the_same_number_next_year_is_another_document(world):
    """importers H4: numbers restart each year; without DocumentId the identity is the sender,
    number/notation and the year of the document's date."""
    source = _mapped(world.source())
    last_year = document("", number="1520", notation="UBND-VP", date="2025-12-22", due="2026-11-10")
    this_year = document("", number="1520", notation="UBND-VP", date="2026-11-20", due="2026-11-27")
    assert receive(source, last_year) == "created"
    assert receive(source, this_year) == "created"
    assert list(_lines(source).values_list("deadline", flat=True)) == [
        D(2026, 11, 10),
        D(2026, 11, 27),
    ]
    # Neither an id nor a date: refused with why, nothing guessed.
    assert receive(source, document("", number="1521", date="")) == "refused"
    refused = Package.objects.get(state=PackageState.REFUSED)
    assert refused.reason == (
        "Gói tin không có mã định danh văn bản (DocumentId) và thiếu số, ký hiệu hoặc ngày ban "
        "hành: không phân biệt được văn bản này với văn bản cùng số của năm khác."
    )


def test_m8_a_replacing_document_withdraws_the_line_it_replaces(world):
    source = _mapped(world.source())
    receive(source, document("DOC-E13a", number="130", notation="UBND-VP", due="2026-11-20"))
    replacing = document(
        "DOC-E13b",
        number="131",
        notation="UBND-VP",
        due="2026-11-25",
        business=edxml.REPLACE,
        reason="Thay thế văn bản 130/UBND-VP",
        replaces=["DOC-E13a"],
    )
    assert receive(source, replacing) == "created"
    assert list(_lines(source).values_list("deadline", flat=True)) == [D(2026, 11, 25)]
    replaced = Package.objects.get(document_id=ident("DOC-E13a"))
    assert replaced.state == PackageState.WITHDRAWN
    assert replaced.reason == "Được thay thế bởi văn bản 131/UBND-VP: dòng giao việc được gỡ."
    assert replaced.line is None


def test_m1_a_completion_time_keeps_its_zone(world):
    """importers M1: 18:30 UTC on 30/11 is 01:30 on 01/12 in Vietnam: late, in December."""
    assert edxml.parse(status(when="2026-11-30T18:30:00Z"))["date"] == "2026-12-01"
    assert edxml.parse(status(when="2026-11-30T23:30:00+07:00"))["date"] == "2026-11-30"
    assert edxml.parse(status(when="2026-11-30 23:30:00"))["date"] == "2026-11-30"  # Vietnam
    assert edxml.parse(document(due="2026-11-30T17:00:00Z"))["due_date"] == "2026-12-01"
    # Stored across a month's end already past (a completion after today is refused as
    # implausible, importers' rules): 18:30 UTC on 31/10 is 01:30 on 01/11 in Vietnam.
    source = _mapped(world.source(completion_needs_review=False))
    receive(source, document(due="2026-10-31"))
    receive(source, status(when="2026-10-31T18:30:00Z"))
    line = _lines(source).get()
    assert line.completed_on == D(2026, 11, 1)
    assert line.delays == 1
    assert line.period.code == "2026-11"


def test_an_older_package_never_overwrites_a_newer_one(world):
    source = _mapped(world.source())
    receive(source, document(due="2026-11-26", sent="2026-11-21T09:00:00+07:00"))
    assert receive(source, document(due="2026-11-20", sent="2026-11-20T09:00:00+07:00")) == (
        "refused"
    )
    assert _lines(source).get().deadline == D(2026, 11, 26)
    stale = Package.objects.get(state=PackageState.REFUSED)
    assert stale.reason == (
        "Gói tin cũ hơn gói tin đã nhận của cùng văn bản (gửi lúc 09:00:00 20/11/2026, đã có bản "
        "gửi lúc 09:00:00 21/11/2026): không ghi đè."
    )
    current = Package.objects.get(state=PackageState.APPLIED)
    assert current.data["due_date"] == "2026-11-26"


def test_security_m2_a_replayed_signed_request_is_refused_and_changes_nothing(world):
    source = _mapped(world.source(name="iOffice Sở Tư pháp", kind=SourceKind.WEBHOOK))
    now = int(time.time())
    first, later = document(due="2026-11-26"), document(due="2026-11-28")
    assert _push(source, first, str(now - 100)).json() == {"result": "created"}
    assert _push(source, later, str(now - 50)).json() == {"result": "updated"}
    replay = _push(source, first, str(now - 100))
    assert replay.status_code == 409
    assert replay.json()["detail"] == "Yêu cầu có chữ ký này đã được nhận: không nhận lại."
    # A package signed earlier but delivered late (no time of its own): older, not applied.
    delayed = document(due="2026-11-21", subject="Bản cũ")
    answer = _push(source, delayed, str(now - 80))
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("Gói tin cũ hơn gói tin đã nhận của cùng văn bản")
    assert _lines(source).get().deadline == D(2026, 11, 28)


# --- feeds that keep going -------------------------------------------------------------------


def test_reliab_m2_and_l4_one_bad_file_never_stops_the_source(world, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    outside = tmp_path / "outside.xml"
    outside.write_bytes(document("OUTSIDE-1", subject="Tệp ngoài thư mục"))
    _drop(inbox, "01.xml", document("DOC-1"), age=1)
    link = inbox / "02-link.xml"
    link.symlink_to(outside)
    os.utime(link, (1_700_000_002, 1_700_000_002), follow_symlinks=False)
    big = inbox / "03-big.xml"
    with open(big, "wb") as stream:
        stream.truncate(edxml.MAX_BYTES + 1)  # sparse: its size is read, never its bytes
    os.utime(big, (1_700_000_003, 1_700_000_003))
    _drop(inbox, "04.xml", document("DOC-4", number="128"), age=4)
    source = _mapped(world.source(inbox))

    run = pull(source)

    assert run.status == AttemptStatus.OK
    assert (run.received, run.created, run.refused) == (4, 2, 2)
    assert not Package.objects.filter(document_id=ident("OUTSIDE-1")).exists()
    refused = {p.file_name: p.reason for p in Package.objects.filter(state=PackageState.REFUSED)}
    assert refused == {
        "02-link.xml": "“02-link.xml” là liên kết hoặc không phải tệp thường: không đọc.",
        "03-big.xml": "Tệp “03-big.xml” lớn hơn 200 MB: không đọc. Đề nghị phần mềm nguồn gửi "
        "tệp đính kèm qua đường khác rồi gửi lại gói tin.",
    }
    source.refresh_from_db()
    assert source.cursor.endswith("|04.xml")
    assert source.failures == 0
    # The dead-letter list shows them to Sở Nội vụ.
    page = _client(world.users["home_affairs"]).get("/admin/connector_dead_letters/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "02-link.xml" in text and "lớn hơn 200 MB" in text
    assert "Tệp ngoài thư mục" not in text


def test_m5_a_large_attachment_never_refuses_its_document(world):
    source = _mapped(world.source())
    scanned = b"QUFB" * (8 * 1024 * 1024)  # 32 MB of base64: a scanned appendix
    assert receive(source, document(attachment=scanned)) == "created"
    package = Package.objects.get()
    assert package.state == PackageState.APPLIED
    assert package.data["attachments"] == [24 * 1024 * 1024]
    note = (
        "Gói tin có 1 tệp đính kèm (24,0 MB): phần mềm không lưu tệp đính kèm, xem toàn văn ở "
        "phần mềm quản lý văn bản."
    )
    assert package.reason == note  # said so, in the packages' list
    # Pushed to the webhook: read as a stream, not refused by the web server's memory cap.
    pushed = _mapped(world.source(name="iOffice Sở Tư pháp", kind=SourceKind.WEBHOOK))
    body = document("DOC-W", attachment=scanned)
    answer = _push(pushed, body, str(int(time.time())))
    assert answer.json() == {"result": "created", "detail": note}


def test_a_failing_source_shows_on_healthz_work_and_is_still_tried(world, tmp_path):
    source = world.source(tmp_path / "khong-co")
    now = datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC)
    for _attempt in range(FAILING_AFTER):
        assert pull(source, now=now).status == AttemptStatus.FAILED
        now += datetime.timedelta(days=2)
    body = Client().get("/healthz/work").json()
    assert body["items"]["connector_sources_failing"]["count"] == 1
    assert body["items"]["connector_sources_failing"]["stuck"] is True
    assert body["status"] != "ok"
    source.refresh_from_db()
    assert source.next_run_at is not None


# --- leaders confirm -------------------------------------------------------------------------


def test_coverage_m2_a_completion_waits_for_the_evaluator(world):
    leader = post(world.unit, role=LeadershipRole.HEAD, full_name="Trần Văn Trưởng")
    leader.user = UserFactory(username="truong.stp", groups=[UNIT_LEADER_GROUP])
    leader.save()
    source = _mapped(world.source())  # the default: leaders confirm
    receive(source, document())
    assert receive(source, status(when="2026/11/22 09:00:00")) == "updated"

    line = _lines(source).get()
    assert line.completed_on is None
    assert line.completed_quantity == 0
    assert status_of(line) == WorkStatus.SUBMITTED
    work = work_of(line)
    assert work.claimed_completed_on == D(2026, 11, 22)
    assert work.progress_note == "Phần mềm quản lý văn bản “QLVB Sở Tư pháp” báo đã hoàn thành."

    accept(
        leader.user,
        line,
        round_number=work.round,
        confirmed_on=D(2026, 11, 22),
        today=D(2026, 11, 25),
    )
    line.refresh_from_db()
    assert (line.completed_on, line.delays) == (D(2026, 11, 22), 1)
    # The document system sends its document again: the evaluator's decision stays.
    receive(source, document(subject="Báo cáo công tác tư pháp tháng 11 (bổ sung)"))
    line = AssignmentLine.objects.get(pk=line.pk)
    assert (line.completed_on, line.delays) == (D(2026, 11, 22), 1)
    assert status_of(line) == WorkStatus.ACCEPTED


# --- agencies configure their own sources --------------------------------------------------


def test_coverage_m3_an_agency_configures_its_sources_and_clears_its_queue(
    world, django_capture_on_commit_callbacks
):
    admin = UserFactory(username="quantri.stp", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.stp)
    own = _mapped(world.source(name="QLVB Sở Tư pháp", kind=SourceKind.WEBHOOK))
    other = world.source(name="QLVB Sở Nông nghiệp", agency=world.snn, kind=SourceKind.WEBHOOK)
    receive(own, document("DOC-Q", email="la@x.vn"))
    receive(other, document("DOC-O", subject="Việc của Sở Nông nghiệp", email="x@snn.gov.vn"))
    client = _client(admin)

    sources = client.get("/admin/connector_sources/").content.decode()
    assert "QLVB Sở Tư pháp" in sources and "QLVB Sở Nông nghiệp" not in sources
    queue = client.get("/admin/connector_queue/").content.decode()
    assert "la@x.vn" in queue and "Việc của Sở Nông nghiệp" not in queue
    refused = client.get(f"/admin/connector_sources/edit/{other.pk}/")
    assert refused.status_code in (302, 403, 404)
    assert "QLVB Sở Nông nghiệp" not in refused.content.decode()

    # Mapping another agency's source is refused; nothing stored.
    client.post(
        "/admin/connector_people/new/",
        {
            "source": other.pk,
            "external_person": "x@snn.gov.vn",
            "civil_servant": world.people["cuong"].pk,
        },
    )
    assert not PersonMapping.objects.filter(source=other).exists()
    # Its own queue: mapped, and the waiting package is applied.
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/admin/connector_people/new/",
            {
                "source": own.pk,
                "external_person": "la@x.vn",
                "civil_servant": world.people["binh"].pk,
            },
        )
    assert answer.status_code == 302
    package = Package.objects.get(document_id=ident("DOC-Q"))
    assert package.state == PackageState.APPLIED
    assert package.line.civil_servant == world.people["binh"]

    # Its sources: a new webhook source of its own agency; the folder path is Sở Nội vụ's.
    form = client.get("/admin/connector_sources/new/").content.decode()
    assert "Sở Nông nghiệp" not in form
    client.post(
        "/admin/connector_sources/new/",
        {
            "name": "iOffice Sở Tư pháp",
            "agency": world.stp.pk,
            "kind": SourceKind.WEBHOOK,
            "folder": "/etc",
            "secret": "bi-mat-dung-chung-0123456789",
            "interval_minutes": 60,
            "default_quantity": "1",
            "completion_needs_review": "on",
            "is_active": "on",
        },
    )
    created = own.__class__.objects.get(name="iOffice Sở Tư pháp")
    assert created.agency == world.stp
    assert created.folder == ""
    assert created.completion_needs_review is True
