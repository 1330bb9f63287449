"""The person's own page reads their period scores without the stored explanations (issue 48):
a leader's explanation lists the lines of their whole charge — megabytes for a province's
chairman, 2.7 s of the page at 100,000 people — and the page shows none of it. An unscored
month still reads "chờ lãnh đạo chấm" from the steps alone."""

import datetime
import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.models import Period
from tests.factories import period_complaint, period_score, post, with_user

pytestmark = pytest.mark.django_db

#: The whole column, not a key read out of it (``explanation -> 'steps'`` on PostgreSQL,
#: ``JSON_EXTRACT``/``JSON_TYPE`` of it on SQLite).
WHOLE = re.compile(
    r'(?<!JSON_EXTRACT\()(?<!JSON_TYPE\()"scoring_periodscore"\."explanation"(?!\s*->)'
)


def test_the_own_page_reads_no_explanation_and_still_says_awaiting_the_leader(world, client):
    person = post(world.unit, full_name="Trưởng Phòng Thử")
    user = with_user(person, "truongphongthu")
    june = Period.for_date(datetime.date(2026, 6, 1), create=True)
    july = Period.for_date(datetime.date(2026, 7, 1), create=True)
    period_score(person, june, 92, world.unit)
    waiting = period_score(person, july, 0, world.unit, scored=False)
    waiting.explanation = {
        "steps": [{"code": "period_not_scored", "reason": "awaiting_evaluator"}],
        "unit_lines": list(range(5000)),  # a leader's charge: never read by this page
    }
    waiting.save(update_fields=["explanation"])

    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("ratings_my")).content.decode()
    assert "92,00" in page
    assert "chờ lãnh đạo chấm" in page and "không chấm điểm" not in page
    whole = [q["sql"] for q in queries.captured_queries if WHOLE.search(q["sql"])]
    assert whole == []


def test_the_own_page_reads_as_many_queries_for_twelve_months_as_for_two(world, client):
    """Each listed score asked for its person and its year's complaint window (issue 48: 86
    queries on a unit head's page at 100,000 people): both are read with the scores, or once
    per year."""
    person = post(world.unit, full_name="Chuyên Viên Thử")
    user = with_user(person, "chuyenvienthu")
    client.force_login(user)

    def queries_with(months):
        for month in months:
            period = Period.for_date(datetime.date(2025, month, 1), create=True)
            period_score(person, period, 80 + month, world.unit)
        client.get(reverse("ratings_my"))  # the reach and the menu read once
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("ratings_my")).content.decode()
        return len(queries.captured_queries), page

    few, _page = queries_with([1, 2])
    many, page = queries_with(range(3, 13))
    assert "92,00" in page
    assert many == few


def test_a_score_with_a_complaint_waiting_offers_no_second_one(world, client):
    """The waiting complaint read with the scores still closes the door to another."""
    person = post(world.unit, full_name="Chuyên Viên Kiến Nghị")
    user = with_user(person, "chuyenvienkn")
    march = period_score(
        person, Period.for_date(datetime.date(2025, 3, 1), create=True), 81, world.unit
    )
    april = period_score(
        person, Period.for_date(datetime.date(2025, 4, 1), create=True), 82, world.unit
    )
    period_complaint(march)
    client.force_login(user)
    page = client.get(reverse("ratings_my")).content.decode()
    assert reverse("ratings_period_complaint_file", args=[april.pk]) in page
    assert reverse("ratings_period_complaint_file", args=[march.pk]) not in page
