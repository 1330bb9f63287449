"""Six-month results on the person's own page and in its xlsx export (issue 33 item 4; Gia Lai
plan §IV.4.1.a, §V.1.d): H1/H2 computed from the stored period scores as the annual score is."""

import datetime
import io

import openpyxl
import pytest

from django.urls import reverse

from scoring.models import Period
from tests.factories import period_score, post, with_user

pytestmark = pytest.mark.django_db


def test_the_person_sees_both_halves_and_downloads_them(world, client):
    person = post(world.unit, full_name="Nửa Năm Thử")
    user = with_user(person, "nuanam")
    # H1: January 96, February 84 → 90.00, excellent; H2: Q3 70 only → 70.00, good.
    for month, total in ((1, 96), (2, 84)):
        period_score(person, Period.for_date(datetime.date(2026, month, 1), create=True), total,
                     world.unit)  # fmt: skip
    q3 = Period.objects.create(kind="quarter", year=2026, number=3)
    period_score(person, q3, 70, world.unit)

    client.force_login(user)
    page = client.get(reverse("ratings_my")).content.decode()
    assert "Kết quả 6 tháng" in page
    h1 = page.split('data-half="2026-1"', 1)[1].split("</tr>", 1)[0]
    h2 = page.split('data-half="2026-2"', 1)[1].split("</tr>", 1)[0]
    assert "6 tháng đầu năm 2026" in h1 and "90,00" in h1 and "Hoàn thành xuất sắc" in h1
    assert "6 tháng cuối năm 2026" in h2 and "70,00" in h2 and "Hoàn thành tốt" in h2
    assert reverse("ratings_my_half_year") in page

    response = client.get(reverse("ratings_my_half_year"))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=3)]
    assert rows == [
        (2026, "6 tháng đầu năm 2026", 2, 2, 90.0, "Hoàn thành xuất sắc nhiệm vụ"),
        (2026, "6 tháng cuối năm 2026", 3, 1, 70.0, "Hoàn thành tốt nhiệm vụ"),
    ]


def test_someone_without_a_civil_servant_record_gets_no_file(world, client):
    from org.access import CIVIL_SERVANT_GROUP
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="khonghoso", groups=[CIVIL_SERVANT_GROUP]))
    assert client.get(reverse("ratings_my_half_year")).status_code == 404
