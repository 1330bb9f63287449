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


def _worklog_inputs(agency, unit, period, source="manual"):
    """A line assigned and reported in the worklog (or the API) and Form 01 marks entered on
    screen for one person of ``agency``: no Excel upload at all."""
    from decimal import Decimal

    from scoring.models import AssignmentLine, GeneralCriteriaMark
    from tests.factories import catalog_version, post

    person = post(unit)
    _version, items = catalog_version(agency)
    AssignmentLine.objects.create(
        civil_servant=person,
        period=period,
        item=items["X"],
        unit=unit,
        assigned_quantity=Decimal(1),
        completed_quantity=Decimal(1),
        source=source,
    )
    GeneralCriteriaMark.objects.create(
        civil_servant=person, period=period, criterion="I.1", evaluator_mark=Decimal(5)
    )
    return person


def test_results_entered_in_the_worklog_or_the_api_count_as_submitted():
    """Review 2026-11-22 (ux #12, issue 16 item 9): for March every agency was marked "Chưa nộp,
    quá hạn" although all had scores: they used the worklog, not Excel. Every input path counts:
    worklog lines, API lines and Form 01 marks entered on screen."""
    w = small_province()
    period = month(3, published=False)
    _worklog_inputs(w["big"], w["big_unit"], period)
    _worklog_inputs(w["other"], w["other_unit"], period, source="api")
    after = submissions.deadline(period) + datetime.timedelta(days=1)
    ids = [w["big"].pk, w["other"].pk, w["tiny"].pk]
    result = submissions.statuses(ids, period, now=after)
    for agency in (w["big"], w["other"]):
        assert status_of(result, agency) == submissions.RECEIVED
        assert status_of(result, agency, ImportKind.GENERAL_MARKS) == submissions.RECEIVED
    assert status_of(result, w["tiny"]) == submissions.OVERDUE
    big = next(s for s in result if s.agency_id == w["big"].pk and s.kind == ImportKind.RESULTS)
    assert dict(big.sources) == {"manual": 1}
    other = next(s for s in result if s.agency_id == w["other"].pk and s.kind == ImportKind.RESULTS)
    assert dict(other.sources) == {"api": 1}


def test_the_dashboard_says_how_each_agency_submitted(client):
    """One row per agency, after the results: the status of each kind and the paths used."""
    from django.urls import reverse

    from org.access import HOME_AFFAIRS_GROUP
    from org.roles import ensure_roles
    from tests.factories import UserFactory

    ensure_roles()
    w = small_province()
    period = month(3, published=False)
    _worklog_inputs(w["big"], w["big_unit"], period)
    client.force_login(UserFactory(username="snv.sub", groups=[HOME_AFFAIRS_GROUP]))
    url = reverse("dashboards_node", args=[w["province"].pk]) + "?ky=2026-03"
    html = client.get(url).content.decode()
    section = html[html.index('id="submissions"') :]
    section = section[: section.index("</section>")]
    big_row = next(row for row in section.split("<tr>") if "Sở Lớn" in row)
    assert "Chưa nộp" not in big_row
    assert "Giao việc: 1 dòng" in big_row
    assert "Nhập trên màn hình: 1 người" in big_row
    tiny_row = next(row for row in section.split("<tr>") if "xã Nhỏ" in row)
    assert "Chưa nộp, quá hạn" in tiny_row
    assert section.count("Sở Lớn") == 1  # one row per agency
    # The results come first; the submission table follows them.
    assert html.index('id="submissions"') > html.index('id="children"')
