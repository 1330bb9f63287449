"""A month's rows that the batch read as not stored are written as new (``store.upsert``'s
``new``): on PostgreSQL copied straight into the table, a third cheaper for the server than the
staging table and its ``INSERT … ON CONFLICT`` (issue 48). A row that another writer stored
between the batch's read and its write is updated, never refused (the copy's IntegrityError is
caught in a savepoint and the rows go through the upsert)."""

from decimal import Decimal

import pytest

from django.db import connection

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


@pytest.mark.django_db
def test_a_first_run_stores_what_the_upsert_stores(monkeypatch):
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
def test_a_row_stored_since_the_batch_read_is_updated_not_refused():
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
