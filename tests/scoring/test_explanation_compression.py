"""PostgreSQL: explanations are stored with lz4 compression (migration scoring 0014), both by
the batch's ``COPY`` upsert and by a single row; the values read back unchanged."""

import pytest

from django.db import connection

from cms.postgres import lz4_available
from scoring.models import PeriodScore
from scoring.services import score_period
from tests.scoring.helpers import build_world

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="column compression: PostgreSQL only"
    ),
]


def compressions() -> set:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT pg_column_compression(explanation) FROM scoring_periodscore"
        )
        return {row[0] for row in cursor.fetchall()}


def test_a_scored_month_stores_its_explanations_with_lz4():
    with connection.cursor() as cursor:
        if not lz4_available(cursor):
            pytest.skip("this PostgreSQL server has no lz4")
    world = build_world()
    person = world.person("Chuyên viên")
    # Long enough to be compressed (PostgreSQL compresses values above ~2 KB).
    for n in range(40):
        world.line(person, "XY"[n % 2], 2, 2)
    world.marks(person, 27)
    score_period(world.period, force=True)
    stored = PeriodScore.objects.get(civil_servant=person)
    assert stored.scored and len(stored.explanation["lines"]) == 40
    assert compressions() == {"lz4"}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attcompression FROM pg_attribute WHERE attrelid = "
            "'scoring_annualscore'::regclass AND attname = 'explanation'"
        )
        assert cursor.fetchone()[0] == "l"
