"""A month's rows that the batch read as not stored are written as new (``store.upsert``'s
``new``): on PostgreSQL copied straight into the table, a third cheaper for the server than the
staging table and its ``INSERT … ON CONFLICT`` (issue 48). A row that another writer stored
between the batch's read and its write is updated, never refused (the copy's IntegrityError is
caught in a savepoint and the rows go through the upsert)."""

from decimal import Decimal

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import PeriodScore
from scoring.services import score_period, store
from tests.scoring.helpers import build_world

COMPARED = ("civil_servant_id", "total", "rating", "inputs_hash", "explanation", "agency_id")


def _world():
    world = build_world()
    for name, total in (("Chuyên viên một", 27), ("Chuyên viên hai", 25), ("Chuyên viên ba", 20)):
        world.full_month(world.person(name), total=total, completed=1)
    return world


def _stored(period) -> list[tuple]:
    return list(
        PeriodScore.objects.filter(period=period)
        .order_by("civil_servant_id")
        .values_list(*COMPARED)
    )


@pytest.fixture
def copy_always(monkeypatch):
    """Three rows are a small write (below ``store.COPY_FROM``): these tests have PostgreSQL
    take the ``COPY`` path of a month's write all the same."""
    monkeypatch.setattr(store, "COPY_FROM", 1)


@pytest.mark.django_db
def test_a_first_run_stores_what_the_upsert_stores(monkeypatch, copy_always):
    world = _world()
    copied = []
    copy_insert = store._copy_insert

    def spy(*args):
        copied.append(copy_insert(*args))
        return copied[-1]

    monkeypatch.setattr(store, "_copy_insert", spy)
    assert score_period(world.period).written == 3
    first = _stored(world.period)
    if connection.vendor == "postgresql":
        assert copied == [True]  # straight into the table, no fallback

    # The same month written through the staging table and its upsert only.
    PeriodScore.objects.filter(period=world.period).delete()
    monkeypatch.setattr(store, "_copy_insert", lambda *args: False)
    assert score_period(world.period).written == 3
    assert _stored(world.period) == first
    assert len(first) == 3


@pytest.mark.django_db
def test_a_row_stored_since_the_batch_read_is_updated_not_refused(copy_always):
    world = _world()
    score_period(world.period)
    scores = list(PeriodScore.objects.filter(period=world.period).order_by("civil_servant_id"))
    fields = store._columns(PeriodScore)
    adapt = store.row_adapter(PeriodScore)

    def row(score, total):
        values = {f.attname: getattr(score, f.attname) for f in fields}
        values["total"] = total
        return adapt(values)

    # The batch read none of them as stored; the first two are (another writer, since), the
    # third is not.
    PeriodScore.objects.filter(pk=scores[2].pk).delete()
    totals = [Decimal("11.00"), Decimal("22.00"), Decimal("33.00")]
    rows = [row(score, total) for score, total in zip(scores, totals, strict=True)]

    store.upsert_period_scores(
        rows, adapted=True, years={world.period.pk: world.period.year}, stored=set()
    )

    assert dict(
        PeriodScore.objects.filter(period=world.period).values_list("civil_servant_id", "total")
    ) == {score.civil_servant_id: total for score, total in zip(scores, totals, strict=True)}


@pytest.mark.django_db
def test_a_few_rows_are_one_insert_statement_and_store_what_the_copy_stores(monkeypatch):
    """One person's chain writes one row: on PostgreSQL a staging table cost five statements
    and a temporary table of its own for it. Below ``COPY_FROM`` rows the write is one
    ``INSERT … VALUES … ON CONFLICT`` on every engine, and stores what the copy stores."""
    world = _world()
    monkeypatch.setattr(store, "COPY_FROM", 1)
    assert score_period(world.period).written == 3
    copied = _stored(world.period)

    PeriodScore.objects.filter(period=world.period).delete()
    monkeypatch.setattr(store, "COPY_FROM", 200)
    with CaptureQueriesContext(connection) as queries:
        assert score_period(world.period).written == 3
    assert _stored(world.period) == copied
    writes = [q["sql"] for q in queries if "scoring_periodscore" in q["sql"].split(" WHERE ")[0]]
    inserts = [sql for sql in writes if sql.startswith("INSERT INTO")]
    assert len(inserts) == 1 and "ON CONFLICT" in inserts[0]
    assert not [q["sql"] for q in queries if "TEMP TABLE" in q["sql"] or "COPY" in q["sql"]]

    # Written again with other figures (a stored row each): updated in place by the same
    # one statement, never refused.
    fields = store._columns(PeriodScore)
    adapt = store.row_adapter(PeriodScore)
    rows = []
    for score in PeriodScore.objects.filter(period=world.period).order_by("civil_servant_id"):
        values = {f.attname: getattr(score, f.attname) for f in fields}
        values["total"] = Decimal("44.00")
        rows.append(adapt(values))
    store.upsert_period_scores(rows, adapted=True, years={world.period.pk: world.period.year})
    totals = PeriodScore.objects.filter(period=world.period).values_list("total", flat=True)
    assert set(totals) == {Decimal("44.00")}


def _stored_text(score) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT explanation FROM scoring_periodscore WHERE id = %s", [score.pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_one_persons_explanation_is_stored_in_the_documents_own_order():
    """A person scored alone is written by the ``INSERT … VALUES`` path: its explanation must
    be stored as the document was built, keys in their order (PostgreSQL's ``json`` column
    keeps the text it is given; sent as Django's ``'…'::jsonb`` it would keep jsonb's order —
    shortest key first — and the explanation page would list the parts differently from a
    month's batch)."""
    import json

    from django.utils import timezone

    from scoring.services import score_person
    from scoring.services.person import prepare_person
    from scoring.services.scorer import build_row, outcome_of

    world = _world()
    person = world.person("Chuyên viên một")
    data, prepared = prepare_person(person, world.period)
    built = build_row(
        world.period,
        prepared,
        outcome_of(prepared, data.items),
        data.items,
        timezone.now(),
    )["explanation"]

    score = score_person(person, world.period, cascade=False)
    stored = json.loads(_stored_text(score))
    assert stored == built
    assert list(stored) == list(built)  # "steps" first, as built
    assert [list(step) for step in stored["steps"]] == [list(step) for step in built["steps"]]
