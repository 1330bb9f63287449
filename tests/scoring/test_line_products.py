"""The admin's "Thêm dòng giao việc" offers the products of the catalog in force for the line's
agency, and refuses any other on the field (issue 44, ux M10): the agency admin of Sở Tư pháp saw
343 products of every agency, old and new versions side by side."""

import datetime
import re
from html import unescape

import pytest

from django.urls import reverse

from org.access import AGENCY_ADMIN_GROUP, HOME_AFFAIRS_GROUP
from org.models import AccessRole
from scoring.models import AssignmentLine, Period
from tests.browsing import form_data
from tests.factories import (
    AgencyAccessFactory,
    AgencyFactory,
    CatalogVersionFactory,
    UserFactory,
    catalog_version,
    post,
)
from tests.factories.catalog import CatalogVersionItemFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

ADD = reverse("wagtailsnippets_scoring_assignmentline:add")


@pytest.fixture
def lines_world():
    world = build_world()  # Sở Nội vụ thử nghiệm, catalog v1 (X, Y) from 01/01/2026; March
    v2 = CatalogVersionFactory(
        agency=world.department, page=world.version.page, effective_from=datetime.date(2026, 2, 1)
    )
    new = {
        code: CatalogVersionItemFactory(version=v2, code=code, name=f"Việc mới {code}")
        for code in ("M", "N")
    }
    other = AgencyFactory(parent=world.province, code="SKHAC", name="Sở Khác Hẳn")
    _version, foreign = catalog_version(other, items=(("K", "1"),))
    person = post(world.unit, full_name="Trần Giao Việc")
    admin = UserFactory(username="quantri.dong", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin, agency=world.department, role=AccessRole.AGENCY_ADMIN)
    home = UserFactory(username="sonoivu.dong", groups=[HOME_AFFAIRS_GROUP])
    return world, new, foreign, person, admin, home


def options(html) -> dict[str, str]:
    select = html.split('name="item"', 1)[1].split("</select>", 1)[0]
    return {
        value: unescape(label).strip()
        for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select)
    }


def test_the_agency_admin_is_offered_only_the_catalog_in_force_of_her_agency(client, lines_world):
    _world, new, _foreign, _person, admin, _home = lines_world
    client.force_login(admin)
    offered = options(client.get(ADD).content.decode())
    assert offered == {
        str(new["M"].pk): "M — Việc mới M",
        str(new["N"].pk): "N — Việc mới N",
    }


def test_home_affairs_sees_each_agency_in_force_labelled_by_agency(client, lines_world):
    world, new, foreign, _person, _admin, home = lines_world
    client.force_login(home)
    offered = options(client.get(ADD).content.decode())
    assert offered[str(new["M"].pk)] == "Sở Nội vụ thử nghiệm: M — Việc mới M"
    assert offered[str(foreign["K"].pk)] == "Sở Khác Hẳn: K — Sản phẩm K"
    assert str(world.items["X"].pk) not in offered  # version 1, replaced on 01/02/2026


def _post(client, world, person, item, period=None):
    data = form_data(client.get(ADD).content.decode())
    data.update(
        civil_servant=person.pk,
        period=(period or world.period).pk,
        item=item.pk,
        unit=world.unit.pk,
        assigned_quantity="1",
        completed_quantity="0",
    )
    return client.post(ADD, data)


def _field_error(response) -> str:
    html = unescape(response.content.decode())
    wrapper = html.split('data-contentpath="item"', 1)[1]
    found = re.findall(r'class="error-message"[^>]*>\s*(?:<p>)?([^<]+)', wrapper[:4000])
    assert found, wrapper[:3000]
    return found[0].strip()


def test_the_server_refuses_another_agency_s_item_and_an_old_version_on_the_field(
    client, lines_world
):
    world, new, foreign, person, _admin, home = lines_world
    client.force_login(home)  # her list holds every agency: the server must still refuse

    response = _post(client, world, person, foreign["K"])
    assert response.status_code == 200
    assert _field_error(response) == (
        "Sản phẩm “K — Sản phẩm K” thuộc danh mục của Sở Khác Hẳn, không phải của Sở Nội vụ "
        "thử nghiệm (cơ quan của đơn vị thực hiện). Hãy chọn sản phẩm trong danh mục của Sở Nội "
        "vụ thử nghiệm."
    )

    # Version 2 is offered (in force today) but January is scored with version 1.
    january = Period.for_date(datetime.date(2026, 1, 1), create=True)
    response = _post(client, world, person, new["M"], period=january)
    assert response.status_code == 200
    assert _field_error(response) == (
        "Sản phẩm “M — Việc mới M” thuộc danh mục phiên bản 2, không phải phiên bản 1 (áp dụng "
        "từ 01/01/2026) dùng cho kỳ Tháng 01/2026 của Sở Nội vụ thử nghiệm. Hãy chọn sản phẩm "
        "của phiên bản đang áp dụng."
    )
    assert not AssignmentLine.objects.filter(civil_servant=person).exists()

    response = _post(client, world, person, new["M"])
    assert response.status_code == 302
    assert AssignmentLine.objects.get(civil_servant=person).item == new["M"]


def test_the_agency_admin_cannot_post_another_agency_s_item(client, lines_world):
    world, _new, foreign, person, admin, _home = lines_world
    client.force_login(admin)
    response = _post(client, world, person, foreign["K"])
    assert response.status_code == 200
    assert "Hãy chọn" in _field_error(response) or "hợp lệ" in _field_error(response)
    assert not AssignmentLine.objects.filter(civil_servant=person).exists()
