"""Bulk loading of one period's scoring inputs: a handful of queries, whatever the head count.

Every loader takes ``people``: ``None`` for the whole period, or a queryset/iterable of
civil-servant ids to restrict to (a subquery, so no parameter limits apply).

Quantities and marks are read as the database's own text (``CAST(... AS TEXT)``) and turned
into ``Decimal`` only when the engine needs them: Django's per-value decimal converters would
otherwise dominate a 600,000-line month. The text is also what ``inputs_hash`` hashes, so the
hash is stable for a given database.
"""

from collections import defaultdict
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from django.db.models import Count, TextField
from django.db.models.functions import Cast

from catalog_pages.models import CatalogVersionItem
from scoring.models import (
    AssignmentLine,
    Deduction,
    DeductionKind,
    GeneralCriteriaMark,
    LeaderMark,
    PeriodScore,
)

REVIEW, DELAY = DeductionKind.REVIEW.value, DeductionKind.DELAY.value


class LineRow(NamedTuple):
    """Layout of one line's scoring inputs. Hot paths use plain tuples in this order
    (``ID``, ``ITEM``, … below); the explain page builds ``LineRow`` for attribute access."""

    id: int
    item_id: int
    assigned: str
    completed: str
    failed_reviews: int
    delays: int
    exempt_reviews: int = 0
    exempt_delays: int = 0


ID, ITEM, ASSIGNED, COMPLETED, FAILED, DELAYS, EXEMPT_REVIEWS, EXEMPT_DELAYS = range(8)
NO_EXEMPTIONS = (0, 0)


class ItemInfo(NamedTuple):
    coefficient: Decimal
    version_id: int


class StoredScore(NamedTuple):
    id: int
    inputs_hash: str
    rating: str
    scored: bool


def _text(field: str) -> Cast:
    return Cast(field, output_field=TextField())


def _restrict(queryset, people, field="civil_servant_id"):
    return queryset if people is None else queryset.filter(**{f"{field}__in": people})


def load_exemptions(period, people=None) -> dict[int, dict[str, int]]:
    """line id → {"review": n, "delay": n} exempted events."""
    rows = (
        _restrict(
            Deduction.objects.filter(line__period=period, exempt=True),
            people,
            "line__civil_servant_id",
        )
        .values_list("line_id", "kind")
        .annotate(n=Count("id"))
    )
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for line_id, kind, count in rows.order_by():
        result[line_id][kind] = count
    return result


class LoadedLines:
    """The period's lines as raw database tuples, grouped by person.

    Raw tuple: ``(person id, line id, item id, assigned text, completed text, failed
    reviews, delays)``. Line tuples in ``LineRow`` order (with exemption counts) are built
    only for the people whose score is actually recomputed; hashing uses the raw tuples.
    """

    def __init__(self, rows: dict[int, list[tuple]], exemptions: dict[int, dict[str, int]]):
        self.rows = rows
        self.exemptions = exemptions

    def raw(self, person_id: int) -> list[tuple]:
        return self.rows.get(person_id, [])

    def exempted(self, raw: list[tuple]) -> list[tuple]:
        """``(line id, exempt reviews, exempt delays)`` of the lines that have exemptions."""
        if not self.exemptions:
            return []
        found = []
        for row in raw:
            counts = self.exemptions.get(row[1])
            if counts:
                found.append((row[1], counts.get(REVIEW, 0), counts.get(DELAY, 0)))
        return found

    def line_rows(self, person_id: int) -> list[tuple]:
        """Tuples in ``LineRow`` order."""
        exemptions = self.exemptions
        rows = []
        for row in self.raw(person_id):
            counts = exemptions.get(row[1]) if exemptions else None
            extra = (counts.get(REVIEW, 0), counts.get(DELAY, 0)) if counts else NO_EXEMPTIONS
            rows.append(row[1:] + extra)
        return rows


def load_lines(period, people=None) -> LoadedLines:
    """The period's lines (and exemption counts from the deduction rows)."""
    rows = (
        _restrict(AssignmentLine.objects.filter(period=period), people)
        .annotate(
            assigned_text=_text("assigned_quantity"), completed_text=_text("completed_quantity")
        )
        .values_list(
            "civil_servant_id",
            "id",
            "item_id",
            "assigned_text",
            "completed_text",
            "failed_reviews",
            "delays",
        )
        .order_by("civil_servant_id", "id")
    )
    grouped = {
        person_id: list(group)
        for person_id, group in groupby(rows.iterator(chunk_size=20000), key=itemgetter(0))
    }
    return LoadedLines(grouped, load_exemptions(period, people))


def load_items(period, people=None) -> dict[int, ItemInfo]:
    """Catalog items used by the period's lines: coefficient and catalog version."""
    used = _restrict(AssignmentLine.objects.filter(period=period), people).values("item_id")
    return {
        pk: ItemInfo(coefficient, version_id)
        for pk, coefficient, version_id in CatalogVersionItem.objects.filter(
            pk__in=used
        ).values_list("id", "coefficient", "version_id")
    }


def load_general_marks(period, people=None) -> dict[int, dict[str, dict[str, str]]]:
    """person id → component → criterion → effective mark text (evaluator's, else self)."""
    rows = (
        _restrict(GeneralCriteriaMark.objects.filter(period=period), people)
        .annotate(self_text=_text("self_mark"), evaluator_text=_text("evaluator_mark"))
        .values_list("civil_servant_id", "component", "criterion", "self_text", "evaluator_text")
    )
    result: dict[int, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for person_id, component, criterion, self_mark, evaluator_mark in rows.order_by().iterator(
        chunk_size=20000
    ):
        mark = evaluator_mark if evaluator_mark is not None else self_mark
        if mark is not None:
            result[person_id][component][criterion] = mark
    return result


def load_leader_marks(period, people=None) -> dict[int, tuple[str, str]]:
    rows = (
        _restrict(LeaderMark.objects.filter(period=period), people)
        .annotate(organising_text=_text("organising"), cohesion_text=_text("cohesion"))
        .values_list("civil_servant_id", "organising_text", "cohesion_text")
    )
    return {person_id: (organising, cohesion) for person_id, organising, cohesion in rows}


def load_stored(period, people=None) -> dict[int, StoredScore]:
    rows = _restrict(PeriodScore.objects.filter(period=period), people).values_list(
        "civil_servant_id", "id", "inputs_hash", "rating", "scored"
    )
    return {person_id: StoredScore(*values) for person_id, *values in rows.order_by()}
