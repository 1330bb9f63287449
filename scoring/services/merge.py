"""Engine lines from loaded line rows, exactly pre-merged for batch speed.

The engine builds three explanation steps per line, which dominates its cost on 30-line
months. A line whose deductions cannot reach a floor (completed ≥ deduction × counted events,
for reviews and for delays; with a per-product breakdown, every completed product's share ≥
deduction × its events, events of products not completed left out — true of almost every line)
contributes linearly to every sum the engine computes::

    assigned n·k,  completed m·k,  quality m·k - r·k·c_r,  timeliness m·k - t·k·c_t

so all such lines are replaced by ONE line with coefficient ``q`` = the greatest common
divisor of their coefficients (each ``k = t·q`` with an integer ``t``) carrying
``Σ t·n`` assigned, ``Σ t·m`` completed and ``Σ t·c`` counted events (exemptions already
subtracted). Every sum, hence a, b, c, the totals and every non-line explanation step, is
exactly the same. Lines where the floor may bind are passed unchanged.

The stored explanation keeps the original lines, and the explain page re-runs the engine on
them to show each line's values (``scoring.services.explain_data``).
``tests/scoring/test_merge.py`` checks merged against unmerged results.
"""

import math
from decimal import Decimal
from operator import itemgetter

from scoring.engine import FrameworkRules, Line
from scoring.services.loading import (
    ASSIGNED,
    COMPLETED,
    DELAYS,
    DELAYS_BY_PRODUCT,
    EXEMPT_DELAYS,
    EXEMPT_REVIEWS,
    FAILED,
    FAILED_BY_PRODUCT,
    ID,
    ITEM,
)

ZERO = Decimal(0)


def engine_line(row, items) -> Line:
    """One unmerged engine line for a line tuple in ``LineRow`` order."""
    return Line(
        coefficient=items[row[ITEM]].coefficient,
        assigned=Decimal(row[ASSIGNED]),
        completed=Decimal(row[COMPLETED]),
        failed_reviews=row[FAILED],
        exempt_reviews=min(row[EXEMPT_REVIEWS], row[FAILED]),
        delays=row[DELAYS],
        exempt_delays=min(row[EXEMPT_DELAYS], row[DELAYS]),
        ref=str(row[ID]),
        failed_by_product=_breakdown(row, FAILED_BY_PRODUCT),
        delays_by_product=_breakdown(row, DELAYS_BY_PRODUCT),
    )


def _breakdown(row, position: int) -> tuple[int, ...] | None:
    """The counted per-product events of a ``LineRow`` tuple (older snapshots have none)."""
    value = row[position] if len(row) > position else None
    return None if value is None else tuple(value)


def _linear_events(row, position: int, counted: int, completed: Decimal, rate: Decimal):
    """The counted events that cost ``rate`` of one product each when no floor binds, or
    ``None`` when a floor binds (the line is then passed to the engine unchanged).

    Without a breakdown: the line floor (completed ≥ rate × events). With one: every product's
    own floor (its completed share ≥ rate × its events); events of products not completed
    cost nothing and are left out.
    """
    breakdown = _breakdown(row, position)
    if breakdown is None:
        return counted if completed >= rate * counted else None
    costing = 0
    for index, events in enumerate(breakdown):
        share = min(Decimal(1), max(ZERO, completed - index))
        if share == 0:
            continue
        if share < rate * events:
            return None
        costing += events
    return costing


def _common_step(coefficients: list[Decimal]) -> tuple[Decimal, list[int]]:
    """(q, [t_i]) with k_i = t_i·q exactly and q as large as possible."""
    ratios = [k.as_integer_ratio() for k in coefficients]
    denominator = math.lcm(*(d for _n, d in ratios))
    scaled = [n * (denominator // d) for n, d in ratios]
    divisor = math.gcd(*scaled)
    return Decimal(divisor) / Decimal(denominator), [value // divisor for value in scaled]


#: ``_common_step`` of each set of coefficients seen (its result depends on their values only):
#: a province's people share a few hundred sets.
_STEPS: dict[frozenset, tuple[Decimal, dict[Decimal, int]]] = {}


def _common_step_cached(coefficients: list[Decimal]) -> tuple[Decimal, list[int]]:
    key = frozenset(coefficients)
    found = _STEPS.get(key)
    if found is None:
        step, multiples = _common_step(coefficients)
        found = (step, dict(zip(coefficients, multiples, strict=True)))
        if len(_STEPS) < 1 << 12:
            _STEPS[key] = found
    step, multiple_of = found
    return step, [multiple_of[k] for k in coefficients]


class LineShapes:
    """What a period's people share for merging and totalling their lines under one items map:
    each item's coefficient, the classification of each line shape per pair of deduction rates
    (:func:`linear_part`) and the products ``n·k``, ``m·k`` of each (coefficient, assigned,
    completed) (a leader's charge totals, ``scorer._unit_entry``)."""

    __slots__ = (
        "coefficient_of",
        "found",
        "index_of",
        "items",
        "products",
        "text_of",
        "version_of",
    )

    def __init__(self, items):
        self.items = items
        self.coefficient_of = {pk: info.coefficient for pk, info in items.items()}
        #: item id → a number per distinct coefficient value: a line's shape is keyed by it
        #: (an int hashes and compares faster than a Decimal; equal values, one number).
        numbers: dict[Decimal, int] = {}
        self.index_of = {
            pk: numbers.setdefault(coefficient, len(numbers))
            for pk, coefficient in self.coefficient_of.items()
        }
        #: The coefficient's own text: products keep its exponent (``1.0`` is not ``1``).
        self.text_of = {pk: str(info.coefficient) for pk, info in items.items()}
        #: item id → its catalog version (the score's ``catalog_version_ids``)
        self.version_of = {pk: info.version_id for pk, info in items.items()}.__getitem__
        self.found: dict[tuple, dict] = {}  # (review rate, delay rate) -> shape key -> shape
        self.products: dict[tuple, tuple[Decimal, Decimal]] = {}

    def classify(self, rows, review: Decimal, delay: Decimal) -> list:
        """The shape of each line (no per-product breakdown on any): ``(k, n, m, c_r, c_t)`` or
        :data:`KEPT`. A shape is the coefficient's value (keyed by its number, ``index_of``)
        with the line's quantities, counters and exemptions (what decides the line), so a
        province's lines share a few hundred."""
        numbers = map(self.index_of.__getitem__, map(_ITEM, rows))
        keys = list(zip(numbers, map(_SHAPE_REST, rows), strict=True))
        shapes = self.found.get((review, delay))
        if shapes is None:
            shapes = self.found[(review, delay)] = {}
        found = list(map(shapes.get, keys))
        if None in found:
            coefficient_of = self.coefficient_of
            for i, shape in enumerate(found):
                if shape is None:
                    shape = shapes.get(keys[i])
                    if shape is None:
                        row = rows[i]
                        shape = _shape(row, coefficient_of[row[ITEM]], review, delay) or KEPT
                        shapes[keys[i]] = shape
                    found[i] = shape
        return found


def linear_part(
    rows, items, rules: FrameworkRules, shapes: LineShapes | None = None
) -> tuple[tuple | None, list[Line]]:
    """``(entry, kept)`` for ``rows``: their linear lines summed into one entry ``(q, Σ t·n,
    Σ t·m, Σ t·c_r, Σ t·c_t)`` (``None`` when there is none) and the lines passed unchanged.
    Entries of several people combine exactly like lines (:func:`combine`), so a leader whose
    a, b, c count their charge's lines (Decree 335 Art. 15) reuses each person's part.

    ``shapes`` (optional, for ``items``): the period's :class:`LineShapes`. A line without a
    per-product breakdown is decided by its shape alone, and a period's lines repeat their
    shapes, so each shape is classified once instead of once per line; a person's lines are
    then looked up and summed column by column. The sums are the same Decimals added in the
    same order (each coefficient's lines in row order), so the entry is identical with or
    without the cache (``tests/scoring/test_merge.py``)."""
    bad = _bad_items(items)
    if bad and any(row[ITEM] in bad for row in rows):
        # A bad coefficient: let the engine report it on the unmerged lines.
        return None, [engine_line(row, items) for row in rows]
    review = rules.task_method.review_deduction.value
    delay = rules.task_method.delay_deduction.value
    if (
        shapes is not None
        and shapes.items is items
        and set(map(len, rows)) <= _FULL
        and list(map(_BREAKDOWNS, rows)).count(NO_BREAKDOWN) == len(rows)
    ):
        found = shapes.classify(rows, review, delay)
    else:  # line by line (no cache, or a per-product breakdown: a list)
        found = [_shape(row, items[row[ITEM]].coefficient, review, delay) or KEPT for row in rows]
    if KEPT in found:
        kept = [
            engine_line(row, items) for row, shape in zip(rows, found, strict=True) if shape is KEPT
        ]
        found = [shape for shape in found if shape is not KEPT]
    else:
        kept = []
    return _entry(_by_coefficient(found)), kept


#: A line whose deductions may reach a floor: passed to the engine unchanged. Not a tuple:
#: ``KEPT in found`` then compares nothing of a shape (a tuple compared with a tuple compares
#: their first items, a Decimal with the marker: an abstract-class check per line).
KEPT = "kept"
_FULL = frozenset({DELAYS_BY_PRODUCT + 1})
_BREAKDOWNS = itemgetter(FAILED_BY_PRODUCT, DELAYS_BY_PRODUCT)
_ITEM = itemgetter(ITEM)
_SHAPE_REST = itemgetter(slice(ASSIGNED, FAILED_BY_PRODUCT))
_COEFFICIENT, _N, _M, _REVIEWS, _DELAYS = (itemgetter(i) for i in range(5))


def _by_coefficient(shapes: list[tuple]) -> dict[Decimal, list]:
    """coefficient → [Σ n, Σ m, Σ c_r, Σ c_t] of linear shapes ``(k, n, m, c_r, c_t)``, in
    ascending coefficient order; each coefficient's lines summed in their order, from the
    first line's values, in one pass (no ``sum`` call per coefficient and column)."""
    groups = _grouped(shapes)
    return dict(sorted(groups.items())) if len(groups) > 1 else groups


def _grouped(rows) -> dict[Decimal, list]:
    """``(k, a, b, c, d)`` rows → k → [Σ a, Σ b, Σ c, Σ d] in first-seen order, each sum from
    the first row's values in the rows' order (one pass; the one grouping of the merge)."""
    groups: dict[Decimal, list] = {}
    get = groups.get
    for coefficient, assigned, completed, reviews, delays in rows:
        group = get(coefficient)
        if group is None:
            groups[coefficient] = [assigned, completed, reviews, delays]
        else:
            group[0] += assigned
            group[1] += completed
            group[2] += reviews
            group[3] += delays
    return groups


def _bad_items(items) -> frozenset:
    """The item ids of ``items`` whose coefficient is not positive (``Items.bad``, computed
    once per period; for a plain dict, each time)."""
    found = getattr(items, "bad", None)
    if found is None:
        found = frozenset(pk for pk, info in items.items() if info.coefficient <= 0)
    return found


def _shape(row, coefficient: Decimal, review: Decimal, delay: Decimal) -> tuple | None:
    """``(k, n, m, counted reviews, counted delays)`` of a line whose deductions cannot reach
    a floor, or ``None`` when a floor may bind (the line is passed to the engine unchanged)."""
    completed = quantity(row[COMPLETED])
    failed, delays = row[FAILED], row[DELAYS]
    counted_reviews = failed - min(row[EXEMPT_REVIEWS], failed)
    counted_delays = delays - min(row[EXEMPT_DELAYS], delays)
    if row[FAILED_BY_PRODUCT : DELAYS_BY_PRODUCT + 1] != NO_BREAKDOWN:
        reviews = _linear_events(row, FAILED_BY_PRODUCT, counted_reviews, completed, review)
        late = _linear_events(row, DELAYS_BY_PRODUCT, counted_delays, completed, delay)
    else:  # no per-product breakdown: the line floor (completed ≥ rate × events)
        reviews = counted_reviews if completed >= review * counted_reviews else None
        late = counted_delays if completed >= delay * counted_delays else None
    if reviews is None or late is None:
        return None
    return coefficient, quantity(row[ASSIGNED]), completed, reviews, late


NO_BREAKDOWN = (None, None)  # a line tuple's two per-product lists when it has none

#: Decimal of quantity texts already seen (a province's lines repeat a few hundred texts).
_QUANTITIES: dict[str, Decimal] = {}


def quantity(text) -> Decimal:
    """``Decimal(text)`` of a line's quantity or a mark as loaded (text), cached. Only text is
    cached: ``5``, ``5.0`` and ``Decimal("5.00")`` are equal keys but not the same Decimal."""
    if type(text) is not str:
        return Decimal(text)
    found = _QUANTITIES.get(text)
    if found is None:
        found = Decimal(text)
        if len(_QUANTITIES) < 1 << 16:
            _QUANTITIES[text] = found
    return found


def _sum_entries(linear: list[tuple]) -> tuple | None:
    """One entry ``(q, Σ t·n, Σ t·m, Σ t·c_r, Σ t·c_t)`` for entries of any steps. Entries
    of the same step are summed first (their multiple is the same), so the common step is
    found over the few distinct steps only — a leader's charge has hundreds of entries."""
    return _entry(_grouped(linear))


def _entry(groups: dict[Decimal, list]) -> tuple | None:
    """The entry of lines (or entries) already summed per coefficient (step): each column
    ``Σ t·g`` in the groups' order, from zero (a Decimal for the quantities, an int for the
    events), in one pass."""
    if not groups:
        return None
    step, multiples = _common_step_cached(list(groups))
    assigned = completed = ZERO
    reviews = delays = 0
    for t, group in zip(multiples, groups.values(), strict=True):
        assigned += t * group[0]
        completed += t * group[1]
        reviews += t * group[2]
        delays += t * group[3]
    return step, assigned, completed, reviews, delays


def combine(parts) -> tuple[Line, ...]:
    """Engine lines for several ``linear_part`` results: one line for all linear entries
    (exact, as for a single person), then every kept line in order."""
    kept = [line for _entry, lines in parts for line in lines]
    entries = [entry for entry, _lines in parts if entry is not None]
    # One entry (a person without a charge) is its own sum: summing it again finds the same
    # step q (the reduced ratio of q is q's own, and an exact division's result depends on
    # the ratio alone) with multiple 1, and 0 + 1·Σ is Σ (every Σ has an exponent ≤ 0).
    entry = entries[0] if len(entries) == 1 else _sum_entries(entries)
    if entry is None:
        return tuple(kept)
    merged = Line(
        coefficient=entry[0],
        assigned=entry[1],
        completed=entry[2],
        failed_reviews=entry[3],
        delays=entry[4],
    )
    return (merged, *kept)


def merged_lines(rows, items, rules: FrameworkRules) -> tuple[Line, ...]:
    """Engine lines for ``rows`` with the exact merging described above."""
    return combine([linear_part(rows, items, rules)])
