"""The public pages switch to English when a visitor chooses it (catalogue: locale/en)."""


def test_public_page_in_english(client, db):
    from dashboards.setup import ensure_public_pages
    from tests.dashboards.helpers import month, scores, small_province

    world = small_province()
    scores(month(1), world["big_unit"], {"good": 10, "completed": 6})
    index = ensure_public_pages()
    html = client.get(f"/en{index.url}").content.decode()
    assert "Whole province" in html and "Results by agency" in html
