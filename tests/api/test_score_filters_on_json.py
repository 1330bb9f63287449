"""The score endpoints' filters on PostgreSQL's ``json`` explanations (migration scoring 0028,
``cms.postgres.DocumentField``): ``json`` has no equality, so a filter that made the query
``DISTINCT`` over the score's row — django-filter's default for a multiple choice, the ratings —
failed with "could not identify an equality operator for type json" (found by the API's
schema test on PostgreSQL). Every filter of the two endpoints, together, answers with the rows
and their explanations; on SQLite as well."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def get(shared_world):
    client = shared_world.client_for("home_affairs")

    def fetch(url):
        response = client.get(url)
        assert response.status_code == 200, response.content
        return response.json()["results"]

    return fetch


def test_every_score_filter_at_once_answers_with_the_explanations(shared_world, get):
    alice = shared_world.people["alice"].official_id
    everything = (
        "agency=SNV&rating=good&rating=excellent&rating=completed&position_group=professional"
        "&leader=false&scored=true&computed_after=2000-01-01T00:00:00Z"
    )
    period_rows = get(f"/api/v1/period-scores/?{everything}&period_kind=month&year=2026")
    assert alice in {row["civil_servant"] for row in period_rows}
    assert {row["rating"] for row in period_rows} <= {"good", "excellent", "completed"}
    assert all(row["explanation"]["steps"] for row in period_rows)
    annual_rows = get(f"/api/v1/annual-scores/?{everything}&year=2026")
    (annual,) = [row for row in annual_rows if row["civil_servant"] == alice]
    assert annual["score"] == "83.00" and annual["rating"] == "good"
    assert annual["explanation"]["steps"] and annual["explanation_text"]
