"""Factories and a small province for the organisation-scoring tests.

Tree: province → department "Sở Thử nghiệm" (STN) → units "Phòng Một" (STN-P1) and
"Phòng Hai" (STN-P2); another department "Sở Khác" (SKH) for outsiders.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import factory

from org_scoring.models import (
    OrganisationDisqualification,
    OrganisationGeneralMark,
    OrganisationShortcoming,
    OrganisationTask,
    TaskOutcome,
)
from tests.factories import AgencyFactory, ProvinceFactory, UnitFactory

YEAR = 2026
CRITERIA = ("G.1", "G.2", "G.3", "G.4")


class OrganisationTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationTask

    agency = factory.SubFactory(AgencyFactory)
    year = YEAR
    document_ref = factory.Sequence(lambda n: f"{n + 1}/QĐ-UBND")
    document_title = "Kế hoạch công tác năm"
    description = factory.Sequence(lambda n: f"Nhiệm vụ thử nghiệm số {n + 1}")
    deadline = datetime.date(YEAR, 6, 30)
    outcome = TaskOutcome.ON_TIME
    delays = factory.LazyAttribute(lambda o: 1 if o.outcome == TaskOutcome.LATE else 0)
    completed_on = factory.LazyAttribute(
        lambda o: (
            o.deadline + datetime.timedelta(days=5)
            if o.outcome == TaskOutcome.LATE
            else o.deadline - datetime.timedelta(days=3)
            if o.outcome in (TaskOutcome.ON_TIME, TaskOutcome.EXCEEDED)
            else None
        )
    )


class OrganisationGeneralMarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationGeneralMark
        django_get_or_create = ("agency", "year", "criterion")

    agency = factory.SubFactory(AgencyFactory)
    year = YEAR
    criterion = "G.1"
    self_mark = Decimal("7.5")
    appraised_mark = None


class OrganisationShortcomingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationShortcoming

    agency = factory.SubFactory(AgencyFactory)
    year = YEAR
    description = "Chậm báo cáo định kỳ"
    source = "Kết luận 12/KL-TTr"
    remedied_on = None


class OrganisationDisqualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationDisqualification

    agency = factory.SubFactory(AgencyFactory)
    year = YEAR
    kind = "personnel_work_violation"
    reference = "05/KL-UBKT"
    decided_on = datetime.date(YEAR, 9, 1)
    reason = "Mất đoàn kết nội bộ"


SAME = object()


def marks(agency, value="7.5", appraised=SAME, year=YEAR):
    """All four general sub-criteria of ``agency`` at ``value`` (30 points at 7.5), appraised
    at the same mark unless ``appraised`` says otherwise (``None``: self-marks only, which by
    default leave the organisation not scored until the appraiser marks — review U7)."""
    if appraised is SAME:
        appraised = value
    return [
        OrganisationGeneralMarkFactory(
            agency=agency,
            year=year,
            criterion=code,
            self_mark=Decimal(str(value)),
            appraised_mark=None if appraised is None else Decimal(str(appraised)),
        )
        for code in CRITERIA
    ]


def tasks(agency, *outcomes, year=YEAR):
    """One task per outcome (``"late:2"`` = late with 2 delays)."""
    created = []
    for spec in outcomes:
        outcome, _, delays = spec.partition(":")
        extra = {"delays": int(delays)} if delays else {}
        created.append(OrganisationTaskFactory(agency=agency, year=year, outcome=outcome, **extra))
    return created


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
