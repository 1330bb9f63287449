"""Two clerks saving the same admin form (issue 27 item 4, review importers.md F1's shape in the
admin): the second, on a page opened before the first one's save, is told what changed and
nothing of the first one's is reverted; a second save, made knowing, goes through.

Built on factories, so it runs in the normal suite on SQLite and, with ``DATABASE_URL``, on
PostgreSQL (nothing here depends on the database: no raw SQL, no ordering by insertion)."""

from decimal import Decimal
from html import unescape

import pytest

from django.test import Client

from org.access import HOME_AFFAIRS_GROUP
from org.roles import ensure_roles
from tests.browsing import form_data
from tests.factories import UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

CONFLICT = "Dữ liệu này đã được người khác thay đổi từ lúc bạn mở trang"


def clerk(username: str) -> Client:
    browser = Client()
    browser.force_login(UserFactory(username=username, groups=[HOME_AFFAIRS_GROUP]))
    return browser


@pytest.fixture
def world():
    ensure_roles()
    return build_world()


def test_two_clerks_on_one_assignment_line(world):
    from scoring.models import AssignmentLine

    person = world.person("Nguyễn Văn Dòng")
    line = world.line(person, "X", 5, 1)
    url = f"/admin/snippets/scoring/assignmentline/edit/{line.pk}/"
    first, second = clerk("canbo.a"), clerk("canbo.b")
    page_a = form_data(first.get(url).content.decode())
    page_b = form_data(second.get(url).content.decode())
    assert page_a["kpi_seen"] and page_b["kpi_seen"]

    saved = first.post(url, {**page_a, "completed_quantity": "3"})
    assert saved.status_code == 302, unescape(saved.content.decode())[:2000]
    stale = second.post(url, {**page_b, "note": "Ghi chú của cán bộ B"})
    text = unescape(stale.content.decode())
    label = AssignmentLine._meta.get_field("completed_quantity").verbose_name
    assert CONFLICT in text
    assert f"{label}: lúc bạn mở trang là" in text
    line.refresh_from_db()
    assert line.completed_quantity == 3 and line.note == ""

    # Having read the differences, the second clerk keeps the first one's quantity and saves.
    again = second.post(url, {**form_data(text), "completed_quantity": "3"})
    assert again.status_code == 302, unescape(again.content.decode())[:2000]
    line.refresh_from_db()
    assert line.completed_quantity == 3 and line.note == "Ghi chú của cán bộ B"


def test_two_clerks_on_one_persons_record_with_postings(world):
    """The record and its inline postings: the phone the first clerk entered survives the
    second clerk's stale save of the e-mail."""
    person = world.person("Trần Thị Hồ Sơ")
    url = f"/admin/snippets/org/civilservant/edit/{person.pk}/"
    first, second = clerk("canbo.c"), clerk("canbo.d")
    page_a = form_data(first.get(url).content.decode())
    page_b = form_data(second.get(url).content.decode())

    saved = first.post(url, {**page_a, "phone": "0912345678"})
    assert saved.status_code == 302, unescape(saved.content.decode())[:2000]
    stale = second.post(url, {**page_b, "email": "hoso@thanhan.gov.vn"})
    text = unescape(stale.content.decode())
    assert CONFLICT in text
    assert "số điện thoại: lúc bạn mở trang là “—”, nay là “0912345678”." in text
    person.refresh_from_db()
    assert person.phone == "0912345678" and person.email == ""


# --- organisation inputs (issue 27: one gate per kind, the organisation's tasks and marks) ---


def _two_clerks_on(url, first_change, second_change, names):
    first, second = clerk(names[0]), clerk(names[1])
    page_a = form_data(first.get(url).content.decode())
    page_b = form_data(second.get(url).content.decode())
    assert page_a["kpi_seen"] and page_b["kpi_seen"]
    saved = first.post(url, {**page_a, **first_change})
    assert saved.status_code == 302, unescape(saved.content.decode())[:2000]
    stale = second.post(url, {**page_b, **second_change})
    return second, unescape(stale.content.decode())


def test_two_clerks_on_one_organisation_task(world):
    from org_scoring.models import OrganisationTask
    from tests.factories.org_scoring import OrganisationTaskFactory

    task = OrganisationTaskFactory(agency=world.department, description="Nhiệm vụ A")
    url = f"/admin/snippets/org_scoring/organisationtask/edit/{task.pk}/"
    second, text = _two_clerks_on(
        url,
        {"delays": "2", "outcome": "late", "completed_on": "05/07/2026"},
        {"description": "Nhiệm vụ A (sửa tên)"},
        ("canbo.e", "canbo.f"),
    )
    label = OrganisationTask._meta.get_field("delays").verbose_name
    assert CONFLICT in text
    assert f"{label}: lúc bạn mở trang là “0”, nay là “2”." in text
    task.refresh_from_db()
    assert task.delays == 2 and task.description == "Nhiệm vụ A"

    # Having read the differences, the second clerk keeps the first one's report and saves.
    again = second.post(
        f"/admin/snippets/org_scoring/organisationtask/edit/{task.pk}/",
        {
            **form_data(text),
            "delays": "2",
            "outcome": "late",
            "completed_on": "05/07/2026",
            "description": "Nhiệm vụ A (sửa tên)",
        },
    )
    assert again.status_code == 302, unescape(again.content.decode())[:2000]
    task.refresh_from_db()
    assert task.delays == 2 and task.description == "Nhiệm vụ A (sửa tên)"


def test_two_clerks_on_one_organisation_mark(world):
    """The appraiser's mark the first clerk saved is not reverted by the second clerk's stale
    page that only meant to change the self-mark."""
    from org_scoring.models import OrganisationGeneralMark
    from tests.factories.org_scoring import OrganisationGeneralMarkFactory

    mark = OrganisationGeneralMarkFactory(agency=world.department)
    url = f"/admin/snippets/org_scoring/organisationgeneralmark/edit/{mark.pk}/"
    _second, text = _two_clerks_on(
        url, {"appraised_mark": "7"}, {"self_mark": "6.5"}, ("canbo.g", "canbo.h")
    )
    label = OrganisationGeneralMark._meta.get_field("appraised_mark").verbose_name
    assert CONFLICT in text
    assert f"{label}: lúc bạn mở trang là “—”, nay là “7" in text, text[-4000:]
    mark.refresh_from_db()
    assert mark.appraised_mark == 7 and mark.self_mark == Decimal("7.5")


def test_two_clerks_on_one_disqualification(world):
    """The disqualifications' write service behind the admin form (issue 27 item 2): the
    second clerk's save on a stale page is told the changed field; the first one's stays."""
    import datetime

    from scoring.models import Disqualification

    row = Disqualification.objects.create(
        civil_servant=world.person("Lê Thị Kỷ Luật"),
        year=2026,
        kind="discipline_reprimand_or_heavier",
        reference="12/QĐ-SNV",
        decided_on=datetime.date(2026, 3, 5),
    )
    url = f"/admin/snippets/scoring/disqualification/edit/{row.pk}/"
    first, second = clerk("canbo.e"), clerk("canbo.f")
    page_a = form_data(first.get(url).content.decode())
    page_b = form_data(second.get(url).content.decode())
    saved = first.post(url, {**page_a, "reference": "13/QĐ-SNV"})
    assert saved.status_code == 302, unescape(saved.content.decode())[:2000]
    stale = second.post(url, {**page_b, "note": "Ghi chú của cán bộ F"})
    text = unescape(stale.content.decode())
    label = Disqualification._meta.get_field("reference").verbose_name
    assert CONFLICT in text and f"{label}: lúc bạn mở trang là" in text
    row.refresh_from_db()
    assert (row.reference, row.note) == ("13/QĐ-SNV", "")
