"""The periods and the builds the PostgreSQL tests of ``cms.statements`` read them by
(``test_statements_prepared.py``, ``test_statements_pipeline.py``): builds at module level, as
``kept_rows`` wants them."""

import datetime

import pytest

from django.db import connection
from django.db.models import F, Value

from scoring.models import Period

#: The marks of those test modules: each test with the database and its own kept shapes, on
#: PostgreSQL only.
ON_POSTGRESQL = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fresh_shapes"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def make_periods() -> None:
    """Months 1–3 of 2025 and 2026; February 2026 closed."""
    for year in (2025, 2026):
        for number in (1, 2, 3):
            Period.objects.create(kind="month", year=year, number=number)
    Period.objects.filter(year=2026, number=2).update(
        closed_at=datetime.datetime(2026, 3, 5, 8, 30, tzinfo=datetime.UTC)
    )


def by_year(year):
    return Period.objects.filter(year=year).order_by("number").values_list("id", "number")


def kinds(year):
    return Period.objects.filter(year=year).order_by("number").values_list("number", "kind")


def numbers(year):
    return Period.objects.filter(year=year).order_by("number").values_list("number", flat=True)


def divided(year, divisor):
    return (
        Period.objects.filter(year=year)
        .annotate(q=F("number") / Value(divisor))
        .order_by("number")
        .values_list("number", "q")
    )
