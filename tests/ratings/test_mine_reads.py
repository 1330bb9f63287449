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
from tests.factories import period_score, post, with_user

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
