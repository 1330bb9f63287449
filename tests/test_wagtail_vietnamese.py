"""Our Vietnamese catalogue of Wagtail admin strings (locale/vi) is well formed and in use.

Wagtail's own ``vi`` catalogues translate only a fraction of the admin; ``locale/vi`` (first in
``LOCALE_PATHS``) fills the gap. ``scripts/wagtail_vi_missing.py --todo`` lists what is still
missing after a Wagtail upgrade.
"""

import ast
import gettext
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from django.conf import settings
from django.utils import translation

import wagtail
from wagtail.models import Page
from wagtail.users.models import UserProfile

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
LC_MESSAGES = ROOT / "locale" / "vi" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")

# Placeholders as Python/Django and Wagtail's JS ``interpolate`` read them, and HTML tags.
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[sdif%]|\{[A-Za-z_][A-Za-z0-9_]*\}"
)
TAG = re.compile(r"</?[a-zA-Z][^>]*>")

# Strings of Wagtail 7.4 that Vietnamese users meet all day (all of them in its en catalogues).
KEY_STRINGS = [
    "Save draft",
    "Publish",
    "Unpublish",
    "Edit",
    "Delete",
    "Add child page",
    "Submit for moderation",
    "Snippets",
    "Search",
    "History",
    "Workflows",
    "Approve",
    "Request changes",
    "Users",
    "Groups",
    "Settings",
    "Dashboard",
    "Reports",
    "Cancel",
    "Yes, delete",
    "Sort by",
    "Filter",
    "Previous",
    "Next",
    "Locked pages",
    "Log out",
]


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (index -> text), flags."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line or line.startswith("#"):
            if entry is not None and key is not None and key != "comment":
                entries.append(entry)
                entry, key = None, None
            if line.startswith("#"):
                entry = entry or {"flags": [], "msgctxt": None, "msgid_plural": None, "msgstr": {}}
                if line.startswith("#,"):
                    entry["flags"] += [f.strip() for f in line[2:].split(",")]
                key = "comment"
            continue
        entry = entry or {"flags": [], "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            key, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
        if key.startswith("msgstr"):
            index = int(key[7:-1]) if key != "msgstr" else 0
            entry["msgstr"][index] = entry["msgstr"].get(index, "") + value
        else:
            entry[key] = (entry.get(key) or "") + value
    return entries


def catalogue(domain: str) -> list[dict]:
    return [e for e in parse_po(LC_MESSAGES / f"{domain}.po") if e["msgid"]]


def wagtail_msgids(domain: str) -> set[str]:
    """Wagtail's msgids, and Django's (whose Vietnamese catalogue lacks a few the admin shows:
    the "%(num)d minute" of elapsed times)."""
    import django

    found = set()
    for package in (wagtail, django):
        base = Path(package.__file__).resolve().parent
        for po in base.glob(f"**/locale/en/LC_MESSAGES/{domain}.po"):
            found |= {e["msgid"] for e in parse_po(po)}
    return found


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_locale_dir_is_in_locale_paths():
    assert LC_MESSAGES.parent.parent in [Path(p) for p in settings.LOCALE_PATHS]


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("domain", DOMAINS)
def test_catalogue_passes_msgfmt_check(domain):
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(LC_MESSAGES / f"{domain}.po")],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("domain", DOMAINS)
def test_compiled_catalogue_matches_the_po(domain):
    """The .mo Django loads holds every translation of the .po (run `make messages` if not)."""
    with (LC_MESSAGES / f"{domain}.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert compiled.info()["plural-forms"] == "nplurals=1; plural=0;"
    for entry in catalogue(domain):
        if entry["msgid_plural"] is None:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]
        else:
            got = compiled.ngettext(entry["msgid"], entry["msgid_plural"], 2)
            assert got == entry["msgstr"][0], entry["msgid"]


@pytest.mark.parametrize("domain", DOMAINS)
def test_entries_keep_placeholders_tags_and_whitespace(domain):
    known = wagtail_msgids(domain)
    for entry in catalogue(domain):
        msgid, msgstr = entry["msgid"], entry["msgstr"]
        assert msgid in known, f"not a Wagtail msgid: {msgid!r}"
        if entry["msgid_plural"] is None:
            assert list(msgstr) == [0], msgid
            sources = [msgid]
        else:
            # Vietnamese has one plural form: msgstr[0] serves every count, so it follows the
            # plural msgid (or the singular one where that is what the count-1 text needs).
            assert list(msgstr) == [0], f"only msgstr[0] with nplurals=1: {msgid!r}"
            sources = [entry["msgid_plural"], msgid]
        text = msgstr[0]
        assert text.strip(), f"empty translation: {msgid!r}"
        assert any(placeholders(text) == placeholders(s) for s in sources), (msgid, text)
        assert sorted(TAG.findall(text)) == sorted(TAG.findall(msgid)), (msgid, text)
        assert text.count("\n") == msgid.count("\n"), msgid
        assert text[: len(text) - len(text.lstrip())] == msgid[: len(msgid) - len(msgid.lstrip())]
        assert text[len(text.rstrip()) :] == msgid[len(msgid.rstrip()) :], msgid


def test_header_declares_one_plural_form():
    for domain in DOMAINS:
        header = (LC_MESSAGES / f"{domain}.po").read_text(encoding="utf-8")
        assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in header
        assert '"Language: vi\\n"' in header


def test_key_wagtail_strings_are_vietnamese():
    known = wagtail_msgids("django")
    assert not set(KEY_STRINGS) - known, "Wagtail renamed a msgid: update KEY_STRINGS"
    with translation.override("vi"):
        untranslated = [s for s in KEY_STRINGS if translation.gettext(s) == s]
        assert not untranslated
        assert translation.gettext("Save draft") == "Lưu bản nháp"
        assert translation.gettext("Submit for moderation") == "Gửi duyệt"
        assert translation.gettext("Dashboard") == "Bảng điều khiển"
        assert translation.gettext("Snippets") == "Dữ liệu dùng chung"
        assert (
            translation.ngettext("Delete 1 page", "Delete %(counter)s pages", 3) % {"counter": 3}
            == "Xoá 3 trang"
        )
    with translation.override("en"):
        assert translation.gettext("Save draft") == "Save draft"


@pytest.fixture
def vi_superuser(db):
    user = UserFactory(is_superuser=True, is_staff=True)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "vi"
    profile.save()
    return user


def test_admin_dashboard_renders_in_vietnamese(client, vi_superuser):
    client.force_login(vi_superuser)
    html = client.get("/admin/").content.decode()
    for text in ("Bảng điều khiển", "Tổng quan hệ thống", "Phím tắt", "Hướng dẫn sử dụng"):
        assert text in html, text
    assert "Site summary" not in html
    assert "Hướng dẫn biên tập" not in html  # Wagtail's English editor guide is replaced by ours


def test_admin_page_editor_renders_in_vietnamese(client, vi_superuser):
    client.force_login(vi_superuser)
    home = Page.objects.get(depth=2)
    response = client.get(f"/admin/pages/{home.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Lưu bản nháp", "Xuất bản", "Lịch sử", "Xem trước"):
        assert text in html, text
    assert "Save draft" not in html


def test_admin_javascript_catalogue_is_vietnamese(client, vi_superuser):
    client.force_login(vi_superuser)
    js = client.get("/admin/jsi18n/").content.decode("utf-8")
    # The catalogue is JSON inside JavaScript, with non-ASCII characters \u-escaped.
    assert json.dumps("Đang tự động lưu…") in js  # "Autosave in progress…"
    assert json.dumps("Bảng điều khiển") in js  # "Dashboard" (corrected over Wagtail's own vi)
