"""The write gate, tried the way the review of 2026-11-23 tried it (security.md C1, H1–H3, L4):
bulk actions, a person transferred out, an agency's own organisation score. Each test posts
what a user's browser posts and checks the stored rows and what the page says."""

from __future__ import annotations

import datetime
import re

import pytest

from django.test import Client

from wagtail.snippets.models import get_snippet_models

from accounts.models import User
from org.models import Agency, CivilServant, DeputyCharge, Posting

pytestmark = pytest.mark.django_db

TRANSFER_DAY = datetime.date(2026, 10, 1)
OFFICIAL_ID = re.compile(r"TN[AB]\d{6}|HD-\d{4}")


def client(username: str) -> Client:
    browser = Client()
    browser.force_login(User.objects.get(username=username))
    return browser


def transfer(official_id="TNA000056", to="SNNMT-VP", day=TRANSFER_DAY) -> CivilServant:
    """Sở Nội vụ records an ordinary transfer: the old posting ends the day before ``day``."""
    person = CivilServant.objects.get(official_id=official_id)
    old = person.postings.get(end_date__isnull=True)
    old.end_date = day - datetime.timedelta(days=1)
    old.save()
    Posting.objects.create(
        civil_servant=person,
        agency=Agency.objects.get(code=to),
        job_position=old.job_position,
        start_date=day,
    )
    return person


def period_pk(year: int, number: int) -> int:
    from scoring.models import Period

    return Period.objects.get(kind="month", year=year, number=number).pk


def body_text(response) -> str:
    return response.content.decode()


# --- C1, H1: bulk actions -------------------------------------------------------------------


def test_bulk_delete_of_another_agencys_task_is_refused_and_changes_nothing(demo):
    from org_scoring.models import OrganisationTask

    stp = Agency.objects.get(code="STP")
    outside = OrganisationTask.objects.exclude(agency__path__startswith=stp.path).first()
    browser = client("quantri.stp")
    url = "/admin/bulk/org_scoring/organisationtask/delete/"
    response = browser.post(f"{url}?id={outside.pk}", {})
    assert response.status_code == 404
    assert OrganisationTask.objects.filter(pk=outside.pk).exists()


def test_bulk_delete_confirmation_lists_only_the_agencys_own_rows(demo):
    from org_scoring.models import OrganisationTask

    stp = Agency.objects.get(code="STP")
    own = OrganisationTask.objects.filter(agency__path__startswith=stp.path)
    response = client("quantri.stp").get("/admin/bulk/org_scoring/organisationtask/delete/?id=all")
    text = body_text(response)
    offered = re.search(r"xoá (\d+) nhiệm vụ", text)
    assert offered, text[:2000]
    # Sở Tư pháp's own tasks certified by Sở Nội vụ are listed as not deletable, never offered
    # (its units' tasks it certifies itself, as their appraiser).
    certified = own.filter(certified_at__isnull=False, agency=stp).count()
    assert int(offered.group(1)) == own.count() - certified
    for task in OrganisationTask.objects.exclude(agency__path__startswith=stp.path)[:50]:
        assert f"/org_scoring/organisationtask/edit/{task.pk}/" not in text


def test_a_bulk_page_over_the_limit_is_refused_with_what_to_do(demo, monkeypatch):
    """Security review L4: ``?id=all`` of every row of the province rendered thousands of rows
    (42.6 s). Over ``BULK_LIMIT`` rows the page says, in Vietnamese, to filter first; nothing is
    listed and nothing is deleted."""
    from org import admin_scope
    from org_scoring.models import OrganisationTask

    stp = Agency.objects.get(code="STP")
    own = OrganisationTask.objects.filter(agency__path__startswith=stp.path)
    assert own.count() > 3
    monkeypatch.setattr(admin_scope, "BULK_LIMIT", 3)
    browser = client("quantri.stp")
    url = "/admin/bulk/org_scoring/organisationtask/delete/"
    for response in (browser.get(f"{url}?id=all"), browser.post(f"{url}?id=all", {})):
        assert response.status_code == 400
        text = body_text(response)
        assert "Một lần thao tác hàng loạt được tối đa 3 dòng" in text
        assert "Hãy lọc danh sách" in text
    assert OrganisationTask.objects.filter(agency__path__startswith=stp.path).count() == own.count()
    few = "&".join(f"id={pk}" for pk in own.values_list("pk", flat=True)[:2])
    assert browser.get(f"{url}?{few}").status_code == 200


@pytest.mark.parametrize("username", ["congchuc", "hopdong.skhcn.1"])
def test_bulk_pages_show_no_one_else_to_staff(demo, username):
    """Every snippet model's bulk page, ``?id=all``, for a civil servant and a contract worker:
    refused, and no official id but their own in the answer."""
    user = User.objects.get(username=username)
    own = set(CivilServant.objects.filter(user=user).values_list("official_id", flat=True))
    browser = client(username)
    leaks = []
    for model in get_snippet_models():
        opts = model._meta
        response = browser.get(f"/admin/bulk/{opts.app_label}/{opts.model_name}/delete/?id=all")
        assert response.status_code < 500, opts.label
        found = set(OFFICIAL_ID.findall(body_text(response))) - own
        if found or response.status_code == 200:
            leaks.append(f"{opts.label}: {response.status_code} {sorted(found)[:3]}")
    assert not leaks, leaks


# --- H2: a person transferred out -----------------------------------------------------------


def test_former_agency_cannot_disqualify_a_transferred_person_for_a_later_year(demo):
    from scoring.models import Disqualification

    person = transfer()
    response = client("quantri.stp").post(
        "/admin/snippets/scoring/disqualification/add/",
        {
            "civil_servant": person.pk,
            "year": 2027,
            "kind": "discipline_reprimand_or_heavier",
            "reference": "SEC-1/QD",
            "decided_on": "01/03/2027",
            "note": "probe",
        },
    )
    assert not Disqualification.objects.filter(civil_servant=person, year=2027).exists()
    assert "Bạn không có quyền ghi dữ liệu này" in body_text(response)


def _line_form(person, period, unit, item):
    return {
        "civil_servant": person.pk,
        "period": period,
        "unit": unit.pk,
        "item": item,
        "assigned_quantity": "5",
        "completed_quantity": "0",
        "deadline": "10/03/2026",
        "failed_reviews": "0",
        "delays": "0",
        "note": "probe",
    }


def test_former_agency_writes_lines_before_the_transfer_and_not_after(demo):
    from scoring.models import AssignmentLine

    person = transfer()
    line = AssignmentLine.objects.filter(civil_servant=person).first()
    unit = line.unit
    browser = client("quantri.stp")
    url = "/admin/snippets/scoring/assignmentline/add/"
    before = AssignmentLine.objects.filter(civil_servant=person).count()
    after_transfer = browser.post(url, _line_form(person, period_pk(2026, 11), unit, line.item_id))
    assert "Bạn không có quyền ghi dữ liệu này" in body_text(after_transfer)
    assert AssignmentLine.objects.filter(civil_servant=person).count() == before
    # March 2026, when the person still worked at Sở Tư pháp: still the agency's to correct.
    before_transfer = browser.post(url, _line_form(person, period_pk(2026, 3), unit, line.item_id))
    assert before_transfer.status_code == 302, body_text(before_transfer)[:3000]
    assert AssignmentLine.objects.filter(civil_servant=person, note="probe").count() == 1


def test_former_agency_cannot_edit_a_transferred_persons_record(demo):
    person = transfer()
    name = person.full_name
    browser = client("quantri.stp")
    response = browser.get(f"/admin/snippets/org/civilservant/edit/{person.pk}/")
    assert response.status_code in (302, 403)
    person.refresh_from_db()
    assert person.full_name == name
    # The new agency's admin (Sở Nội vụ in the demo) still edits it; the old one still reads it.
    assert client("quantri.stp").get(
        f"/admin/snippets/org/civilservant/inspect/{person.pk}/"
    ).status_code in (200, 302)


def test_former_agency_keeps_earlier_general_marks_and_loses_later_ones(demo):
    from org import access
    from scoring.models import GeneralCriteriaMark

    person = transfer()
    user = User.objects.get(username="quantri.stp")
    marks = GeneralCriteriaMark.objects.filter(civil_servant=person)
    editable = access.editable(user, marks)
    assert set(editable.values_list("period__number", flat=True)) <= {1, 2, 3, 4, 5, 6, 7, 8, 9}
    later = GeneralCriteriaMark(civil_servant=person, period_id=period_pk(2026, 11))
    assert not access.may(user, access.ADD, later)
    earlier = GeneralCriteriaMark(civil_servant=person, period_id=period_pk(2026, 3))
    assert access.may(user, access.ADD, earlier)


def test_new_agency_reaches_the_person_from_the_transfer_day(demo):
    """The reach follows the posting: an admin of the new agency writes November, not March."""
    from org import access
    from org.models import AccessRole, AgencyAccess
    from scoring.models import GeneralCriteriaMark

    person = transfer()
    admin = User.objects.create_user("quantri.snnmt.test", password="x")
    AgencyAccess.objects.create(
        user=admin, agency=Agency.objects.get(code="SNNMT"), role=AccessRole.AGENCY_ADMIN
    )
    admin = User.objects.get(pk=admin.pk)
    november = GeneralCriteriaMark(civil_servant=person, period_id=period_pk(2026, 11))
    march = GeneralCriteriaMark(civil_servant=person, period_id=period_pk(2026, 3))
    assert access.row_in_reach(admin, november, write=True)
    assert not access.row_in_reach(admin, march, write=True)


# --- H3: an agency and its own organisation score -------------------------------------------


def test_agency_cannot_delete_or_move_what_home_affairs_appraised(demo):
    from org_scoring.models import OrganisationGeneralMark, OrganisationTask

    browser = client("quantri.stp")
    mark = OrganisationGeneralMark.objects.filter(
        agency__code="STP", appraised_mark__isnull=False
    ).first()
    response = browser.post(
        f"/admin/snippets/org_scoring/organisationgeneralmark/delete/{mark.pk}/", {}, follow=True
    )
    assert OrganisationGeneralMark.objects.filter(pk=mark.pk).exists()
    assert "không xoá được" in body_text(response)

    task = OrganisationTask.objects.filter(agency__code="STP", certified_at__isnull=False).first()
    browser.post(f"/admin/snippets/org_scoring/organisationtask/delete/{task.pk}/", {})
    assert OrganisationTask.objects.filter(pk=task.pk).exists()
    # Nor through the bulk action.
    browser.post(f"/admin/bulk/org_scoring/organisationtask/delete/?id={task.pk}", {})
    assert OrganisationTask.objects.filter(pk=task.pk).exists()


def test_agency_cannot_move_an_appraised_unit_mark_up_to_itself(demo):
    from org_scoring.models import OrganisationGeneralMark

    unit_mark = (
        OrganisationGeneralMark.objects.filter(agency__parent__code="STP").order_by("pk").first()
    )
    browser = client("quantri.stp")
    data = {
        "agency": unit_mark.agency_id,
        "year": unit_mark.year,
        "criterion": unit_mark.criterion,
        "self_mark": "7,50",
        "appraised_mark": "7,50",
        "note": "",
    }
    url = f"/admin/snippets/org_scoring/organisationgeneralmark/edit/{unit_mark.pk}/"
    response = browser.post(url, data)  # appraising its unit: allowed
    assert response.status_code == 302, body_text(response)[:2000]
    stp = Agency.objects.get(code="STP")
    taken = OrganisationGeneralMark.objects.filter(agency=stp, criterion=unit_mark.criterion)
    if taken.exists():
        data["criterion"] = "G.X"
    response = browser.post(url, {**data, "agency": stp.pk})
    unit_mark.refresh_from_db()
    assert unit_mark.agency_id != stp.pk
    assert "thẩm định" in body_text(response)


def test_editing_a_certified_tasks_text_clears_the_certification(demo):
    from org_scoring.models import OrganisationTask

    task = OrganisationTask.objects.filter(agency__code="STP", certified_at__isnull=False).first()
    browser = client("quantri.stp")
    url = f"/admin/snippets/org_scoring/organisationtask/edit/{task.pk}/"
    form = browser.get(url)
    assert form.status_code == 200
    data = {
        "agency": task.agency_id,
        "year": task.year,
        "document_ref": task.document_ref + "-sửa",
        "document_title": task.document_title,
        "description": task.description,
        "deadline": task.deadline.strftime("%d/%m/%Y"),
        "outcome": task.outcome,
        "delays": task.delays,
        "completed_on": task.completed_on.strftime("%d/%m/%Y") if task.completed_on else "",
        "note": task.note,
    }
    if task.is_key_task:
        data["is_key_task"] = "on"
    response = browser.post(url, data)
    assert response.status_code == 302, body_text(response)[:3000]
    task.refresh_from_db()
    assert task.document_ref.endswith("-sửa")
    assert task.certified_at is None


# --- L4: search and the deputy's charge for scoped users ------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/admin/snippets/org/civilservant/?q=Nguyễn",
        "/admin/snippets/org/agency/?q=Phòng",
        "/admin/snippets/choose/org/civilservant/results/?q=Nguyễn",
    ],
)
def test_search_works_for_an_agency_admin(demo, path):
    response = client("quantri.stp").get(path)
    assert response.status_code == 200
    names = OFFICIAL_ID.findall(body_text(response))
    stp = Agency.objects.get(code="STP")
    outside = set(
        CivilServant.objects.exclude(postings__agency__path__startswith=stp.path).values_list(
            "official_id", flat=True
        )
    )
    assert not set(names) & outside


def test_deputy_charge_opens_for_an_agency_admin(demo):
    stp = Agency.objects.get(code="STP")
    charge = DeputyCharge.objects.filter(deputy__postings__agency__path__startswith=stp.path)[0]
    response = client("quantri.stp").get(f"/admin/snippets/org/deputycharge/edit/{charge.pk}/")
    assert response.status_code == 200
    assert charge.deputy.full_name in body_text(response)


# --- lost updates: two people on the same row (review importers.md F1, the admin's shape) ----


def _seen(html: str) -> dict:
    from tests.browsing import form_data

    return form_data(html)


def test_second_clerk_saving_an_old_page_is_told_what_changed_and_reverts_nothing(demo):
    from org_scoring.models import OrganisationGeneralMark

    mark = OrganisationGeneralMark.objects.filter(agency__parent__code="STP").order_by("pk")[0]
    url = f"/admin/snippets/org_scoring/organisationgeneralmark/edit/{mark.pk}/"
    first, second = client("quantri.stp"), client("sonoivu")
    page_a = _seen(body_text(first.get(url)))
    page_b = _seen(body_text(second.get(url)))
    assert page_a["kpi_seen"] and page_b["kpi_seen"]
    # B saves first: a new self mark.
    saved = second.post(url, {**page_b, "self_mark": "6,25", "note": "B"})
    assert saved.status_code == 302, body_text(saved)[:2000]
    # A saves the page opened before: refused, told what changed, B's work kept.
    stale = first.post(url, {**page_a, "note": "A"})
    text = body_text(stale)
    assert stale.status_code == 200
    assert "đã được người khác thay đổi" in text
    assert "Điểm tự chấm" in text or "điểm tự chấm" in text
    assert "6,25" in text or "6.25" in text
    mark.refresh_from_db()
    assert str(mark.self_mark) == "6.25" and mark.note == "B"
    # Having seen the differences, A saves again on purpose: now it is A's choice.
    again = first.post(url, {**_seen(text), "note": "A"})
    assert again.status_code == 302, body_text(again)[:2000]
    mark.refresh_from_db()
    assert mark.note == "A"


def test_a_persons_record_with_postings_keeps_the_other_clerks_phone(demo):
    person = CivilServant.objects.get(official_id="TNA000044")
    url = f"/admin/snippets/org/civilservant/edit/{person.pk}/"
    first, second = client("quantri.stp"), client("sonoivu")
    page_a = _seen(body_text(first.get(url)))
    page_b = _seen(body_text(second.get(url)))
    saved = second.post(url, {**page_b, "phone": "0912000044"})
    assert saved.status_code == 302, body_text(saved)[:3000]
    stale = first.post(url, {**page_a, "email": "moi@thanhan.gov.vn"})
    assert "đã được người khác thay đổi" in body_text(stale)
    person.refresh_from_db()
    assert person.phone == "0912000044"
    assert person.email != "moi@thanhan.gov.vn"


def test_former_agency_reads_the_years_it_had_the_person_not_the_new_agencys(demo):
    """The HR multi-year page of a person who moved: the old agency sees no result recorded
    by the new agency (review H2, the read half)."""
    from ratings.models import RatingCase
    from scoring.models import AnnualScore

    person = transfer()
    snnmt = Agency.objects.get(code="SNNMT-VP")
    # The year is rated where the person works at its end (Art. 21): the new agency.
    AnnualScore.objects.filter(civil_servant=person, year=2026).update(agency=snnmt)
    RatingCase.objects.filter(civil_servant=person, year=2026).update(agency=snnmt.parent)
    score = AnnualScore.objects.get(civil_servant=person, year=2026)
    figure = f"{score.score:.2f}".replace(".", ",")
    page = body_text(client("quantri.stp").get(f"/admin/ratings/hr/people/{person.pk}/"))
    assert person.full_name in page
    assert figure not in page
    assert figure in body_text(client("sonoivu").get(f"/admin/ratings/hr/people/{person.pk}/"))
