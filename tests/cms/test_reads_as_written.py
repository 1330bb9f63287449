"""Issue 44's crawl ("no raw value … and no duplicated page title"), each class of its findings
as the person sees it on one page built from light fixtures: the inspect pages ("Xem chi
tiết"), Wagtail's chooser widgets, the listings' column headers, the framework's notes."""

import datetime
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from django.urls import reverse
from django.utils import timezone, translation

from wagtail.admin.viewsets import viewsets as admin_viewsets
from wagtail.models import Revision
from wagtail.snippets.models import get_snippet_models

from api.models import OutboxKind, OutboxRecord
from cms.listing import ShownInspectMixin, inspect_text
from cms.widgets import snippet_chooser_class
from org.access import HOME_AFFAIRS_GROUP
from org.models import Agency, LeadershipRole, PositionGroup
from scoring.framework_display import readable_note
from scoring.models import CriteriaFramework
from tests.factories import AgencyFactory, CivilServantFactory, UserFactory, annual_score

pytestmark = pytest.mark.django_db

RAW = re.compile(r"\b(True|False|None)\b|(?<![\w.,/-])\d{1,3}\.\d{1,2}(?![\w.,/%-])|\[\]")


def text_of(response) -> str:
    """What a person reads, as the crawl reads it (a rule's code in ``<code>`` is shown as a
    code on purpose)."""
    soup = BeautifulSoup(response.content, "html.parser")
    for tag in soup(["script", "style", "template", "svg", "head", "code", "pre"]):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def title_of(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return " ".join(match.group(1).split()) if match else ""


@pytest.fixture
def home_affairs(client):
    user = UserFactory(username="snv.reads", groups=[HOME_AFFAIRS_GROUP])
    client.force_login(user)
    return user


# --- inspect pages ----------------------------------------------------------------------------


def test_every_inspect_view_reads_values_as_written():
    """One helper for every "Xem chi tiết" page, as ``ShownValuesMixin`` for every listing: a
    viewset that enables its inspect view with Wagtail's own class printed True and None."""
    viewsets = [model.snippet_viewset for model in get_snippet_models()]
    viewsets += [v for v in admin_viewsets.viewsets if hasattr(v, "inspect_view_enabled")]
    checked = []
    for viewset in viewsets:
        if getattr(viewset, "inspect_view_enabled", False):
            assert issubclass(viewset.inspect_view_class, ShownInspectMixin), viewset
            checked.append(viewset)
    assert len(checked) >= 12  # people, scores, frameworks, the outbox, the read log …


def test_a_persons_page_reads_yes_no_and_a_dash(client, home_affairs):
    person = CivilServantFactory(full_name="Bùi Bảo Dung", user=None, phone="")
    page = client.get(reverse("wagtailsnippets_org_civilservant:inspect", args=[person.pk]))
    text = text_of(page)
    assert "Đang công tác Có" in text
    assert "Tài khoản đăng nhập —" in text and "Số điện thoại —" in text
    # A search key and the row's id are for the machine ("Name folded bui bao dung").
    assert "Name folded" not in text and "bui bao dung" not in text and " ID " not in text
    assert not RAW.search(text), RAW.search(text)


def test_an_annual_scores_page_reads_its_labels_and_decimal_commas(client, home_affairs):
    agency = AgencyFactory(name="Văn phòng Sở thử")
    person = CivilServantFactory(full_name="Nguyễn Văn Vũ")
    score = annual_score(
        person, "94.4", agency, role=LeadershipRole.DEPUTY, group=PositionGroup.LEADERSHIP
    )
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    score.framework, score.framework_revision = framework, framework.live_revision
    score.period_score_ids = [23, 342]
    score.save()
    page = client.get(reverse("wagtailsnippets_scoring_annualscore:inspect", args=[score.pk]))
    text = text_of(page)
    assert "Nguyễn Văn Vũ" in title_of(page) and "94,40" in title_of(page)
    assert "Chức vụ Cấp phó" in text and "Nhóm vị trí việc làm Lãnh đạo, quản lý" in text
    assert "Được xếp loại Có" in text and "Điểm năm 94,40" in text
    assert "Cần cấp có thẩm quyền quyết định (đồng điểm tại ngưỡng) Không" in text
    assert "Trường hợp không hoàn thành —" in text
    saved = timezone.localtime(framework.live_revision.created_at).strftime("%d/%m/%Y %H:%M")
    assert f"Nghị định 335 (mặc định), lưu lúc {saved}" in text
    assert "23, 342" not in text and "deputy" not in text and "leadership" not in text
    assert not RAW.search(text), RAW.search(text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


def test_a_stored_record_reads_as_a_record(client, home_affairs):
    """The outbox's payload (a document sent to the national database) is shown as it was
    sent, indented; the record's days and moments as dd/mm/yyyy."""
    record = OutboxRecord.objects.create(
        kind=OutboxKind.ANNUAL_RATING,
        year=2026,
        payload={"ho_ten": "Nguyễn Văn Vũ", "diem": "94.40", "xuat_sac": True},
        result_date=datetime.date(2026, 12, 20),
        due_date=datetime.date(2027, 1, 19),
    )
    page = client.get(reverse("national_outbox:inspect", args=[record.pk]))
    soup = BeautifulSoup(page.content, "html.parser")
    assert '"xuat_sac": true' in soup.select_one("pre.kpi-json").get_text()
    text = text_of(page)
    assert "Ngày có kết quả 20/12/2026" in text and "Hạn gửi 19/01/2027" in text
    assert "Thời điểm gửi —" in text


def test_inspect_text_of_each_kind_of_value():
    with translation.override("vi"):
        assert inspect_text(True) == "Có" and inspect_text(False) == "Không"
        assert inspect_text(None) == inspect_text("") == inspect_text([]) == "—"
        assert inspect_text(Decimal("4.50")) == "4,5"
        assert inspect_text(0.8) == "0,8"
        assert inspect_text(["a", "b"]) == "a, b"
        moment = timezone.make_aware(datetime.datetime(2026, 11, 25, 18, 56, 8))
        assert inspect_text(moment) == "25/11/2026 18:56"
        revision = Revision(object_str="Khung A", created_at=moment)
        assert inspect_text(revision) == "Khung A, lưu lúc 25/11/2026 18:56"


# --- chooser widgets --------------------------------------------------------------------------


def test_a_chooser_reads_the_language_of_the_page_that_shows_it():
    """Wagtail fills "Choose %(object)s" in when the widget is built, once per process: built
    outside a Vietnamese request, every form read "Choose cơ quan, đơn vị" (the crawl)."""
    with translation.override("en"):
        widget = snippet_chooser_class()(model=Agency)
    with translation.override("vi"):
        html = widget.render("agency", None, {"id": "id_agency"})
    assert "Chọn cơ quan, đơn vị" in html and not re.search(r"\bChoose\b", html)
    with translation.override("en"):
        english = widget.render("agency", None, {"id": "id_agency"})
    assert re.search(r"\bChoose \w", english) and "Chọn" not in english


def test_the_registered_choosers_follow_each_pages_language(client, home_affairs):
    """The one widget Wagtail registered for every foreign key to a model serves both
    languages; an add form read in Vietnamese offers "Chọn cơ quan, đơn vị"."""
    from scoring.models import Period

    for model, vi in ((Agency, "Chọn cơ quan, đơn vị"), (Period, "Chọn kỳ đánh giá")):
        widget = model.snippet_viewset.chooser_viewset.widget_class
        with translation.override("en"):
            assert str(widget.choose_one_text).startswith("Choose ")
        with translation.override("vi"):
            assert str(widget.choose_one_text) == vi
    text = text_of(client.get(reverse("wagtailsnippets_oversight_inspection:add")))
    assert "Chọn cơ quan, đơn vị" in text and not re.search(r"\bChoose\b", text)


# --- listings ---------------------------------------------------------------------------------


def test_listing_headers_are_capitalised_on_every_request(client, home_affairs):
    """The listings relabel copies of the viewset's columns; a copy's header still rendered the
    original's label ("loại kết quả")."""
    OutboxRecord.objects.create(
        kind=OutboxKind.ANNUAL_RATING,
        year=2026,
        result_date=datetime.date(2026, 12, 20),
        due_date=datetime.date(2027, 1, 19),
    )
    for _request in range(2):
        soup = BeautifulSoup(client.get(reverse("national_outbox:index")).content, "html.parser")
        headers = [" ".join(th.get_text(" ").split()) for th in soup.select("thead th")]
        assert "Loại kết quả" in headers and "Mã số công chức" in headers, headers
        assert not [h for h in headers if len(h) > 1 and h[0].islower()], headers


# --- the framework's notes --------------------------------------------------------------------


def test_a_note_names_an_option_by_its_words():
    with translation.override("vi"):
        note = readable_note("Chưa nhận xét được coi là bảo đảm. Chọn not_assessed để không xét.")
        assert "not_assessed" not in note
        assert "Chọn “không xét chất lượng, hiệu quả của nhiệm vụ” để không xét." in note
        assert "exact" not in readable_note("Chọn exact để so tổng điểm chưa làm tròn.")
        assert readable_note("Điểm 89,995; đơn vị exactly") == "Điểm 89,995; đơn vị exactly"


def test_the_framework_page_has_no_option_codes_nor_developer_files(client, home_affairs):
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    page = client.get(
        reverse("wagtailsnippets_scoring_criteriaframework:inspect", args=[framework.pk])
    )
    text = text_of(page)
    assert "docs/" not in text and ".md" not in text
    codes = re.findall(r"(?<![\w.@/:-])[a-z]+(?:_[a-z0-9]+)+(?![\w.@/:-])", text)
    assert not codes, codes
