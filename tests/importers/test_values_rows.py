"""``cms.rows.values_rows``: the tuples ``list(queryset)`` gives, each column's converters run
once per distinct value (a re-import reads 100,000 stored lines with it, ``ResultsDiff``)."""

import datetime
from decimal import Decimal

import pandas as pd

from cms.rows import values_rows
from importers.kinds.results.diff import _same_days


def test_the_same_tuples_as_the_queryset(world):
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from scoring.models import AssignmentLine, LineSource

    item = world["justice_page"].versions.get().items.get(code="STP-003")
    for n, (assigned, deadline, failed) in enumerate(
        [
            (Decimal("1"), datetime.date(2026, 3, 5), []),
            (Decimal("1.5"), datetime.date(2026, 3, 5), [1, 0]),
            (Decimal("1.50"), None, [1, 0]),
            (Decimal("0.25"), datetime.date(2026, 3, 31), []),
        ]
    ):
        AssignmentLine.objects.create(
            civil_servant=world["people"]["an"], period=world["march"], item=item,
            unit=world["office"], assigned_quantity=assigned, deadline=deadline,
            failed_by_product=failed, source=LineSource.MANUAL, note=f"dòng {n % 2}",
        )  # fmt: skip
    lines = AssignmentLine.objects.order_by("id")
    for queryset in (
        lines.values_list("id", "assigned_quantity", "deadline", "note", "failed_by_product"),
        lines.annotate(text=Cast("failed_by_product", TextField())).values_list(
            "deadline", "text", "id", "completed_quantity"
        ),
        lines.filter(pk__lt=0).values_list("id", "deadline"),
    ):
        rows = values_rows(queryset)
        assert rows == list(queryset)
        assert all(type(row) is tuple for row in rows)
    # A converted list is each row's own: changing one changes no other row.
    rows = values_rows(lines.values_list("failed_by_product", flat=False))
    rows[1][0].append(9)
    assert rows[2][0] == [1, 0]


def test_dates_compared_with_empty_cells_equal():
    march = datetime.date(2026, 3, 1)
    file = pd.Series([march, None, march, None, march, None], dtype=object)
    stored = pd.Series([march, None, datetime.date(2026, 3, 2), march, None, float("nan")])
    assert _same_days(file, stored).tolist() == [True, True, False, False, False, True]
    assert _same_days(file.iloc[:0], stored.iloc[:0]).tolist() == []
