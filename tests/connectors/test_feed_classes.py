"""The same classes of delivery, tried on every feed (the watched folder and the webhook; issue 43,
docs/connectors.md §0, ``connectors.rules``): replays, older packages, packages without
``DocumentId``, times in other zones, duplicates, and replacements or revocations that arrive
before the document they name. Each test asserts what a person sees: the line on the worklog,
and the reason in the dead-letter list (*Kết nối văn bản → Gói tin bị từ chối*)."""

from __future__ import annotations

import datetime
import os
import shutil
import time
from itertools import count

import pytest

from django.test import Client
from django.utils import timezone

from connectors import edxml
from connectors.models import Package, PackageState, SourceKind, TaskTypeMapping
from connectors.schedule import pull
from connectors.views import sign
from scoring.models import AssignmentLine, LineSource
from tests.connectors.world import document, status
from worklog.services.work import work_of

D = datetime.date
FEEDS = ["folder", "webhook"]


class Feed:
    """One source of Sở Tư pháp and the way its document system delivers a package."""

    name = ""

    def __init__(self, world, tmp_path, name=None, **options):
        self.world, self.tmp_path = world, tmp_path
        self.source = world.source(**self.options(name or self.label), **options)
        TaskTypeMapping.objects.create(source=self.source, external_type="CV", product_code="CV")
        self.tick = count(1)

    label = ""

    def options(self, name):
        return {"name": name}

    def send(self, body: bytes, at: int | None = None) -> str:
        """Deliver one package; ``at`` orders deliveries (the door's own time: the file's
        modification time, the signed timestamp); returns what the feed answered."""
        raise NotImplementedError

    def replay(self) -> str:
        """The last delivery made again, exactly as it was."""
        raise NotImplementedError


class FolderFeed(Feed):
    label = "Thư mục QLVB Sở Tư pháp"

    def options(self, name):
        self.inbox = self.tmp_path / f"inbox-{name[:6].replace(' ', '')}"
        self.inbox.mkdir()
        return {"name": name, "kind": SourceKind.FOLDER, "folder": str(self.inbox)}

    def _result(self, run) -> str:
        for name in ("created", "updated", "unchanged", "waiting", "refused"):
            if getattr(run, name):
                return name
        return "nothing"

    def send(self, body, at=None):
        number = next(self.tick)
        at = at if at is not None else number * 10
        path = self.inbox / f"{number:03d}.xml"
        path.write_bytes(body)
        os.utime(path, (1_700_000_000 + at, 1_700_000_000 + at))
        self.last = path
        return self._result(pull(self.source))

    def replay(self):
        # The same file put in the folder again, its times kept (cp -p, rsync -t).
        copy = self.inbox / f"{next(self.tick):03d}-lai.xml"
        shutil.copy2(self.last, copy)
        return self._result(pull(self.source))


class WebhookFeed(Feed):
    label = "Webhook iOffice Sở Tư pháp"

    def options(self, name):
        self.now = int(time.time()) - 250
        return {"name": name, "kind": SourceKind.WEBHOOK}

    def _post(self, body, timestamp):
        return Client().post(
            f"/ket-noi/webhook/{self.source.pk}/",
            data=body,
            content_type="application/xml",
            HTTP_X_KPI_TIMESTAMP=timestamp,
            HTTP_X_KPI_SIGNATURE=sign(self.source.secret, timestamp, body),
        )

    def send(self, body, at=None):
        number = next(self.tick)
        at = at if at is not None else number * 10
        self.last = (body, str(self.now + at))
        answer = self._post(*self.last)
        self.answer = answer
        return answer.json()["result"]

    def replay(self):
        self.answer = self._post(*self.last)
        assert self.answer.status_code == 409
        assert self.answer.json() == {
            "result": "error",
            "detail": "Yêu cầu có chữ ký này đã được nhận: không nhận lại.",
        }
        return "replay refused"


def _feed(kind, world, tmp_path, **options) -> Feed:
    return {"folder": FolderFeed, "webhook": WebhookFeed}[kind](world, tmp_path, **options)


@pytest.fixture(params=FEEDS)
def feed(request, world, tmp_path):
    return _feed(request.param, world, tmp_path)


def _lines():
    return AssignmentLine.objects.filter(source=LineSource.API).order_by("deadline", "pk")


def _dead_letters(world) -> str:
    """The dead-letter list as Sở Nội vụ reads it."""
    client = Client()
    client.force_login(world.users["home_affairs"])
    page = client.get("/admin/connector_dead_letters/")
    assert page.status_code == 200
    return page.content.decode()


# --- replays and older packages ------------------------------------------------------------


def test_a_replayed_delivery_never_rolls_a_newer_one_back(feed, world):
    assert feed.send(document(due="2026-11-26")) == "created"
    first = feed.last
    assert feed.send(document(due="2026-11-28")) == "updated"
    feed.last = first
    # The webhook: the captured request (409); the folder: the first file put back, its
    # modification time kept — older than the stored version, so kept aside with why.
    answer = feed.replay()
    assert answer in ("replay refused", "refused")
    assert list(_lines().values_list("deadline", flat=True)) == [D(2026, 11, 28)]
    if answer == "refused":
        assert "Gói tin cũ hơn gói tin đã nhận của cùng văn bản" in _dead_letters(world)


def test_an_older_package_by_its_own_time_is_kept_aside(feed, world):
    newer = document(due="2026-11-26", sent="2026-11-21T09:00:00+07:00")
    older = document(due="2026-11-20", sent="2026-11-21T01:00:00Z")  # 08:00 in Vietnam
    assert feed.send(newer) == "created"
    assert feed.send(older) == "refused"  # delivered later, written earlier
    assert _lines().get().deadline == D(2026, 11, 26)
    reason = (
        "Gói tin cũ hơn gói tin đã nhận của cùng văn bản (gửi lúc 08:00:00 21/11/2026, đã có "
        "bản gửi lúc 09:00:00 21/11/2026): không ghi đè."
    )
    assert Package.objects.get(state=PackageState.REFUSED).reason == reason
    assert reason in _dead_letters(world)


def test_an_older_package_by_the_doors_time_is_kept_aside(feed, world):
    """No time of its own: the signed timestamp, or the file's modification time, orders it (a
    file copied in late with its old time is still read, never skipped silently)."""
    assert feed.send(document(due="2026-11-26"), at=50) == "created"
    assert feed.send(document(due="2026-11-20"), at=20) == "refused"
    assert _lines().get().deadline == D(2026, 11, 26)
    assert "Gói tin cũ hơn gói tin đã nhận của cùng văn bản" in _dead_letters(world)
    # A new document arriving late with an old time is not lost.
    assert feed.send(document("DOC-LATE", number="130", due="2026-11-27"), at=5) == "created"
    assert _lines().count() == 2


def test_an_older_status_never_moves_a_completion(feed, world):
    feed.source.completion_needs_review = False
    feed.source.save()
    feed.send(document(due="2026-11-20"))
    assert feed.send(status(when="2026-11-19T10:00:00+07:00")) == "updated"
    assert feed.send(status(when="2026-11-18T10:00:00+07:00"), at=5) == "refused"
    line = _lines().get()
    assert (line.completed_on, line.delays) == (D(2026, 11, 19), 0)


# --- identity without DocumentId -------------------------------------------------------------


def test_without_document_id_the_year_and_the_sender_tell_documents_apart(feed, world):
    last_year = document("", number="1520", notation="UBND-VP", date="2025-12-22", due="2026-11-10")
    this_year = document("", number="1520", notation="UBND-VP", date="2026-11-20", due="2026-11-27")
    other_sender = document(
        "", number="1520", notation="UBND-VP", date="2026-11-20", due="2026-11-24", sender="H99.9"
    )
    assert feed.send(last_year) == "created"
    assert feed.send(this_year) == "created"
    assert feed.send(other_sender) == "created"
    assert list(_lines().values_list("deadline", flat=True)) == [
        D(2026, 11, 10),
        D(2026, 11, 24),
        D(2026, 11, 27),
    ]
    # This year's document sent again (changed subject): the same line, updated.
    again = document(
        "", number="1520", notation="UBND-VP", date="2026-11-20", due="2026-11-27", subject="Thêm"
    )
    assert feed.send(again) == "updated"
    assert _lines().count() == 3
    # Neither an id nor a date: refused with why.
    assert feed.send(document("", number="1521", date="")) == "refused"
    assert (
        "Gói tin không có mã định danh văn bản (DocumentId) và thiếu số, ký hiệu hoặc ngày ban "
        "hành: không phân biệt được văn bản này với văn bản cùng số của năm khác."
    ) in _dead_letters(world)


def test_a_status_without_document_id_finds_its_document_by_number_and_year(feed, world):
    feed.source.completion_needs_review = False
    feed.source.save()
    last_year = document("", number="1520", notation="UBND-VP", date="2025-12-22", due="2026-11-10")
    this_year = document("", number="1520", notation="UBND-VP", date="2026-11-20", due="2026-11-27")
    feed.send(last_year)
    feed.send(this_year)
    done = status("", number="1520/UBND-VP", promulgated="2026-11-20", when="2026-11-24 10:00")
    assert feed.send(done) == "updated"
    assert list(_lines().values_list("deadline", "completed_on")) == [
        (D(2026, 11, 10), None),
        (D(2026, 11, 27), D(2026, 11, 24)),
    ]
    # Without a date the year is unknown: refused with what to send.
    assert feed.send(status("", number="1520/UBND-VP", code="05")) == "refused"
    assert (
        "Gói trạng thái không nêu văn bản: cần mã định danh (ResponseFor/DocumentId) hoặc số, ký "
        "hiệu và ngày ban hành (ResponseFor/Code, PromulgationDate)."
    ) in _dead_letters(world)


# --- times keep their zone -----------------------------------------------------------------

ZONES = [
    ("2026-10-31T17:30:00Z", D(2026, 11, 1)),
    ("2026-10-31T17:30:00 UTC", D(2026, 11, 1)),
    ("2026-10-31T12:30:00-05:00", D(2026, 11, 1)),
    ("2026-10-31T12:30:00-05", D(2026, 11, 1)),
    ("2026-11-01T00:30:00+07:00", D(2026, 11, 1)),
    ("2026-11-01T00:30:00+0700", D(2026, 11, 1)),
    ("2026-10-31T23:30:00.250+07:00", D(2026, 10, 31)),
    ("2026-10-31 23:30:00", D(2026, 10, 31)),  # no zone: Vietnam time
]


@pytest.mark.parametrize(("when", "day"), ZONES)
def test_a_completion_time_keeps_its_zone(feed, world, when, day):
    """importers M1: a completion at 01/11 00:30 in Vietnam is late for a deadline of 31/10
    and counts in November, whatever zone the document system wrote it in."""
    feed.source.completion_needs_review = False
    feed.source.save()
    feed.send(document(due="2026-10-31", date="2026-10-20"))
    feed.send(status(when=when))
    line = _lines().get()
    assert line.completed_on == day
    assert line.delays == (1 if day > D(2026, 10, 31) else 0)
    assert line.period.code == f"{day:%Y-%m}"


@pytest.mark.parametrize("needs_review", [True, False])
def test_a_completion_after_today_is_refused_whoever_confirms(feed, world, needs_review):
    """The import rules (importers.rules.in_the_future) on both settings of the source."""
    feed.source.completion_needs_review = needs_review
    feed.source.save()
    today = timezone.localdate()
    done, due = today + datetime.timedelta(days=2), today + datetime.timedelta(days=4)
    feed.send(document(due=due.isoformat(), date=today.isoformat()))
    feed.send(status(when=f"{done.isoformat()}T09:00:00+07:00"))
    line = _lines().first()
    work = work_of(line) if line is not None else None
    assert line is None or line.completed_on is None
    assert work is None or work.claimed_completed_on is None
    assert f"{done:%d/%m/%Y}" in _dead_letters(world)


@pytest.mark.parametrize("when", ["2026-10-31T17:30:00 ICT", "2026-10-31T17:30:00+7h"])
def test_a_zone_the_reader_does_not_know_is_refused_never_read_as_vietnam_time(feed, world, when):
    feed.send(document(due="2026-10-31", date="2026-10-20"))
    assert feed.send(status(when=when)) == "refused"
    assert f"Ngày “{when}” không đúng dạng yyyy-mm-dd hoặc dd/mm/yyyy." in _dead_letters(world)
    assert _lines().get().completed_on is None


def test_a_zone_moves_the_deadline_too():
    assert edxml.parse(document(due="2026-11-30T17:00:00Z"))["due_date"] == "2026-12-01"
    assert edxml.parse(document(due="2026-11-30"))["due_date"] == "2026-11-30"


# --- duplicates ------------------------------------------------------------------------------


def test_the_same_package_twice_changes_nothing(feed, world):
    body = document()
    assert feed.send(body) == "created"
    line = _lines().get()
    # Sent again as a new delivery (a new file, a newly signed request): nothing changes.
    assert feed.send(body) == "unchanged"
    assert list(_lines().values_list("pk", "updated_at")) == [(line.pk, line.updated_at)]
    assert not Package.objects.filter(state=PackageState.REFUSED).exists()


@pytest.mark.parametrize(("first", "second"), [("folder", "webhook"), ("webhook", "folder")])
def test_one_document_through_two_sources_of_an_agency_is_one_task(world, tmp_path, first, second):
    one = _feed(first, world, tmp_path, name=f"{first} 1")
    other = _feed(second, world, tmp_path, name=f"{second} 2")
    assert one.send(document()) == "created"
    assert other.send(document()) == "refused"
    assert _lines().count() == 1
    assert (
        f"Văn bản này đã được ghi vào giao việc qua nguồn “{first} 1” của cùng cơ quan: không "
        "ghi lần thứ hai. Nếu hai nguồn cùng nhận một phần mềm, hãy tắt một nguồn."
    ) in _dead_letters(world)
    # Its completion, through either source, completes the one line.
    assert other.send(status(when="2026-11-18T16:30:00+07:00")) == "updated"
    line = _lines().get()
    assert line.completed_on is None  # waits for the evaluator (the default)
    assert work_of(line).claimed_completed_on == D(2026, 11, 18)


# --- replacement and revocation, in either order ----------------------------------------


def _replacing(**options):
    return document(
        "DOC-E13b",
        number="131",
        notation="UBND-VP",
        due="2026-11-25",
        business=edxml.REPLACE,
        reason="Thay thế văn bản 130/UBND-VP",
        replaces=["DOC-E13a"],
        **options,
    )


def test_a_replacement_that_arrives_first_still_replaces(feed, world):
    assert feed.send(_replacing()) == "created"
    replaced = document("DOC-E13a", number="130", notation="UBND-VP", due="2026-11-20")
    assert feed.send(replaced) == "unchanged"
    assert list(_lines().values_list("deadline", flat=True)) == [D(2026, 11, 25)]
    package = Package.objects.get(document_id__endswith="|DOC-E13a")
    assert package.state == PackageState.WITHDRAWN
    assert package.reason == (
        "Được thay thế bởi văn bản 131/UBND-VP (nhận trước): không ghi dòng giao việc."
    )


def test_a_replaced_document_sent_again_stays_replaced(feed, world):
    feed.send(document("DOC-E13a", number="130", notation="UBND-VP", due="2026-11-20"))
    feed.send(_replacing())
    again = document(
        "DOC-E13a", number="130", notation="UBND-VP", due="2026-11-21", subject="Gửi lại"
    )
    feed.send(again)
    assert list(_lines().values_list("deadline", flat=True)) == [D(2026, 11, 25)]


def test_a_revoked_document_is_not_brought_back_by_a_late_copy(feed, world):
    feed.send(document("DOC-R", due="2026-11-20"))
    feed.send(document("DOC-R", business=edxml.REVOKE, reason="Ban hành nhầm"))
    assert not _lines().exists()
    # The original delivered again after the revocation, with no time of its own proving it
    # newer: not written.
    assert feed.send(document("DOC-R", due="2026-11-20", subject="Bản gửi lại")) == "refused"
    assert not _lines().exists()
    assert (
        "Văn bản 125/STP-VP đã bị thu hồi ở phần mềm nguồn; gói tin này không mới hơn lệnh thu "
        "hồi nên không ghi lại dòng giao việc."
    ) in _dead_letters(world)


def test_a_revocation_that_arrives_first_keeps_the_document_out(feed, world):
    revoke = document(
        "DOC-X",
        number="140",
        business=edxml.REVOKE,
        reason="Thu hồi văn bản 139/STP-VP",
        replaces=["DOC-139"],
    )
    feed.send(revoke)
    assert feed.send(document("DOC-139", number="139")) == "unchanged"
    assert not _lines().exists()
    package = Package.objects.get(document_id__endswith="|DOC-139")
    assert package.state == PackageState.WITHDRAWN
    assert package.reason == (
        "Văn bản bị thu hồi bởi văn bản 140/STP-VP: không ghi dòng giao việc."
    )
