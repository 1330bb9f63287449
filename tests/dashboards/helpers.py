"""A small province with stored scores written directly (as the scoring batch would), built on
``tests.factories``."""

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone

from org.models import AgencyKind, CivilServant
from scoring.models import Period, PeriodKind, PeriodScore
from tests.factories import (
    AgencyFactory,
    CivilServantFactory,
    CommuneFactory,
    ProvinceFactory,
    UnitFactory,
)

TOTALS = {
    "excellent": Decimal("92.50"),
    "good": Decimal("80.00"),
    "completed": Decimal("60.00"),
    "not_completed": Decimal("40.00"),
}
_serial = iter(range(1, 10_000_000))


def month(number: int, published: bool = True, year: int = 2026) -> Period:
    period = Period.for_date(datetime.date(year, number, 1), PeriodKind.MONTH, create=True)
    if period.published != published:
        period.published = published
        period.save()
    return period


def people(node, count: int, name_prefix: str = "Người thử") -> list[CivilServant]:
    created = []
    for _ in range(count):
        n = next(_serial)
        created.append(
            CivilServantFactory(official_id=f"DB{n:07d}", full_name=f"{name_prefix} {n}")
        )
    return created


def scores(period, node, bands: dict[str, int], *, totals=None, persons=None, group="professional"):
    """Rated people in ``node``: ``bands`` maps rating → how many. Returns the people."""
    totals = {**TOTALS, **(totals or {})}
    wanted = sum(bands.values())
    persons = list(persons) if persons is not None else people(node, wanted)
    rows, index = [], 0
    for band, count in bands.items():
        for _ in range(count):
            rows.append(
                PeriodScore(
                    civil_servant=persons[index],
                    period=period,
                    agency=node,
                    role="staff",
                    position_group=group,
                    scored=True,
                    total=totals[band],
                    rating=band,
                    engine_version="test",
                    inputs_hash="x" * 64,
                    computed_at=timezone.now(),
                )
            )
            index += 1
    PeriodScore.objects.bulk_create(rows)
    cache.clear()
    return persons


def small_province():
    """Province with two departments (each one unit) and a tiny commune of 3 people."""
    province = ProvinceFactory()
    big = AgencyFactory(parent=province, code="SBIG", name="Sở Lớn")
    other = AgencyFactory(parent=province, code="SKHAC", name="Sở Khác")
    tiny = CommuneFactory(parent=province, code="XNHO", name="Ủy ban nhân dân xã Nhỏ")
    big_unit = UnitFactory(parent=big, code="SBIG-P1", name="Phòng Một")
    other_unit = UnitFactory(parent=other, code="SKHAC-P1", name="Phòng Hai")
    return {
        "province": province,
        "big": big,
        "other": other,
        "tiny": tiny,
        "big_unit": big_unit,
        "other_unit": other_unit,
        "kind": AgencyKind,
    }
