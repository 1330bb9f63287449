"""A received edXML task matched to an item of an approved work plan (issue 45 item 3; Đắk Lắk
§III.3 "trên cơ sở … kế hoạch công tác (tháng, quý, năm)"): the matcher suggests the item whose
name is the document's subject, the clerk confirms, and the document's line counts for the item
on the plan's page and the unit's board; a document still waiting for its officer or type takes
the item's owner and product; nobody outside the agency matches, and a plan of another agency
is refused with the reason."""

import datetime
from html import unescape

import pytest

from django.test import Client
from django.urls import reverse

from catalog_pages.models import CatalogVersionItem
from connectors.ingest import receive
from connectors.models import Package, PackageState, PlanItemMatch, TaskTypeMapping
from org.access import AGENCY_ADMIN_GROUP
from scoring.models import AssignmentLine
from tests.connectors.world import document, ident, status
from tests.factories import AgencyAccessFactory, UserFactory
from workplans.models import PlanStatus, WorkPlan, WorkPlanItem
from workplans.services.fulfilment import fulfilment

pytestmark = pytest.mark.django_db

SUBJECT = "Xây dựng kế hoạch phổ biến giáo dục pháp luật năm 2027"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clerk(world):
    user = UserFactory(username="quantri.stp", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=user, agency=world.stp)
    return user


@pytest.fixture
def plan(world):
    """The unit's approved plan for November 2026: three items, one of them the document's."""
    plan = WorkPlan.objects.create(
        agency=world.unit,
        kind="month",
        year=2026,
        number=11,
        title="Kế hoạch công tác tháng 11 của Phòng Hành chính tư pháp",
        status=PlanStatus.APPROVED,
    )
    kh = CatalogVersionItem.objects.get(version__agency=world.stp, code="KH")
    cv = CatalogVersionItem.objects.get(version__agency=world.stp, code="CV")
    for n, (name, owner, product) in enumerate(
        [
            ("Báo cáo sơ kết công tác hộ tịch", "an", cv),
            ("Xây dựng kế hoạch phổ biến, giáo dục pháp luật năm 2027", "binh", kh),
            ("Tổ chức hội nghị tập huấn chứng thực", "an", cv),
        ],
        start=1,
    ):
        WorkPlanItem.objects.create(
            plan=plan,
            name=name,
            owner=world.people[owner],
            deadline=datetime.date(2026, 11, 25),
            product=product,
            sort_order=n,
        )
    return plan


def test_a_received_task_is_suggested_confirmed_and_counts_for_the_plan_item(
    world, clerk, plan, django_capture_on_commit_callbacks
):
    source = world.source(name="QLVB Sở Tư pháp")
    TaskTypeMapping.objects.create(source=source, external_type="KH", product_code="KH")
    receive(source, document("DOC-KH", subject=SUBJECT, doc_type="KH", email="", staff="CC-BINH"))
    package = Package.objects.get(document_id=ident("DOC-KH"))
    assert package.state == PackageState.APPLIED
    target = plan.items.get(sort_order=2)

    client = _client(clerk)
    # The packages' list links to the matching page.
    listing = unescape(client.get("/admin/connector_packages/").content.decode())
    url = reverse("connectors_plan_match", args=[package.pk])
    assert url in listing and "Khớp với kế hoạch" in listing
    # The matcher suggests the item whose name is the document's subject, preselected.
    page = client.get(url)
    html = unescape(page.content.decode())
    assert SUBJECT in html
    assert f'<tr data-item="{target.pk}" data-suggested="1">' in html
    assert f'value="{target.pk}" id="item-{target.pk}" checked' in html
    assert html.count('data-suggested="1"') == 1

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"item": target.pk}, follow=True)
    html = unescape(answer.content.decode())
    assert (
        "Đã khớp văn bản với mục “Xây dựng kế hoạch phổ biến, giáo dục pháp luật năm 2027”: "
        "văn bản được tính vào kết quả thực hiện kế hoạch." in html
    )
    assert "Đã khớp với mục “Xây dựng kế hoạch phổ biến, giáo dục pháp luật năm 2027”" in html
    match = PlanItemMatch.objects.get(package=package)
    assert (match.item, match.matched_by) == (target, clerk)
    assert list(target.lines.all()) == [package.line]

    # The plan's page shows the document with the item, and its fulfilment counts it once the
    # document system reports it completed and the leader accepts.
    plan_page = unescape(
        _client(world.users["home_affairs"])
        .get(reverse("wagtailsnippets_workplans_workplan:inspect", args=[plan.pk]))
        .content.decode()
    )
    assert "Văn bản nhận được: 125/STP-VP" in plan_page
    # The API carries the match with the item.
    api = _client(world.users["home_affairs"]).get(f"/api/v1/work-plans/{plan.pk}/").json()
    (served,) = [i for i in api["items"] if i["id"] == target.pk]
    assert (served["documents"], served["lines"]) == (["125/STP-VP"], [package.line_id])
    states = {r.item.pk: r.state for r in fulfilment(plan, datetime.date(2026, 11, 20)).items}
    assert states[target.pk] == "ongoing"
    AssignmentLine.objects.filter(pk=package.line_id).update(completed_quantity=1)
    result = fulfilment(plan, datetime.date(2026, 11, 20))
    assert {r.item.pk: r.state for r in result.items}[target.pk] == "done"
    assert (result.done, result.percent) == (1, 33)


def test_a_waiting_task_takes_the_items_owner_and_product(
    world, clerk, plan, django_capture_on_commit_callbacks
):
    """The officer is unknown to the feed and the type unmapped: matched to an item, the task is
    written as the item's owner's line of the item's product, through the import rules."""
    source = world.source(name="QLVB Sở Tư pháp")
    receive(
        source,
        document("DOC-W", subject="Tổ chức hội nghị tập huấn chứng thực", email="la@x.vn"),
    )
    package = Package.objects.get(document_id=ident("DOC-W"))
    assert package.state == PackageState.WAITING
    queue = unescape(_client(clerk).get("/admin/connector_queue/").content.decode())
    assert reverse("connectors_plan_match", args=[package.pk]) in queue
    target = plan.items.get(sort_order=3)
    with django_capture_on_commit_callbacks(execute=True):
        _client(clerk).post(
            reverse("connectors_plan_match", args=[package.pk]), {"item": target.pk}
        )
    package.refresh_from_db()
    assert package.state == PackageState.APPLIED
    assert (package.line.civil_servant, package.line.item.code) == (world.people["an"], "CV")
    assert list(target.lines.all()) == [package.line]
    # A completion reported later still lands on the same line, which stays the item's.
    receive(source, status("DOC-W", email="la@x.vn", number="125/STP-VP"))
    assert list(target.lines.all()) == [package.line]


def test_only_the_agencys_clerks_match_and_only_to_their_own_plans(world, clerk, plan):
    source = world.source(name="QLVB Sở Tư pháp")
    TaskTypeMapping.objects.create(source=source, external_type="CV", product_code="CV")
    receive(source, document("DOC-1", subject="Báo cáo sơ kết công tác hộ tịch"))
    package = Package.objects.get(document_id=ident("DOC-1"))
    url = reverse("connectors_plan_match", args=[package.pk])
    target = plan.items.get(sort_order=1)

    # An agency admin of another agency neither reads nor matches.
    other = UserFactory(username="quantri.snn", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=other, agency=world.snn)
    assert _client(other).get(url).status_code == 403
    assert _client(other).post(url, {"item": target.pk}).status_code == 403
    assert not PlanItemMatch.objects.exists()

    # Another agency's plan item is refused with the reason.
    foreign = WorkPlan.objects.create(
        agency=world.snn,
        kind="month",
        year=2026,
        number=11,
        title="Kế hoạch SNN",
        status=PlanStatus.APPROVED,
    )
    foreign_item = WorkPlanItem.objects.create(
        plan=foreign,
        name="Báo cáo sơ kết công tác hộ tịch",
        deadline=datetime.date(2026, 11, 25),
    )
    html = unescape(_client(clerk).post(url, {"item": foreign_item.pk}).content.decode())
    assert (
        "Mục “Báo cáo sơ kết công tác hộ tịch” không thuộc kế hoạch đã phê duyệt của Sở Tư pháp "
        "cho tháng 11/2026: chọn một mục trong danh sách gợi ý." in html
    )
    # Nothing picked: told how.
    html = unescape(_client(clerk).post(url, {}).content.decode())
    assert "Chọn một mục kế hoạch trong danh sách rồi bấm “Xác nhận khớp”." in html
    assert not PlanItemMatch.objects.exists()
    # A draft plan is not offered.
    plan.status = PlanStatus.DRAFT
    plan.save()
    html = unescape(_client(clerk).get(url).content.decode())
    assert "Sở Tư pháp chưa có kế hoạch công tác đã phê duyệt nào cho tháng 11/2026." in html
