"""Every page a demo role reaches from its menu reads as written for a person (issue 44's
"done when": "a crawl of every menu page for every demo role finds no raw value … and no
duplicated page title").

The crawl builds the demo province once, signs in as one account of each role the demo loader
lists (``DemoSummary.users``), opens every menu entry and every page linked from the menu's
pages one level deep, and reads the visible text of each: no True/False/None, no internal code
(snake_case identifiers, ``app_label.model``), no ISO date, no dot decimal, no English UI word;
and no two different pages share one ``<title>``."""

import json
import re
import time
from collections import defaultdict
from html import unescape
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

# At most this many links of one shape (digits replaced) are followed per role: enough to
# read each kind of page, affordable for CI.
PER_SHAPE = 1
# And at most this many linked pages per account (the menu's own pages are all read).
MAX_LINKED = 25
# Links never followed: they sign out, download files or start work.
SKIP = re.compile(
    r"(logout|dang-xuat|/export|xuat-|/download|tai-ve|/csv|/xlsx|\.xlsx|\.csv|\.pdf|/print|"
    r"/in/|/delete/|/unpublish/|/copy/|/revisions/|/history/|/preview|/workflow/|/lock/|"
    r"/unlock/|/move/|/usage/|/ban-in|mau-in|/template|/media/|/documents/|/images/|"
    r"/hinh-anh/|/tai-lieu/|/static/|/huong-dan/anh/|/api/)"
)

# English words of an interface (Wagtail's, Django's, ours left untranslated). The product's
# names, units and the guide's terms written in English on purpose are allowed.
ENGLISH = re.compile(
    r"\b(Edit|Delete|Save|Cancel|Search|Filter|Filters|Add|Submit|Dashboard|Settings|Pages|"
    r"Page|Images|Documents|Snippets|Reports|Help|Log out|Account|Status|Actions|Choose|"
    r"Select|Sort|Previous|Next|Results|Loading|Home|Yes|No|Draft|Live|Published|"
    r"Unpublished|Created|Updated|Owner|Title|Type|Name|View|Close|Open|Pending|Approved|"
    r"Rejected|Total|Score|Date|Unknown|Back|More|Show|Hide|Clear|Apply|Export|Download|"
    r"Upload|Import|Locale|Privacy|Language|Workflow|Tasks|Task|Users|Groups|Sites|"
    r"Collections|Redirects|Explorer|Locked|Aging|Site history|Page types|Content)\b"
)
ENGLISH_ALLOWED = {"Excel", "API", "Email", "PDF", "CSV", "KPI"}

RAW = {
    "True/False/None": re.compile(r"\b(True|False|None)\b"),
    "ISO date": re.compile(r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w/-])"),
    "dot decimal": re.compile(r"(?<![\w.,/-])\d{1,3}\.\d{1,2}(?![\w.,/%-]|\.\d)"),
    "snake_case code": re.compile(r"(?<![\w.@/:-])[a-z]+(?:_[a-z0-9]+)+(?![\w.@/:-])"),
}


def model_code() -> re.Pattern:
    """``app_label.model`` for every installed app ("catalog_pages.agencycatalogpage")."""
    labels = sorted({config.label for config in apps.get_app_configs()}, key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, labels))})\.[a-z_]+\b")


def menu_paths(html: str) -> list[tuple[tuple[str, ...], str]]:
    """(labels from the top, url) of every link of the sidebar: Wagtail serialises the menu
    with telepath (``{"_type": …, "_args": [{"label", "url", …}, [children]]}``)."""
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    assert props, "no sidebar on the admin home"
    found: list[tuple[tuple[str, ...], str]] = []

    def walk(node, trail):
        if isinstance(node, list):
            for child in node:
                walk(child, trail)
        elif isinstance(node, dict):
            args = node.get("_args")
            if isinstance(args, list) and args and isinstance(args[0], dict):
                label = args[0].get("label")
                here = (*trail, label) if label else trail
                if args[0].get("url"):
                    found.append((here, args[0]["url"]))
                walk(args[1:], here)
            else:
                for value in node.values():
                    walk(value, trail)

    walk(json.loads(unescape(props.group(1))), ())
    return found


def menu_entries(html: str) -> list[tuple[str, str]]:
    """(label, url) of the sidebar's admin links."""
    return sorted(
        {(trail[-1], url) for trail, url in menu_paths(html) if url.startswith("/admin/")}
    )


def visible_text(soup: BeautifulSoup) -> str:
    """What a person reads: the page's text without scripts, styles, hidden templates, the
    code samples the guide shows on purpose."""
    for tag in soup(["script", "style", "template", "noscript", "code", "pre", "svg", "head"]):
        tag.decompose()
    for tag in soup.select("[hidden], [aria-hidden=true]"):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def title_of(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    return " ".join(unescape(match.group(1)).split()) if match else ""


def shape(url: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(url).path)


def findings(text: str, model: re.Pattern) -> list[str]:
    found = []
    for name, pattern in RAW.items():
        match = pattern.search(text)
        if match:
            found.append(f"{name}: …{text[max(0, match.start() - 60) : match.end() + 40]}…")
    match = model.search(text)
    if match:
        found.append(f"model code: …{text[max(0, match.start() - 60) : match.end() + 40]}…")
    for match in ENGLISH.finditer(text):
        if match.group(0) not in ENGLISH_ALLOWED:
            found.append(
                f"English {match.group(0)!r}: …"
                f"{text[max(0, match.start() - 60) : match.end() + 40]}…"
            )
            break
    return found


def test_patterns_catch_the_known_kinds():
    model = model_code()
    assert findings("Đang công tác: True", model)
    assert findings("ngày 2026-11-25", model)
    assert findings("từ 0.2 trở lên", model)
    assert findings("lý do satisfaction_answer", model)
    assert findings("loại trang catalog_pages.agencycatalogpage", model)
    assert findings("Ngôn ngữ Locale", model)
    assert not findings("0,80 điểm; 1.234 người; 25/11/2026; 5/P-THANHXUAN/CV-2026", model)
    assert not findings("sonoivu@thanhan.gov.vn; 2026-11; bản v2; Excel; Điều 3.", model)


def crawl_role(
    client: Client, username: str, model: re.Pattern, titles: dict, visited: list
) -> list[str]:
    problems: list[str] = []
    client.force_login(get_user_model().objects.get(username=username))
    home = client.get("/admin/")
    assert home.status_code == 200, username
    entries = menu_entries(home.content.decode())
    for label, _url in entries:
        for found in findings(label, model):
            problems.append(f"{username} menu {label!r}: {found}")
    seen: set[str] = set()
    shapes: dict[str, int] = defaultdict(int)
    queue = [(url, 0) for _label, url in entries]
    queue.insert(0, ("/admin/", 0))
    while queue:
        url, depth = queue.pop(0)
        if url in seen or (depth and SKIP.search(url)):
            continue
        seen.add(url)
        visited.append(url)
        response = client.get(url, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        final = response.request["PATH_INFO"]
        html = response.content.decode()
        title = title_of(html)
        if title:
            titles[title].add(final)
        soup = BeautifulSoup(html, "html.parser")
        for th in soup.select("thead th"):
            header = " ".join(th.get_text(" ").split())
            if len(header) > 1 and header[0].islower():
                problems.append(f"{username} {url}: lower-case column header {header!r}")
                break
        links = [a.get("href", "") for a in soup.select("main a[href], #main a[href]")]
        for found in findings(visible_text(soup), model):
            problems.append(f"{username} {url}: {found}")
        if depth == 0:
            for href in links:
                href = href.split("#")[0]
                if not href.startswith("/admin/") or href in seen or SKIP.search(href):
                    continue
                if shapes[shape(href)] >= PER_SHAPE or sum(shapes.values()) >= MAX_LINKED:
                    continue
                shapes[shape(href)] += 1
                queue.append((href, 1))
    client.logout()
    return problems


@pytest.fixture(scope="module")
def demo_roles(django_db_setup, django_db_blocker):
    """The demo province, loaded once for the module (rolled back at its end), and one account
    per role the loader lists ("Sở Nội vụ — toàn tỉnh", "Quản trị cơ quan — …", …)."""
    from django.db import transaction

    from demo.loader import load_demo
    from org.models import CivilServant

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            summary = load_demo()
            roles: dict[str, str] = {}
            users = get_user_model().objects.prefetch_related("groups")
            for username, _label in summary.users:
                user = users.get(username=username)
                grants = sorted(set(user.agency_accesses.values_list("role", flat=True)))
                person = CivilServant.objects.filter(user=user).first()
                posts = sorted(
                    set(
                        person.postings.filter(end_date__isnull=True).values_list("role", flat=True)
                    )
                    if person
                    else set()
                )
                role = " + ".join([*sorted(g.name for g in user.groups.all()), *grants, *posts])
                roles.setdefault(role, username)
            yield roles
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.timeout(1200)
def test_every_menu_page_of_every_role_reads_as_written(demo_roles):
    started = time.monotonic()
    model = model_code()
    titles: dict[str, set[str]] = defaultdict(set)
    problems: list[str] = []
    visited: list[str] = []
    for username in sorted(set(demo_roles.values())):
        problems += crawl_role(Client(), username, model, titles, visited)
    for title, paths in sorted(titles.items()):
        if len(paths) > 1:
            problems.append(f"title {title!r} shared by {sorted(paths)[:4]}")
    print(
        f"crawl: {len(set(demo_roles.values()))} accounts, {len(visited)} pages in "
        f"{time.monotonic() - started:.0f} s: {sorted(demo_roles.items())}"
    )
    assert not problems, f"{len(problems)} findings:\n" + "\n".join(problems)


# --- the findings of review 2026-11-25 the crawl stands for, each as the person sees it --------


def test_no_wagtail_residue_on_an_officers_home_and_reports_menu(demo_roles, client):
    """L3: "27 trang được tạo trong KPI Công vụ" on the home page; "Tình hình sử dụng loại
    trang" (naming ``catalog_pages.agencycatalogpage``) and "Trang lâu chưa cập nhật" in the
    agency admin's menu."""
    for username in ("quantri.stp", "sonoivu"):
        client.force_login(get_user_model().objects.get(username=username))
        home = client.get("/admin/").content.decode()
        labels = {label for label, _url in menu_entries(home)}
        text = visible_text(BeautifulSoup(home, "html.parser"))
        assert "trang được tạo trong" not in text, username
        assert not labels & {"Tình hình sử dụng loại trang", "Trang lâu chưa cập nhật"}, username


def test_awaiting_review_has_no_language_or_privacy_column():
    """L3: "Đang chờ bạn xem xét" listed the columns "Ngôn ngữ" and "Quyền riêng tư và truy
    cập" (a one-language site without private pages)."""
    from django.template.loader import get_template
    from django.utils import translation

    with translation.override("vi"):
        html = get_template("wagtailadmin/home/workflow_objects_to_moderate.html").template.source
    assert "Language" not in html and "Privacy and access" not in html
    assert "_locked_indicator.html" in html  # a locked page still shows its lock


def test_each_listing_is_titled_by_its_own_menu_entry(demo_roles, client):
    """L12: "Chờ ánh xạ" and "Gói tin đã nhận" were both titled "Gói tin nhận được"; "Gửi CSDL
    quốc gia" and "Quá hạn gửi CSDL quốc gia" both "Dữ liệu gửi Cơ sở dữ liệu quốc gia"; the
    page tree "Đang duyệt xem: KPI Công vụ - KPI Công vụ". L13: the national outbox's headers
    in lower case ("loại kết quả, mã số công chức")."""
    client.force_login(get_user_model().objects.get(username="sonoivu"))
    entries = dict(menu_entries(client.get("/admin/").content.decode()))
    by_label = entries
    for label in (
        "Chờ ánh xạ",
        "Gói tin đã nhận",
        "Gửi CSDL quốc gia",
        "Quá hạn gửi CSDL quốc gia",
    ):
        html = client.get(by_label[label]).content.decode()
        assert title_of(html) == f"{label} - KPI Công vụ", label
    outbox = BeautifulSoup(client.get(by_label["Gửi CSDL quốc gia"]).content, "html.parser")
    headers = [" ".join(th.get_text(" ").split()) for th in outbox.select("thead th")]
    assert "Loại kết quả" in headers and "Mã số công chức" in headers, headers
    assert not [h for h in headers if len(h) > 1 and h[0].islower()], headers
    from wagtail.models import Page

    home = Page.objects.get(depth=2)
    tree = client.get(f"/admin/pages/{home.pk}/").content.decode()
    assert title_of(tree) == "Cây trang của cổng thông tin - KPI Công vụ"


def test_the_public_sign_in_link_says_sign_in(demo_roles, client):
    """L13: the public site's link read "Đăng nhập quản trị"; everyone signs in there."""
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    links = [" ".join(a.get_text().split()) for a in soup.select("header nav a")]
    assert "Đăng nhập" in links and not [link for link in links if "quản trị" in link]
