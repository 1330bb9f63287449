"""Catalog products traced to the duties of the job description in force (issue 45 item 1):
the agency's own description wins over the province's common one, the duties are frozen with
the catalog version, the editor flags a duty no product serves and a product serving none,
a duty of a position the product does not name is refused, and the API carries the link."""

import datetime

import pytest

from api.serializers.catalogs import CatalogItemSerializer
from catalog_pages import duties
from catalog_pages.models import CatalogVersion
from tests.factories import job_description, make_item, publish

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def described(catalogs):
    position = catalogs["position"]
    justice = catalogs["justice"].agency
    common = job_description(position, tasks=("Nhiệm vụ chung",), approved_on=JAN)
    own = job_description(
        position,
        tasks=("Thẩm định dự thảo văn bản", "Kiểm tra văn bản", "Rà soát hệ thống hóa"),
        approved_on=JAN,
        agency=justice,
    )
    return {"position": position, "common": common, "own": own, "tasks": list(own.tasks.all())}


def _items(position, tasks):
    first = make_item("STP-001", "Báo cáo thẩm định", positions=[position])
    first.duties = [tasks[0]]
    second = make_item("STP-002", "Kết luận kiểm tra văn bản", positions=[position])
    second.duties = [tasks[1]]
    third = make_item("STP-003", "Công văn hành chính", positions=[position])
    return [first, second, third]


def test_the_agencys_own_description_is_the_one_traced_to(catalogs, described):
    page = catalogs["justice"]
    publish(page, catalogs["approver"], [make_item("STP-001", positions=[described["position"]])])
    found = duties.descriptions_for(page, JAN)
    assert found == {described["position"].pk: described["own"]}
    # Another agency's catalog falls back to the province's common description.
    other = catalogs["health"]
    publish(other, catalogs["approver"], [make_item("SYT-001", positions=[described["position"]])])
    assert duties.descriptions_for(other, JAN) == {described["position"].pk: described["common"]}


def test_the_editor_flags_a_duty_with_no_product_and_a_product_with_no_duty(
    client, catalogs, described
):
    page = publish(
        catalogs["justice"], catalogs["approver"], _items(described["position"], described["tasks"])
    )
    found = duties.coverage(page, day=JAN)
    assert [task.name for _d, task in found.uncovered] == ["Rà soát hệ thống hóa"]
    assert [item.code for item in found.without_duty] == ["STP-003"]

    client.force_login(catalogs["approver"])
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "1 nhiệm vụ chưa có sản phẩm nào:" in html
    assert "Chuyên viên pháp chế: Rà soát hệ thống hóa" in html
    assert "1 sản phẩm chưa gắn với nhiệm vụ nào:" in html and "STP-003" in html
    # Each product offers the duties of the description in force as tick boxes.
    assert html.count('name="items-0-duties"') == 3


def test_the_duties_are_frozen_with_the_version_and_carried_by_the_api(client, catalogs, described):
    page = publish(
        catalogs["justice"], catalogs["approver"], _items(described["position"], described["tasks"])
    )
    version = CatalogVersion.objects.get(page=page)
    item = version.items.get(code="STP-001")
    assert [d.name for d in item.duties.all()] == ["Thẩm định dự thảo văn bản"]
    duty = {
        "id": described["tasks"][0].pk,
        "job_position": "CV-PC",
        "description": described["own"].pk,
        "description_number": 1,
        "agency": "STP",
        "name": "Thẩm định dự thảo văn bản",
    }
    assert CatalogItemSerializer(item).data["duties"] == [duty]
    assert CatalogItemSerializer(version.items.get(code="STP-003")).data["duties"] == []
    # What another system reads: the item, the list filtered by version, the version's detail.
    client.force_login(catalogs["approver"])
    assert client.get(f"/api/v1/catalog-items/{item.pk}/").json()["duties"] == [duty]
    listed = client.get("/api/v1/catalog-items/", {"version": version.pk}).json()["results"]
    assert {row["code"]: row["duties"] for row in listed} == {
        "STP-001": [duty],
        "STP-002": [{**duty, "id": described["tasks"][1].pk, "name": "Kiểm tra văn bản"}],
        "STP-003": [],
    }
    detail = client.get(f"/api/v1/catalog-versions/{version.pk}/").json()
    assert [row["duties"] for row in detail["items"] if row["code"] == "STP-001"] == [[duty]]


def test_a_duty_of_a_position_the_product_does_not_name_is_refused(catalogs, described):
    from tests.factories import JobPositionFactory

    other = JobPositionFactory(name="Chuyên viên hộ tịch")
    problem = duties.position_problem(described["tasks"][0], [other])
    assert problem == (
        "Nhiệm vụ “Thẩm định dự thảo văn bản” thuộc vị trí “Chuyên viên pháp chế”, nhưng sản "
        "phẩm này không gắn với vị trí đó: chọn thêm vị trí “Chuyên viên pháp chế” hoặc bỏ "
        "nhiệm vụ này."
    )
    assert duties.position_problem(described["tasks"][0], []) is None
    assert duties.position_problem(described["tasks"][0], [described["position"]]) is None
