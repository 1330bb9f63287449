from org.models.access import AccessRole, AgencyAccess
from org.models.agency import (
    AGENCY_KINDS,
    ROOT_KINDS,
    STATE_KINDS,
    Agency,
    AgencyKind,
    within_q,
)
from org.models.authority import AuthorityRule, Relation
from org.models.bloc import BlocLead
from org.models.charge import DeputyCharge
from org.models.civil_servant import (
    CivilServant,
    Gender,
    LeadershipRole,
    PersonCategory,
    Posting,
)
from org.models.job_description import (
    Competency,
    CompetencyKind,
    CompetencyLevel,
    DescriptionStatus,
    JobDescription,
    JobDescriptionCompetency,
    JobDescriptionRequirement,
    JobDescriptionTask,
    RequirementKind,
)
from org.models.job_position import JobPosition, PositionGroup, PositionLevel

__all__ = [
    "AGENCY_KINDS",
    "ROOT_KINDS",
    "STATE_KINDS",
    "AccessRole",
    "Agency",
    "AgencyAccess",
    "AgencyKind",
    "AuthorityRule",
    "BlocLead",
    "CivilServant",
    "Competency",
    "CompetencyKind",
    "CompetencyLevel",
    "DeputyCharge",
    "DescriptionStatus",
    "Gender",
    "JobDescription",
    "JobDescriptionCompetency",
    "JobDescriptionRequirement",
    "JobDescriptionTask",
    "JobPosition",
    "LeadershipRole",
    "PersonCategory",
    "PositionGroup",
    "PositionLevel",
    "Posting",
    "Relation",
    "RequirementKind",
    "within_q",
]
