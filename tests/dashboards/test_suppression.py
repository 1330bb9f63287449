"""Small-count suppression: primary and complementary hiding, checked against brute force."""

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboards.suppression import feasible_range, protect_counts, protect_means

BANDS = ("excellent", "good", "completed", "not_completed")
K = 5


def table(**rows):
    return {key: dict(zip(BANDS, values, strict=True)) for key, values in rows.items()}


def shown(protected, key):
    return [protected.rows[key][b].shown for b in BANDS]


def published_lines(protected):
    """(members, total) of every line whose total is published."""
    for key, row in protected.rows.items():
        yield [row[b] for b in BANDS], protected.row_totals[key]
    for b in BANDS:
        if not protected.band_totals[b].hidden:
            yield [row[b] for row in protected.rows.values()], protected.band_totals[b].value
    yield [protected.band_totals[b] for b in BANDS], protected.grand_total


def test_a_unit_of_three_shows_no_band_counts():
    counts = table(big=(30, 200, 60, 10), other=(25, 150, 40, 8), tiny=(0, 2, 1, 0))
    protected = protect_counts(counts, BANDS, K)
    assert shown(protected, "tiny") == [None, None, None, None]
    assert protected.row_totals["tiny"] == 3


def test_hidden_cells_cannot_be_recovered_from_the_totals():
    counts = table(big=(30, 200, 60, 10), other=(25, 150, 40, 8), tiny=(0, 2, 1, 0))
    protected = protect_counts(counts, BANDS, K)
    # The attacker's view: everything published, solved exactly for each hidden cell.
    for band in BANDS:
        low, high = feasible_range(protected, "tiny", band)
        assert low == 0
        assert high >= 3  # could hold everyone in the row
    # Column by column, province total minus the shown cells never isolates one hidden cell.
    for band in BANDS:
        hidden = [row[band] for row in protected.rows.values() if row[band].hidden]
        if hidden and not protected.band_totals[band].hidden:
            assert len(hidden) >= 2
            assert sum(e.value for e in hidden) >= K


def test_one_small_count_gets_a_complement_in_its_row_and_column():
    counts = table(a=(40, 200, 88, 2), b=(35, 180, 70, 9), c=(30, 160, 60, 12))
    protected = protect_counts(counts, BANDS, K)
    assert protected.rows["a"]["not_completed"].primary
    hidden_in_row = [b for b in BANDS if protected.rows["a"][b].hidden]
    assert len(hidden_in_row) >= 2
    hidden_in_column = [k for k in protected.rows if protected.rows[k]["not_completed"].hidden]
    assert len(hidden_in_column) >= 2
    low, high = feasible_range(protected, "a", "not_completed")
    assert (low, high >= K) == (0, True)


def test_nothing_hidden_when_every_count_is_large_enough():
    counts = table(a=(40, 200, 88, 12), b=(35, 180, 70, 9))
    protected = protect_counts(counts, BANDS, K)
    assert protected.hidden_count() == 0


def test_small_province_total_is_hidden_with_a_complement():
    counts = table(a=(40, 200, 88, 1), b=(35, 180, 70, 0))
    protected = protect_counts(counts, BANDS, K)
    assert protected.band_totals["not_completed"].hidden
    assert sum(protected.band_totals[b].hidden for b in BANDS) >= 2
    low, high = feasible_range(protected, None, "not_completed")
    assert low == 0 and high >= K


def test_threshold_of_one_disables_suppression():
    counts = table(a=(0, 2, 1, 0))
    assert protect_counts(counts, BANDS, 1).hidden_count() == 0


def test_rows_without_anyone_rated_are_left_out():
    protected = protect_counts(table(a=(10, 20, 30, 40), empty=(0, 0, 0, 0)), BANDS, K)
    assert list(protected.rows) == ["a"]


def test_means_of_small_rows_are_hidden_with_a_complement():
    assert protect_means({"a": 300, "b": 120, "c": 3}, K) == {"c", "b"}
    assert protect_means({"a": 300, "b": 120, "c": 2, "d": 1}, K) == {"c", "d", "b"}
    assert protect_means({"a": 300, "b": 120}, K) == set()


# --------------------------------------------------------------------------------------------
# Independent check: enumerate every table consistent with what is published.


def compositions(total, parts):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in compositions(total - first, parts - 1):
            yield (first, *rest)


def brute_force_ranges(protected):
    keys = list(protected.rows)
    options = []
    for key in keys:
        fixed = [protected.rows[key][b].shown for b in BANDS]
        options.append(
            [
                c
                for c in compositions(protected.row_totals[key], len(BANDS))
                if all(f is None or f == v for f, v in zip(fixed, c, strict=True))
            ]
        )
    ranges = {}
    for combo in itertools.product(*options):
        columns = [sum(row[i] for row in combo) for i in range(len(BANDS))]
        if any(
            not protected.band_totals[b].hidden and columns[i] != protected.band_totals[b].value
            for i, b in enumerate(BANDS)
        ):
            continue
        cells = {(k, b): combo[r][i] for r, k in enumerate(keys) for i, b in enumerate(BANDS)}
        cells.update({(None, b): columns[i] for i, b in enumerate(BANDS)})
        for cell, value in cells.items():
            low, high = ranges.get(cell, (value, value))
            ranges[cell] = (min(low, value), max(high, value))
    return ranges


small_tables = st.dictionaries(
    st.sampled_from(["a", "b", "c"]),
    st.tuples(*[st.sampled_from([0, 0, 1, 2, 3, 5, 6]) for _ in BANDS]),
    min_size=1,
    max_size=3,
)


@settings(max_examples=120, deadline=None)
@given(small_tables)
def test_exact_ranges_match_brute_force_and_every_small_count_is_protected(rows):
    protected = protect_counts(table(**rows), BANDS, K)
    if not protected.rows:
        return
    sizes = [math.comb(n + len(BANDS) - 1, len(BANDS) - 1) for n in protected.row_totals.values()]
    if math.prod(sizes) > 200_000:
        return  # too many candidate tables to enumerate quickly
    for (key, band), (low, high) in brute_force_ranges(protected).items():
        assert feasible_range(protected, key, band) == (low, high)
        entry = protected.rows[key][band] if key is not None else protected.band_totals[band]
        if entry.primary:
            line = protected.row_totals[key] if key is not None else protected.grand_total
            assert low == 0, (rows, key, band)
            assert high >= min(K, line), (rows, key, band)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(*[st.integers(min_value=0, max_value=40) for _ in BANDS]),
        min_size=1,
        max_size=25,
    )
)
def test_every_published_line_hides_none_or_at_least_two_cells_summing_to_k(rows):
    protected = protect_counts(table(**{f"r{i}": r for i, r in enumerate(rows)}), BANDS, K)
    for members, _total in published_lines(protected):
        hidden = [e for e in members if e.hidden]
        if hidden and any(not e.hidden for e in members):
            assert len(hidden) >= 2
            assert sum(e.value for e in hidden) >= K
    for key, row in protected.rows.items():
        for band in BANDS:
            if row[band].primary:
                low, high = feasible_range(protected, key, band)
                assert low == 0 and high >= min(K, protected.row_totals[key])
