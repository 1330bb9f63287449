"""A province with two agencies, the catalog structure, and one editor per agency."""

import pytest

from django.contrib.auth.models import Group

from catalog_pages.models import AgencyCatalogPage
from catalog_pages.setup import editor_group_name, setup_catalogs
from org.access import HOME_AFFAIRS_GROUP
from tests.factories import AgencyFactory, JobPositionFactory, ProvinceFactory, UserFactory


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
