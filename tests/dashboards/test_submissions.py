"""Submission status per agency from the importer's jobs."""

import datetime

import pytest
from django.utils import timezone

from dashboards import submissions
from importers.models import ImportJob, ImportKind, ImportStatus
from tests.dashboards.helpers import month, small_province

pytestmark = pytest.mark.django_db


def job(agency, status, **extra):
    return ImportJob.objects.create(
        kind=extra.pop("kind", ImportKind.RESULTS),
        agency=agency,
        period_code="2026-03",
        file="x.xlsx",
        original_name="x.xlsx",
        sha256="0",
        status=status,
        **extra,
    )


def status_of(result, agency, kind=ImportKind.RESULTS):
    return next(s for s in result if s.agency_id == agency.pk and s.kind == kind).status


def test_each_status():
    w = small_province()
    period = month(3, published=False)
    due = submissions.deadline(period)
    assert due.date() == datetime.date(2026, 4, 5)
    job(w["big"], ImportStatus.SUPERSEDED, committed_at=due - datetime.timedelta(days=2))
    job(w["big"], ImportStatus.COMMITTED, committed_at=due + datetime.timedelta(days=1))
    job(w["other"], ImportStatus.PREVIEW)
    job(w["other"], ImportStatus.INVALID, error_count=3, kind=ImportKind.GENERAL_MARKS)
    ids = [w["big"].pk, w["other"].pk, w["tiny"].pk]
    before = submissions.statuses(ids, period, now=due - datetime.timedelta(hours=1))
    assert status_of(before, w["big"]) == submissions.RECEIVED  # first commit was on time
    assert status_of(before, w["other"]) == submissions.IN_PROGRESS
    assert status_of(before, w["other"], ImportKind.GENERAL_MARKS) == submissions.ERRORS
    assert status_of(before, w["tiny"]) == submissions.MISSING
    after = submissions.statuses(ids, period, now=due + datetime.timedelta(hours=1))
    assert status_of(after, w["tiny"]) == submissions.OVERDUE
    late = job(w["tiny"], ImportStatus.COMMITTED, committed_at=timezone.now())
    assert late.committed_at > due
    assert status_of(submissions.statuses(ids, period), w["tiny"]) == submissions.LATE
