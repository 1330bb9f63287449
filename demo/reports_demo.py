"""Decided ratings of 2026 for Sở Tài chính and one commune, the two reports owed upward
generated from them, and one correction to the national database (issue 19 items 6 and 7).

The rating demo (``demo.ratings_demo``) keeps Sở Tư pháp's cases open for walking through the
workflow; the decisions here are written as they stand after the process (as if entered from
last year's signed decisions), so that the reports have figures. Levels keep the excellent
quota (one excellent for every five good at most). One decision is then corrected after its
national-database record was sent: the outbox holds its correction.

Idempotent: cases are keyed on (person or agency, year); the correction is made once.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from api.models import OutboxRecord, OutboxStatus
from dashboards.upward import documents
from dashboards.upward.figures import compute
from dashboards.upward.xlsx import report_xlsx
from org.models import Agency, AgencyKind, CivilServant
from ratings.models import CaseKind, CaseState, RatingCase

YEAR = 2026
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
    start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    people = (
        CivilServant.objects.filter(
            postings__agency__path__startswith=top.path,
            postings__start_date__lte=end,
        )
        .exclude(postings__end_date__lt=start)
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


def _correct_one(top: Agency) -> OutboxRecord | None:
    """Send one annual record (as a batch would), then correct its decision."""
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
    if record.status in (OutboxStatus.PENDING, OutboxStatus.FAILED):
        OutboxRecord.objects.filter(pk=record.pk).update(
            status=OutboxStatus.SENT,
            sent_at=timezone.now(),
            batch=f"kpi-congvu-{DECIDED_ON:%Y%m%d}",
            attempts=1,
        )
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
