from scoring.models.assignment import AssignmentLine
from scoring.models.choices import (
    AppliesTo,
    DeductionKind,
    FrameworkPeriodType,
    LineSource,
    PeriodKind,
    PeriodStatus,
    Rating,
    TransferRule,
)
from scoring.models.deduction import Deduction
from scoring.models.disqualification import Disqualification
from scoring.models.evidence import Evidence
from scoring.models.framework import CriteriaFramework, rules_errors
from scoring.models.framework_assignment import FrameworkAssignment
from scoring.models.marks import CompetencyAssessment, GeneralCriteriaMark, LeaderMark
from scoring.models.period import Period, parse_period_code
from scoring.models.proposal import (
    EDITABLE_STATUSES,
    FrameworkProposal,
    ProposalScope,
    ProposalStatus,
    ProposalTransition,
    VariantPolicy,
)
from scoring.models.recognition import (
    OutstandingRecognition,
    is_recognised,
    recognised_outstanding,
    recognised_paths,
    recognised_read,
)
from scoring.models.runs import RunStatus, ScoringRun, StaleFigure, StaleKind
from scoring.models.scores import AnnualQuotaGroup, AnnualScore, PeriodScore
from scoring.models.settings import ScoringSettings

__all__ = [
    "EDITABLE_STATUSES",
    "AnnualQuotaGroup",
    "AnnualScore",
    "AppliesTo",
    "AssignmentLine",
    "CompetencyAssessment",
    "CriteriaFramework",
    "Deduction",
    "DeductionKind",
    "Disqualification",
    "Evidence",
    "FrameworkAssignment",
    "FrameworkPeriodType",
    "FrameworkProposal",
    "GeneralCriteriaMark",
    "LeaderMark",
    "LineSource",
    "OutstandingRecognition",
    "Period",
    "PeriodKind",
    "PeriodScore",
    "PeriodStatus",
    "ProposalScope",
    "ProposalStatus",
    "ProposalTransition",
    "Rating",
    "RunStatus",
    "ScoringRun",
    "ScoringSettings",
    "StaleFigure",
    "StaleKind",
    "TransferRule",
    "VariantPolicy",
    "is_recognised",
    "parse_period_code",
    "recognised_outstanding",
    "recognised_paths",
    "recognised_read",
    "rules_errors",
]

# The change history of the score inputs (who changed what from what to what): historical
# tables in the audit app (audit.history).
from audit.history import track

track(AssignmentLine)
track(Deduction)
track(GeneralCriteriaMark)
track(LeaderMark)
track(CompetencyAssessment)
track(Disqualification)
track(OutstandingRecognition)
track(ScoringSettings)
