"""PostgreSQL: explanations are stored with lz4 compression (migration scoring 0014), both by
the batch's ``COPY`` upsert and by a single row; the values read back unchanged."""

import json

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


def test_explanations_are_json_text_read_back_as_written():
    """Migration scoring 0028: the explanations are PostgreSQL ``json`` (kept as written, not
    parsed into ``jsonb``), still lz4; every way the application reads them gives the values
    the engine wrote: the model, ``values_list``, one key (``explanation__steps``), a raw
    cursor (text, as for ``jsonb``), and a single row written through the ORM."""
    from django.db.models import F

    world = build_world()
    person = world.person("Chuyên viên")
    world.line(person, "XY"[0], 2, 1)
    world.marks(person, 27)
    score_period(world.period, force=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, atttypid::regtype::text FROM pg_attribute "
            "WHERE attname = 'explanation' AND attrelid IN "
            "('scoring_periodscore'::regclass, 'scoring_annualscore'::regclass) ORDER BY 1"
        )
        assert cursor.fetchall() == [
            ("scoring_annualscore", "json"),
            ("scoring_periodscore", "json"),
        ]
    stored = PeriodScore.objects.get(civil_servant=person)
    explanation = stored.explanation
    assert isinstance(explanation, dict) and explanation["lines"] and explanation["steps"]
    scores = PeriodScore.objects.filter(pk=stored.pk)
    assert scores.values_list("explanation", flat=True).get() == explanation
    steps = scores.annotate(explanation_steps=F("explanation__steps")).get().explanation_steps
    assert steps == explanation["steps"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT explanation FROM scoring_periodscore WHERE id = %s", [stored.pk])
        text = cursor.fetchone()[0]
    assert isinstance(text, str) and json.loads(text) == explanation
    # A single row through the ORM (a parameter PostgreSQL casts to ``json``).
    scores.update(explanation={"steps": [{"code": "sửa", "total": "12.50"}], "lines": []})
    assert scores.get().explanation == {"steps": [{"code": "sửa", "total": "12.50"}], "lines": []}
    stored.explanation = {"steps": [], "marks": {"general": {"I.1": "3.50"}}}
    stored.save(update_fields=["explanation"])
    assert scores.get().explanation == {"steps": [], "marks": {"general": {"I.1": "3.50"}}}
