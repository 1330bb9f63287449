"""A value that is not given yet is ``null``, never ``""`` (reliability review §5, issue 47):
``""`` is not a member of any enum the schema names, so a client validating against the schema
rejected every unscored row of ``GET /api/v1/period-scores/``. The class: every enum field that
may be empty (``choice_ref(..., allow_blank=True)``: ratings, levels, roles) is sent as null
and documented nullable."""

import pytest
import yaml

from scoring.models import PeriodScore

pytestmark = pytest.mark.django_db


def test_an_unscored_row_has_a_null_rating_and_the_schema_says_it_may(world, client):
    hung = world.people["hung"]
    PeriodScore.objects.filter(civil_servant=hung, period=world.march).update(
        rating="", scored=False
    )
    api = world.client_for("snv-docs")
    for address in (
        f"/api/v1/period-scores/?civil_servant={hung.official_id}&period=2026-03",
        "/api/v1/period-scores/?period=2026-03",
    ):
        rows = api.get(address).json()["results"]
        row = next(r for r in rows if r["civil_servant"] == hung.official_id)
        assert row["rating"] is None and row["scored"] is False
        assert all(r["rating"] != "" for r in rows)
    score_id = PeriodScore.objects.get(civil_servant=hung, period=world.march).pk
    assert api.get(f"/api/v1/period-scores/{score_id}/").json()["rating"] is None

    schema = yaml.safe_load(client.get("/api/v1/schema/").content)["components"]["schemas"]
    enums = {name for name, component in schema.items() if "enum" in component}
    assert "" not in schema["RatingEnum"]["enum"]
    for component, field in [
        ("PeriodScore", "rating"),
        ("AnnualScore", "rating"),
        ("AnnualScore", "score_rating"),
        ("AnnualScore", "rating_before_quota"),
        ("AnnualRating", "decision_level"),
        ("AnnualRating", "role"),
    ]:
        prop = schema[component]["properties"][field]
        assert prop.get("nullable") is True, (component, field)
        assert prop["allOf"][0]["$ref"].rsplit("/", 1)[1] in enums
