"""The users' guide speaks to users and says what the screens say (review 2026-11-25 L8 and
"Guide gaps and mismatches" 2–4, 7): no maintainers' material in it (it is shown in the admin
to everyone), and where it quotes a screen, the screen's own words."""

import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "huong-dan"
DOCS = GUIDE.parent
# Developer material: repository paths, Python files, make/manage.py commands, test names.
DEVELOPER = re.compile(r"\b(?:tests|docs|scripts)/[\w./-]+|\b\w+\.py\b|\bmake \w|manage\.py")


def text(name: str) -> str:
    return " ".join((GUIDE / name).read_text("utf-8").split())


def test_no_page_of_the_guide_carries_maintainers_material():
    found = [
        f"{page.name}: {match.group(0)}"
        for page in sorted(GUIDE.glob("*.md"))
        for match in DEVELOPER.finditer(page.read_text("utf-8"))
    ]
    assert not found, found
    assert "người bảo trì" not in text("README.md")
    maintainers = (DOCS / "user-guide.md").read_text("utf-8")
    assert "tests/browser/test_guide.py" in maintainers


def test_the_guide_warns_that_unit_names_repeat_as_the_picker_shows_them():
    from types import SimpleNamespace

    from org.pickers import picker_label

    unit = SimpleNamespace(pk=2, name="Văn phòng Sở", is_agency=False, ancestor_ids=lambda: [1])
    shown = picker_label(unit, {1: "Sở Tư pháp"})
    assert shown in text("so-noi-vu.md")


def test_the_guide_says_which_frameworks_open_the_editor():
    page = text("so-noi-vu.md")
    assert "khung của một cơ quan (sở, ngành, xã) mở trang **Xem chi tiết** chỉ để xem" in page
    assert "**Khung tiêu chí đề xuất**" in page


def test_the_guide_quotes_the_bloc_leads_approval_message():
    source = (DOCS.parent / "catalog_pages" / "views.py").read_text("utf-8")
    assert '"Đã phê duyệt danh mục của %(agency)s: phiên bản %(number)d, quyết định số "' in source
    assert "*Đã phê duyệt danh mục của …: phiên bản …, quyết định số …" in text(
        "co-quan-chu-tri-khoi.md"
    )


def test_single_sign_on_on_one_machine_is_written_for_it_staff():
    guide = text("so-noi-vu.md")
    assert "hai **tên máy khác nhau**" in guide
    operations = " ".join((DOCS / "operations.md").read_text("utf-8").split())
    for needed in (
        "tests/accounts/oidc_idp/serve.py 8100",
        "runserver localhost:8000",
        "KPI_OIDC_CLIENT_ID=",
        "different host names",
    ):
        assert needed in operations, needed
