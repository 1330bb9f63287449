"""A small province for the open-API tests: two departments with a unit each, people, scores,
users of every role and integration systems with tokens (built on ``tests.factories``).

    province TINH
    ├── SNV (Sở Nội vụ)          catalog: X (k=1), Y (k=2)
    │   └── SNV-P1 (phòng)        Alice (staff), Hùng (head)
    └── STC (Sở Tài chính)       catalog: X (k=1), Z (k=3)
        └── STC-P1 (phòng)        Bình (staff)

February 2026 is closed (scored), March 2026 is open (scored).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from rest_framework.test import APIClient

from django.test import Client

from api.models import IntegrationSystem, IntegrationToken
from org.access import HOME_AFFAIRS_GROUP
from org.models import AgencyAccess, LeadershipRole
from ratings.models import RatingCase
from ratings.models.choices import CaseKind, CaseState
from scoring.models import Period, PeriodStatus
from scoring.services import score_period, score_year
from tests.factories import (
    AgencyFactory,
    ProvinceFactory,
    UnitFactory,
    UserFactory,
    assignment_line,
    catalog_version,
    general_marks,
    leader_marks,
    post,
)

FEBRUARY = datetime.date(2026, 2, 1)
MARCH = datetime.date(2026, 3, 1)


@dataclass
class World:
    province: object
    snv: object
    snv_unit: object
    stc: object
    stc_unit: object
    items: dict  # agency code → {product code: CatalogVersionItem}
    february: Period
    march: Period
    people: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    systems: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)

    # --- clients -------------------------------------------------------------------------------

    def client_for(self, who: str):
        """A test client signed in as user ``who``, or carrying the token of system ``who``."""
        if who in self.tokens:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[who]}")
            return client
        client = Client()
        if who != "anonymous":
            client.force_login(self.users[who])
        return client

    def system(self, name: str, agencies, **options):
        system = IntegrationSystem.objects.create(name=name, **options)
        system.agencies.set(agencies)
        _row, token = IntegrationToken.issue(system)
        self.systems[name] = system
        self.tokens[name] = token
        return system

    # --- data ----------------------------------------------------------------------------------

    def line(self, person, unit, code, period, assigned=1, completed=1, **kwargs):
        item = self.items[unit.parent.code][code]
        return assignment_line(person, period, item, unit, assigned, completed, **kwargs)


def build_world() -> World:
    province = ProvinceFactory()
    snv = AgencyFactory(parent=province, code="SNV", name="Sở Nội vụ")
    snv_unit = UnitFactory(parent=snv, code="SNV-P1", name="Phòng Công chức")
    stc = AgencyFactory(parent=province, code="STC", name="Sở Tài chính")
    stc_unit = UnitFactory(parent=stc, code="STC-P1", name="Phòng Ngân sách")
    _v1, snv_items = catalog_version(snv, items=(("X", "1"), ("Y", "2")))
    _v2, stc_items = catalog_version(stc, items=(("X", "1"), ("Z", "3")))
    february = Period.for_date(FEBRUARY, create=True)
    march = Period.for_date(MARCH, create=True)
    world = World(
        province,
        snv,
        snv_unit,
        stc,
        stc_unit,
        {"SNV": snv_items, "STC": stc_items},
        february,
        march,
    )
    alice = post(snv_unit, full_name="Nguyễn Thị Alice")
    hung = post(snv_unit, role=LeadershipRole.HEAD, full_name="Trần Văn Hùng")
    binh = post(stc_unit, full_name="Lê Văn Bình")
    world.people.update(alice=alice, hung=hung, binh=binh)

    for period in (february, march):
        world.line(alice, snv_unit, "X", period, assigned=6, completed=6, external_id="")
        world.line(alice, snv_unit, "Y", period, assigned=2, completed=1)
        world.line(hung, snv_unit, "X", period, assigned=3, completed=3)
        world.line(binh, stc_unit, "Z", period, assigned=2, completed=2)
        general_marks(alice, period, 27)
        general_marks(hung, period, 29)
        general_marks(binh, period, 25)
    for period in (february, march):
        leader_marks(hung, period)
        score_period(period)
    february.status = PeriodStatus.CLOSED
    february.save()
    score_year(2026)
    for person, unit, level in ((alice, snv_unit, "good"), (binh, stc_unit, "completed")):
        RatingCase.objects.create(
            kind=CaseKind.CIVIL_SERVANT,
            year=2026,
            civil_servant=person,
            agency=unit,
            role=LeadershipRole.STAFF,
            position_group="professional",
            score=Decimal("85.00"),
            state=CaseState.DECIDED,
            decision_level=level,
            decision_ref=f"{person.pk}/QĐ-SNV",
            decision_date=datetime.date(2026, 12, 20),
        )

    home = UserFactory(username="sonoivu", groups=[HOME_AFFAIRS_GROUP])
    snv_admin = UserFactory(username="admin-snv")
    AgencyAccess.objects.create(user=snv_admin, agency=snv, role="agency_admin")
    alice_user = UserFactory(username="alice")
    alice.user = alice_user
    alice.save()
    outsider = UserFactory(username="outsider")
    world.users.update(home_affairs=home, snv_admin=snv_admin, alice=alice_user, outsider=outsider)

    world.system("snv-docs", [snv])
    world.system("stc-docs", [stc])
    world.system("province-hr", [province], can_write=False, national_export=True)
    return world
