"""Issuing a satisfaction code (the staff's door, issue 33 item 3): the agency's clerk types the
official ID of the person who handled the result; nobody issues codes about themselves, nor
for another agency's people."""

import re

import pytest

from django.urls import reverse

from feedback.models import SatisfactionCode
from org.access import AGENCY_ADMIN_GROUP, CIVIL_SERVANT_GROUP
from tests.factories import AgencyAccessFactory, AgencyFactory, UnitFactory, UserFactory, post
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.clerk = UserFactory(groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=world.clerk, agency=world.department)
    world.handler = world.person("Phạm Thị Một Cửa")
    other = AgencyFactory(parent=world.province, name="Sở Khác thử nghiệm")
    world.outsider = post(UnitFactory(parent=other), full_name="Người Sở Khác")
    return world


def issue(client, official_id, subject="Cấp giấy phép", day="20/03/2026"):
    return client.post(
        reverse("feedback_issue"),
        {"official_id": official_id, "subject": subject, "completed_on": day},
    )


def test_the_clerk_issues_a_code_to_print(client, world):
    client.force_login(world.clerk)
    page = client.get(reverse("feedback_issue")).content.decode()
    assert "Mã số công chức giải quyết" in page and "Dạng dd/mm/yyyy" in page
    response = issue(client, world.handler.official_id.lower())
    html = response.content.decode()
    code = SatisfactionCode.objects.get()
    assert (code.person, code.agency, code.subject) == (world.handler, world.unit, "Cấp giấy phép")
    assert str(code.completed_on) == "2026-03-20"
    assert f"{code.code[:4]}-{code.code[4:]}" in html
    assert f"/phan-hoi/{code.code}/" in html
    assert "trả kết quả ngày 20/03/2026, do Phạm Thị Một Cửa giải quyết" in html
    assert re.fullmatch(r"[A-Z0-9]{8}", code.code)


def test_no_code_for_another_agency_or_oneself(client, world):
    client.force_login(world.clerk)
    response = issue(client, world.outsider.official_id)
    assert "Không có công chức mã số" in response.content.decode()
    assert "trong các đơn vị bạn quản lý" in response.content.decode()
    own = UserFactory(groups=[CIVIL_SERVANT_GROUP])
    world.handler.user = own
    world.handler.save()
    client.force_login(own)
    response = issue(client, world.handler.official_id)
    assert "Không có công chức mã số" in response.content.decode()
    assert not SatisfactionCode.objects.exists()


def test_bad_input_is_named(client, world):
    client.force_login(world.clerk)
    html = issue(client, world.handler.official_id, subject="", day="31/02/2026").content.decode()
    assert "Sản phẩm, dịch vụ" in html
    assert html.count('role="alert"') >= 2
    html = issue(client, world.handler.official_id, day="01/01/2020").content.decode()
    assert "người này không công tác ở đơn vị nào" in html
    assert not SatisfactionCode.objects.exists()
