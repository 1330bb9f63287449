"""Every admin listing a role reaches from its menu shows values in the person's words: no
True/False/None, no dot decimal, no internal code (review 2026-11-23 K1, K2, C15; issue 30
item 12 and its "done when"). The crawl signs in as each demo role, follows every menu entry
and reads every cell of the listing table it finds there."""

import json
import re
from html import unescape

import pytest

from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

# Every role of the demo: the six of review 2026-11-23's journeys, plus a viên chức, a unit
# head, the province office, the Party tree's admin and a bloc appraiser (issue 30 done-when:
# "for any role").
ROLES = [
    "sonoivu",
    "quantri.stp",
    "lanhdao.phong",
    "congchuc",
    "giamdoc.stp",
    "chutich.tinh",
    "vienchuc.bvdk-noi.1",
    "truongphong.vp",
    "vanphong.ubnd",
    "quantri.tu",
    "thamdinh.btc",
]

RAW = {
    "True/False/None": re.compile(r"\b(True|False|None)\b"),
    "dot decimal": re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])"),
    "framework code": re.compile(r"\bdecree-335-[a-z-]+"),
    "criterion code": re.compile(r"\bgeneral\.[IVX]+(\.\d+)?"),
    "option key": re.compile(r"\borganisation\.[a-z_]+"),
    "guide citation code": re.compile(r"\bGL §"),
    # An agency named by its code ("P-DONGTHANH · P-DONGTHANH-002", "STP · STP-006"). Codes in
    # their own "Mã" column, product codes beside their names and document numbers are the
    # identifiers people use and stay.
    "agency code": re.compile(r"(?:^|\s)[A-Z][A-Z0-9-]*[A-Z] · [A-Z]"),
    "period code": re.compile(r"(?<![\d/-])\d{4}-\d{2}(?![\d-])"),
    "developer note": re.compile(r"giả định — tỉnh cần xác nhận"),
    # An internal code ("satisfaction_answer", "discipline_reprimand_or_heavier", "open"
    # states are caught by their own tests): snake_case words never reach a cell (ux M3).
    "internal code": re.compile(r"(?<![\w.@/-])[a-z]+(?:_[a-z0-9]+)+(?![\w.@/-])"),
}


def menu_urls(html: str) -> list[str]:
    """The admin URLs of the sidebar's menu entries (Wagtail serialises the menu as JSON)."""
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    assert props, "no sidebar on the admin home"
    urls = re.findall(r'"url":\s*"(/admin/[^"]*)"', unescape(props.group(1)))
    return sorted({json.loads(f'"{url}"') for url in urls})


def cells(html: str) -> list[str]:
    """The visible text of every body cell of the page's listing tables."""
    texts = []
    for table in re.findall(r"<table[^>]*>(.*?)</table>", html, re.S):
        body = re.sub(r"<thead.*?</thead>", "", table, flags=re.S)
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", body, re.S):
            cell = re.sub(r"<(script|style)\b.*?</\1>", "", cell, flags=re.S)
            text = unescape(re.sub(r"<[^>]+>", " ", cell))
            texts.append(" ".join(text.split()))
    return texts


def raw_values(html: str) -> list[str]:
    found = []
    for text in cells(html):
        for name, pattern in RAW.items():
            if pattern.search(text):
                found.append(f"{name}: {text[:120]!r}")
    return found


def test_cells_read_as_written():
    from decimal import Decimal

    from cms.listing import cell_text

    assert [cell_text(v) for v in (True, False, None, Decimal("0.80"), 2.5)] == [
        "Có",
        "Không",
        "—",
        "0,8",
        "2,5",
    ]


def test_raw_value_patterns():
    assert raw_values("<table><tr><td>Đang công tác</td><td>True</td></tr></table>")
    assert raw_values("<table><tr><td>(×0.6)</td></tr></table>")
    assert raw_values("<table><tr><td>2026-11</td></tr></table>")
    assert raw_values("<table><tr><td>STP · STP-006 — Kế hoạch</td></tr></table>")
    assert raw_values("<table><tr><td>satisfaction_answer</td></tr></table>")
    assert raw_values("<table><tr><td>discipline_reprimand_or_heavier</td></tr></table>")
    assert not raw_values(
        "<table><tr><td>P-THANHXUAN</td><td>5/P-THANHXUAN/CV-2026</td></tr></table>"
    )
    assert not raw_values("<table><tr><td>0,80</td><td>1.234</td><td>24/11/2026</td></tr></table>")


def test_no_listing_shows_raw_values(client, demo):
    users = get_user_model().objects
    problems = []
    for username in ROLES:
        client.force_login(users.get(username=username))
        home = client.get("/admin/")
        assert home.status_code == 200
        for url in menu_urls(home.content.decode()):
            response = client.get(url, follow=True)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            seen = set()
            for problem in raw_values(response.content.decode()):
                kind = problem.split(":")[0]
                if kind not in seen:  # one example per page and kind
                    seen.add(kind)
                    problems.append(f"{username} {url} {problem}")
        client.logout()
    assert not problems, "\n".join(problems)
