"""A person's multi-year results for HR decisions: the history service (decided vs provisional,
category per year, fixed queries), the pages and the export with their scoping, and the
links from the person's admin page and the rating case page."""

import datetime
import io
from html import unescape

import pytest
from openpyxl import load_workbook

from django.test import Client
from django.urls import reverse

from org.models.civil_servant import PersonCategory
from ratings.models import CaseState
from ratings.services.hr_history import histories, person_history
from tests.factories import annual_score, decided_case, post, with_user

pytestmark = pytest.mark.django_db

START = datetime.date(2022, 1, 1)


@pytest.fixture
def hr(world):
    """Three people of unit P1 since 2022 and one of the other department."""
    unit, other = world.unit, world.other_department
    failing = post(unit, start=START, full_name="Nguyễn Chưa Đạt")
    for year in (2024, 2025):
        decided_case(failing, year, "not_completed", unit)
    decided_case(failing, 2023, "good", unit)
    annual_score(failing, 88, unit, year=2026)  # provisional good, no decision yet

    star = post(unit, start=START, full_name="Trần Xuất Sắc")
    for year in (2024, 2025):
        decided_case(star, year, "excellent", unit)

    changed = post(
        unit,
        start=START,
        end=datetime.date(2024, 12, 31),
        full_name="Lê Hợp Đồng",
        category=PersonCategory.CONTRACT_WORKER,
    )
    post(unit, start=datetime.date(2025, 1, 1), person=changed)
    decided_case(changed, 2024, "not_completed", unit)
    decided_case(changed, 2025, "not_completed", unit)

    outsider = post(other, start=START, full_name="Phạm Bên Ngoài")
    for year in (2024, 2025):
        decided_case(outsider, year, "not_completed", other)
    world.people.update(failing=failing, star=star, changed=changed, outsider=outsider)
    return world


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def denied(response) -> bool:
    """Wagtail turns PermissionDenied in admin views into a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def flags(history):
    return {flag.code: flag.years for flag in history.flags}


def test_decided_then_provisional_year_by_year(hr):
    history = person_history(hr.people["failing"], 2026)
    by_year = {r.year: r for r in history.years}
    assert [r.year for r in history.years] == [2022, 2023, 2024, 2025, 2026]
    assert by_year[2025].decided_level == "not_completed" and by_year[2025].decided
    assert by_year[2026].decided_level == "" and by_year[2026].provisional_level == "good"
    assert by_year[2026].level == "good" and not by_year[2026].decided
    assert by_year[2022].level == ""
    assert by_year[2025].agency_name == hr.unit.name
    # 2026 is not decided: the run 2024–2025 still stands, the provisional good does not end it.
    assert flags(history)["dismissal_review"] == (2024, 2025)


def test_a_cancelled_case_is_no_decision(hr):
    person = post(hr.unit, start=START, full_name="Võ Đã Hủy")
    decided_case(person, 2024, "not_completed", hr.unit)
    decided_case(person, 2025, "not_completed", hr.unit, state=CaseState.CANCELLED)
    history = person_history(person, 2026)
    assert {r.year: r.decided_level for r in history.years}[2025] == ""
    assert "dismissal_review" not in flags(history)


def test_the_category_is_the_one_of_each_year(hr):
    history = person_history(hr.people["changed"], 2025)
    categories = {r.year: r.category for r in history.years}
    assert categories[2024] == PersonCategory.CONTRACT_WORKER
    assert categories[2025] == PersonCategory.CIVIL_SERVANT
    # Reference year 2025: a civil servant, so the civil-service rule applies.
    assert flags(history)["dismissal_review"] == (2024, 2025)
    as_of_2024 = history.flags_raised_in(2024)
    assert {f.code for f in as_of_2024} == {"training_need", "streamlining_review"}


def test_the_window_length_is_a_setting(hr, settings):
    settings.KPI_HR_HISTORY_YEARS = 2
    history = person_history(hr.people["failing"], 2026)
    assert [r.year for r in history.years] == [2025, 2026]
    assert "dismissal_review" not in flags(history)  # 2024 is outside the window


def test_fixed_number_of_queries(hr, django_assert_num_queries):
    one = [hr.people["failing"].pk]
    many = [p.pk for key, p in hr.people.items() if key in {"failing", "star", "changed"}]
    with django_assert_num_queries(4):
        histories(one, 2026)
    with django_assert_num_queries(4):
        result = histories(many, 2026)
    assert len(result) == 3


# --- the pages and the export: who sees what ------------------------------------------------


def test_the_person_page_shows_years_flags_and_citations(hr):
    page = client_for(hr.users["sonoivu"]).get(
        reverse("ratings_hr_person", args=[hr.people["failing"].pk]) + "?year=2026"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-flag="dismissal_review"' in html
    assert "Luật 22/2008/QH12 Điều 58 khoản 3" in html
    assert "dự kiến, chưa quyết định" in html  # 2026 provisional, labelled
    assert "10/12/2025" in html  # decision date dd/mm/yyyy


def test_the_person_page_scope(hr):
    person = hr.people["failing"]
    url = reverse("ratings_hr_person", args=[person.pk])
    own = with_user(person, "chuadat")
    for reader in (own, hr.users["quantri"], hr.users["truongphong"]):
        # Their own results; their department's; the head of P1's: the person's years by name.
        page = client_for(reader).get(url)
        assert page.status_code == 200, reader
        assert person.full_name in unescape(page.content.decode()), reader
    assert denied(client_for(hr.users["quantrikhac"]).get(url))
    assert denied(client_for(hr.users["truongphong2"]).get(url))  # head of P2
    other = reverse("ratings_hr_person", args=[hr.people["outsider"].pk])
    assert denied(client_for(own).get(other))


def test_a_bad_year_is_named(hr):
    url = reverse("ratings_hr_person", args=[hr.people["failing"].pk]) + "?year=abc"
    page = client_for(hr.users["sonoivu"]).get(url)
    assert page.status_code == 200
    assert "“Năm” phải là một năm" in page.content.decode()


def test_the_list_is_scoped_and_filtered(hr):
    url = reverse("ratings_hr_history")
    page = client_for(hr.users["quantri"]).get(url, {"year": 2025})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Nguyễn Chưa Đạt" in html and "Trần Xuất Sắc" in html
    assert "Phạm Bên Ngoài" not in html
    flagged = client_for(hr.users["quantri"]).get(url, {"year": 2025, "flag": "recognition_streak"})
    html = flagged.content.decode()
    assert "Trần Xuất Sắc" in html and "Nguyễn Chưa Đạt" not in html
    training = client_for(hr.users["sonoivu"]).get(
        url, {"year": 2025, "purpose": "training", "agency": hr.other_department.pk}
    )
    html = training.content.decode()
    assert "Phạm Bên Ngoài" in html and "Nguyễn Chưa Đạt" not in html
    contract = client_for(hr.users["sonoivu"]).get(
        url, {"year": 2024, "years": 3, "category": PersonCategory.CONTRACT_WORKER}
    )
    html = contract.content.decode()
    assert "Lê Hợp Đồng" in html and "Trần Xuất Sắc" not in html


def test_the_list_refuses_a_plain_civil_servant_and_other_agencies(hr):
    own = with_user(hr.people["star"], "xuatsac")
    assert denied(client_for(own).get(reverse("ratings_hr_history")))
    assert denied(client_for(own).get(reverse("ratings_hr_history_xlsx")))
    page = client_for(hr.users["quantri"]).get(
        reverse("ratings_hr_history"), {"agency": hr.other_department.pk}
    )
    assert "Phạm Bên Ngoài" not in page.content.decode()  # not a choice: the form refuses it
    assert "Lựa chọn" in page.content.decode() or "Select a valid choice" in page.content.decode()


def test_the_export(hr):
    response = client_for(hr.users["quantri"]).get(
        reverse("ratings_hr_history_xlsx"), {"year": 2025, "purpose": "placement"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "KẾT QUẢ XẾP LOẠI" in rows[0][0]
    assert "mục đích: Bố trí, thôi việc" in rows[1][0]
    header = rows[3]
    assert header[:6] == (
        "STT",
        "Mã số",
        "Họ và tên",
        "Đối tượng",
        "Cơ quan, đơn vị",
        "Vị trí, chức danh",
    )
    assert header[6] == "Xếp loại 2021" and header[-3] == "Ngày quyết định năm 2025"
    people = {row[2]: row for row in rows[4:]}
    assert "Phạm Bên Ngoài" not in people
    failing = people["Nguyễn Chưa Đạt"]
    year_2025 = 6 + 2 * 4
    assert failing[year_2025] == "Không hoàn thành nhiệm vụ"
    assert failing[-3] == datetime.datetime(2025, 12, 10)
    assert "2 năm liên tiếp không hoàn thành nhiệm vụ (2024, 2025)" in failing[-2]
    assert "Luật 22/2008/QH12" in failing[-1]
    # Purpose "placement": only the people with a flag serving it.
    assert "Trần Xuất Sắc" not in people
    date_cell = sheet.cell(row=5, column=len(header) - 2)
    assert date_cell.number_format == "dd/mm/yyyy"
    assert sheet.cell(row=5, column=8).number_format == "0.00"


def test_the_export_names_a_bad_field(hr):
    response = client_for(hr.users["quantri"]).get(
        reverse("ratings_hr_history_xlsx"), {"years": 40}
    )
    assert response.status_code == 400
    assert "Số năm" in response.content.decode()


# --- links -------------------------------------------------------------------------------------


def test_links_from_the_person_and_the_case(hr):
    person = hr.people["failing"]
    target = reverse("ratings_hr_person", args=[person.pk])
    client = client_for(hr.users["sonoivu"])
    edit = client.get(reverse("wagtailsnippets_org_civilservant:edit", args=[person.pk]))
    assert target in edit.content.decode()
    case = person.rating_cases.get(year=2025)
    page = client.get(reverse("ratings_case", args=[case.pk]))
    assert f"{target}?year=2025" in page.content.decode()


def test_the_person_listing_links_the_same_rows_as_asking_each_person(hr):
    """The person listing asks for its whole page at once (``remember_hr_history``): the link
    must be on exactly the rows the per-person check allows, for every kind of viewer, and the
    answer kept for a page must equal the per-person answer."""
    from accounts.models import User
    from org.models import CivilServant
    from ratings.access import can_view_hr_history, remember_hr_history

    people = list(CivilServant.objects.all())
    listings = 0
    for user in hr.users.values():
        fresh = [can_view_hr_history(User.objects.get(pk=user.pk), p) for p in people]
        batched = User.objects.get(pk=user.pk)
        remember_hr_history(batched, people)
        assert [can_view_hr_history(batched, p) for p in people] == fresh, user.username
        response = client_for(user).get(reverse("wagtailsnippets_org_civilservant:list"))
        if response.status_code != 200:
            continue
        html = response.content.decode()
        linked = {p for p in people if reverse("ratings_hr_person", args=[p.pk]) in html}
        listed = {p for p in people if f'id="snippet_{p.pk}_title"' in html}
        assert linked == {p for p, ok in zip(people, fresh, strict=True) if ok and p in listed}, (
            user.username
        )
        listings += bool(listed)
    assert listings >= 2


# --- the API -------------------------------------------------------------------------------------


def test_the_api_is_scoped_and_filtered(hr):
    client = client_for(hr.users["quantri"])
    response = client.get("/api/v1/hr-history/", {"year": 2025})
    assert response.status_code == 200
    body = response.json()
    people = {row["full_name"]: row for row in body["results"]}
    assert "Phạm Bên Ngoài" not in people
    failing = people["Nguyễn Chưa Đạt"]
    assert [y["year"] for y in failing["years"]] == [2021, 2022, 2023, 2024, 2025]
    assert failing["years"][-1] == {
        "year": 2025,
        "level": "not_completed",
        "decided": True,
        "score": None,
        "decision_ref": f"{hr.people['failing'].pk}/QĐ-2025",
        "decision_date": "2025-12-10",
        "category": "civil_servant",
        "agency": hr.unit.name,
        "position": failing["years"][-1]["position"],
    }
    dismissal = next(f for f in failing["flags"] if f["code"] == "dismissal_review")
    assert dismissal["years"] == [2024, 2025] and "Luật 22/2008/QH12" in dismissal["citation"]
    only = client.get("/api/v1/hr-history/", {"year": 2025, "flag": "recognition_streak"}).json()
    assert [row["full_name"] for row in only["results"]] == ["Trần Xuất Sắc"]


def test_the_api_names_a_bad_parameter(hr):
    client = client_for(hr.users["quantri"])
    outside = client.get("/api/v1/hr-history/", {"agency": hr.other_department.code})
    assert outside.status_code == 400
    assert "agency" in outside.json()["error"]["fields"]
    assert client.get("/api/v1/hr-history/", {"years": 0}).status_code == 400
    own = with_user(hr.people["star"], "xuatsac")
    mine = client_for(own).get("/api/v1/hr-history/", {"year": 2025}).json()
    assert [row["full_name"] for row in mine["results"]] == ["Trần Xuất Sắc"]


def test_a_long_export_is_built_in_the_background_with_the_same_cells(hr):
    """Issue 47: above KPI_EXPORT_INLINE_ROWS the multi-year export lands on the export job's
    page; the file has the inline download's cells and is logged as it is; another agency's
    admin never opens it."""
    from audit.models import ReadKind
    from tests.export_jobs import in_background, refused_everywhere

    client = client_for(hr.users["quantri"])
    url = reverse("ratings_hr_history_xlsx")
    job, _inline, page = in_background(
        client, url, {"year": 2025, "purpose": "placement"}, read_kind=ReadKind.LISTING_EXPORT
    )
    assert "Kết quả nhiều năm phục vụ công tác cán bộ" in page
    assert job.params["query"]["year"] == ["2025"]
    refused_everywhere(client_for(hr.users["quantrikhac"]), job, "Nguyễn Chưa Đạt")
