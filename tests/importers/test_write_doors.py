"""One gate per kind of input, seen from its doors (issue 27): an assignment line written through
Excel and through the admin form, by two clerks, and by the former agency of a person
transferred on day D (01/04/2026).

* Two clerks, one through an Excel commit and one through the admin form opened before it: the
  form's save is told what the file changed and reverts nothing.
* After the transfer, the former agency (Sở Tư pháp) writes no line of April on (admin, Excel)
  and still writes March's; the new agency (Sở Y tế) writes April's.

Built on factories: runs on SQLite and, with ``DATABASE_URL``, on PostgreSQL."""

import datetime
from html import unescape

import pytest

from django.test import Client

from catalog_pages.models import CatalogVersionItem
from org.models import Posting
from org.roles import ensure_roles
from scoring.models import AssignmentLine, Period
from tests.browsing import form_data
from tests.factories import PostingFactory
from tests.importers.conftest import results_file
from tests.importers.test_kinds import commit

pytestmark = pytest.mark.django_db

CONFLICT = "Dữ liệu này đã được người khác thay đổi từ lúc bạn mở trang"
OUT_OF_REACH = "Bạn không có quyền ghi dữ liệu này"
D = datetime.date(2026, 4, 1)


def row(official="CT0002", product="STP-001", assigned=3, completed=1, deadline=None, note=None):
    deadline = deadline or datetime.date(2026, 3, 31)
    return [official, None, product, None, assigned, completed, deadline, None, 0, 0, None, note]


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return unescape(response.content.decode())


def transfer_binh(world):
    """Trần Thị Bình (CT0002) leaves Sở Tư pháp's Phòng Pháp chế for Sở Y tế on D."""
    person = world["people"]["binh"]
    Posting.objects.filter(civil_servant=person).update(end_date=D - datetime.timedelta(days=1))
    PostingFactory(
        civil_servant=person,
        agency=world["health"].children.get(code="SYT-VP"),
        job_position=world["position"],
        start_date=D,
    )
    return person


def april():
    return Period.for_date(D, create=True)


def item(code="STP-001"):
    return CatalogVersionItem.objects.filter(code=code).order_by("-version__number").first()


def line_form(person, period, unit, item_id, note="sau chuyển công tác"):
    return {
        "civil_servant": person.pk,
        "period": period.pk,
        "unit": unit.pk,
        "item": item_id,
        "assigned_quantity": "5",
        "completed_quantity": "0",
        "deadline": f"10/{period.start_date:%m/%Y}",
        "failed_reviews": "0",
        "delays": "0",
        "note": note,
    }


def test_an_excel_commit_then_a_stale_admin_form_is_told_what_changed(world, tmp_path):
    ensure_roles()
    first = results_file(world, tmp_path, [row(completed=1)], name="lan-1.xlsx")
    analysis, job = commit(first, user=world["justice_admin"])
    assert job is not None, [i.line() for i in analysis.errors]
    line = AssignmentLine.objects.get(civil_servant=world["people"]["binh"])
    url = f"/admin/snippets/scoring/assignmentline/edit/{line.pk}/"
    clerk = browser(world["home_affairs"])
    page = form_data(clerk.get(url).content.decode())
    assert page["kpi_seen"]

    # Meanwhile the agency's clerk commits a file that reports one more product completed.
    second = results_file(world, tmp_path, [row(completed=2)], name="lan-2.xlsx")
    analysis, job = commit(second, user=world["justice_admin"])
    assert job is not None, [i.line() for i in analysis.errors]

    stale = clerk.post(url, {**page, "note": "Ghi chú của Sở Nội vụ"})
    shown = text(stale)
    label = AssignmentLine._meta.get_field("completed_quantity").verbose_name
    assert CONFLICT in shown
    assert f"{label}: lúc bạn mở trang là “1" in shown and "nay là “2" in shown, shown[-4000:]
    line.refresh_from_db()
    assert line.completed_quantity == 2 and line.note == ""


def test_a_former_agency_writes_no_line_from_the_transfer_day_on(world, tmp_path):
    ensure_roles()
    person = transfer_binh(world)
    period = april()
    legal = world["legal"]
    admin = browser(world["justice_admin"])
    url = "/admin/snippets/scoring/assignmentline/add/"

    # Admin form: April refused with the reason on the page, nothing written.
    refused = admin.post(url, line_form(person, period, legal, item().pk))
    assert OUT_OF_REACH in text(refused)
    assert not AssignmentLine.objects.filter(civil_servant=person).exists()

    # Excel: Sở Tư pháp's April file naming her is refused on her row.
    path = results_file(
        world,
        tmp_path,
        [row(deadline=datetime.date(2026, 4, 20))],
        name="thang-4.xlsx",
        period=period,
    )
    analysis, job = commit(path, user=world["justice_admin"])
    assert job is None
    assert any(
        "CT0002 không công tác tại Sở Tư pháp trong kỳ" in issue.message
        for issue in analysis.errors
    ), [i.message for i in analysis.errors]
    assert not AssignmentLine.objects.filter(civil_servant=person).exists()


def test_a_former_agency_still_corrects_the_months_before_the_transfer(world, tmp_path):
    ensure_roles()
    person = transfer_binh(world)
    admin = browser(world["justice_admin"])
    saved = admin.post(
        "/admin/snippets/scoring/assignmentline/add/",
        line_form(person, world["march"], world["legal"], item().pk, note="tháng 3"),
    )
    assert saved.status_code == 302, text(saved)[:3000]
    assert AssignmentLine.objects.get(civil_servant=person, note="tháng 3").period == world["march"]

    path = results_file(world, tmp_path, [row(completed=3, note="sửa tháng 3")], name="t3.xlsx")
    analysis, job = commit(path, user=world["justice_admin"])
    assert job is not None, [i.line() for i in analysis.errors]
    assert AssignmentLine.objects.filter(civil_servant=person, note="sửa tháng 3").exists()


def test_an_admin_form_save_then_a_stale_excel_preview_is_sent_back(world, tmp_path):
    """The other order: the agency's clerk previews a results file, Sở Nội vụ's clerk corrects
    the line in the admin form, the agency's clerk confirms: sent back to the preview with the
    line's change named; the form's correction stays."""
    from django.urls import reverse

    from importers.models import ImportStatus
    from tests.importers.test_write_gate import confirm, upload

    ensure_roles()
    first = results_file(world, tmp_path, [row(completed=1)], name="goc.xlsx")
    analysis, job = commit(first, user=world["justice_admin"])
    assert job is not None, [i.line() for i in analysis.errors]
    line = AssignmentLine.objects.get(civil_servant=world["people"]["binh"])

    agency_clerk = browser(world["justice_admin"])
    path = results_file(world, tmp_path, [row(completed=1, note="tệp mới")], name="moi.xlsx")
    job = upload(agency_clerk, world, path, "results")
    assert job.status == ImportStatus.PREVIEW, job.issues

    url = f"/admin/snippets/scoring/assignmentline/edit/{line.pk}/"
    home_affairs = browser(world["home_affairs"])
    page = form_data(home_affairs.get(url).content.decode())
    saved = home_affairs.post(url, {**page, "completed_quantity": "3"})
    assert saved.status_code == 302, text(saved)[:3000]

    job = confirm(agency_clerk, job)
    assert job.status == ImportStatus.PREVIEW
    messages = [issue["message"] for issue in job.issues]
    assert messages[0].startswith("Dữ liệu đang lưu đã thay đổi từ lúc xem trước"), messages
    shown = unescape(agency_clerk.get(reverse("importers_job", args=[job.pk])).content.decode())
    assert "Dữ liệu đang lưu đã thay đổi từ lúc xem trước" in shown
    line.refresh_from_db()
    assert line.completed_quantity == 3 and line.note == ""


def test_a_clerk_does_not_write_their_own_lines_through_excel(world, tmp_path):
    """The lines' rule at the Excel results door (issue 27: nobody changes the inputs of their
    own score): the clerk whose record is CT0002 adds no line of their own, each row named, and
    nothing is written; a colleague's line in the same agency goes through."""
    ensure_roles()
    clerk = world["justice_admin"]
    me = world["people"]["binh"]
    me.user = clerk
    me.save()
    mine = results_file(world, tmp_path, [row(completed=3)], name="cua-toi.xlsx")
    analysis, job = commit(mine, user=clerk)
    assert job is None
    [issue] = [i for i in analysis.errors if "của chính mình" in i.message]
    assert issue.message.startswith(
        "Không ai được nhập, sửa hay xoá kết quả thực hiện nhiệm vụ của chính mình."
    )
    assert issue.row is not None and issue.column is not None
    assert not AssignmentLine.objects.filter(civil_servant=me).exists()

    colleague = results_file(world, tmp_path, [row(official="CT0001")], name="dong-nghiep.xlsx")
    analysis, job = commit(colleague, user=clerk)
    assert job is not None, [i.line() for i in analysis.errors]


def test_the_excel_commit_asks_the_lines_service_again_under_the_lock(world, tmp_path, monkeypatch):
    """The results file's lines are written through the lines' write service
    (``scoring.services.lines.write_many``), which asks who may again under the locks: when it
    refuses (here: the clerk's reach lost between the checks, as a transfer recorded at that
    moment would), the clerk is told on the file's row and nothing is written."""
    from org import access

    ensure_roles()
    path = results_file(world, tmp_path, [row(completed=1)], name="khoa.xlsx")
    monkeypatch.setattr(access, "dated_rows_in_reach", lambda user, rows: set())
    analysis, job = commit(path, user=world["justice_admin"])
    assert job is None
    (error,) = analysis.errors
    assert error.message == "Bạn không có quyền ghi dữ liệu này cho công chức, cơ quan đã chọn."
    assert error.row is not None  # the file's row
    assert not AssignmentLine.objects.filter(civil_servant=world["people"]["binh"]).exists()

    monkeypatch.undo()
    analysis, job = commit(path, user=world["justice_admin"])
    assert job is not None, [i.line() for i in analysis.errors]
    assert AssignmentLine.objects.filter(civil_servant=world["people"]["binh"]).exists()
