"""The public pages: suppression as rendered, published periods only, downloads, caching."""

import csv
import io
import json

import pytest

from django.core.cache import cache
from django.test import Client

from dashboards.models import PublicSnapshot
from dashboards.setup import ensure_public_pages
from dashboards.suppression import Entry as Cell
from dashboards.suppression import ProtectedTable, feasible_range
from tests.dashboards.helpers import month, scores, small_province

pytestmark = pytest.mark.django_db
BANDS = ("excellent", "good", "completed", "not_completed")
BIG = {"excellent": 12, "good": 60, "completed": 20, "not_completed": 2}
OTHER = {"excellent": 8, "good": 40, "completed": 10, "not_completed": 6}
TINY = {"good": 2, "completed": 1}


@pytest.fixture
def world():
    cache.clear()
    w = small_province()
    w["jan"] = month(1)
    scores(w["jan"], w["big_unit"], BIG)
    scores(w["jan"], w["other_unit"], OTHER)
    w["tiny_people"] = scores(w["jan"], w["tiny"], TINY)
    w["index"] = ensure_public_pages()
    return w


def get(url):
    response = Client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def overview_json(w, query=""):
    return json.loads(get(f"{w['index'].url}json/{query}").content)


def agency_of(period_data, code):
    return next(a for a in period_data["agencies"] if a["agency_code"] == code)


def test_a_unit_of_three_shows_no_band_counts_anywhere(world):
    data = overview_json(world)
    tiny = agency_of(data["periods"][-1], "XNHO")
    # Fewer people than the threshold: not even how many (security review 2026-11-23 L2).
    assert tiny["rated"] is None
    assert tiny["mean_score"] is None
    assert all(cell["count"] is None and cell["percent"] is None for cell in tiny["bands"].values())

    text = get(f"{world['index'].url}csv/").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    tiny_row = next(r for r in rows if r[2] == "XNHO")
    assert tiny_row[5] == ""
    # The mean, the (absent) organisation score, its year and rating, every band count/percent.
    assert tiny_row[6:] == [""] * 12

    html = get(f"{world['index'].url}co-quan/xnho/").content.decode()
    assert "Ủy ban nhân dân xã Nhỏ" in html
    assert "&lt; 5" in html
    assert "2 (66,7%)" not in html and "1 (33,3%)" not in html


def test_totals_do_not_leak_a_suppressed_cell(world):
    """Rebuild the attacker's system from the published JSON (true values only to seed the exact
    solver): every hidden count of the small commune can still be 0 or all three people."""
    data = overview_json(world)["periods"][-1]
    truth = {"SBIG": BIG, "SKHAC": OTHER, "XNHO": TINY}
    rows, totals = {}, {}
    for agency in data["agencies"]:
        rows[agency["agency_code"]] = {
            b: Cell(truth[agency["agency_code"]].get(b, 0), agency["bands"][b]["count"] is None)
            for b in BANDS
        }
    for b in BANDS:
        value = sum(truth[code].get(b, 0) for code in truth)
        published = data["province"]["bands"][b]["count"]
        assert published in (None, value)
        totals[b] = Cell(value, published is None)
    table = ProtectedTable(
        threshold=5,
        bands=BANDS,
        rows=rows,
        row_totals={code: sum(truth[code].values()) for code in truth},
        band_totals=totals,
        grand_total=sum(sum(t.values()) for t in truth.values()),
    )
    for band in BANDS:
        low, high = feasible_range(table, "XNHO", band)
        assert low == 0 and high == 3, band
    # Every hidden small count elsewhere is protected the same way.
    for code in truth:
        for band in BANDS:
            if rows[code][band].hidden and rows[code][band].value < 5:
                low, high = feasible_range(table, code, band)
                assert low == 0 and high >= min(5, table.row_totals[code])
    # The province mean covers everyone, so the hidden agency means are pooled with a larger one.
    hidden_means = [a for a in data["agencies"] if a["mean_score"] is None]
    assert len(hidden_means) >= 2


def test_unpublished_periods_are_invisible(world):
    feb = month(2, published=False)
    scores(feb, world["big_unit"], BIG)
    index = world["index"].url
    html = get(index).content.decode()
    assert "2026-01" in html and "2026-02" not in html and "Tháng 02/2026" not in html
    client = Client()
    for url in (
        f"{index}?ky=2026-02",
        f"{index}csv/?ky=2026-02",
        f"{index}json/?ky=2026-02",
        f"{index}co-quan/sbig/?ky=2026-02",
        f"{index}co-quan/sbig/json/?ky=2026-02",
    ):
        assert client.get(url).status_code == 404, url
    assert [p["code"] for p in overview_json(world)["periods"]] == ["2026-01"]


def test_publishing_and_unpublishing_clear_the_cache(world, django_capture_on_commit_callbacks):
    index = world["index"].url
    assert "Tháng 02/2026" not in get(index).content.decode()  # now cached
    feb = month(2, published=False)
    scores(feb, world["big_unit"], BIG)
    with django_capture_on_commit_callbacks(execute=True):
        feb.published = True
        feb.save()
    assert PublicSnapshot.objects.filter(period=feb).exists()
    assert "Tháng 02/2026" in get(index).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        feb.published = False
        feb.save()
    assert not PublicSnapshot.objects.filter(period=feb).exists()
    assert "Tháng 02/2026" not in get(index).content.decode()


def test_unpublishing_hides_a_period_even_without_the_signal(world):
    index = world["index"].url
    get(index)
    type(world["jan"]).objects.filter(pk=world["jan"].pk).update(published=False)
    html = get(index).content.decode()
    assert "Chưa có kỳ đánh giá nào" in html


def test_second_request_is_served_from_the_cache(world, django_assert_max_num_queries):
    index = world["index"].url
    first = get(index).content
    with django_assert_max_num_queries(8):
        assert get(index).content == first


def test_overview_shows_scores_comparison_trend_and_downloads(world):
    month_2 = month(2)
    scores(month_2, world["big_unit"], BIG)
    scores(month_2, world["other_unit"], OTHER)
    html = get(f"{world['index'].url}?ky=2026-02").content.decode()
    assert 'role="img"' in html  # line and column charts with a text alternative
    assert "Sở Lớn" in html and "Sở Khác" in html
    assert "So sánh giữa các cơ quan cùng loại" in html
    assert "Diễn biến qua các kỳ" in html
    assert "csv/?ky=2026-02" in html and "json/?ky=2026-02" in html
    data = overview_json(world, "?ky=2026-02")
    assert [p["code"] for p in data["periods"]] == ["2026-01", "2026-02"]
    assert data["suppression_threshold"] == 5


def test_agency_page_history_catalog_link_and_products(world):
    from decimal import Decimal

    from scoring.models import AssignmentLine
    from tests.factories import catalog_page, catalog_version

    _version, items = catalog_version(world["big"], items=[("A", "1"), ("B", "2")])
    page = catalog_page(world["big"])
    page.save_revision().publish()
    big_people = list(world["big_unit"].period_scores.values_list("civil_servant_id", flat=True))
    items["B"].__class__.objects.filter(pk=items["B"].pk).update(complexity_group=3)
    for person in big_people[:6]:
        AssignmentLine.objects.create(
            civil_servant_id=person,
            period=world["jan"],
            item=items["A"],
            unit=world["big_unit"],
            assigned_quantity=Decimal(2),
            completed_quantity=Decimal(2),
        )
    for person in big_people[:2]:  # only two people: N3 must be hidden
        AssignmentLine.objects.create(
            civil_servant_id=person,
            period=world["jan"],
            item=items["B"],
            unit=world["big_unit"],
            assigned_quantity=Decimal(1),
            completed_quantity=Decimal(1),
        )
    cache.clear()
    html = get(f"{world['index'].url}co-quan/sbig/").content.decode()
    assert page.url in html
    assert "Lịch sử điểm và xếp loại" in html
    data = json.loads(get(f"{world['index'].url}co-quan/sbig/json/").content)
    assert data["products_completed_by_complexity_group"]["N1"] == "12.00"
    assert data["products_completed_by_complexity_group"]["N3"] is None
    assert data["agency"]["code"] == "SBIG"


def test_method_page_lists_framework_rules_catalogs_and_cut_off(world):
    from tests.factories import catalog_version

    version, _items = catalog_version(world["big"])
    html = get(f"{world['index'].url}phuong-phap/").content.decode()
    assert "Nghị định 335 (mặc định)" in html
    assert "Điều 20" in html  # a citation of the rules
    assert "Sở Lớn" in html and version.approval_ref in html
    assert "Kết quả được tính lần cuối" in html
    assert "Tháng 01/2026" in html


def test_no_period_published_yet(world):
    type(world["jan"]).objects.update(published=False)
    html = get(world["index"].url).content.decode()
    assert "Chưa có kỳ đánh giá nào được Sở Nội vụ công bố" in html
    assert Client().get(f"{world['index'].url}csv/").status_code == 404
