"""A province with two agencies, the catalog structure, and one editor per agency."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from catalog_pages.models import AgencyCatalogPage, CatalogItem
from catalog_pages.setup import editor_group_name, setup_catalogs
from org.access import HOME_AFFAIRS_GROUP
from tests.factories import AgencyFactory, JobPositionFactory, ProvinceFactory, UserFactory


def make_item(code, name=None, coefficient="1", group=1, standard=False, positions=()):
    item = CatalogItem(
        code=code,
        name=name or f"Sản phẩm {code}",
        output_unit="văn bản",
        complexity_group=group,
        coefficient=Decimal(coefficient),
        is_standard=standard,
    )
    item.job_positions = list(positions)
    return item


def publish(page, user, items=None, effective=datetime.date(2026, 1, 1), ref="1/QĐ-UBND"):
    page = page.get_latest_revision_as_object()
    if items is not None:
        page.items = items
    page.effective_from = effective
    page.approval_ref = ref
    page.save_revision(user=user).publish(user=user)
    return AgencyCatalogPage.objects.get(pk=page.pk)


@pytest.fixture
def catalogs(db):
    province = ProvinceFactory()
    justice = AgencyFactory(parent=province, code="STP", name="Sở Tư pháp")
    health = AgencyFactory(parent=province, code="SYT", name="Sở Y tế")
    setup_catalogs()
    approver = UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    justice_editor = UserFactory(username="bientap.stp")
    justice_editor.groups.add(Group.objects.get(name=editor_group_name(justice)))
    health_editor = UserFactory(username="bientap.syt")
    health_editor.groups.add(Group.objects.get(name=editor_group_name(health)))
    position = JobPositionFactory(code="CV-PC", name="Chuyên viên pháp chế")
    return {
        "justice": AgencyCatalogPage.objects.get(agency=justice),
        "health": AgencyCatalogPage.objects.get(agency=health),
        "approver": approver,
        "justice_editor": justice_editor,
        "health_editor": health_editor,
        "position": position,
    }


def basic_items(position=None):
    positions = [position] if position else []
    return [
        make_item("STP-001", "Văn bản hành chính thông thường", "1", 1, True, positions),
        make_item("STP-002", "Báo cáo thẩm định dự thảo nghị quyết", "8", 3, False, positions),
        make_item("STP-003", "Hồ sơ hộ tịch có yếu tố nước ngoài", "2.5", 2, False, positions),
    ]
