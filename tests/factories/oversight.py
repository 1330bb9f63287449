"""Milestones, what Sở Nội vụ records by hand, and inspections with findings and files."""

import datetime

import factory

from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.models import (
    FindingSeverity,
    Inspection,
    InspectionAttachment,
    InspectionFinding,
    Milestone,
    MilestoneKind,
    MilestoneRecord,
)
from tests.factories.org import AgencyFactory

__all__ = [
    "InspectionAttachmentFactory",
    "InspectionFactory",
    "InspectionFindingFactory",
    "MilestoneFactory",
    "MilestoneRecordFactory",
]


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    year = 2026
    code = factory.Sequence(lambda n: f"moc-{n}")
    name = factory.Sequence(lambda n: f"Mốc thử nghiệm {n}")
    kind = MilestoneKind.OTHER
    due_date = datetime.date(2026, 3, 5)
    source = "GL §V.1.a"


class MilestoneRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MilestoneRecord

    milestone = factory.SubFactory(MilestoneFactory)
    agency = factory.SubFactory(AgencyFactory)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    agency = factory.SubFactory(AgencyFactory)
    decision_ref = factory.Sequence(lambda n: f"{n}/QĐ-SNV")
    decision_date = datetime.date(2026, 9, 15)
    team = "Trưởng đoàn: Phó Giám đốc Sở Nội vụ"
    covers_from = datetime.date(2026, 1, 1)
    covers_to = datetime.date(2026, 6, 30)
    started_on = datetime.date(2026, 9, 22)


class InspectionFindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionFinding

    inspection = factory.SubFactory(InspectionFactory)
    description = "Thiếu minh chứng cho sản phẩm đã hoàn thành."
    severity = FindingSeverity.SHORTCOMING
    remedy = "Bổ sung minh chứng."
    remedy_due = datetime.date(2026, 10, 31)


class InspectionAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionAttachment

    inspection = factory.SubFactory(InspectionFactory)
    title = "Thông báo kết luận kiểm tra"
    file = factory.LazyFunction(
        lambda: SimpleUploadedFile("ket-luan.pdf", b"%PDF-1.4 inspection conclusion")
    )
