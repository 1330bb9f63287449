"""Review 2026-11-22 (ux #13, issue 16 item 10): the public results mixed measures. On a monthly
page the column "Điểm của cơ quan" was the agency's annual organisation score for agencies but
the civil servants' mean for the province row, and the CSV's "Điểm trung bình" (the staff mean)
disagreed with the page for the same agency (88.31 against 97,50). Every figure now says what it
measures and for which period, and the page, the CSV and the JSON carry the same figures."""

import csv
import io
import json
from decimal import Decimal

import pytest

from django.core.cache import cache
from django.test import Client

from dashboards.setup import ensure_public_pages
from org_scoring.services import score_organisations
from tests.dashboards.helpers import month, scores, small_province
from tests.factories.org_scoring import YEAR, marks, tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(db):
    cache.clear()
    w = small_province()
    jan = month(1)
    scores(jan, w["big_unit"], {"excellent": 12, "good": 60, "completed": 20, "not_completed": 2})
    scores(jan, w["other_unit"], {"excellent": 8, "good": 40, "completed": 10, "not_completed": 6})
    marks(w["big"], "7")
    tasks(w["big"], "exceeded", "on_time", "on_time", "on_time")
    score_organisations(YEAR)
    w["index"] = ensure_public_pages()
    cache.clear()
    return w


def get(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode("utf-8-sig")


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def csv_rows(text: str) -> list[dict]:
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
    return list(csv.DictReader(io.StringIO(text), dialect=dialect))


def row_of(html: str, name: str) -> str:
    table = html[html.index('id="bang-co-quan"') :]
    table = table[: table.index("</table>")]
    return next(part for part in table.split("<tr>") if name in part)


def test_a_monthly_page_labels_each_figure_and_agrees_with_its_downloads(public):
    url = public["index"].url
    html = get(url + "?ky=2026-01")
    # Each column says what it measures and for which period.
    assert "Điểm trung bình của công chức, Tháng 01/2026" in html
    assert "Điểm đánh giá tổ chức năm 2026" in html
    assert "Điểm của cơ quan" not in html
    big = row_of(html, "Sở Lớn")
    assert "76,49" in big  # the staff mean of January
    assert "98,00" in big  # the organisation's own 2026 score, in its own column
    rows = csv_rows(get(url + "csv/?ky=2026-01"))
    csv_big = next(r for r in rows if r["Mã cơ quan"] == "SBIG")
    assert number(csv_big["Điểm trung bình của công chức trong kỳ"]) == Decimal("76.49")
    assert number(csv_big["Điểm đánh giá tổ chức (cả năm)"]) == Decimal("98.00")
    assert csv_big["Năm của điểm tổ chức"] == "2026"
    csv_other = next(r for r in rows if r["Mã cơ quan"] == "SKHAC")
    assert csv_other["Điểm đánh giá tổ chức (cả năm)"] == ""
    province = next(r for r in rows if r["Mã cơ quan"] == "total")
    assert province["Điểm đánh giá tổ chức (cả năm)"] == ""
    data = json.loads(get(url + "json/?ky=2026-01"))
    agencies = {a["agency_code"]: a for a in data["periods"][-1]["agencies"]}
    assert agencies["SBIG"]["mean_score"] == "76.49"
    assert agencies["SBIG"]["organisation_score"] == "98.00"
    assert agencies["SBIG"]["organisation_year"] == 2026
    assert "agency_score" not in agencies["SBIG"]  # the mixed figure is gone


def test_agencies_of_a_kind_are_compared_on_one_measure(public):
    """The comparison chart ranked the organisation score of one agency against the staff mean
    of another; it now compares the staff means of the period, and says so."""
    from dashboards.presenters import kind_comparisons
    from dashboards.snapshots import public_tables
    from scoring.models import Period

    jan = Period.objects.get(kind="month", year=YEAR, number=1)
    groups = kind_comparisons(public_tables([jan])[jan.pk], lambda code: "")
    departments = next(g for g in groups if g["kind"] == "Sở, ban, ngành")
    values = {r["name"]: r["mean"] for r in departments["rows"]}
    assert values["Sở Lớn"] == Decimal("76.49")
    html = get(public["index"].url + "?ky=2026-01")
    comparison = html[html.index('id="so-sanh"') :]
    assert "điểm trung bình của công chức, Tháng 01/2026" in comparison[:600]


def test_the_agency_page_labels_the_staff_mean_with_its_period(public):
    html = get(f"{public['index'].url}co-quan/sbig/?ky=2026-01")
    assert "Điểm trung bình của công chức, Tháng 01/2026" in html
    assert "Điểm đánh giá tổ chức năm 2026" in html
    rows = csv_rows(get(f"{public['index'].url}co-quan/sbig/csv/?ky=2026-01"))
    own = next(r for r in rows if r["Mã cơ quan"] == "SBIG")
    assert number(own["Điểm đánh giá tổ chức (cả năm)"]) == Decimal("98.00")
