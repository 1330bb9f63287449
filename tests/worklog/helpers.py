"""A small department for worklog tests: two units, each with a head and staff, one catalog.

People get sign-ins linked to their civil-servant records (password ``matkhau-123``).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from org.access import CIVIL_SERVANT_GROUP, UNIT_LEADER_GROUP
from org.models import LeadershipRole
from tests.factories import (
    AgencyFactory,
    ProvinceFactory,
    UnitFactory,
    UserFactory,
    catalog_version,
    post,
)
from worklog.services.assign import Assignment, assign
from worklog.services.progress import EvidenceInput, submit_completion

PASSWORD = "matkhau-123"
TODAY = datetime.date(2026, 3, 10)  # a Tuesday


@dataclass
class World:
    department: object
    unit: object
    other_unit: object
    items: dict
    people: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def person(self, key, agency, role=LeadershipRole.STAFF, name=None):
        person = post(agency, role=role, full_name=name or key.title())
        group = CIVIL_SERVANT_GROUP if role == LeadershipRole.STAFF else UNIT_LEADER_GROUP
        user = UserFactory(username=key, email=f"{key}@example.vn", groups=[group])
        person.user = user
        person.email = f"{key}.cc@example.vn"
        person.save()
        self.people[key], self.users[key] = person, user
        return person

    def assign(
        self,
        leader="truong",
        people=("nhan",),
        code="X",
        quantity=1,
        deadline=datetime.date(2026, 3, 20),
        months=1,
        today=TODAY,
        **kwargs,
    ):
        request = Assignment(
            people=[self.people[p] for p in people],
            item=self.items[code],
            quantity=Decimal(quantity),
            deadline=deadline,
            months=months,
            **kwargs,
        )
        return assign(self.users[leader], request, today)

    def line(self, **kwargs):
        return self.assign(**kwargs).created[0]

    def submit(self, line, person="nhan", completed_on=TODAY, today=TODAY, quantity=None):
        return submit_completion(
            self.users[person],
            line,
            quantity=Decimal(quantity or line.assigned_quantity),
            completed_on=completed_on,
            today=today,
            evidence=EvidenceInput(document_number="12/BC-SNV"),
        )


def build_world() -> World:
    province = ProvinceFactory()
    department = AgencyFactory(parent=province, code="SNV", name="Sở Nội vụ thử nghiệm")
    unit = UnitFactory(parent=department, code="SNV-P1", name="Phòng Công chức")
    other = UnitFactory(parent=department, code="SNV-P2", name="Phòng Tổ chức")
    _version, items = catalog_version(department)
    world = World(department, unit, other, items)
    world.person("truong", unit, LeadershipRole.HEAD, "Trần Văn Trưởng")
    world.person("nhan", unit, name="Nguyễn Thị Nhàn")
    world.person("binh", unit, name="Lê Văn Bình")
    world.person("truong2", other, LeadershipRole.HEAD, "Phạm Văn Trưởng Hai")
    world.person("khac", other, name="Hoàng Thị Khác")
    world.person("giamdoc", department, LeadershipRole.HEAD, "Đỗ Văn Giám Đốc")
    return world
