"""Organisation scoring inputs: tasks, general marks, shortcomings, disqualifications of an
agency's year. ``marks`` and ``tasks`` are agency-level, so they are imported from this module
(``tests.factories.org_scoring``), not from the package."""

import datetime
from decimal import Decimal

import factory

from org_scoring.models import (
    OrganisationDisqualification,
    OrganisationGeneralMark,
    OrganisationShortcoming,
    OrganisationTask,
    ProvinceTask,
    ProvinceTaskStatus,
    TaskOutcome,
)
from tests.factories.org import AgencyFactory

YEAR = 2026
CRITERIA = ("G.1", "G.2", "G.3", "G.4")

__all__ = [
    "CRITERIA",
    "YEAR",
    "OrganisationDisqualificationFactory",
    "OrganisationGeneralMarkFactory",
    "OrganisationShortcomingFactory",
    "OrganisationTaskFactory",
    "ProvinceTaskFactory",
    "marks",
    "tasks",
]


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


class ProvinceTaskFactory(factory.django.DjangoModelFactory):
    """A task the province assigned, as the Office entered it for Q3 (stored directly: the
    window and the late marks are ``org_scoring.services.quarterly.save_task``'s)."""

    class Meta:
        model = ProvinceTask

    agency = factory.SubFactory(AgencyFactory)
    year = YEAR
    quarter = 3
    title = factory.Sequence(lambda n: f"Nhiệm vụ UBND tỉnh giao số {n + 1}")
    document_number = factory.Sequence(lambda n: f"{n + 1}/UBND-TH")
    document_date = datetime.date(YEAR, 7, 1)
    deadline = datetime.date(YEAR, 8, 31)
    status = ProvinceTaskStatus.DONE_ON_TIME
