"""Django-side scoring services: build engine inputs from the database, score, store.

Public API::

    score_person(person, period, *, force=False, cascade=True, leaders_later=None)
        -> PeriodScore | None
    score_period(period, agency=None, *, force=False, only=None) -> BatchReport
    score_year(year, agency=None) -> YearReport
    record_deduction(line, kind, *, user=None, occurred_at=None, note="") -> Deduction
    grant_exemption(deduction, *, reason, user=None) / revoke_exemption / remove_deduction
    framework_for_person(person, period) -> ResolvedFramework | None
"""

from scoring.services.annual import YearReport, score_year
from scoring.services.deductions import (
    grant_exemption,
    record_deduction,
    remove_deduction,
    revoke_exemption,
)
from scoring.services.frameworks import (
    FrameworkResolver,
    ResolvedFramework,
    framework_for_agency,
    live_framework,
)
from scoring.services.period_batch import BatchReport, score_period
from scoring.services.person import score_person
from scoring.services.postings import framework_for_person

__all__ = [
    "BatchReport",
    "FrameworkResolver",
    "ResolvedFramework",
    "YearReport",
    "framework_for_agency",
    "framework_for_person",
    "grant_exemption",
    "live_framework",
    "record_deduction",
    "remove_deduction",
    "revoke_exemption",
    "score_period",
    "score_person",
    "score_year",
]
