"""Bulk loading of one period's scoring inputs: a handful of queries, whatever the head count.

Every loader takes ``people``: ``None`` for the whole period, or a queryset/iterable of
civil-servant ids to restrict to (a subquery, so no parameter limits apply).

Quantities and marks are read as the database's own text (``CAST(... AS TEXT)``) and turned
into ``Decimal`` only when the engine needs them: Django's per-value decimal converters would
otherwise dominate a 600,000-line month. The text is also what ``inputs_hash`` hashes, so the
hash is stable for a given database.
"""

import json
from collections import defaultdict
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

from django.db.models import TextField
from django.db.models.functions import Cast

from catalog_pages.common_catalog import effective_items
from cms.statements import given_ids, kept_rows, kept_rows_together, read
from scoring.engine.fingerprint import sha256_hex
from scoring.models import (
    AssignmentLine,
    Deduction,
    DeductionKind,
    GeneralCriteriaMark,
    LeaderMark,
    PeriodScore,
)
from scoring.services.competencies import BatchCompetencies
from scoring.services.feeds import coordination_ratings, satisfaction_by_source
from scoring.services.fingerprint import lines_digest

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
    #: Counted (non-exempt) events of product 1, 2, … (Art. 14 b, c per product); ``None``
    #: when the line has no per-product breakdown (the engine spreads its events). Stored
    #: snapshots from before engine 1.1.0 have no such entries.
    failed_by_product: list[int] | None = None
    delays_by_product: list[int] | None = None


(
    ID,
    ITEM,
    ASSIGNED,
    COMPLETED,
    FAILED,
    DELAYS,
    EXEMPT_REVIEWS,
    EXEMPT_DELAYS,
    FAILED_BY_PRODUCT,
    DELAYS_BY_PRODUCT,
) = range(10)
NO_EXEMPTIONS = (0, 0)
#: Raw tuple positions of the per-product lists (JSON text as the database returns it).
RAW_FAILED, RAW_DELAYS, RAW_FAILED_LIST, RAW_DELAYS_LIST = 5, 6, 7, 8
EMPTY_LISTS = {"[]", ""}


class ItemInfo(NamedTuple):
    """How a catalog item counts in the period: the coefficient scoring uses (the common
    catalog's once a decision adopting it is in force on the period's start, else the item's
    own; ``catalog_pages.common_catalog``), its catalog version, and where it came from."""

    coefficient: Decimal
    version_id: int
    own_coefficient: Decimal | None = None
    #: The common catalog adoption whose coefficient applies (None: the agency's own).
    adoption_id: int | None = None
    common_code: str = ""


class StoredScore(NamedTuple):
    id: int
    inputs_hash: str
    rating: str
    scored: bool


def _text(field: str) -> Cast:
    return Cast(field, output_field=TextField())


def _restrict(queryset, people, field="civil_servant_id"):
    return queryset if people is None else queryset.filter(**{f"{field}__in": people})


#: Up to this many people (ids given) the rows are read in one round trip; for more, or for
#: everyone, in chunks through a server-side cursor (PostgreSQL), which keeps a month of a
#: province's lines out of memory but costs four round trips (``DECLARE``, ``FETCH`` until
#: one comes back empty, ``CLOSE``): one person's chain read two such cursors (issue 48).
FEW_PEOPLE = 500


def _few(people) -> bool:
    return given_ids(people) and len(people) <= FEW_PEOPLE


def _rows(queryset, people):
    """``queryset``'s rows: at once for a few people (:data:`FEW_PEOPLE`), else in chunks."""
    if _few(people):
        return iter(queryset)
    return queryset.iterator(chunk_size=20000)


def _period_rows(build, period, people, *, chunked: bool = True, ahead=None):
    """The rows of ``build(period id, people)``: those :func:`read_ahead` read (``ahead``),
    else for a few people given by id by a statement compiled once per number of people
    (``cms.statements``: one person's chain compiled each of these reads anew), else by
    ``build``'s queryset, in chunks when ``chunked``."""
    if ahead is not None and (rows := ahead.pop((build, period.pk, _key(people)), None)):
        return rows[0]
    if _few(people):
        return kept_rows(build, period=period.pk, people=people)
    queryset = build(period=period.pk, people=people)
    return _rows(queryset, people) if chunked else queryset


def _key(people) -> tuple | None:
    return tuple(people) if given_ids(people) else None


def read_ahead(period, lines_of, marks_of) -> dict:
    """The period's lines and their exemptions of ``lines_of``, the general and leader's marks
    of ``marks_of`` (a few people each, by id), read together (``cms.statements``: one round
    trip on PostgreSQL): what :func:`load_lines`, :func:`load_general_marks` and
    :func:`load_leader_marks` take as ``ahead``, each read once, right after. People not few
    are left to those loaders."""
    wanted = [
        (build, people)
        for build, people in (
            (_line_rows, lines_of),
            (_exemption_rows, lines_of),
            (_mark_rows, marks_of),
            (_leader_mark_rows, marks_of),
        )
        if _few(people)
    ]
    rows = kept_rows_together(
        *(read(build, period=period.pk, people=people) for build, people in wanted)
    )
    return {
        (build, period.pk, _key(people)): (found,)
        for (build, people), found in zip(wanted, rows, strict=True)
    }


class Exempted(NamedTuple):
    """Exempted events of one kind on one line: how many, and the products they were on
    (``(first product, products)`` per row; first product ``None`` for older rows)."""

    events: int  # not ``count``, which would shadow ``tuple.count``
    spans: tuple[tuple[int | None, int], ...]


def load_exemptions(period, people=None, ahead=None) -> dict[int, dict[str, Exempted]]:
    """line id → {"review": Exempted, "delay": Exempted}; each product of a row is one event."""
    spans: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for line_id, kind, first, products in _period_rows(
        _exemption_rows, period, people, chunked=False, ahead=ahead
    ):
        spans[line_id][kind].append((first, products))
    return {
        line_id: {
            kind: Exempted(sum(n for _first, n in found), tuple(found))
            for kind, found in kinds.items()
        }
        for line_id, kinds in spans.items()
    }


def _exemption_rows(period, people):
    return (
        _restrict(
            Deduction.objects.filter(line__period_id=period, exempt=True),
            people,
            "line__civil_servant_id",
        )
        .values_list("line_id", "kind", "first_product", "products")
        .order_by("line_id", "kind", "first_product", "id")
    )


def counted_by_product(text: str, total: int, exempted: Exempted | None) -> list[int] | None:
    """The engine's per-product counted events from a line's stored list (JSON text) and its
    exempt rows, or ``None`` when the line has no usable breakdown: no list, a list that does
    not account for every event of the line, or an exemption whose products are unknown."""
    if text in EMPTY_LISTS:
        return None
    counts = json.loads(text)
    if not isinstance(counts, list) or sum(counts) != total:
        return None
    for first, products in exempted.spans if exempted else ():
        if first is None:
            return None
        for number in range(first, first + products):
            if number > len(counts) or counts[number - 1] == 0:
                return None
            counts[number - 1] -= 1
    return counts


class LoadedLines:
    """The period's lines as raw database tuples, grouped by person.

    Raw tuple: ``(person id, line id, item id, assigned text, completed text, failed
    reviews, delays, failed-by-product JSON text, delays-by-product JSON text)``. Line tuples
    in ``LineRow`` order (with exemption counts and the counted per-product lists) are built
    only for the people whose score is actually recomputed; hashing uses the raw tuples.
    """

    def __init__(self, rows: dict[int, list[tuple]], exemptions: dict[int, dict[str, Exempted]]):
        self.rows = rows
        self.exemptions = exemptions
        self._built: dict[int, list[tuple]] = {}
        self._parts: dict[int, dict] = {}  # person id -> key -> part
        self._digests: dict[int, str] = {}
        self._exempt_people: frozenset[int] | None = None
        #: What the period's people share (a few thousand line shapes, the items' products):
        #: key -> cache, for ``scoring.services.merge.linear_part`` and the charge's sums.
        self.shared: dict = {}

    def raw(self, person_id: int) -> list[tuple]:
        return self.rows.get(person_id, [])

    @property
    def exempt_people(self) -> frozenset[int]:
        """The people with at least one exempted line (found once, in one pass)."""
        if self._exempt_people is None:
            lines = self.exemptions.keys()
            self._exempt_people = frozenset(
                person
                for person, raw in (self.rows.items() if lines else ())
                if not lines.isdisjoint([row[1] for row in raw])
            )
        return self._exempt_people

    def exempted(self, raw: list[tuple]) -> list[tuple]:
        """``(line id, exempt reviews, exempt delays, their products)`` of the lines that have
        exemptions."""
        if not self.exemptions or not raw or raw[0][0] not in self.exempt_people:
            return []
        found = []
        for row in raw:
            kinds = self.exemptions.get(row[1])
            if kinds:
                review, delay = kinds.get(REVIEW), kinds.get(DELAY)
                found.append(
                    (
                        row[1],
                        review.events if review else 0,
                        delay.events if delay else 0,
                        review.spans if review else (),
                        delay.spans if delay else (),
                    )
                )
        return found

    def line_rows(self, person_id: int) -> list[tuple]:
        """Tuples in ``LineRow`` order (built once per person: a leader's a, b, c may reuse
        the lines of everyone in their charge, Art. 15)."""
        cached = self._built.get(person_id)
        if cached is None:
            cached = self._built[person_id] = self._line_rows(person_id)
        return cached

    def part(self, person_id: int, key, build):
        """``build(line tuples)`` of one person, computed once per ``key`` (a leader's a, b, c
        reuse the merged lines and totals of everyone in their charge, Art. 15)."""
        parts = self._parts.setdefault(person_id, {})
        if key not in parts:
            parts[key] = build(self.line_rows(person_id))
        return parts[key]

    def cached_part(self, person_id: int, key):
        """The part :meth:`part` made for ``key``, or ``None`` when none was made."""
        parts = self._parts.get(person_id)
        return None if parts is None else parts.get(key)

    def text(self, person_id: int) -> str:
        """The text of one person's raw lines as the inputs hash covers them (each tuple's
        ``repr``); their :meth:`digest` is taken from the same text, so each line is written
        out once per period."""
        raw = self.raw(person_id)
        try:
            text = "".join([_RAW_REPR % row for row in raw])
        except TypeError:  # not nine values a row (not from ``load_lines``)
            text = "".join(map(tuple.__repr__, raw))
        if person_id not in self._digests:
            self._digests[person_id] = sha256_hex(text + repr(self.exempted(raw)))
        return text

    def digest(self, person_id: int) -> str:
        """sha256 of one person's raw lines and exemptions (what a leader's inputs hash
        covers for each person of their charge)."""
        found = self._digests.get(person_id)
        if found is None:
            raw = self.raw(person_id)
            found = self._digests[person_id] = lines_digest(raw, self.exempted(raw))
        return found

    def _line_rows(self, person_id: int) -> list[tuple]:
        raw = self.raw(person_id)
        if person_id not in self.exempt_people:
            # The usual person: no exemption; most lines have no per-product lists.
            return [
                row[1:RAW_FAILED_LIST] + USUAL_TAIL
                if row[RAW_FAILED_LIST] in EMPTY_LISTS and row[RAW_DELAYS_LIST] in EMPTY_LISTS
                else self._line_row(row, None)
                for row in raw
            ]
        exemptions = self.exemptions
        return [self._line_row(row, exemptions.get(row[1])) for row in raw]

    @staticmethod
    def _line_row(row: tuple, kinds: dict | None) -> tuple:
        if (
            not kinds
            and row[RAW_FAILED_LIST] in EMPTY_LISTS
            and row[RAW_DELAYS_LIST] in EMPTY_LISTS
        ):
            return row[1:RAW_FAILED_LIST] + USUAL_TAIL  # the usual line
        review = kinds.get(REVIEW) if kinds else None
        delay = kinds.get(DELAY) if kinds else None
        return (
            *row[1:RAW_FAILED_LIST],
            review.events if review else 0,
            delay.events if delay else 0,
            counted_by_product(row[RAW_FAILED_LIST], row[RAW_FAILED], review),
            counted_by_product(row[RAW_DELAYS_LIST], row[RAW_DELAYS], delay),
        )


#: ``repr`` of a raw line tuple (nine values), written by one format instead of nine ``repr``
#: calls joined: the same text (``tests/scoring/test_fingerprints.py``).
_RAW_REPR = "(" + ", ".join(["%r"] * 9) + ")"

#: The end of a line tuple without exemptions and per-product lists.
USUAL_TAIL = (0, 0, None, None)


def load_lines(period, people=None, ahead=None) -> LoadedLines:
    """The period's lines (and exemption counts from the deduction rows); ``ahead``: what
    :func:`read_ahead` read."""
    grouped = {
        person_id: list(group)
        for person_id, group in groupby(
            _period_rows(_line_rows, period, people, ahead=ahead), itemgetter(0)
        )
    }
    return LoadedLines(grouped, load_exemptions(period, people, ahead))


def _line_rows(period, people):
    return (
        _restrict(AssignmentLine.objects.filter(period_id=period), people)
        .annotate(
            assigned_text=_text("assigned_quantity"),
            completed_text=_text("completed_quantity"),
            failed_text=_text("failed_by_product"),
            delays_text=_text("delays_by_product"),
        )
        .values_list(
            "civil_servant_id",
            "id",
            "item_id",
            "assigned_text",
            "completed_text",
            "failed_reviews",
            "delays",
            "failed_text",
            "delays_text",
        )
        .order_by("civil_servant_id", "id")
    )


class Items(dict):
    """item id → :class:`ItemInfo`, and ``common``: the ids of the items scored with a
    common-catalog coefficient (most provinces' lines have none, so their checks are skipped);
    ``bad``: the ids of items whose coefficient is not positive (their people's lines are
    passed to the engine unmerged, so that it names the error)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.common = frozenset(pk for pk, info in self.items() if info.adoption_id is not None)
        self.bad = frozenset(pk for pk, info in self.items() if info.coefficient <= 0)


def load_items(period, people=None, lines: LoadedLines | None = None) -> Items:
    """Catalog items used by the period's lines: the effective coefficient (the common
    catalog's when an adoption in force on the period's start maps the item) and catalog
    version. Three queries, whatever the number of lines; ``lines``: the same people's lines
    already loaded (:func:`load_lines`), whose items are then given by id."""
    if lines is not None:
        used: Any = {row[2] for rows in lines.rows.values() for row in rows}
    else:
        used = _restrict(AssignmentLine.objects.filter(period=period), people).values("item_id")
    versions: dict[int, int] = {}
    effective = effective_items(used, period.start_date, versions)
    return Items(
        (
            pk,
            ItemInfo(
                found.coefficient,
                versions[pk],
                found.own_coefficient,
                found.adoption_id,
                found.common_code,
            ),
        )
        for pk, found in effective.items()
    )


def common_part(items: dict[int, ItemInfo], raws) -> tuple:
    """``(item id, coefficient text, adoption id)`` of the items of ``raws`` (raw line tuples)
    that take a common-catalog coefficient: what the inputs hash adds for them."""
    if not getattr(items, "common", True):
        return ()
    found = set()
    for raw in raws:
        for row in raw:
            info = items.get(row[2])
            if info is not None and info.adoption_id is not None:
                found.add((row[2], f"{info.coefficient:f}", info.adoption_id))
    return tuple(sorted(found))


class GeneralMarks(dict):
    """person id → component → criterion → effective mark text (evaluator's, else self), and
    ``unappraised``: person id → the ``"component.criterion"`` marks that are self-marks no
    evaluator has marked (the framework's ``marks.self_mark_without_evaluator`` decides)."""

    def __init__(self, *args, period=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unappraised: dict[int, tuple[str, ...]] = {}
        #: the period and people whose beneficiaries' answers and coordination ratings are
        #: read on first use (only a framework with a ``feedback`` or ``coordination`` rule
        #: asks for them)
        self._feeds = (period, people)
        self._satisfaction: tuple[dict, dict] | None = None
        self._coordination: dict[int, list[tuple[str, str]]] | None = None
        #: the position's required competencies and their assessed levels (issue 45 item 2),
        #: read on first use, only for people whose framework weighs competencies
        self.competencies = None

    @property
    def satisfaction(self) -> dict[int, dict[str, int]]:
        """person id → beneficiaries' answers per rating (issue 33 item 3)."""
        return self._answers()[0]

    @property
    def satisfaction_sources(self) -> dict[int, dict[str, int]]:
        """person id → answers of each source (``codes``, ``survey``)."""
        return self._answers()[1]

    def _answers(self) -> tuple[dict, dict]:
        if self._satisfaction is None:
            period, people = self._feeds
            self._satisfaction = (
                satisfaction_by_source(period, people) if period is not None else ({}, {})
            )
        return self._satisfaction

    @property
    def coordination(self) -> dict[int, list[tuple[str, str]]]:
        """person id → the related units' coordination ratings ``(unit name, level)``."""
        if self._coordination is None:
            period, people = self._feeds
            self._coordination = coordination_ratings(period, people) if period is not None else {}
        return self._coordination


def load_general_marks(period, people=None, ahead=None) -> GeneralMarks:
    """person id → component → criterion → effective mark text (evaluator's, else self)."""
    result: dict[int, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    unappraised: dict[int, list[str]] = defaultdict(list)
    for person_id, component, criterion, self_mark, evaluator_mark in _period_rows(
        _mark_rows, period, people, ahead=ahead
    ):
        mark = evaluator_mark if evaluator_mark is not None else self_mark
        if mark is not None:
            result[person_id][component][criterion] = mark
        if evaluator_mark is None and self_mark is not None:
            unappraised[person_id].append(f"{component}.{criterion}")
    # Beneficiaries' answers (issue 33 item 3), fed into marks by the framework's ``feedback``
    # (per person also the number of answers of each source: codes, the one-stop survey), and
    # the related units' coordination ratings on shared tasks, fed by its ``coordination``
    # rule: each read once for the whole load, the first time a framework asks.
    marks = GeneralMarks(result, period=period, people=people)
    marks.unappraised = {k: tuple(sorted(v)) for k, v in unappraised.items()}
    # The position's competencies assessed on Form 01 (issue 45 item 2), fed into marks by the
    # framework's ``competency`` rule: nothing is read unless a framework weighs them.
    marks.competencies = BatchCompetencies(period, people)
    return marks


def _mark_rows(period, people):
    return (
        _restrict(GeneralCriteriaMark.objects.filter(period_id=period), people)
        .annotate(self_text=_text("self_mark"), evaluator_text=_text("evaluator_mark"))
        .values_list("civil_servant_id", "component", "criterion", "self_text", "evaluator_text")
        .order_by()
    )


def load_leader_marks(period, people=None, ahead=None) -> dict[int, tuple[str, str]]:
    rows = _period_rows(_leader_mark_rows, period, people, chunked=False, ahead=ahead)
    return {person_id: (organising, cohesion) for person_id, organising, cohesion in rows}


def _leader_mark_rows(period, people):
    return (
        _restrict(LeaderMark.objects.filter(period_id=period), people)
        .annotate(organising_text=_text("organising"), cohesion_text=_text("cohesion"))
        .values_list("civil_servant_id", "organising_text", "cohesion_text")
    )


def load_stored(period, people=None) -> dict[int, StoredScore]:
    rows = _period_rows(_stored_rows, period, people, chunked=False)
    return {person_id: StoredScore(*values) for person_id, *values in rows}


def _stored_rows(period, people):
    return (
        _restrict(PeriodScore.objects.filter(period_id=period), people)
        .values_list("civil_servant_id", "id", "inputs_hash", "rating", "scored")
        .order_by()
    )
