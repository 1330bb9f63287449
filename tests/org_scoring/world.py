"""A small province for the organisation-scoring tests (built on ``tests.factories``).

Tree: province → department "Sở Thử nghiệm" (STN) → units "Phòng Một" (STN-P1) and
"Phòng Hai" (STN-P2); another department "Sở Khác" (SKH) for outsiders.
"""

from dataclasses import dataclass, field

from tests.factories import AgencyFactory, ProvinceFactory, UnitFactory
from tests.factories.org_scoring import marks, tasks


@dataclass
class OrgWorld:
    province: object
    department: object
    unit: object
    unit2: object
    other: object
    extra: dict = field(default_factory=dict)

    def complete(self, agency, *outcomes, mark="7.5"):
        """Marks and tasks of ``agency`` (default: 30 general points, everything on time)."""
        marks(agency, mark)
        tasks(agency, *(outcomes or ("on_time", "on_time", "on_time")))
        return agency


def build_org_world() -> OrgWorld:
    province = ProvinceFactory()
    department = AgencyFactory(parent=province, code="STN", name="Sở Thử nghiệm")
    unit = UnitFactory(parent=department, code="STN-P1", name="Phòng Một")
    unit2 = UnitFactory(parent=department, code="STN-P2", name="Phòng Hai")
    other = AgencyFactory(parent=province, code="SKH", name="Sở Khác")
    return OrgWorld(province, department, unit, unit2, other)
