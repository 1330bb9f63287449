"""An agency case's decided level, recorded where the organisation scoring reads it
(``org_scoring.DecidedRating``; ``org_scoring`` sits below ``ratings`` and does not import it).

Connected in ``RatingsConfig.ready``. Every save of an agency case re-records the level of the
agency's case of that year that is not cancelled (none: the record goes). A case is never
deleted (``NeverDeletedMixin``); a write that bypasses ``save()`` (``QuerySet.update``) must
call :func:`record_agency_decision` itself.
"""

from django.db.models.signals import post_save

from org_scoring.services.decisions import clear_decisions, record_decision
from ratings.models import CaseKind, CaseState, RatingCase


def record_agency_decision(agency_id: int, year: int) -> None:
    level = (
        RatingCase.objects.filter(kind=CaseKind.AGENCY, year=year, subject_agency_id=agency_id)
        .exclude(state=CaseState.CANCELLED)
        .exclude(decision_level="")
        .values_list("decision_level", flat=True)
        .first()
    )
    record_decision(agency_id, year, level or "")


def record_agency_cases_opened(agency_ids, year: int) -> None:
    """What :func:`_case_saved` records for agency cases just written many at once
    (``bulk_create`` sends no signal), each the only case of its agency and year that is not
    cancelled, none decided: no decided level."""
    clear_decisions(agency_ids, year)


def _case_saved(sender, instance: RatingCase, raw=False, **kwargs):
    if not raw and instance.kind == CaseKind.AGENCY and instance.subject_agency_id:
        record_agency_decision(instance.subject_agency_id, instance.year)


def connect() -> None:
    post_save.connect(_case_saved, sender=RatingCase, dispatch_uid="ratings.record_decision")
