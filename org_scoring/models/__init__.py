from org_scoring.models.choices import COMPLETED_OUTCOMES, TaskOutcome
from org_scoring.models.decision import DecidedRating
from org_scoring.models.inputs import (
    OrganisationDisqualification,
    OrganisationGeneralMark,
    OrganisationShortcoming,
    OrganisationTask,
)
from org_scoring.models.score import OrganisationScore

__all__ = [
    "COMPLETED_OUTCOMES",
    "DecidedRating",
    "OrganisationDisqualification",
    "OrganisationGeneralMark",
    "OrganisationScore",
    "OrganisationShortcoming",
    "OrganisationTask",
    "TaskOutcome",
]

# The change history of the organisation-scoring inputs (historical tables in the audit app).
from audit.history import track

track(OrganisationTask)
track(OrganisationGeneralMark)
track(OrganisationShortcoming)
track(OrganisationDisqualification)
