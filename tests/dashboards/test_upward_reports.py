"""The annual reports owed upward (issue 19 item 6): figures from decided cases only, per level,
category and agency kind; the workbook and the printable page of both reports; Sở Nội vụ only."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from django.test import Client

from dashboards.upward import documents
from dashboards.upward.figures import compute
from dashboards.upward.xlsx import report_xlsx
from org.access import HOME_AFFAIRS_GROUP
from org.models import AgencyKind, PersonCategory
from ratings.models.choices import CaseState
from tests.factories import (
    AgencyAccessFactory,
    AgencyFactory,
    CommuneFactory,
    ProvinceFactory,
    UnitFactory,
    UserFactory,
    post,
    rating_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    province = ProvinceFactory()
    department = AgencyFactory(parent=province, code="SA", name="Sở An")
    unit = UnitFactory(parent=department, code="SA-P1", name="Phòng Một")
    commune = CommuneFactory(parent=province, code="XA", name="Ủy ban nhân dân xã Bình")
    people = {}
    for key, category, level, state in (
        ("a", PersonCategory.CIVIL_SERVANT, "excellent", None),
        ("b", PersonCategory.CIVIL_SERVANT, "good", None),
        ("c", PersonCategory.CADRE, "good", CaseState.NOTIFIED),
        ("d", PersonCategory.PUBLIC_EMPLOYEE, "completed", None),
        ("e", PersonCategory.CONTRACT_WORKER, "completed", None),
        ("f", PersonCategory.CIVIL_SERVANT, "", None),  # appraised, not decided
        ("h", PersonCategory.CIVIL_SERVANT, "excellent", CaseState.CANCELLED),
        ("i", PersonCategory.CIVIL_SERVANT, "excellent", CaseState.ON_HOLD),
    ):
        people[key] = post(unit, category=category, full_name=f"Người {key.upper()}")
        rating_case(people[key], level=level, state=state)
    people["g"] = post(commune, full_name="Người G")
    rating_case(people["g"], level="not_completed")
    rating_case(department, level="excellent")
    rating_case(commune, level="good", state=CaseState.NOTIFIED)
    rating_case(unit)  # not decided
    rating_case(people["a"], year=2025, level="not_completed")  # another year
    return {"province": province, "department": department, "commune": commune, **people}


def counts(row):
    return [row.count(level) for level in ("excellent", "good", "completed", "not_completed")]


def test_figures_count_decided_cases_only(world):
    figures = compute(2026)
    assert figures.people.total == 6
    assert counts(figures.people) == [1, 2, 2, 1]
    assert figures.people.share("good") == Decimal("33.33")
    assert figures.people_not_decided == 2  # appraised + on hold; the cancelled one is gone
    assert figures.organisations.total == 2
    assert counts(figures.organisations) == [1, 1, 0, 0]
    assert figures.organisations_not_decided == 1
    assert [(a.name, level) for a, level in figures.organisation_levels] == [
        ("Sở An", "excellent"),
        ("Ủy ban nhân dân xã Bình", "good"),
    ]


def test_figures_per_category_and_agency_kind(world):
    figures = compute(2026)
    by_category = {row.key: counts(row) for row in figures.people_by_category}
    assert by_category == {
        PersonCategory.CADRE: [0, 1, 0, 0],
        PersonCategory.CIVIL_SERVANT: [1, 1, 0, 1],
        PersonCategory.PUBLIC_EMPLOYEE: [0, 0, 1, 0],
        PersonCategory.CONTRACT_WORKER: [0, 0, 1, 0],
    }
    by_kind = {row.key: row.total for row in figures.people_by_kind}
    assert by_kind == {AgencyKind.DEPARTMENT: 5, AgencyKind.COMMUNE: 1}
    assert {row.key: row.total for row in figures.organisations_by_kind} == {
        AgencyKind.DEPARTMENT: 1,
        AgencyKind.COMMUNE: 1,
    }
    assert {row.label: row.total for row in figures.people_by_agency} == {
        "Sở An": 5,
        "Ủy ban nhân dân xã Bình": 1,
    }
    # The quota counts cán bộ and công chức only: 1 excellent for 2 good.
    assert (figures.quota.excellent, figures.quota.good) == (1, 2)
    assert figures.quota.share == Decimal("50.00")


def test_figures_of_a_scope(world):
    figures = compute(2026, world["commune"])
    assert figures.people.total == 1 and figures.organisations.total == 1


def _sheet_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(
        str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None
    )


def test_workbooks_of_both_reports(world):
    figures = compute(2026)
    province = report_xlsx(documents.build(documents.PROVINCE, figures))
    text = _sheet_text(province)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ NỘI VỤ",
        "Số: ……/BC-SNV",
        "Kính gửi: Ủy ban nhân dân tỉnh",
        "chức năm 2026",
        "Hoàn thành xuất sắc nhiệm vụ",
        "Viên chức",
        "Sở An",
        "GIÁM ĐỐC",
    ):
        assert expected in text, expected
    sheet = load_workbook(io.BytesIO(province)).active
    total_rows = [row for row in sheet.iter_rows(values_only=True) if row[0] == "Tổng cộng"]
    assert total_rows[0][1:3] == (6, 1)
    assert total_rows[0][3] == pytest.approx(16.67)
    ministry = _sheet_text(report_xlsx(documents.build(documents.MINISTRY, figures)))
    assert "Kính gửi: Bộ Nội vụ" in ministry and "Số: ……/BC-UBND" in ministry
    assert "TM. ỦY BAN NHÂN DÂN" in ministry
    assert "Sở An" not in ministry  # province-wide figures, no agency named
    # No developer's note on a signed report (review 2026-11-23 C14).
    assert "không nêu tên cơ quan, cá nhân." in ministry and "giả định" not in ministry
    assert "Người A" not in ministry and "Người A" not in text  # never a person


@pytest.fixture
def home_affairs():
    return UserFactory(username="snv-reports", groups=[HOME_AFFAIRS_GROUP])


def test_printable_page_and_download(world, home_affairs):
    client = Client()
    client.force_login(home_affairs)
    page = client.get("/admin/bao-cao-cap-tren/province/2026/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "@page { size: A4 landscape" in html
    assert "Kính gửi: Ủy ban nhân dân tỉnh" in html
    assert "33,33" in html  # decimal comma
    assert "Ủy ban nhân dân xã Bình" in html
    ministry = client.get("/admin/bao-cao-cap-tren/ministry/2026/").content.decode()
    assert "Kính gửi: Bộ Nội vụ" in ministry and "Sở An" not in ministry
    download = client.get("/admin/bao-cao-cap-tren/ministry/2026/?format=xlsx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bao-cao-xep-loai-ministry-2026.xlsx" in download["Content-Disposition"]
    # Two reports, two titles: each names whom it is sent to (issue 44's crawl).
    assert "(gửi Ủy ban nhân dân tỉnh)</title>" in html
    assert "(gửi Bộ Nội vụ)</title>" in ministry
    index = client.get("/admin/bao-cao-cap-tren/?year=2026")
    assert index.status_code == 200 and "Báo cáo gửi Bộ Nội vụ" in index.content.decode()
    assert client.get("/admin/bao-cao-cap-tren/other/2026/").status_code == 404


def test_only_home_affairs(world):
    client = Client()
    admin = UserFactory(username="quantri-sa")
    AgencyAccessFactory(user=admin, agency=world["department"])
    client.force_login(admin)
    for url in (
        "/admin/bao-cao-cap-tren/",
        "/admin/bao-cao-cap-tren/province/2026/",
        "/admin/bao-cao-cap-tren/province/2026/?format=xlsx",
    ):
        response = client.get(url, follow=True)
        # Refused: an HTML page that is not the report (no report title, no workbook sent).
        assert response.headers["Content-Type"].startswith("text/html"), url
        assert "Báo cáo kết quả xếp loại gửi cấp trên" not in response.content.decode(), url
    anonymous = Client().get("/admin/bao-cao-cap-tren/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
