"""The export for the Party-member review and the emulation review (issue 33 item 4; Gia Lai
plan §II.2.d, §IV.4.1.b): per agency and year, each person's annual score, decided rating,
disqualifiers and consecutive excellent years."""

import io

import openpyxl
import pytest

from django.urls import reverse

from scoring.models import AnnualScore, StaleFigure
from tests.factories import annual_score, corruption_case

pytestmark = pytest.mark.django_db


def test_the_agency_export_lists_each_person_for_the_reviews(world, client):
    star = world.staff("Xuất Sắc Ba Năm", 95)
    for year in (2024, 2025):
        annual_score(star, 95, world.unit, year=year)
    decided = world.staff("Đã Quyết Định", 85)
    world.decided(decided, "good")
    late = world.staff("Không Hoàn Thành", 60)
    corruption_case(late)
    AnnualScore.objects.filter(civil_servant=late, year=2026).update(
        disqualifiers_applied=["unit_corruption_case"], rating="not_completed"
    )
    outsider = world.people["giamdockhac"]
    # This world writes its annual scores by hand (no months to recompute them from): the marks
    # its inputs left are cleared as the refresh would (see the next test for a stale one).
    StaleFigure.objects.all().delete()

    client.force_login(world.users["quantri"])
    url = reverse("ratings_party_review_export")
    query = {"agency": world.department.pk, "year": 2026}
    page = client.get(url, query).content.decode()
    assert outsider.full_name not in page
    star_row = page.split("Xuất Sắc Ba Năm", 1)[1].split("</tr>", 1)[0]
    # Not decided yet: the annual score's rating counts for the streak (2024, 2025, 2026).
    assert "95,00" in star_row and "chưa có quyết định" in star_row
    assert star_row.rstrip().endswith("<td>3</td>")
    decided_row = page.split("Đã Quyết Định", 1)[1].split("</tr>", 1)[0]
    assert "Hoàn thành tốt nhiệm vụ" in decided_row and "Số 15/QĐ-STN ngày" in decided_row
    assert decided_row.rstrip().endswith("<td>0</td>")
    late_row = page.split("Không Hoàn Thành", 1)[1].split("</tr>", 1)[0]
    assert "chưa có quyết định" in late_row
    assert (
        "đơn vị phụ trách liên quan tham ô, tham nhũng, lãng phí (số 12/KL-TTr ngày 05/11/2026)"
        in late_row
    )

    response = client.get(url, {**query, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.startswith("Kết quả xếp loại chất lượng công chức năm 2026")
    headers = [cell.value for cell in sheet[2]]
    assert headers[6] == "Mức xếp loại chất lượng được quyết định"
    rows = {row[2]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["Xuất Sắc Ba Năm"][4:] == (
        95.0,
        "Hoàn thành xuất sắc nhiệm vụ",
        "chưa có quyết định",
        None,
        None,
        3,
    )
    assert rows["Đã Quyết Định"][6] == "Hoàn thành tốt nhiệm vụ"
    assert rows["Đã Quyết Định"][7].startswith("Số 15/QĐ-STN ngày ")
    assert rows["Không Hoàn Thành"][6] == "chưa có quyết định"
    assert outsider.full_name not in rows


def test_another_agency_admin_is_refused(world, client):
    world.staff("Xuất Sắc Khác", 95)
    client.force_login(world.users["quantrikhac"])
    response = client.get(
        reverse("ratings_party_review_export"), {"agency": world.department.pk, "year": 2026}
    )
    # Sở Thử nghiệm is not among the agencies offered to Sở Khác's admin: no rows, no file.
    page = response.content.decode()
    assert 'id="party-review-rows"' not in page
    assert response["Content-Type"].startswith("text/html")


def test_the_export_waits_while_an_annual_score_is_being_recomputed(world, client):
    """Issue 28: like the payroll, the review export never reads an annual score marked stale;
    the page says why and when, and no workbook is sent."""
    from scoring.services.freshness import mark_annual

    person = world.staff("Đang Tính Lại", 88)
    StaleFigure.objects.all().delete()
    mark_annual([(person.pk, 2026)], "thử")
    client.force_login(world.users["quantri"])
    url = reverse("ratings_party_review_export")
    query = {"agency": world.department.pk, "year": 2026}
    response = client.get(url, query)
    page = response.content.decode()
    assert "Chưa xuất được: 1 điểm năm của" in page and "đang được tính lại" in page
    assert 'id="party-review-rows"' not in page
    response = client.get(url, {**query, "format": "xlsx"})
    assert "spreadsheetml" not in response.get("Content-Type", "")
    assert "Chưa xuất được" in response.content.decode()


def test_a_decided_rating_without_a_stored_annual_score_is_listed(world, client):
    """Coverage L1: "Không có dữ liệu" for a year whose ratings were decided but whose annual
    scores were not stored (ratings decided before go-live)."""
    decided = world.staff("Quyết Định Trước", 85)
    world.decided(decided, "good")
    from ratings.models import RatingCase

    RatingCase.objects.filter(civil_servant=decided).update(annual_score=None)
    AnnualScore.objects.filter(civil_servant=decided, year=2026).delete()
    StaleFigure.objects.all().delete()
    client.force_login(world.users["quantri"])
    page = client.get(
        reverse("ratings_party_review_export"), {"agency": world.department.pk, "year": 2026}
    ).content.decode()
    row = page.split("Quyết Định Trước", 1)[1].split("</tr>", 1)[0]
    assert "Hoàn thành tốt nhiệm vụ" in row and "Số 15/QĐ-STN ngày" in row


def test_a_long_review_export_is_built_in_the_background_with_the_same_cells(world, client):
    """Issue 47: the same workbook from the export job's page once the agency has more rows
    than KPI_EXPORT_INLINE_ROWS; another agency's admin never opens it."""
    from tests.export_jobs import in_background, refused_everywhere

    world.staff("Xuất Sắc Một", 95)
    world.decided(world.staff("Đã Quyết Định", 85), "good")
    StaleFigure.objects.all().delete()
    client.force_login(world.users["quantri"])
    url = reverse("ratings_party_review_export")
    query = {"agency": world.department.pk, "year": 2026, "format": "xlsx"}
    path = world.department.path
    rows = AnnualScore.objects.filter(year=2026, agency__path__startswith=path).count()
    job, _inline, page = in_background(client, url, query, rows=rows)
    assert "Kết quả xếp loại năm 2026 cho xếp loại đảng viên, thi đua — Sở Thử nghiệm" in page
    client.force_login(world.users["quantrikhac"])
    refused_everywhere(client, job, "Sở Thử nghiệm")
