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
re-saving the decided case refreshes it; once sent it never changes.

**Corrections.** A result that changes after its record was sent (or acknowledged) — a decision
corrected, for instance after a complaint was upheld; a decided case cancelled; a period score
recomputed after the period was reopened and closed again — produces ONE pending correction
record (kind ``correction`` with the new values, or ``cancellation``), pointing at the original
(``corrects``), with its reason and its own due date: the day of the change +
``KPI_NATIONAL_CORRECTION_DAYS`` (default: the 5 days of plan 002 §II.6). It goes with the next
batch; the national side acknowledges it like any record. While the correction is unsent a
further change refreshes it (its due date stays, the earlier is stricter); a change back to what
was last sent drops it. A result never sent gets no correction: its record is simply refreshed,
or dropped when its case is cancelled.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from org.categories import categories_where
from org.models import Agency, PersonCategory, Posting, within_q
from ratings.models import ComplaintStatus, RatingCase
from ratings.models.choices import CaseKind, CaseState
from ratings.services.case_figure import CaseFigure, case_figure
from scoring.models import AnnualScore, Period, PeriodScore, PeriodStatus
from scoring.services.scope import people_without, year_bounds

from . import conf
from .models import UNSENT, OutboxKind, OutboxRecord, OutboxStatus

DECIDED_STATES = (CaseState.DECIDED, CaseState.NOTIFIED)


def due_date(result_date: datetime.date) -> datetime.date:
    return result_date + datetime.timedelta(days=conf.sync_days())


def _number(value) -> str | None:
    return None if value is None else f"{value:f}"


def _person(person) -> dict:
    return _person_of(person.official_id, person.full_name)


def _person_of(official_id: str, full_name: str) -> dict:
    return {"official_id": official_id, "full_name": full_name}


def _agency(agency) -> dict:
    return _agency_of(agency.code, agency.name)


def _agency_of(code: str, name: str) -> dict:
    return {"code": code, "name": name}


def period_payload(score: PeriodScore) -> dict:
    return _period_payload(
        score, _person(score.civil_servant), _agency(score.agency), _period_part(score.period)
    )


def _period_part(period: Period) -> dict:
    return {
        "code": period.code,
        "kind": period.kind,
        "year": period.year,
        "number": period.number,
        "start_date": period.start_date.isoformat(),
        "end_date": period.end_date.isoformat(),
    }


def _period_payload(score: PeriodScore, person: dict, agency: dict, period: dict) -> dict:
    """:func:`period_payload` from its parts (a whole period's records share ``period``)."""
    return {
        "civil_servant": person,
        "agency": agency,
        "period": period,
        "role": score.role,
        "position_group": score.position_group,
        "result": {
            "quantity": _number(score.quantity),
            "quality": _number(score.quality),
            "timeliness": _number(score.timeliness),
            "task_points": _number(score.task_points),
            "general_points": _number(score.points_outside_tasks),
            "total": _number(score.total),
            "rating": score.rating,
            "computed_at": score.computed_at.isoformat(),
        },
    }


def annual_payload(case: RatingCase, figure: CaseFigure | None = None) -> dict:
    """The record of a decided annual rating. Its score is the case's figure now
    (:func:`ratings.services.case_figure.case_figure`, the one Form 02 prints), never the score
    the case was opened with (issue 42, legal review F3)."""
    figure = figure or case_figure(case)
    return {
        "civil_servant": _person(case.civil_servant),
        "agency": _agency(case.agency),
        "year": case.year,
        "role": case.role,
        "position_group": case.position_group,
        "result": {
            "score": _number(figure.score),
            "rating": case.decision_level,
            "decision_ref": case.decision_ref,
            "decision_date": case.decision_date.isoformat() if case.decision_date else None,
        },
    }


# --------------------------------------------------------------------------- corrections


def comparable(payload: dict | None) -> dict | None:
    """``payload`` without what changes when nothing the national database holds changed (the
    time a period score was recomputed)."""
    if not payload or not isinstance(payload.get("result"), dict):
        return payload
    result = {k: v for k, v in payload["result"].items() if k != "computed_at"}
    return {**payload, "result": result}


def last_sent(original: OutboxRecord) -> OutboxRecord:
    """What the national database holds now for ``original``'s result: its latest sent
    correction, or the original itself."""
    sent = original.corrections.exclude(status__in=UNSENT).order_by("-id").first()
    return sent or original


def correct(
    original: OutboxRecord, kind: str, payload: dict, reason: str, changed_on: datetime.date
) -> OutboxRecord | None:
    """The pending correction of the sent ``original`` after its result changed (created or
    refreshed); ``None`` — and no pending correction — when the national database already holds
    exactly this."""
    pending = original.corrections.filter(status__in=UNSENT).order_by("id").first()
    held = last_sent(original)
    if (kind == held.kind == OutboxKind.CANCELLATION) or (
        kind == OutboxKind.CORRECTION
        and held.kind != OutboxKind.CANCELLATION
        and comparable(held.payload) == comparable(payload)
    ):
        if pending is not None:
            pending.delete()
        return None
    if pending is not None:
        if (pending.kind, pending.payload, pending.reason) != (kind, payload, reason):
            pending.kind, pending.payload, pending.reason = kind, payload, reason
            pending.save(update_fields=["kind", "payload", "reason"])
        return pending
    return OutboxRecord.objects.create(
        kind=kind,
        corrects=original,
        reason=reason,
        civil_servant_id=original.civil_servant_id,
        agency_id=original.agency_id,
        period_id=original.period_id,
        year=original.year,
        payload=payload,
        result_date=changed_on,
        due_date=changed_on + datetime.timedelta(days=conf.correction_days()),
        status=OutboxStatus.PENDING,
    )


def _case_change_reason(case: RatingCase, since) -> str:
    """Why a sent annual rating changed, in Vietnamese (it is sent as data)."""
    with translation.override("vi"):
        if case.state == CaseState.CANCELLED:
            return _("Hồ sơ xếp loại bị hủy: %(reason)s") % {"reason": case.cancel_reason or "—"}
        complaint = (
            case.complaints.filter(status=ComplaintStatus.RESOLVED, resolved_at__gte=since)
            .order_by("-resolved_at")
            .first()
        )
        if complaint is not None:
            return _("Kiến nghị được giải quyết: %(resolution)s") % {
                "resolution": complaint.resolution or "—"
            }
        return _("Quyết định xếp loại được điều chỉnh (số %(ref)s, ngày %(date)s).") % {
            "ref": case.decision_ref or "—",
            "date": case.decision_date.strftime("%d/%m/%Y") if case.decision_date else "—",
        }


def cancellation_payload(case: RatingCase) -> dict:
    return {
        "civil_servant": _person(case.civil_servant),
        "agency": _agency(case.agency),
        "year": case.year,
        "result": None,
    }


def correct_annual_rating(
    case: RatingCase, original: OutboxRecord, figure: CaseFigure | None = None
) -> OutboxRecord | None:
    """After ``original`` (the case's record) was sent: a correction or cancellation if the
    case's result changed since (its decision, or its annual figure)."""
    since = original.sent_at or original.created_at
    today = timezone.localdate()
    if case.state == CaseState.CANCELLED:
        changed_on = timezone.localdate(case.cancelled_at) if case.cancelled_at else today
        return correct(
            original,
            OutboxKind.CANCELLATION,
            cancellation_payload(case),
            _case_change_reason(case, since),
            changed_on,
        )
    if case.state not in DECIDED_STATES or not case.decision_level:
        return None  # on hold, for instance: the decision stands until it is changed
    payload = annual_payload(case, figure)
    held = last_sent(original).payload or {}
    result = held.get("result") if isinstance(held.get("result"), dict) else {}
    reason = _case_change_reason(case, since)
    if result and {k: v for k, v in result.items() if k != "score"} == {
        k: v for k, v in payload["result"].items() if k != "score"
    }:
        with translation.override("vi"):
            reason = _(
                "Điểm năm được tính lại sau khi số liệu các kỳ thay đổi: %(old)s → %(new)s."
            ) % {"old": result.get("score") or "—", "new": payload["result"]["score"] or "—"}
    return correct(original, OutboxKind.CORRECTION, payload, reason, today)


# --------------------------------------------------------------------------- period results

#: The period score's columns a record carries (``_period_payload``, ``points_outside_tasks``),
#: then its person's and agency's.
_SCORE_FIELDS = (
    "id", "civil_servant_id", "agency_id", "role", "position_group", "scored", "quantity",
    "quality", "timeliness", "task_points", "general_points", "component_points", "total",
    "rating", "computed_at",
)  # fmt: skip
_RELATED_FIELDS = (
    "civil_servant__official_id", "civil_servant__full_name", "agency__code", "agency__name",
)  # fmt: skip


class _ScoreValues:
    """A period score's columns of :data:`_SCORE_FIELDS` as attributes, with the model's
    ``points_outside_tasks``: what :func:`_period_payload` reads, without a model instance
    (Django's ``__init__`` of a period score, about 75 µs with its 70 fields: 7.5 s of a
    month's close at 100,000 people, issue 48)."""

    __slots__ = _SCORE_FIELDS
    id: int

    def __init__(self, values):
        for name, value in zip(_SCORE_FIELDS, values, strict=True):
            setattr(self, name, value)

    @property
    def pk(self):
        return self.id

    points_outside_tasks = PeriodScore.points_outside_tasks


def _payload_rows(scores):
    """``(score, person, agency)`` for each of ``scores``: the score with only the columns a
    record carries, its person and agency as a record writes them — read as values, not as
    three model instances a row with every person's explanation (a month's close at 100,000
    people spent 33 s of its request there)."""
    count = len(_SCORE_FIELDS)
    for values in scores.values_list(*_SCORE_FIELDS, *_RELATED_FIELDS):
        official_id, full_name, code, name = values[count:]
        yield (
            _ScoreValues(values[:count]),
            _person_of(official_id, full_name),
            _agency_of(code, name),
        )


class _Held(NamedTuple):
    """A period's stored record as :func:`record_period` compares it (read as values: 100,000
    records as model instances were 16.7 s of a close after a reopening at 100,000 people)."""

    pk: int
    status: str
    payload: dict


def record_period(period: Period) -> int:
    """Outbox records for the scored results of a final ``period``; returns how many are new.

    Unsent records of the period get their payload refreshed (the scores may have been
    recomputed while the period was reopened).
    """
    if period.status == PeriodStatus.OPEN:
        return 0
    closed_on = timezone.localdate(period.closed_at) if period.closed_at else timezone.localdate()
    scores = PeriodScore.objects.filter(period=period, scored=True).exclude(rating="")
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
        score_id: _Held(pk, status, payload)
        for score_id, pk, status, payload in OutboxRecord.objects.filter(
            period=period, period_score__isnull=False
        ).values_list("period_score_id", "pk", "status", "payload")
    }
    corrected = set(
        OutboxRecord.objects.filter(
            corrects__period=period, corrects__period_score__isnull=False
        ).values_list("corrects_id", flat=True)
    )
    new, refreshed = [], []
    part = _period_part(period)
    for score, person, agency in _payload_rows(scores):
        payload = _period_payload(score, person, agency, part)
        record = existing.get(score.pk)
        if record is None:
            new.append(
                OutboxRecord(
                    kind=OutboxKind.PERIOD_RESULT,
                    period_score_id=score.pk,
                    civil_servant_id=score.civil_servant_id,
                    agency_id=score.agency_id,
                    period=period,
                    year=period.year,
                    payload=payload,
                    result_date=closed_on,
                    due_date=due_date(closed_on),
                )
            )
        elif record.status in UNSENT:
            if record.payload != payload:
                refreshed.append(OutboxRecord(pk=record.pk, payload=payload))
        elif comparable(record.payload) != comparable(payload) or record.pk in corrected:
            with translation.override("vi"):
                reason = _("Kết quả của kỳ được tính lại sau khi mở lại kỳ.")
            original = OutboxRecord.objects.get(pk=record.pk)
            correct(original, OutboxKind.CORRECTION, payload, reason, closed_on)
    OutboxRecord.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    OutboxRecord.objects.bulk_update(refreshed, ["payload"], batch_size=500)
    return len(new)


# --------------------------------------------------------------------------- annual ratings


def record_annual_rating(case: RatingCase) -> OutboxRecord | None:
    """The outbox record of a decided annual rating of a civil servant (``None`` otherwise);
    once that record is sent, the correction a later change calls for."""
    if case.kind != CaseKind.CIVIL_SERVANT:
        return None
    record = OutboxRecord.objects.filter(rating_case=case).first()
    figure = case_figure(case) if case.state != CaseState.CANCELLED else None
    if figure is not None and figure.stale:
        # Being recomputed: nothing is written or sent on the old figure; the next collection
        # (every export runs it first) writes the record once the figure is current.
        return record
    if record is not None and record.status not in UNSENT:
        return correct_annual_rating(case, record, figure)
    if record is not None and case.state == CaseState.CANCELLED:
        record.delete()  # never sent: nothing to correct, nothing to send
        return None
    if (
        case.kind != CaseKind.CIVIL_SERVANT
        or case.state not in DECIDED_STATES
        or not case.decision_level
        or case.civil_servant_id is None
        or people_without("national_export", [case.civil_servant_id], *year_bounds(case.year))
    ):
        return None
    result_date = case.decision_date or timezone.localdate()
    payload = annual_payload(case, figure)
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
    follow_annual_figures()
    return created


def follow_annual_figures() -> int:
    """Decided ratings whose annual figure moved since their record was written (an upheld
    complaint, a corrected month, the annual step catching up): the unsent record is refreshed,
    a sent one gets its correction (issue 42, legal review F3). Returns how many were touched.

    The annual scores are written in bulk by the annual step (no signal), so the export looks:
    one query for the cases with their current annual score, one for their records."""
    annual_score = AnnualScore.objects.filter(
        civil_servant_id=OuterRef("civil_servant_id"), year=OuterRef("year")
    ).values("score")[:1]
    cases = {
        case.pk: case
        for case in RatingCase.objects.filter(
            kind=CaseKind.CIVIL_SERVANT, state__in=DECIDED_STATES, civil_servant__isnull=False
        )
        .exclude(decision_level="")
        .filter(Exists(OutboxRecord.objects.filter(rating_case=OuterRef("pk"))))
        .annotate(current_score=Subquery(annual_score))
        .select_related("civil_servant", "agency")
    }
    records = OutboxRecord.objects.filter(rating_case_id__in=list(cases)).prefetch_related(
        "corrections"
    )
    touched = 0
    for record in records:
        case = cases[record.rating_case_id or 0]
        latest = max(record.corrections.all(), key=lambda r: r.pk, default=record)
        result = (latest.payload or {}).get("result")
        current = case.current_score if case.current_score is not None else case.score
        if not isinstance(result, dict) or result.get("score") != _number(current):
            record_annual_rating(case)
            touched += 1
    return touched


def overdue_records(agency_ids=None, today: datetime.date | None = None):
    """Unsent records past their due date (optionally of some agencies' subtrees)."""
    records = OutboxRecord.objects.overdue(today).select_related("agency", "period")
    if agency_ids is not None:
        paths = list(Agency.objects.filter(pk__in=agency_ids).values_list("path", flat=True))
        records = records.filter(within_q(paths, "agency"))
    return records
