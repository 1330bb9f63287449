"""After a bulk write the table is analysed once the transaction commits (PostgreSQL), so the
planner knows a new period's rows at once (cms/postgres.py); small writes and other
databases leave it to autovacuum."""

import pytest

from django.db import connection

from cms.postgres import BULK_ROWS, refresh_after_bulk_write
from scoring.models import PeriodScore

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE: PostgreSQL only"),
]


def manual_analyses() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = %s",
            [PeriodScore._meta.db_table],
        )
        return cursor.fetchone()[0]


def test_a_bulk_write_analyses_the_table_after_commit(django_capture_on_commit_callbacks):
    before = manual_analyses()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        refresh_after_bulk_write(PeriodScore, BULK_ROWS)
    assert manual_analyses() == before  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert manual_analyses() == before + 1


def test_a_small_write_leaves_it_to_autovacuum(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        refresh_after_bulk_write(PeriodScore, BULK_ROWS - 1)
    assert callbacks == []


def test_the_score_batch_analyses_what_it_wrote(django_capture_on_commit_callbacks, monkeypatch):
    from cms import postgres
    from scoring.services import score_period
    from tests.scoring.helpers import build_world

    world = build_world()
    world.full_month(world.person("Chuyên viên"))
    monkeypatch.setattr(postgres, "BULK_ROWS", 1)  # one row counts as a bulk write here
    before = manual_analyses()
    with django_capture_on_commit_callbacks(execute=True):
        report = score_period(world.period, force=True)
    assert report.written == 1
    assert manual_analyses() == before + 1


@pytest.mark.parametrize("table", ["scoring_period", "org_agency"])
def test_small_tables_whose_keys_grow_are_analysed_after_any_change(table):
    """A province adds a few periods a year: with autovacuum's default threshold (50 rows) the
    periods' statistics stayed those of the first months, and the planner read a unit's lines
    by the period index expecting the periods' ids to end there (issue 48)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        options = cursor.fetchone()[0]
    assert "autovacuum_analyze_threshold=1" in options
    assert "autovacuum_analyze_scale_factor=0" in options
