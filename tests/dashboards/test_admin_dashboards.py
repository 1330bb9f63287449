"""Admin dashboards: who may open which URL, drill-down, panels and Excel exports."""

import io

import pytest
from openpyxl import load_workbook

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

from dashboards.admin_views import EXPORT_ACTION
from org.access import (
    AGENCY_ADMIN_GROUP,
    CIVIL_SERVANT_GROUP,
    HOME_AFFAIRS_GROUP,
    UNIT_LEADER_GROUP,
)
from org.models import AgencyAccess
from org.roles import ensure_roles
from tests.dashboards.helpers import month, scores, small_province
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "matkhau-123"


@pytest.fixture
def world():
    cache.clear()
    ensure_roles()
    w = small_province()
    w["period"] = month(3, published=False)
    w["big_people"] = scores(
        w["period"], w["big_unit"], {"excellent": 9, "good": 30, "completed": 5}
    )
    scores(w["period"], w["other_unit"], {"good": 10, "completed": 10, "not_completed": 8})
    w["users"] = {
        "home_affairs": UserFactory(username="snv", groups=[HOME_AFFAIRS_GROUP]),
        "agency_admin": UserFactory(username="qtbig", groups=[AGENCY_ADMIN_GROUP]),
        "unit_leader": UserFactory(username="ldp1", groups=[UNIT_LEADER_GROUP]),
        "civil_servant": UserFactory(username="cc", groups=[CIVIL_SERVANT_GROUP]),
    }
    users = w["users"]
    AgencyAccess.objects.create(user=users["agency_admin"], agency=w["big"], role="agency_admin")
    AgencyAccess.objects.create(user=users["unit_leader"], agency=w["big_unit"], role="unit_leader")
    person = w["big_people"][0]
    person.user = w["users"]["civil_servant"]
    person.save()
    return w


def client_for(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def node(world, key):
    return reverse("dashboards_node", args=[world[key].pk])


def opens(response) -> bool:
    return response.status_code == 200 and b"kpi-dashboard" in response.content


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", set()),
        ("civil_servant", set()),
        ("unit_leader", {"big_unit"}),
        ("agency_admin", {"big", "big_unit"}),
        ("home_affairs", {"province", "big", "big_unit", "other", "other_unit", "tiny"}),
    ],
)
def test_node_urls_by_role(world, role, allowed):
    client = client_for(world, role)
    for key in ("province", "big", "big_unit", "other", "other_unit", "tiny"):
        response = client.get(node(world, key))
        assert opens(response) == (key in allowed), (role, key, response.status_code)
        if key not in allowed:
            assert response.status_code in (302, 403)
        export = client.get(node(world, key) + "?xuat=children")
        is_xlsx = export.get("Content-Type", "").startswith("application/vnd.openxml")
        assert is_xlsx == (key in allowed), (role, key)


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("home_affairs", "province"),  # one tree only: straight to it
        ("agency_admin", "big"),
        ("unit_leader", "big_unit"),
    ],
)
def test_index_sends_each_role_to_its_own_level(world, role, target):
    response = client_for(world, role).get(reverse("dashboards_index") + "?ky=2026-03")
    assert response.status_code == 302
    assert response["Location"] == node(world, target) + "?ky=2026-03"


@pytest.mark.parametrize("role", ["anonymous", "civil_servant"])
def test_index_refuses_others(world, role):
    response = client_for(world, role).get(reverse("dashboards_index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login")) or response[
        "Location"
    ] == reverse("wagtailadmin_home")


def test_menu_item_only_for_dashboard_users(world):
    home, link = reverse("wagtailadmin_home"), reverse("dashboards_index").encode()
    assert link in client_for(world, "agency_admin").get(home).content
    assert link not in client_for(world, "civil_servant").get(home).content


def test_province_drill_down_to_agency_unit_and_person(world):
    client = client_for(world, "home_affairs")
    html = client.get(node(world, "province") + "?ky=2026-03").content.decode()
    assert node(world, "big") + "?ky=2026-03" in html  # province → agency
    assert "Tình hình nộp kết quả của kỳ" in html
    assert "Cơ cấu xếp loại khác biệt so với toàn cấp" in html
    assert "Kết quả quá hạn đồng bộ lên Cơ sở dữ liệu quốc gia" in html
    html = client.get(node(world, "big") + "?ky=2026-03").content.decode()
    assert node(world, "big_unit") + "?ky=2026-03" in html  # agency → unit
    html = client.get(node(world, "big_unit") + "?ky=2026-03").content.decode()
    person = world["big_people"][0]
    assert person.full_name in html and "/admin/scoring/explain/" in html  # unit → person


def test_people_are_shown_to_their_leader_but_not_outside_the_subtree(world):
    html = client_for(world, "unit_leader").get(node(world, "big_unit")).content.decode()
    assert world["big_people"][1].full_name in html
    other = client_for(world, "unit_leader").get(node(world, "other_unit"))
    assert not opens(other)


def test_outliers_and_quota_cap(world):
    html = client_for(world, "home_affairs").get(node(world, "province")).content.decode()
    assert "Khác biệt lớn" in html  # Sở Khác departs strongly from the province mix
    html = client_for(world, "home_affairs").get(node(world, "big")).content.decode()
    # 9 excellent vs 30 good: 20 % of good allows floor(0.2 × 39 / 1.2) = 6 → over the cap.
    assert "Vượt mức trần" in html


def test_submissions_status_from_import_jobs(world):
    from importers.models import ImportJob, ImportKind, ImportStatus

    common = {"period_code": "2026-03", "file": "x.xlsx", "original_name": "x.xlsx", "sha256": "0"}
    ImportJob.objects.create(
        kind=ImportKind.RESULTS,
        agency=world["big"],
        status=ImportStatus.COMMITTED,
        committed_at=timezone.now(),
        **common,
    )
    ImportJob.objects.create(
        kind=ImportKind.RESULTS,
        agency=world["other"],
        status=ImportStatus.INVALID,
        error_count=7,
        **common,
    )
    html = client_for(world, "home_affairs").get(node(world, "province")).content.decode()
    assert "Có lỗi, chưa nhận" in html
    assert "Đã nhận, nộp muộn" in html  # March 2026 ended long before this upload
    assert "Chưa nộp, quá hạn" in html


def test_excel_export_of_people_is_logged(world):
    client = client_for(world, "agency_admin")
    response = client.get(node(world, "big_unit") + "?ky=2026-03&xuat=people")
    assert response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert world["big_people"][0].full_name in values
    entry = ModelLogEntry.objects.get(action=EXPORT_ACTION)
    assert entry.user == world["users"]["agency_admin"]
    assert entry.data["table"] == "people"


def test_unknown_table_cannot_be_exported(world):
    client = client_for(world, "home_affairs")
    response = client.get(node(world, "province") + "?xuat=nope")
    assert response.status_code in (302, 403)
    assert "attachment" not in response.get("Content-Disposition", "")
    followed = client.get(node(world, "province") + "?xuat=nope", follow=True)
    assert "Bạn không có quyền truy cập" in followed.content.decode()


def test_national_database_panel_is_a_placeholder_without_an_outbox(world, monkeypatch):
    from dashboards import national_sync

    monkeypatch.setattr(national_sync, "outbox_model", lambda: None)
    html = client_for(world, "home_affairs").get(node(world, "province")).content.decode()
    assert "Chưa có chức năng" in html and "overdue_exports()" in html
    html = client_for(world, "agency_admin").get(node(world, "big")).content.decode()
    assert "Cơ sở dữ liệu quốc gia" not in html  # Sở Nội vụ's province view only


def test_national_database_panel_counts_overdue_outbox_records(world):
    import datetime

    from dashboards import national_sync

    model = national_sync.outbox_model()
    if model is None:
        pytest.skip("no national-database outbox (api.OutboxRecord) in this tree")
    today = timezone.localdate()
    common = {
        "kind": "period_result",
        "period": world["period"],
        "year": 2026,
        "result_date": today - datetime.timedelta(days=30),
    }
    model.objects.create(
        agency=world["big_unit"], due_date=today - datetime.timedelta(days=9), **common
    )
    model.objects.create(
        agency=world["big_unit"],
        due_date=today - datetime.timedelta(days=2),
        status="failed",
        **common,
    )
    model.objects.create(
        agency=world["other_unit"], due_date=today + datetime.timedelta(days=3), **common
    )  # not due yet
    model.objects.create(
        agency=world["other_unit"],
        due_date=today - datetime.timedelta(days=3),
        status="sent",
        **common,
    )  # already sent
    html = client_for(world, "home_affairs").get(node(world, "province")).content.decode()
    section = html[html.index('id="national"') :]
    section = section[: section.index("</section>")]
    assert "Sở Lớn" in section and "Sở Khác" not in section
    assert ">2<" in section and ">1<" in section  # two overdue records, one of them failed


def test_heads_and_the_other_trees_are_reached_from_the_menu(world):
    """Review 2026-11-23 coverage findings 2 and 4: a director (any head) had no menu entry to
    the statistics of the agency they head, and Sở Nội vụ could not reach the Party and Front
    trees except by typing their URL."""
    from org.models import AgencyKind, LeadershipRole
    from tests.factories import AgencyFactory, PostingFactory

    director = UserFactory(username="giamdoc", groups=[CIVIL_SERVANT_GROUP])
    person = world["big_people"][1]
    person.user = director
    person.save()
    PostingFactory(civil_servant=person, agency=world["big"], role=LeadershipRole.HEAD)
    client = Client()
    client.force_login(director)
    home, link = reverse("wagtailadmin_home"), reverse("dashboards_index").encode()
    assert link in client.get(home).content
    response = client.get(reverse("dashboards_index"))
    assert response.status_code == 302 and response["Location"] == node(world, "big")

    party = AgencyFactory(parent=None, kind=AgencyKind.PARTY, code="TU", name="Tỉnh ủy Thử")
    html = client_for(world, "home_affairs").get(reverse("dashboards_index")).content.decode()
    assert reverse("dashboards_node", args=[party.pk]) in html
    assert node(world, "province") in html and "Tỉnh ủy Thử" in html


@pytest.mark.parametrize("kind", ["commune", "party"])
def test_commune_chairmen_and_party_secretaries_have_the_statistics_entry(world, kind):
    """Review 2026-11-23 C6 (issue 30 item 6): a commune chairman and a Party secretary — heads
    like a director — find "Thống kê, giám sát" in their menu; it opens their own agency."""
    from org.models import AgencyKind, LeadershipRole
    from tests.factories import AgencyFactory, CivilServantFactory, PostingFactory
    from tests.ratings.test_agency_results import menu_labels

    if kind == "commune":
        agency = AgencyFactory(parent=world["province"], kind=AgencyKind.COMMUNE, name="UBND xã A")
    else:
        agency = AgencyFactory(parent=None, kind=AgencyKind.PARTY, code="TU", name="Tỉnh ủy Thử")
    head = UserFactory(username=f"truong.{kind}", groups=[CIVIL_SERVANT_GROUP])
    PostingFactory(
        civil_servant=CivilServantFactory(user=head), agency=agency, role=LeadershipRole.HEAD
    )
    client = Client()
    client.force_login(head)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    from tests.cms.test_listing_values import menu_urls

    assert "Thống kê, giám sát" in menu_labels(html)
    assert reverse("dashboards_index") in menu_urls(html)
    response = client.get(reverse("dashboards_index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards_node", args=[agency.pk])


def test_a_long_people_export_is_built_in_the_background_with_the_same_cells(world):
    """Issue 47: above KPI_EXPORT_INLINE_ROWS the people table's export (built alone, not the
    whole dashboard) lands on the export job's page; the file has the inline download's cells,
    and its download is logged as the inline one is, with Wagtail's ``dashboards.export`` entry;
    another reader of the same unit never opens it."""
    from audit.models import ReadKind
    from tests.export_jobs import in_background, refused_everywhere

    client = client_for(world, "agency_admin")
    query = {"ky": "2026-03", "xuat": "people"}
    url = node(world, "big_unit")
    rows = len(world["big_people"])
    job, _inline, page = in_background(client, url, query, rows=rows, read_kind=ReadKind.DASHBOARD)
    assert "Công chức của" in page
    entries = ModelLogEntry.objects.filter(action=EXPORT_ACTION).order_by("pk")
    assert entries.count() == 2  # the inline download, then the job's file
    assert entries.last().data == {"table": "people", "period": "2026-03", "rows": rows}
    assert entries.last().user == world["users"]["agency_admin"]
    refused_everywhere(client_for(world, "unit_leader"), job, world["big_people"][0].full_name)
