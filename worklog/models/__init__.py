from worklog.models.coordination import CoordinatingUnit, CoordinationLevel
from worklog.models.holiday import DayKind, Holiday
from worklog.models.warning import DeadlineWarning, WarningState
from worklog.models.work_item import (
    OPEN_STATUSES,
    ReviewEvent,
    ReviewOutcome,
    WorkItem,
    WorkStatus,
)

__all__ = [
    "OPEN_STATUSES",
    "CoordinatingUnit",
    "CoordinationLevel",
    "DayKind",
    "DeadlineWarning",
    "Holiday",
    "ReviewEvent",
    "ReviewOutcome",
    "WarningState",
    "WorkItem",
    "WorkStatus",
]
