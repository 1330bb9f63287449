from org_scoring.models.choices import COMPLETED_OUTCOMES, TaskOutcome
from org_scoring.models.decision import DecidedRating
from org_scoring.models.inputs import (
    OrganisationDisqualification,
    OrganisationGeneralMark,
    OrganisationShortcoming,
    OrganisationTask,
)
from org_scoring.models.quarterly import (
    AnnualUse,
    ProvinceTask,
    ProvinceTaskStatus,
    QuarterlyAssessment,
    QuarterlyRule,
    QuarterWindow,
)
from org_scoring.models.score import OrganisationScore

__all__ = [
    "COMPLETED_OUTCOMES",
    "AnnualUse",
    "DecidedRating",
    "OrganisationDisqualification",
    "OrganisationGeneralMark",
    "OrganisationScore",
    "OrganisationShortcoming",
    "OrganisationTask",
    "ProvinceTask",
    "ProvinceTaskStatus",
    "QuarterWindow",
    "QuarterlyAssessment",
    "QuarterlyRule",
    "TaskOutcome",
]

# The change history of the organisation-scoring inputs (historical tables in the audit app).
from audit.history import track

track(OrganisationTask)
track(OrganisationGeneralMark)
track(OrganisationShortcoming)
track(OrganisationDisqualification)
track(ProvinceTask)
