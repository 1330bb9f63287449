"""Six-month results for everyone who uses them (issue 44 item 3; coverage M4/E2; Gia Lai plan
§IV.4.1.a, §V.1.d): the leader (from the unit's board), HR (the person's page, the multi-year
list, the six-month list), Sở Nội vụ (province-wide, by agency, bloc and half), the API and the
xlsx export — every one from the one formula (``scoring.services.half_year``), each in the
reader's reach, and none showing a figure while a period of the half is being rescored."""

import datetime
import io
from html import unescape

import pytest
from openpyxl import load_workbook

from django.test import Client
from django.urls import reverse

from scoring.models import Period, ScoringRun
from tests.factories import period_score, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def halves(world):
    """A person of unit P1 (H1: January 96, February 84 → 90,00 excellent; H2: Q3 70 → 70,00
    good) and one of the other department (H1 60)."""
    person = post(world.unit, full_name="Đỗ Sáu Tháng")
    for month, total in ((1, 96), (2, 84)):
        period = Period.for_date(datetime.date(2026, month, 1), create=True)
        period_score(person, period, total, world.unit)
    q3 = Period.objects.create(kind="quarter", year=2026, number=3)
    period_score(person, q3, 70, world.unit)
    outsider = post(world.other_department, full_name="Vũ Ngoài Phạm Vi")
    period_score(
        outsider,
        Period.for_date(datetime.date(2026, 3, 1), create=True),
        60,
        world.other_department,
    )
    # Posting the outsider after the periods exist queued rescoring runs of them (the posting
    # changes who is scored); the scores above stand for their result.
    ScoringRun.objects.all().delete()
    world.people.update(half=person, half_outsider=outsider)
    return world


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _row(html, person, year, half):
    marker = f'data-half="{person.official_id}-{year}-{half}"'
    assert marker in html, marker
    return unescape(html.split(marker, 1)[1].split("</tr>", 1)[0])


def denied(response) -> bool:
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def test_the_leader_hr_and_home_affairs_see_the_six_month_list_in_their_reach(halves):
    person, outsider = halves.people["half"], halves.people["half_outsider"]
    url = reverse("ratings_half_years")
    for username in ("truongphong", "quantri", "sonoivu"):
        html = client_for(halves.users[username]).get(url, {"year": 2026}).content.decode()
        h1, h2 = _row(html, person, 2026, 1), _row(html, person, 2026, 2)
        assert "6 tháng đầu năm 2026" in h1 and "90,00" in h1, username
        assert "Hoàn thành xuất sắc nhiệm vụ" in h1 and halves.unit.name in h1
        assert "6 tháng cuối năm 2026" in h2 and "70,00" in h2
        assert "Hoàn thành tốt nhiệm vụ" in h2
        assert ("Vũ Ngoài Phạm Vi" in html) is (username == "sonoivu"), username

    # Sở Nội vụ: one agency, one half.
    html = (
        client_for(halves.users["sonoivu"])
        .get(url, {"year": 2026, "half": 1, "agency": halves.other_department.pk})
        .content.decode()
    )
    assert "60,00" in _row(html, outsider, 2026, 1)
    assert "Đỗ Sáu Tháng" not in html and f'-{2026}-2"' not in html
    # Everyone posted there in the year (its head too, who has no score yet).
    assert f"{halves.other_department.name}, năm 2026, 6 tháng đầu năm: 2 người." in unescape(html)
    assert "chưa có điểm" in _row(html, halves.people["giamdockhac"], 2026, 1)
    # The bloc: the state tree's root holds both.
    html = (
        client_for(halves.users["sonoivu"])
        .get(url, {"year": 2026, "bloc": halves.province.pk})
        .content.decode()
    )
    assert "Đỗ Sáu Tháng" in html and "Vũ Ngoài Phạm Vi" in html


def test_filters_out_of_reach_or_wrong_are_refused_in_vietnamese(halves):
    url = reverse("ratings_half_years")
    html = unescape(
        client_for(halves.users["quantri"])
        .get(url, {"agency": halves.other_department.pk, "half": 3, "year": "hai"})
        .content.decode()
    )
    assert "Cơ quan, đơn vị đã chọn không có trong phạm vi được xem" in html
    assert "“Kỳ 6 tháng” phải là 6 tháng đầu năm hoặc 6 tháng cuối năm." in html
    assert "“Năm” phải là một năm, ví dụ 2026." in html
    assert "Vũ Ngoài Phạm Vi" not in html
    response = client_for(halves.users["quantri"]).get(
        reverse("ratings_half_years_xlsx"), {"agency": halves.other_department.pk}
    )
    assert response.status_code == 400
    assert "không có trong phạm vi được xem" in response.content.decode()
    # A civil servant without reach has their own page, not the list.
    own = client_for(halves.users["truongphong2"])
    assert not denied(own.get(reverse("ratings_my")))


def test_a_civil_servant_without_reach_is_refused_the_list(halves):
    from tests.factories import with_user

    plain = with_user(post(halves.unit, full_name="Công Chức Thường"), "congchucthuong")
    assert denied(client_for(plain).get(reverse("ratings_half_years")))
    assert denied(client_for(plain).get(reverse("ratings_half_years_xlsx")))


def test_hr_sees_both_halves_on_the_person_page(halves):
    person = halves.people["half"]
    url = reverse("ratings_hr_person", args=[person.pk])
    html = client_for(halves.users["quantri"]).get(url, {"year": 2026}).content.decode()
    assert "Kết quả 6 tháng" in html
    h1 = _row(html, person, 2026, 1)
    assert "90,00" in h1 and "Hoàn thành xuất sắc nhiệm vụ" in h1 and "2" in h1
    assert "70,00" in _row(html, person, 2026, 2)
    assert reverse("ratings_half_years") in html
    # The multi-year list leads to the six-month list.
    listing = client_for(halves.users["quantri"]).get(reverse("ratings_hr_history")).content
    assert reverse("ratings_half_years") in listing.decode()


def test_the_leader_reaches_it_from_the_unit_board(halves):
    html = unescape(
        client_for(halves.users["truongphong"])
        .get(reverse("worklog_board"), {"unit": halves.unit.pk})
        .content.decode()
    )
    assert 'id="board-half-years"' in html
    assert f"{reverse('ratings_half_years')}?agency={halves.unit.pk}&year=" in html
    assert f"của {halves.unit.name}" in html


def test_the_export_carries_the_same_figures_in_reach(halves):
    response = client_for(halves.users["quantri"]).get(
        reverse("ratings_half_years_xlsx"), {"year": 2026}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "KẾT QUẢ ĐÁNH GIÁ 6 THÁNG"
    assert "năm 2026; cả hai kỳ 6 tháng; xuất ngày" in sheet["A2"].value
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=4)]
    mine = [row for row in rows if row[2] == "Đỗ Sáu Tháng"]
    official_id = halves.people["half"].official_id
    assert mine == [
        (
            1 if mine[0][0] == 1 else mine[0][0],
            official_id,
            "Đỗ Sáu Tháng",
            halves.unit.name,
            "6 tháng đầu năm 2026",
            2,
            2,
            90.0,
            "Hoàn thành xuất sắc nhiệm vụ",
            None,
        ),
        (
            mine[1][0],
            official_id,
            "Đỗ Sáu Tháng",
            halves.unit.name,
            "6 tháng cuối năm 2026",
            3,
            1,
            70.0,
            "Hoàn thành tốt nhiệm vụ",
            None,
        ),
    ]
    assert sheet.cell(4 + rows.index(mine[0]), 8).number_format == "0.00"
    assert not [row for row in rows if row[2] == "Vũ Ngoài Phạm Vi"]


def test_a_half_being_rescored_shows_no_figure_anywhere(halves):
    """A scoring run still owes February (queued): H1 is read from period scores older than
    their inputs — every reader sees "Đang tính lại (…)" and no figure; H2 is untouched."""
    person = halves.people["half"]
    ScoringRun.objects.create(
        period=Period.objects.get(kind="month", year=2026, number=2),
        agency=halves.unit,
        reason="Nhập Excel",
    )
    client = client_for(halves.users["quantri"])
    html = client.get(reverse("ratings_half_years"), {"year": 2026}).content.decode()
    h1 = _row(html, person, 2026, 1)
    assert "Đang tính lại (dữ liệu đầu vào thay đổi lúc" in h1 and "90,00" not in h1
    assert "70,00" in _row(html, person, 2026, 2)
    page = client.get(reverse("ratings_hr_person", args=[person.pk]), {"year": 2026})
    assert "Đang tính lại" in _row(page.content.decode(), person, 2026, 1)

    sheet = load_workbook(
        io.BytesIO(client.get(reverse("ratings_half_years_xlsx"), {"year": 2026}).content)
    ).active
    first = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[2] == "Đỗ Sáu Tháng")
    assert first[7] is None and first[8] is None
    assert first[9].startswith("Đang tính lại (dữ liệu đầu vào thay đổi lúc")

    body = client.get("/api/v1/half-year-scores/", {"year": 2026}).json()
    halves_of = next(r for r in body["results"] if r["full_name"] == "Đỗ Sáu Tháng")["halves"]
    assert halves_of[0]["score"] is None and halves_of[0]["level"] is None
    assert halves_of[0]["recomputing_since"] is not None
    assert halves_of[1]["score"] == "70.00" and halves_of[1]["recomputing_since"] is None


def test_the_api_returns_the_halves_in_reach(halves):
    client = client_for(halves.users["quantri"])
    response = client.get("/api/v1/half-year-scores/", {"year": 2026})
    assert response.status_code == 200
    rows = {row["full_name"]: row for row in response.json()["results"]}
    assert "Vũ Ngoài Phạm Vi" not in rows
    assert rows["Đỗ Sáu Tháng"] == {
        "official_id": halves.people["half"].official_id,
        "full_name": "Đỗ Sáu Tháng",
        "halves": [
            {
                "year": 2026,
                "half": 1,
                "label": "6 tháng đầu năm 2026",
                "agency": halves.unit.name,
                "score": "90.00",
                "level": "excellent",
                "months_worked": 2,
                "periods_counted": 2,
                "recomputing_since": None,
            },
            {
                "year": 2026,
                "half": 2,
                "label": "6 tháng cuối năm 2026",
                "agency": halves.unit.name,
                "score": "70.00",
                "level": "good",
                "months_worked": 3,
                "periods_counted": 1,
                "recomputing_since": None,
            },
        ],
    }
    only_h2 = client.get("/api/v1/half-year-scores/", {"year": 2026, "half": 2}).json()
    assert [h["half"] for h in only_h2["results"][0]["halves"]] == [2]
    refused = client.get(
        "/api/v1/half-year-scores/", {"agency": halves.other_department.code, "half": 3}
    )
    assert refused.status_code == 400
    errors = str(refused.json())
    assert "“half” phải là 1 (6 tháng đầu năm) hoặc 2 (6 tháng cuối năm)." in errors
    refused = client.get("/api/v1/half-year-scores/", {"agency": halves.other_department.code})
    assert refused.status_code == 400
    assert f"Không có cơ quan mã “{halves.other_department.code}” trong phạm vi được xem." in str(
        refused.json()
    )
    everyone = client_for(halves.users["sonoivu"]).get(
        "/api/v1/half-year-scores/", {"year": 2026, "agency": halves.other_department.code}
    )
    assert {r["full_name"] for r in everyone.json()["results"]} == {
        "Vũ Ngoài Phạm Vi",
        "Đỗ Giám Đốc Khác",
    }
    assert Client().get("/api/v1/half-year-scores/").status_code in (401, 403)


def test_a_long_export_is_built_in_the_background_with_the_same_cells(halves, monkeypatch):
    """Issue 47: above KPI_EXPORT_INLINE_ROWS the six-month export lands on the export job's
    page; the file (read a person at a time) has the inline download's cells and is logged as
    it is; another agency's admin never opens it."""
    from audit.models import ReadKind
    from ratings import listings
    from tests.export_jobs import in_background, refused_everywhere

    monkeypatch.setattr(listings, "CHUNK", 1)
    client = client_for(halves.users["quantri"])
    url = reverse("ratings_half_years_xlsx")
    job, inline, page = in_background(
        client, url, {"year": 2026}, read_kind=ReadKind.LISTING_EXPORT
    )
    assert "Kết quả đánh giá 6 tháng" in page
    names = [row[2] for row in load_workbook(io.BytesIO(inline.content)).active.values]
    assert "Đỗ Sáu Tháng" in names
    refused_everywhere(client_for(halves.users["quantrikhac"]), job, "Đỗ Sáu Tháng")


def test_the_apis_queries_do_not_grow_with_the_people_on_a_page(halves):
    """Issue 48: the six-month API read each person's framework revision with a query of its
    own (two a person on a page of 500: most of a page's second at 100,000 people); the page's
    revisions are read at once now, so five more people under five more revisions cost no
    more queries — and their figures come from their own revision."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scoring.models import PeriodScore

    client = client_for(halves.users["sonoivu"])

    def queries() -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/half-year-scores/", {"year": 2026, "half": 1})
        assert response.status_code == 200
        rows = {row["full_name"]: row["halves"][0]["score"] for row in response.json()["results"]}
        return len(captured), rows

    from scoring.models import CriteriaFramework

    framework = CriteriaFramework.objects.filter(live=True).exclude(live_revision=None).first()
    PeriodScore.objects.update(framework_revision_id=framework.live_revision_id)
    before, rows = queries()
    assert rows["Đỗ Sáu Tháng"] == "90.00"
    january = Period.for_date(datetime.date(2026, 1, 1), create=True)
    for number in range(5):
        person = post(halves.unit, full_name=f"Người Thêm {number}")
        score = period_score(person, january, 80 + number, halves.unit)
        revision = framework.save_revision()
        PeriodScore.objects.filter(pk=score.pk).update(framework_revision_id=revision.pk)
    ScoringRun.objects.all().delete()
    after, rows = queries()
    assert after <= before + 1, (before, after)  # (+1: at most revisions first read here)
    assert [rows[f"Người Thêm {n}"] for n in range(5)] == [f"{80 + n}.00" for n in range(5)]
