from ratings.models.bonus import BonusRegulation
from ratings.models.calendar import AgencySchedule, RatingCalendar
from ratings.models.case import RatingCase
from ratings.models.choices import (
    CaseKind,
    CaseState,
    ComplaintStatus,
    PeriodComplaintStatus,
    Rating,
)
from ratings.models.complaint import Complaint, ComplaintAttachment
from ratings.models.opening import CaseOpening
from ratings.models.period_complaint import (
    PeriodComplaint,
    PeriodComplaintAttachment,
    PeriodComplaintEvent,
)
from ratings.models.related_opinion import OpinionState, RelatedOpinion
from ratings.models.transition import CaseTransition

__all__ = [
    "AgencySchedule",
    "BonusRegulation",
    "CaseKind",
    "CaseOpening",
    "CaseState",
    "CaseTransition",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintStatus",
    "OpinionState",
    "PeriodComplaint",
    "PeriodComplaintAttachment",
    "PeriodComplaintEvent",
    "PeriodComplaintStatus",
    "Rating",
    "RatingCalendar",
    "RatingCase",
    "RelatedOpinion",
]
