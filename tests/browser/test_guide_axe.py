"""axe-core on every page the users' guide tells a role to open, for that role (issue 44's
"done when": "axe: 0 critical or serious on every page of the guide").

Each guide page is read for the menu entries it names — a path "**Xếp loại chất lượng → Hồ sơ
xếp loại chất lượng**" or an entry's own name in bold ("Mở **Tài khoản đăng nhập**") — and the
role's account (the demo's) opens each of them from its own menu, plus its home and its page of
the guide; a visitor opens the public pages. axe (the copy shipped with axe-playwright-python)
finds no critical or serious violation on any of them."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

from tests.browser.gate import browser_page
from tests.browser.test_guide import demo_site, sign_in  # noqa: F401 (the module's demo)
from tests.cms.test_crawl import menu_paths

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "huong-dan"
# Each guide page and the demo account of its role (docs/huong-dan/README.md's table).
ROLES = {
    "cong-chuc": "congchuc",
    "lanh-dao-don-vi": "lanhdao.phong",
    "can-bo-nhap-lieu": "quantri.stp",
    "so-noi-vu": "sonoivu",
    "co-quan-chu-tri-khoi": "thamdinh.btc",
    "van-phong-ubnd": "vanphong.ubnd",
    "giam-doc-chu-tich": "giamdoc.stp",
}
PUBLIC = ["/", "/cong-khai/", "/danh-muc/", "/phan-hoi/", "/tai-khoan/kich-hoat/", "/admin/login/"]


def named_in_guide(text: str) -> tuple[set[tuple[str, ...]], set[str]]:
    """The menu paths ("A → B") and the bold names the guide page gives."""
    text = " ".join(text.split())
    bold = {b.strip() for b in re.findall(r"\*\*(.+?)\*\*", text)}
    paths = {tuple(p.strip() for p in b.split("→")) for b in bold if "→" in b}
    return paths, bold


def pages_for(html: str, guide: str) -> list[str]:
    paths, bold = named_in_guide((GUIDE / f"{guide}.md").read_text("utf-8"))
    urls = []
    for trail, url in menu_paths(html):
        if not url.startswith("/admin/"):
            continue
        if trail[-1] in bold or any(trail[-len(p) :] == p for p in paths):
            urls.append(url)
    return sorted(set(urls))


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_guide_names_menu_paths_and_entries():
    """The reading of the guide (also the test that makes pytest-django set up the test
    database before the module's demo, as in test_guide.py)."""
    paths, bold = named_in_guide((GUIDE / "so-noi-vu.md").read_text("utf-8"))
    assert ("Chấm điểm", "Khung tiêu chí") in paths
    assert "Tài khoản đăng nhập" in bold


@pytest.fixture
def tab(browser, demo_site):  # noqa: F811
    with browser_page(
        browser, demo_site, timeout=30_000, locale="vi-VN", viewport={"width": 1280, "height": 800}
    ) as page:
        yield page


@pytest.mark.parametrize("guide", ["visitor", *ROLES])
def test_every_page_the_guide_names_has_no_serious_axe_violation(tab, guide):
    """One role at a time (its guide page, its home and every menu page the guide names; the
    visitor's public pages), so that each test stays well inside the suite's time-out."""
    page = tab
    problems, opened = [], []
    if guide == "visitor":
        for url in PUBLIC:
            page.goto(f"{page.base_url}{url}")
            opened.append(url)
            problems += [f"visitor {url}: {found}" for found in serious(page)]
        assert not problems, "\n".join(problems)
        return
    username = ROLES[guide]
    sign_in(page, username)
    # The sidebar's labels are read whole, not cut ("Xếp loại chất l…", review L13).
    page.locator(".sidebar .menuitem-label").first.wait_for()
    cut = page.evaluate(
        "[...document.querySelectorAll('.sidebar .sidebar-main-menu .menuitem-label')]"
        ".filter(e => e.offsetWidth && e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.textContent.trim())"
    )
    problems += [f"{username}: sidebar label cut off: {label!r}" for label in cut]
    urls = ["/admin/", f"/admin/huong-dan/{guide}.md", *pages_for(page.content(), guide)]
    assert len(urls) > 3, f"{guide}: the guide names none of {username}'s menu entries"
    for url in dict.fromkeys(urls):
        try:
            page.goto(f"{page.base_url}{url}")
        except PlaywrightError as error:  # a menu entry that downloads a file
            assert "Download is starting" in str(error), error
            continue
        assert "/admin/login/" not in page.url, f"{username} {url}: sent to the sign-in"
        opened.append(f"{username} {url}")
        problems += [f"{username} {url}: {found}" for found in serious(page)]
    print(f"axe: {len(opened)} pages of {username}")
    assert not problems, "\n".join(problems)
