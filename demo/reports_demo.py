"""Decided ratings of 2025 (the year before the rating demo's) for Sở Tài chính and one
commune, the two reports owed upward generated from them, and one correction to the national
database (issue 19 items 6 and 7).

The rating demo (``demo.ratings_demo``) keeps Sở Tư pháp's 2026 cases open for walking through
the workflow, with a sign-in for every role; these decisions are last year's, entered as they
were signed, and already synchronised with the national database (their outbox records are
acknowledged), so that the reports have figures and nothing of the 2026 walk (its roles, its
quota groups) changes. Levels keep the excellent quota (one excellent for every six good). One
decision is then corrected: the outbox holds its correction, due 5 days after the change.

Idempotent: cases are keyed on (person or agency, year); the correction is made once.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from api.models import OutboxKind, OutboxRecord, OutboxStatus
from dashboards.upward import documents
from dashboards.upward.figures import compute
from dashboards.upward.xlsx import report_xlsx
from org.models import Agency, AgencyKind, CivilServant
from ratings.models import CaseKind, CaseState, RatingCase

YEAR = 2025
AGENCIES = ("STC",)
DECIDED_ON = datetime.date(YEAR, 12, 18)
#: Levels in turn: 1 excellent, 6 good, 2 completed, 1 not completed in every ten.
PATTERN = (
    "excellent",
    "good",
    "good",
    "completed",
    "good",
    "good",
    "not_completed",
    "good",
    "completed",
    "good",
)
CORRECTED_REF = "DEMO-DC/QĐ"


def _agencies() -> list[Agency]:
    found = list(Agency.objects.filter(code__in=AGENCIES))
    commune = Agency.objects.filter(kind=AgencyKind.COMMUNE).order_by("path").first()
    return found + ([commune] if commune else [])


def _decide_people(top: Agency) -> int:
    # The demo's postings start on 1/1/2026: last year's staff are this year's.
    people = (
        CivilServant.objects.filter(postings__agency__path__startswith=top.path)
        .distinct()
        .order_by("official_id")
    )
    created = 0
    for index, person in enumerate(people):
        if (
            RatingCase.objects.filter(civil_servant=person, year=YEAR)
            .exclude(state=CaseState.CANCELLED)
            .exists()
        ):
            continue
        posting = person.postings.filter(agency__path__startswith=top.path).order_by("-start_date")
        posting = posting.select_related("job_position").first()
        RatingCase.objects.create(
            kind=CaseKind.CIVIL_SERVANT,
            year=YEAR,
            civil_servant=person,
            agency=posting.agency,
            role=posting.role,
            position_group=getattr(posting.job_position, "group", "") or "professional",
            state=CaseState.NOTIFIED,
            decision_level=PATTERN[index % len(PATTERN)],
            decision_ref=f"{index + 1}/QĐ-{top.code}",
            decision_date=DECIDED_ON,
            notified_at=timezone.now(),
        )
        created += 1
    return created


def _decide_agency(agency: Agency, level: str) -> None:
    if RatingCase.objects.filter(subject_agency=agency, year=YEAR).exists():
        return
    RatingCase.objects.create(
        kind=CaseKind.AGENCY,
        year=YEAR,
        subject_agency=agency,
        agency=agency,
        state=CaseState.NOTIFIED,
        decision_level=level,
        decision_ref=f"01/QĐ-UBND-{agency.code}",
        decision_date=DECIDED_ON,
        notified_at=timezone.now(),
    )


def _synchronised() -> None:
    """Last year's annual records were sent and acknowledged long ago."""
    sent_at = timezone.make_aware(datetime.datetime(YEAR, 12, 20, 9, 0))
    OutboxRecord.objects.filter(
        kind=OutboxKind.ANNUAL_RATING,
        year=YEAR,
        status__in=(OutboxStatus.PENDING, OutboxStatus.FAILED),
    ).update(
        status=OutboxStatus.ACKNOWLEDGED,
        sent_at=sent_at,
        acknowledged_at=sent_at,
        batch=f"kpi-congvu-{YEAR}1220",
        attempts=1,
    )


def _correct_one(top: Agency) -> OutboxRecord | None:
    """Correct one acknowledged decision (a "good" one becomes "completed")."""
    done = OutboxRecord.objects.filter(corrects__rating_case__decision_ref=CORRECTED_REF).first()
    if done is not None:
        return done
    case = (
        RatingCase.objects.filter(
            kind=CaseKind.CIVIL_SERVANT,
            year=YEAR,
            agency__path__startswith=top.path,
            decision_level="good",
        )
        .order_by("id")
        .first()
    )
    record = OutboxRecord.objects.filter(rating_case=case).first() if case else None
    if record is None:
        return None
    case.decision_level = "completed"
    case.decision_ref = CORRECTED_REF
    case.decision_date = DECIDED_ON + datetime.timedelta(days=3)
    case.save()
    return OutboxRecord.objects.filter(corrects=record).first()


def load_reports_demo() -> dict:
    agencies = _agencies()
    created = sum(_decide_people(top) for top in agencies)
    for top, level in zip(agencies, ("good", "excellent"), strict=False):
        _decide_agency(top, level)
    _synchronised()
    correction = _correct_one(agencies[0]) if agencies else None
    figures = compute(YEAR)
    reports = {kind: len(report_xlsx(documents.build(kind, figures))) for kind in documents.KINDS}
    return {
        "cases_created": created,
        "people_decided": figures.people.total,
        "organisations_decided": figures.organisations.total,
        "reports": reports,
        "correction": correction.pk if correction else None,
    }
