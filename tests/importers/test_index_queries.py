"""The Excel page lists the last 50 jobs with their period by name, for a fixed number of
queries: each job's period label came from a query of its own (issue 48: 81 queries for Sở Nội
vụ at 100,000 people)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from importers.models import ImportJob, ImportKind, ImportStatus


def jobs(world, codes):
    for number, code in enumerate(codes):
        ImportJob.objects.create(
            kind=ImportKind.RESULTS,
            agency=world["justice"],
            status=ImportStatus.COMMITTED,
            period_code=code,
            file="x.xlsx",
            original_name=f"ket-qua-{number}.xlsx",
            sha256=str(number),
        )


def page_queries(client) -> tuple[int, str]:
    url = reverse("importers_index")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_jobs_periods_by_name_and_no_query_more_with_more_jobs(client, world):
    client.force_login(world["home_affairs"])
    jobs(world, ["2026-03"])
    few, page = page_queries(client)
    assert "<td>Tháng 03/2026</td>" in page
    jobs(world, ["2026-04", "2026-Q2", "2026-H1", "2026", "2026-13", *["2026-05"] * 20])
    many, page = page_queries(client)
    assert many == few
    for label in ("Tháng 04/2026", "Quý II/2026", "6 tháng đầu năm 2026", "Năm 2026"):
        assert f"<td>{label}</td>" in page
    # A code that names no period is shown as it was given, not guessed.
    assert "<td>2026-13</td>" in page
