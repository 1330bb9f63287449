"""The annual rows' columns written without recomputing the rows (issue 48 item 3).

A change to one person re-ranks their quota group from the stored rows and moves the other
members' sources fingerprints (``annual._update_columns``): ~150 rows for one change. On
PostgreSQL they are written by one statement (the values as arrays, unnested side by side),
elsewhere by one statement per row; on both engines (the file names the connection's vendor,
so CI runs it on PostgreSQL too) every row gets exactly its own values, and no other row or
column changes."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import AnnualScore
from scoring.services.annual import _update_columns, _update_sources
from tests.factories import ProvinceFactory, UnitFactory, annual_score, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    unit = UnitFactory(parent=ProvinceFactory())
    people = [post(unit, full_name=f"Người {i}") for i in range(5)]
    return [annual_score(person, 80 + i, unit) for i, person in enumerate(people)]


def test_moved_fingerprints_reach_each_row_in_one_statement_on_postgresql(rows):
    moved = [(f"sources-{row.pk}-{'é' * (i + 1)}", row.pk) for i, row in enumerate(rows[:4])]
    before = {row.pk: (row.inputs_hash, row.score, row.quota_group) for row in rows}
    with CaptureQueriesContext(connection) as queries:
        _update_columns(("sources_hash",), moved)
    updates = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    if connection.vendor == "postgresql":
        assert len(updates) == 1 and "unnest" in updates[0]["sql"]
    stored = {row.pk: row for row in AnnualScore.objects.filter(pk__in=before)}
    for value, pk in moved:
        assert stored[pk].sources_hash == value
    assert stored[rows[4].pk].sources_hash == rows[4].sources_hash  # not in the batch
    for pk, row in stored.items():
        assert (row.inputs_hash, row.score, row.quota_group) == before[pk]


def test_the_four_columns_with_the_period_ids_list(rows):
    for i, row in enumerate(rows):
        row.sources_hash, row.own_digest = f"s{i}", f"o{i}"
        row.quota_group = f"g{i % 2}"
        row.period_score_ids = [i, i + 10] if i else []
    _update_sources(rows)
    stored = {row.pk: row for row in AnnualScore.objects.filter(pk__in=[r.pk for r in rows])}
    for i, row in enumerate(rows):
        got = stored[row.pk]
        assert (got.sources_hash, got.own_digest, got.quota_group) == (
            f"s{i}",
            f"o{i}",
            f"g{i % 2}",
        )
        assert got.period_score_ids == ([i, i + 10] if i else [])


def test_one_row_and_none(rows):
    _update_columns(("sources_hash",), [])
    _update_columns(("sources_hash",), [("only", rows[0].pk)])
    assert AnnualScore.objects.get(pk=rows[0].pk).sources_hash == "only"
