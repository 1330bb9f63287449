from oversight.models.inspections import (
    FindingSeverity,
    Inspection,
    InspectionAttachment,
    InspectionFinding,
    RemedyStatus,
)
from oversight.models.milestones import (
    Milestone,
    MilestoneKind,
    MilestoneRecord,
    MilestoneReminder,
)

__all__ = [
    "FindingSeverity",
    "Inspection",
    "InspectionAttachment",
    "InspectionFinding",
    "Milestone",
    "MilestoneKind",
    "MilestoneRecord",
    "MilestoneReminder",
    "RemedyStatus",
]
