"""A draft of the next catalog from last year's actual work (issue 45 item 5; coverage C4 "trên
cơ sở kết quả thực hiện năm trước", Đắk Lắk §III.2.2, Gia Lai §IV.2.1.a, Lào Cai §II.2.2): the
agency's catalog editor presses "Soạn bản mới từ kết quả năm trước" on "Danh mục của cơ quan",
sees the products actually assigned last year (lines) and the received documents of types not
in the catalog, grouped by the matcher, edits the preview and confirms; a draft revision of the
catalog is written (the live catalog and its versions unchanged). Only the agency's own rows."""

import datetime
from decimal import Decimal
from html import unescape

import pytest

from django.urls import reverse
from django.utils import timezone

from catalog_pages.models import AgencyCatalogPage, CatalogVersion, CatalogVersionItem
from connectors.models import Package, PackageKind, PackageState, Source
from scoring.models import Period
from tests.factories import (
    PostingFactory,
    UnitFactory,
    assignment_line,
    basic_items,
    catalog_version,
    publish,
)

pytestmark = pytest.mark.django_db
TASK = "/admin/danh-muc-co-quan/"
PHIEU = "Thẩm định hồ sơ cấp phiếu lý lịch tư pháp cho công dân"


@pytest.fixture
def last_year(catalogs):
    """Sở Tư pháp's published catalog; last year its unit used STP-001 three times and STP-002
    once, and received two documents of a type not in the catalog; Sở Y tế's work beside it."""
    page = publish(catalogs["justice"], catalogs["approver"], basic_items(catalogs["position"]))
    justice = page.agency
    year = timezone.localdate().year - 1
    unit = UnitFactory(parent=justice, code="STP-P1", name="Phòng Hành chính tư pháp")
    person = PostingFactory(agency=unit).civil_servant
    version_items = {i.code: i for i in CatalogVersionItem.objects.filter(version__agency=justice)}
    for month in (3, 6, 9):
        period = Period.for_date(datetime.date(year, month, 1), create=True)
        assignment_line(person, period, version_items["STP-001"], unit, assigned=2, completed=2)
    period = Period.for_date(datetime.date(year, 10, 1), create=True)
    assignment_line(person, period, version_items["STP-002"], unit, assigned=1, completed=0)
    # This year's line is not last year's work.
    this_year = Period.for_date(datetime.date(year + 1, 1, 1), create=True)
    assignment_line(person, this_year, version_items["STP-003"], unit)
    source = Source.objects.create(name="QLVB Sở Tư pháp", agency=justice)
    for n, subject in enumerate(
        [PHIEU, "V/v thẩm định hồ sơ cấp phiếu lý lịch tư pháp cho công dân"], start=1
    ):
        Package.objects.create(
            source=source,
            key=f"document:D{n}",
            kind=PackageKind.DOCUMENT,
            document_id=f"D{n}",
            sha256="0" * 64,
            month=datetime.date(year, 5, 1),
            data={"subject": subject, "code": f"{n}/UBND-NC"},
            state=PackageState.WAITING,
            missing="task_type",
            missing_key="PLL",
        )
    health = catalogs["health"].agency
    _v, health_items = catalog_version(health, items=(("SYT-9", "1"),))
    health_person = PostingFactory(agency=health).civil_servant
    assignment_line(
        health_person,
        Period.for_date(datetime.date(year, 4, 1), create=True),
        health_items["SYT-9"],
        health,
    )
    return page, year


def _rows(html):
    return [part.split("</tr>")[0] for part in html.split('<tr data-row="')[1:]]


def test_the_editor_drafts_the_next_catalog_from_last_years_work(client, catalogs, last_year):
    page, year = last_year
    editor = catalogs["justice_editor"]
    client.force_login(editor)
    url = reverse("catalog_from_last_year", args=[page.pk])
    task = unescape(client.get(TASK).content.decode())
    assert "Soạn bản mới từ kết quả năm trước" in task and url in task

    html = unescape(client.get(url).content.decode())
    rows = _rows(html)
    assert len(rows) == 4, rows
    used, second, new, unused = rows
    assert 'value="STP-001"' in used and "3 dòng, giao 6, hoàn thành 6" in used
    assert 'value="STP-002"' in second and "1 dòng, giao 1, hoàn thành 0" in second
    # The two documents are one product, named after the first, with a new code.
    assert 'value="STP-M01"' in new and f'value="{PHIEU}"' in new
    assert "2 văn bản chưa có trong danh mục" in new
    assert "Gộp từ: V/v thẩm định hồ sơ cấp phiếu lý lịch tư pháp cho công dân" in new
    # The product nobody used is offered unticked.
    assert 'value="STP-003"' in unused and "Không được giao" in unused
    assert 'data-unused="1"' in html and html.count(" checked") == 3
    assert "SYT-9" not in html  # another agency's work

    answer = client.post(
        url,
        {
            "rows": "4",
            **{f"row-{n}-keep": "1" for n in (0, 1, 2)},
            **{
                f"row-{n}-{field}": value
                for n, row in enumerate(
                    [
                        ("STP-001", "Văn bản hành chính thông thường", "văn bản", "1"),
                        ("STP-002", "Báo cáo thẩm định dự thảo nghị quyết", "báo cáo", "8"),
                        ("STP-004", "Phiếu lý lịch tư pháp", "phiếu", "1,5"),
                        ("STP-003", "Hồ sơ hộ tịch có yếu tố nước ngoài", "hồ sơ", "2,5"),
                    ]
                )
                for field, value in zip(("code", "name", "unit", "coefficient"), row, strict=True)
            },
            **{f"row-{n}-key": key for n, key in enumerate(_keys(html))},
        },
        follow=True,
    )
    done = unescape(answer.content.decode())
    assert (
        f"Đã soạn bản nháp danh mục từ kết quả năm {year}: 3 sản phẩm/công việc. Kiểm tra, gắn "
        "nhiệm vụ trong bản mô tả công việc rồi gửi tới Thẩm định." in done
    )
    page = AgencyCatalogPage.objects.get(pk=page.pk)
    draft = page.get_latest_revision_as_object()
    items = {i.code: i for i in draft.items.all()}
    assert sorted(items) == ["STP-001", "STP-002", "STP-004"]
    assert (items["STP-004"].name, items["STP-004"].output_unit) == (
        "Phiếu lý lịch tư pháp",
        "phiếu",
    )
    assert items["STP-004"].coefficient == Decimal("1.5")
    # The continued product keeps its identity and its job positions.
    live = {i.code: i for i in page.items.all()}
    assert items["STP-001"].uid == live["STP-001"].uid
    assert list(items["STP-001"].job_positions.all()) == [catalogs["position"]]
    # Nothing applies until approved: the live catalog and its versions are unchanged.
    assert sorted(live) == ["STP-001", "STP-002", "STP-003"]
    assert CatalogVersion.objects.filter(agency=page.agency).count() == 1
    assert "Có bản nháp chưa gửi thẩm định" in unescape(client.get(TASK).content.decode())


def _keys(html):
    return [row.split('-key" value="')[1].split('"')[0] for row in _rows(html)]


def test_the_preview_says_what_to_fix_and_others_are_refused(client, catalogs, last_year):
    page, _year = last_year
    url = reverse("catalog_from_last_year", args=[page.pk])
    client.force_login(catalogs["health_editor"])
    assert client.get(url).status_code == 403
    assert "Phiếu lý lịch" not in client.get(url).content.decode()

    client.force_login(catalogs["justice_editor"])
    html = unescape(client.get(url).content.decode())
    keys = _keys(html)
    answer = client.post(
        url,
        {
            "rows": "2",
            "row-0-key": keys[0],
            "row-0-keep": "1",
            "row-0-code": "STP-001",
            "row-0-name": "Văn bản hành chính thông thường",
            "row-0-unit": "văn bản",
            "row-0-coefficient": "abc",
            "row-1-key": keys[1],
            "row-1-keep": "1",
            "row-1-code": "STP-001",
            "row-1-name": "",
            "row-1-unit": "báo cáo",
            "row-1-coefficient": "8",
        },
    )
    html = unescape(answer.content.decode())
    assert "Dòng 1: hệ số “abc” không hợp lệ; nhập số từ 0,0001 trở lên, ví dụ 1,5." in html
    assert "Dòng 2: mã “STP-001” trùng với dòng 1; sửa một trong hai mã." in html
    assert "Dòng 2: nhập tên sản phẩm/công việc." in html
    # What the clerk typed is still there.
    assert 'value="abc"' in html
    assert (
        AgencyCatalogPage.objects.get(pk=page.pk).get_latest_revision_as_object().items.count() == 3
    )
