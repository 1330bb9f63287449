"""The national-database outbox: one record per final result, with its due date.

A result is final when

* its **period** is closed or locked (``Period.status`` leaves ``open``): one record per scored
  ``PeriodScore`` of the period — :func:`record_period`, called from a ``post_save`` signal on
  ``Period`` (``api.signals``);
* an **annual rating** is decided (``RatingCase`` of a civil servant in state decided or
  notified, with a decision level) — :func:`record_annual_rating`, called from a ``post_save``
  signal on ``RatingCase``; the rating process may also call it directly.

:func:`collect_final_results` catches anything the signals could not see (periods closed with a
queryset ``update()``, scores computed after closing); the export runs it first.

The due date is the result date + ``KPI_NATIONAL_SYNC_DAYS`` (5) **calendar** days — the plans
say "5 working days"; calendar days are stricter and need no holiday calendar. The result date
is the day the period was closed (``closed_at``) or the decision date of the rating.

``payload`` is the snapshot that is sent. While a record is unsent, re-closing the period or
re-saving the decided case refreshes it; once sent it never changes (a correction after
sending is not handled yet).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from org.categories import categories_where
from org.models import Agency, PersonCategory, Posting
from ratings.models import RatingCase
from ratings.models.choices import CaseKind, CaseState
from scoring.models import Period, PeriodScore, PeriodStatus
from scoring.services.scope import people_without, year_bounds

from . import conf
from .models import UNSENT, OutboxKind, OutboxRecord

DECIDED_STATES = (CaseState.DECIDED, CaseState.NOTIFIED)


def due_date(result_date: datetime.date) -> datetime.date:
    return result_date + datetime.timedelta(days=conf.sync_days())


def _number(value) -> str | None:
    return None if value is None else f"{value:f}"


def _person(person) -> dict:
    return {"official_id": person.official_id, "full_name": person.full_name}


def _agency(agency) -> dict:
    return {"code": agency.code, "name": agency.name}


def period_payload(score: PeriodScore) -> dict:
    period = score.period
    return {
        "civil_servant": _person(score.civil_servant),
        "agency": _agency(score.agency),
        "period": {
            "code": period.code,
            "kind": period.kind,
            "year": period.year,
            "number": period.number,
            "start_date": period.start_date.isoformat(),
            "end_date": period.end_date.isoformat(),
        },
        "role": score.role,
        "position_group": score.position_group,
        "result": {
            "quantity": _number(score.quantity),
            "quality": _number(score.quality),
            "timeliness": _number(score.timeliness),
            "task_points": _number(score.task_points),
            "general_points": _number(score.general_points),
            "total": _number(score.total),
            "rating": score.rating,
            "computed_at": score.computed_at.isoformat(),
        },
    }


def annual_payload(case: RatingCase) -> dict:
    return {
        "civil_servant": _person(case.civil_servant),
        "agency": _agency(case.agency),
        "year": case.year,
        "role": case.role,
        "position_group": case.position_group,
        "result": {
            "score": _number(case.score),
            "rating": case.decision_level,
            "decision_ref": case.decision_ref,
            "decision_date": case.decision_date.isoformat() if case.decision_date else None,
        },
    }


# --------------------------------------------------------------------------- period results


def record_period(period: Period) -> int:
    """Outbox records for the scored results of a final ``period``; returns how many are new.

    Unsent records of the period get their payload refreshed (the scores may have been
    recomputed while the period was reopened).
    """
    if period.status == PeriodStatus.OPEN:
        return 0
    closed_on = timezone.localdate(period.closed_at) if period.closed_at else timezone.localdate()
    scores = (
        PeriodScore.objects.filter(period=period, scored=True)
        .exclude(rating="")
        .select_related("civil_servant", "agency", "period")
    )
    # Only the categories the national civil-servant database takes (docs/scope.md):
    # never a public employee or a contract worker as a civil servant.
    scores = scores.exclude(
        civil_servant_id__in=people_without(
            "national_export",
            scores.values_list("civil_servant_id", flat=True),
            period.start_date,
            period.end_date,
        )
    )
    existing = {
        record.period_score_id: record
        for record in OutboxRecord.objects.filter(period=period, period_score__isnull=False)
    }
    new, refreshed = [], []
    for score in scores:
        payload = period_payload(score)
        record = existing.get(score.pk)
        if record is None:
            new.append(
                OutboxRecord(
                    kind=OutboxKind.PERIOD_RESULT,
                    period_score=score,
                    civil_servant_id=score.civil_servant_id,
                    agency_id=score.agency_id,
                    period=period,
                    year=period.year,
                    payload=payload,
                    result_date=closed_on,
                    due_date=due_date(closed_on),
                )
            )
        elif record.status in UNSENT and record.payload != payload:
            record.payload = payload
            refreshed.append(record)
    OutboxRecord.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    OutboxRecord.objects.bulk_update(refreshed, ["payload"], batch_size=500)
    return len(new)


# --------------------------------------------------------------------------- annual ratings


def record_annual_rating(case: RatingCase) -> OutboxRecord | None:
    """The outbox record of a decided annual rating of a civil servant (``None`` otherwise)."""
    if (
        case.kind != CaseKind.CIVIL_SERVANT
        or case.state not in DECIDED_STATES
        or not case.decision_level
        or case.civil_servant_id is None
        or people_without("national_export", [case.civil_servant_id], *year_bounds(case.year))
    ):
        return None
    result_date = case.decision_date or timezone.localdate()
    payload = annual_payload(case)
    record = OutboxRecord.objects.filter(rating_case=case).first()
    if record is None:
        return OutboxRecord.objects.create(
            kind=OutboxKind.ANNUAL_RATING,
            rating_case=case,
            civil_servant_id=case.civil_servant_id,
            agency_id=case.agency_id,
            year=case.year,
            payload=payload,
            result_date=result_date,
            due_date=due_date(result_date),
        )
    if record.status in UNSENT and record.payload != payload:
        record.payload = payload
        record.result_date = result_date
        record.due_date = due_date(result_date)
        record.save(update_fields=["payload", "result_date", "due_date"])
    return record


# --------------------------------------------------------------------------- catch-up


def _not_exported_posting():
    """A posting of the score's person at the score's agency, in the period, whose category
    is not exported: such scores are never missing from the outbox (so a closed period is not
    gone through again at every export)."""
    return Posting.objects.filter(
        civil_servant_id=OuterRef("civil_servant_id"),
        agency_id=OuterRef("agency_id"),
        start_date__lte=OuterRef("period__end_date"),
        category__in=[
            c for c in PersonCategory.values if c not in categories_where("national_export")
        ],
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("period__start_date")))


def collect_final_results() -> int:
    """Create the records the signals missed; returns how many were created."""
    created = 0
    missing_scores = (
        PeriodScore.objects.filter(period=OuterRef("pk"), scored=True)
        .exclude(rating="")
        .exclude(Exists(OutboxRecord.objects.filter(period_score=OuterRef("pk"))))
        .exclude(Exists(_not_exported_posting()))
    )
    for period in Period.objects.exclude(status=PeriodStatus.OPEN).filter(Exists(missing_scores)):
        created += record_period(period)
    cases = (
        RatingCase.objects.filter(kind=CaseKind.CIVIL_SERVANT, state__in=DECIDED_STATES)
        .exclude(decision_level="")
        .exclude(Exists(OutboxRecord.objects.filter(rating_case=OuterRef("pk"))))
        .select_related("civil_servant", "agency")
    )
    for case in cases:
        if record_annual_rating(case) is not None:
            created += 1
    return created


def overdue_records(agency_ids=None, today: datetime.date | None = None):
    """Unsent records past their due date (optionally of some agencies' subtrees)."""
    records = OutboxRecord.objects.overdue(today).select_related("agency", "period")
    if agency_ids is not None:
        paths = list(Agency.objects.filter(pk__in=agency_ids).values_list("path", flat=True))
        if not paths:
            return records.none()
        query = Q()
        for path in paths:
            query |= Q(agency__path__startswith=path)
        records = records.filter(query)
    return records
