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


def test_the_guides_quote_the_issue_45_screens_in_their_own_words():
    """The civil servant's competencies and plan lines, and the refusals of the issue-45 action
    matrix, as the screens and messages say them (each quoted string is the source's)."""
    root = DOCS.parent

    def source(path: str) -> str:
        return " ".join((root / path).read_text("utf-8").split())

    form01 = source("ratings/templates/ratings/form01_entry.html")
    civil_servant = text("cong-chuc.md")
    for label in (
        "Năng lực theo vị trí việc làm",
        "Cấp độ yêu cầu",
        "Cấp độ người đánh giá đánh giá",
    ):
        assert label in form01 and label in civil_servant, label
    assert "Cấp độ {{ level }}/{{ top }}" in form01 and "*Cấp độ 3/5*" in civil_servant
    explain = source("scoring/explain.py")
    assert '"Năng lực theo vị trí việc làm do người đánh giá đánh giá (%(lines)s)' in explain
    assert '"Năng lực theo vị trí việc làm do người đánh giá đánh giá (…)"' in civil_servant
    assert "người đánh giá chưa đánh giá năng lực %(missing)s của vị trí " in explain
    assert "người đánh giá chưa đánh giá năng lực … của vị trí việc làm" in civil_servant
    assert '"Theo kế hoạch: %(plan)s — %(item)s"' in source("workplans/services/flow.py")
    assert '"Theo kế hoạch: *tên kế hoạch* — *nội dung mục*"' in civil_servant
    assert '{% translate "Yêu cầu" %}' in source("worklog/templates/worklog/line.html")

    opinions = source("ratings/services/related_opinions.py")
    assert (
        '"Bạn là người đề nghị cho ý kiến: người đứng đầu hoặc quản trị khác của %(body)s trả "'
        in (opinions)
    )
    assert (
        "Bạn là người đề nghị cho ý kiến: người đứng đầu hoặc quản trị khác của … trả lời"
        in text("can-bo-nhap-lieu.md")
    )
    assert '"Bạn là người được đánh giá trong hồ sơ này (hoặc đại diện cho cơ quan được đánh "' in (
        opinions
    )
    assert "Bạn là người được đánh giá trong hồ sơ này … không tự cho ý kiến về mình" in text(
        "lanh-dao-don-vi.md"
    )
    from scoring.services.proposals import SENT_BY_YOU

    assert f'"{SENT_BY_YOU}"' in text("co-quan-chu-tri-khoi.md")
