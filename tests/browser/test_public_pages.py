"""The public transparency pages in headless Chromium: overview, period switch, an agency, the
CSV download, and screenshots of the overview at desktop (1280) and phone (390) widths."""

import csv
import io

import pytest

from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def published_demo():
    with open("/dev/null", "w") as sink:
        call_command("load_demo", stdout=sink)
    try:
        from demo.scoring_demo import load_scoring_demo
    except ImportError:  # pragma: no cover - the scoring demo is another app's work
        pytest.skip("the scoring demo (demo/scoring_demo.py) is not available")
    load_scoring_demo()
    from demo.dashboards_demo import load_dashboards_demo

    return load_dashboards_demo()


def test_overview_period_switch_agency_and_csv(page, published_demo, screenshot, tmp_path):
    assert published_demo["published"] == ["2026-01", "2026-02"]
    page.goto(f"{page.base_url}/cong-khai/")
    assert page.locator("h1").inner_text() == "Công khai kết quả đánh giá, xếp loại"
    assert "Tháng 02/2026" in page.locator("#tong-quan").inner_text()
    assert page.locator("#bang-co-quan tbody tr").count() >= 10
    assert page.locator("svg[role=img]").count() >= 2  # trend charts with text alternatives
    screenshot("public-overview-desktop")

    page.select_option("#ky", "2026-01")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**/cong-khai/?ky=2026-01")
    assert "Tháng 01/2026" in page.locator("#tong-quan").inner_text()
    options = page.locator("#ky option").all_inner_texts()
    assert "Tháng 03/2026" not in options  # March is not published

    page.locator("#bang-co-quan").get_by_role("link", name="Sở Tư pháp").click()
    page.wait_for_url("**/cong-khai/co-quan/stp/?ky=2026-01")
    assert page.locator("h1").inner_text() == "Sở Tư pháp"
    assert page.get_by_role("link", name="Danh mục sản phẩm/công việc đã công bố").count() == 1
    screenshot("public-agency-desktop")

    page.goto(f"{page.base_url}/cong-khai/?ky=2026-02")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải CSV").click()
    download = download_info.value
    assert download.suggested_filename == "kpi-2026-02.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["Mã kỳ", "Kỳ đánh giá", "Mã cơ quan"]
    assert {row[0] for row in rows[1:]} == {"2026-01", "2026-02"}
    assert any(row[2] == "STP" for row in rows[1:])

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/cong-khai/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page itself must not scroll sideways on a phone"
    screenshot("public-overview-phone")
