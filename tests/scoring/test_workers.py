"""Scoring in several forked processes gives exactly what one process gives (issue 17): the
month (``score_period(…, workers=2)``) and the year (``score_year(…, workers=2)``, whose
workers rate their slice, wait for the province-wide quota and send back their changed rows)
— on the demo province, every stored column compared. A failing worker stops the batch and
nothing is written."""

import pytest

from scoring.models import AnnualScore, Period, PeriodScore
from scoring.services import annual, compute, period_batch, score_period, score_year

pytestmark = pytest.mark.django_db

SKIPPED = {"id", "computed_at"}


def stored(model, **filters) -> dict:
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in SKIPPED]
    key = "period_id" if model is PeriodScore else "year"
    rows = model.objects.filter(**filters).values(*fields)
    return {(row["civil_servant_id"], row[key]): row for row in rows}


@pytest.fixture
def forking(monkeypatch):
    """Fork from the first person on (the demo is far below the production threshold)."""
    monkeypatch.setattr(compute, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(annual, "POOL_THRESHOLD", 1)


def test_the_year_in_two_workers_equals_one(demo, forking):
    # Rating cases keep their annual scores (PROTECT): every row is rewritten in place instead.
    AnnualScore.objects.update(inputs_hash="")
    one = score_year(2026)
    expected = stored(AnnualScore, year=2026)
    AnnualScore.objects.update(inputs_hash="", rating="", explanation={})
    two = score_year(2026, workers=2)
    assert stored(AnnualScore, year=2026) == expected
    assert (two.people, two.written, two.errors) == (one.people, one.written, one.errors)
    assert len(expected) > 300 and {r["rating"] for r in expected.values()} >= {
        "excellent",
        "good",
    }
    # Unchanged inputs: the workers send nothing back to write.
    again = score_year(2026, workers=3)
    assert (again.written, again.unchanged) == (0, one.people)


def test_the_month_in_two_workers_equals_one(demo, forking):
    period = Period.objects.get(kind="month", year=2026, number=3)
    expected = stored(PeriodScore, period=period)
    PeriodScore.objects.filter(period=period).update(inputs_hash="", total=None, explanation={})
    report = score_period(period, workers=2)
    assert report.written == len(expected) > 300
    assert stored(PeriodScore, period=period) == expected


def test_a_failing_worker_stops_the_year_and_writes_nothing(demo, forking, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    before = stored(AnnualScore, year=2026)
    AnnualScore.objects.filter(year=2026).update(inputs_hash="")  # every row would be rewritten
    monkeypatch.setattr(annual, "_rate_person", broken)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        score_year(2026, workers=2)
    after = stored(AnnualScore, year=2026)
    assert {k: {**v, "inputs_hash": ""} for k, v in before.items()} == after


def test_a_failing_worker_stops_the_month_and_writes_nothing(demo, forking, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    period = Period.objects.get(kind="month", year=2026, number=3)
    PeriodScore.objects.filter(period=period).update(inputs_hash="")  # every row rewritten
    before = stored(PeriodScore, period=period)
    monkeypatch.setattr(period_batch, "build_row", broken)
    with pytest.raises(ZeroDivisionError):
        score_period(period, workers=2)
    assert stored(PeriodScore, period=period) == before
