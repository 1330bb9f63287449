"""Exports: Form 01 per agency, the province summary, a catalog version via import-export."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse
from django.utils import timezone

from tests.importers.conftest import load, results_file

pytestmark = pytest.mark.django_db


def score(world, person, unit, total, rating, scored=True, **extra):
    from scoring.models import PeriodScore

    return PeriodScore.objects.create(
        civil_servant=world["people"][person], period=world["march"], agency=unit,
        role="staff", scored=scored, total=Decimal(total), rating=rating,
        general_points=Decimal("27.5"), quantity=Decimal("100"), quality=Decimal("90"),
        timeliness=Decimal("95"), task_percent=Decimal("95"), task_points=Decimal("66.5"),
        engine_version="1", inputs_hash="x" * 64, computed_at=timezone.now(), **extra,
    )  # fmt: skip


@pytest.fixture
def scored(world, tmp_path):
    from importers import pipeline
    from scoring.models import GeneralCriteriaMark

    path = results_file(
        world,
        tmp_path,
        [["CT0002", None, "STP-002", None, 4, 4, datetime.date(2026, 3, 31), None, 0, 0]],
    )
    pipeline.commit(path)
    GeneralCriteriaMark.objects.create(
        civil_servant=world["people"]["binh"], period=world["march"], criterion="II.1",
        self_mark=Decimal("2"), evaluator_mark=Decimal("2.5"),
    )  # fmt: skip
    score(world, "an", world["office"], "94", "excellent")
    score(world, "binh", world["legal"], "94", "excellent")
    score(world, "cuong", world["legal"], "72.5", "completed")
    score(world, "dung", world["health"], "60", "not_completed")
    return world


def test_form01_has_one_row_per_civil_servant_and_the_lines(client, scored):
    client.force_login(scored["justice_admin"])
    response = client.get(
        reverse("importers_form01"),
        {"exp-agency": scored["justice"].pk, "exp-period": scored["march"].pk},
    )
    assert response.status_code == 200
    assert 'filename="mau-01-stp-2026-03.xlsx"' in response["Content-Disposition"]
    workbook = load(response.content)
    sheet = workbook["Mẫu 01"]
    headers = [c.value for c in sheet[2]]
    assert headers[:6] == ["STT", "Mã số công chức", "Họ và tên", "Đơn vị", "Chức vụ",
                           "Tiêu chí II.1"]  # fmt: skip
    rows = {r[1]: r for r in ([c.value for c in row] for row in sheet.iter_rows(min_row=3))}
    assert set(rows) == {"CT0001", "CT0002", "CT0003"}  # Sở Y tế's Dung is not there
    binh = rows["CT0002"]
    assert binh[5] == 2.5  # the evaluator's mark counts
    assert binh[headers.index("Tổng điểm")] == 94
    assert binh[headers.index("Xếp loại")] == "Hoàn thành xuất sắc nhiệm vụ"
    lines = [[c.value for c in row] for row in workbook["Kết quả nhiệm vụ"].iter_rows(min_row=3)]
    assert [(r[0], r[2], r[5], r[11]) for r in lines] == [("CT0002", "STP-002", 4, "Tệp Excel")]
    # The deadline is a date shown dd/mm/yyyy (openpyxl's streaming mode showed 2026-03-31);
    # the general points come from the stored column, the frozen rows stay in view.
    deadline = workbook["Kết quả nhiệm vụ"].cell(3, 8)
    assert deadline.value == datetime.datetime(2026, 3, 31)
    assert deadline.number_format == "dd/mm/yyyy"
    assert binh[headers.index("Điểm tiêu chí chung")] == 27.5
    assert sheet.freeze_panes == "A3" and sheet["A1"].font.b and sheet["A2"].font.b


def test_form01_of_another_agency_is_refused(client, scored):
    client.force_login(scored["health_admin"])
    response = client.get(
        reverse("importers_form01"),
        {"exp-agency": scored["justice"].pk, "exp-period": scored["march"].pk},
    )
    assert response.status_code == 400  # Sở Tư pháp is not among the choices
    # The form comes back saying why, offering only the clerk's own agency; no file, no name.
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "Lựa chọn đó không phải là một trong các lựa chọn khả thi" in page
    assert "Sở Y tế" in page and "Trần Thị Bình" not in page


def test_province_summary_counts_per_agency(client, scored):
    client.force_login(scored["home_affairs"])
    response = client.get(reverse("importers_province"), {"prov-period": scored["march"].pk})
    assert response.status_code == 200
    sheet = load(response.content)["Tổng hợp"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    by_code = {r[1]: r for r in rows}
    assert by_code["STP"][3:6] == [3, 3, 86.83]
    assert by_code["STP"][6:10] == [2, 0, 1, 0]
    assert by_code["SYT"][3:10] == [1, 1, 60, 0, 0, 0, 1]
    assert rows[-1][2] == "Toàn tỉnh" and rows[-1][3] == 4


def test_province_summary_is_for_home_affairs_only(client, scored):
    client.force_login(scored["justice_admin"])
    response = client.get(
        reverse("importers_province"), {"prov-period": scored["march"].pk}, follow=True
    )
    # The admin's refusal: its home page saying so, and no workbook.
    assert response.redirect_chain[0][0] == reverse("wagtailadmin_home")
    assert "Bạn không có quyền truy cập vào khu vực này." in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_catalog_version_export_uses_the_import_export_resource(client, world):
    version = world["justice_page"].versions.get()
    client.force_login(world["justice_editor"])
    response = client.get(reverse("importers_catalog_version", args=[version.pk]))
    assert response.status_code == 200
    sheet = load(response.content).active
    assert [c.value for c in sheet[1]][:4] == [
        "Mã cơ quan",
        "Phiên bản",
        "Mã",
        "Tên sản phẩm/công việc",
    ]
    assert [c.value for c in sheet[2]][:3] == ["STP", "1", "STP-001"]
    client.force_login(world["health_admin"])
    assert client.get(reverse("importers_catalog_version", args=[version.pk])).status_code in (
        302,
        403,
    )
