"""Pre-merging lines before the engine changes nothing but speed (property test)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import DECREE_335_DEFAULT, PeriodInput, score_period
from scoring.services.compute import LINE_STEPS
from scoring.services.loading import ItemInfo, LineRow
from scoring.services.merge import engine_line, merged_lines

COEFFICIENTS = ["0.5", "0.8", "1", "1.25", "2", "3.3333", "12", "0.0001", "1.0"]
ITEMS = {i: ItemInfo(Decimal(k), 1) for i, k in enumerate(COEFFICIENTS)}
MARKS = {"general": Decimal(27)}

quantity = st.integers(min_value=0, max_value=40).map(lambda n: str(Decimal(n) / 4))


def breakdown(draw, counted: int):
    """``None`` or a random split of ``counted`` events over up to 8 products (Art. 14 b, c
    per product, review W8)."""
    if not draw(st.booleans()):
        return None
    products = draw(st.integers(min_value=1, max_value=8))
    counts = [0] * products
    for _event in range(counted):
        counts[draw(st.integers(min_value=0, max_value=products - 1))] += 1
    return counts


@st.composite
def line_rows(draw):
    count = draw(st.integers(min_value=0, max_value=12))
    rows = []
    for i in range(count):
        failed = draw(st.integers(min_value=0, max_value=6))
        delays = draw(st.integers(min_value=0, max_value=6))
        exempt_reviews = draw(st.integers(min_value=0, max_value=failed))
        exempt_delays = draw(st.integers(min_value=0, max_value=delays))
        rows.append(
            LineRow(
                id=i + 1,
                item_id=draw(st.sampled_from(sorted(ITEMS))),
                assigned=draw(quantity),
                completed=draw(quantity),
                failed_reviews=failed,
                delays=delays,
                exempt_reviews=exempt_reviews,
                exempt_delays=exempt_delays,
                failed_by_product=breakdown(draw, failed - exempt_reviews),
                delays_by_product=breakdown(draw, delays - exempt_delays),
            )
        )
    return rows


def non_line_steps(result):
    return [s for s in result.explanation if s["code"] not in LINE_STEPS]


@settings(max_examples=300, deadline=None)
@given(rows=line_rows(), role=st.sampled_from(["staff", "head"]))
def test_merged_lines_give_identical_results(rows, role):
    leader = None
    if role == "head":
        from scoring.engine import LeaderMarks

        leader = LeaderMarks(unit_results=100, organising=50, cohesion=100)
    plain = PeriodInput(
        role=role, lines=tuple(engine_line(r, ITEMS) for r in rows), marks=MARKS, leader=leader
    )
    merged = PeriodInput(
        role=role, lines=merged_lines(rows, ITEMS, DECREE_335_DEFAULT), marks=MARKS, leader=leader
    )
    a = score_period(plain, DECREE_335_DEFAULT)
    b = score_period(merged, DECREE_335_DEFAULT)
    assert (a.scored, a.criteria, a.total, a.rating, a.exact) == (
        b.scored,
        b.criteria,
        b.total,
        b.rating,
        b.exact,
    )
    assert non_line_steps(a) == non_line_steps(b)
    assert len(merged.lines) <= len(plain.lines)


def test_typical_month_collapses_to_one_line():
    rows = [LineRow(i, i % 7, "3", "3", i % 2, 0) for i in range(30)]
    assert len(merged_lines(rows, ITEMS, DECREE_335_DEFAULT)) == 1


@settings(max_examples=200, deadline=None)
@given(people=st.lists(line_rows(), min_size=1, max_size=4))
def test_a_leaders_per_person_parts_combine_exactly(people):
    """A leader's a, b, c over own + charge lines (Decree 335 Art. 15, ``leader_lines``) are
    merged from each person's cached part: identical to merging all the lines at once."""
    from scoring.engine import LeaderMarks
    from scoring.services.merge import combine, linear_part

    leader = LeaderMarks(unit_results=100, organising=100, cohesion=100)
    rows = [row for person in people for row in person]
    parts = combine([linear_part(person, ITEMS, DECREE_335_DEFAULT) for person in people])
    plain = PeriodInput(
        role="head", lines=tuple(engine_line(r, ITEMS) for r in rows), marks=MARKS, leader=leader
    )
    a = score_period(plain, DECREE_335_DEFAULT)
    b = score_period(PeriodInput(role="head", lines=parts, marks=MARKS, leader=leader))
    assert (a.scored, a.criteria, a.total, a.exact) == (b.scored, b.criteria, b.total, b.exact)
    assert non_line_steps(a) == non_line_steps(b)


@given(people=st.lists(line_rows(), min_size=1, max_size=5))
def test_the_period_shape_cache_changes_no_entry(people):
    """The batch classifies each line shape once per period (``LineShapes``, shared by every
    person; ``ITEMS`` has two coefficients of equal value, ``1`` and ``1.0``): each person's
    entry and kept lines are identical — the same Decimals, exponents included — to
    classifying every line on its own."""
    from scoring.services.merge import LineShapes, linear_part

    shapes = LineShapes(ITEMS)
    for rows in people * 2:  # the second round takes every shape from the cache
        cached = linear_part(rows, ITEMS, DECREE_335_DEFAULT, shapes)
        alone = linear_part(rows, ITEMS, DECREE_335_DEFAULT)
        assert repr(cached) == repr(alone)


@given(people=st.lists(line_rows(), min_size=1, max_size=5))
def test_the_charge_totals_from_shared_products_are_identical(people):
    """A leader's charge entries (``[person, line ids, Σ n·k, Σ m·k]``, Art. 15) from the
    period's shared products equal the sums made line by line, to the last digit."""
    from scoring.engine.decimals import fmt_min2
    from scoring.services.merge import LineShapes
    from scoring.services.scorer import _unit_entry

    shapes = LineShapes(ITEMS)
    for person, rows in enumerate(people * 2):
        assigned = sum(
            (Decimal(r.assigned) * ITEMS[r.item_id].coefficient for r in rows), Decimal(0)
        )
        completed = sum(
            (Decimal(r.completed) * ITEMS[r.item_id].coefficient for r in rows), Decimal(0)
        )
        expected = [person, [r.id for r in rows], fmt_min2(assigned), fmt_min2(completed)]
        assert _unit_entry(person, rows, ITEMS, shapes) == expected


@given(people=st.lists(line_rows(), min_size=1, max_size=5))
def test_the_charge_totals_from_each_merged_part_are_identical(people):
    """A leader's charge entries taken from each person's merged part (q·Σ t·n plus the
    kept lines, ``scorer._unit_entry_of_part``) are the entries made line by line, to the
    last character: lines with per-product breakdowns, floors that bind (kept lines) and the
    two equal coefficients ``1`` and ``1.0`` included."""
    from scoring.services.merge import LineShapes, linear_part
    from scoring.services.scorer import _unit_entry, _unit_entry_of_part

    shapes = LineShapes(ITEMS)
    for person, rows in enumerate(people):
        part = linear_part(rows, ITEMS, DECREE_335_DEFAULT, shapes)
        expected = _unit_entry(person, rows, ITEMS, shapes)
        assert _unit_entry_of_part(person, rows, part) == expected
