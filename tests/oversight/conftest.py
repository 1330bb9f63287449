"""A small province for the milestones and inspections: two departments (Sở Tư pháp with a
unit, Sở Y tế), a commune, the catalog structure, and the users who look at them."""

from types import SimpleNamespace

import pytest

from catalog_pages.setup import setup_catalogs
from org.access import AGENCY_ADMIN_GROUP, CIVIL_SERVANT_GROUP, HOME_AFFAIRS_GROUP
from org.models import LeadershipRole
from tests.factories import (
    AgencyAccessFactory,
    AgencyFactory,
    CommuneFactory,
    ProvinceFactory,
    UnitFactory,
    UserFactory,
    post,
    with_user,
)


@pytest.fixture
def province(db):
    root = ProvinceFactory()
    justice = AgencyFactory(parent=root, code="STP", name="Sở Tư pháp")
    health = AgencyFactory(parent=root, code="SYT", name="Sở Y tế")
    commune = CommuneFactory(parent=root, code="X-AN", name="Ủy ban nhân dân xã An")
    unit = UnitFactory(parent=justice, code="STP-VP", name="Văn phòng Sở Tư pháp")
    setup_catalogs()
    sonoivu = UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    admin_stp = UserFactory(username="quantri.stp", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin_stp, agency=justice)
    admin_syt = UserFactory(username="quantri.syt", groups=[AGENCY_ADMIN_GROUP])
    AgencyAccessFactory(user=admin_syt, agency=health)
    head = post(health, role=LeadershipRole.HEAD, full_name="Giám đốc Sở Y tế")
    head_user = with_user(head, "giamdoc.syt")
    clerk = post(unit, full_name="Chuyên viên Văn phòng")
    clerk_user = with_user(clerk, "congchuc", groups=[CIVIL_SERVANT_GROUP])
    return SimpleNamespace(
        root=root,
        justice=justice,
        health=health,
        commune=commune,
        unit=unit,
        sonoivu=sonoivu,
        admin_stp=admin_stp,
        admin_syt=admin_syt,
        head_syt=head_user,
        clerk=clerk_user,
    )
