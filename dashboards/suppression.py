"""Small-count suppression for the public band tables, with complementary suppression and an
exact audit. Pure Python, no Django: see docs/transparency.md for the reasoning.

The table: rows = agencies, columns = rating bands. Published with it are each row's total (the
number of civil servants rated), each band's province total and the grand total. ``k`` is the
threshold (default 5).

1. **Primary suppression.** Every band count below ``k`` — zero included, because "nobody in
   this agency was rated X" is as telling as "one person was" — is hidden, and so is every
   province band total below ``k``. A row whose total is below ``k`` therefore shows no band
   count at all.
2. **Complementary suppression (line rule).** In every line whose total is published (a row; a
   band column while its province total is shown; the row of province totals) the hidden cells
   must be either none, or at least two whose sum is at least ``k``; otherwise the smallest
   visible cell of the line is hidden too (in a column, cells of rows that already hide something
   first). A column that cannot satisfy the rule hides its province total.
3. **Audit.** Everything published is a system of linear equations over the hidden cells. For
   every primarily suppressed cell the exact range of values consistent with it is computed as
   two max-flow problems on the graph of hidden cells (a 2-D table with margins is a network
   matrix, so the bounds are integral and exact). The cell is protected when that range
   contains both 0 and ``min(k, line total)``: a reader cannot tell an empty band from one
   holding ``k`` people (or, in a row smaller than ``k``, everyone). While some cell is not
   protected, the neighbouring cell whose hiding helps it most is hidden, and 2–3 repeat.

It terminates: every round hides at least one more cell, and with everything hidden every cell
can range over [0, its row total], which satisfies the audit.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Entry:
    """One published (or hidden) count."""

    value: int
    hidden: bool = False
    primary: bool = False

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.value


@dataclass(frozen=True)
class ProtectedTable:
    threshold: int
    bands: tuple[str, ...]
    rows: dict[Hashable, dict[str, Entry]]
    row_totals: dict[Hashable, int]
    band_totals: dict[str, Entry]
    grand_total: int

    def hidden_count(self) -> int:
        cells = sum(e.hidden for row in self.rows.values() for e in row.values())
        return cells + sum(e.hidden for e in self.band_totals.values())


# --------------------------------------------------------------------------------------------
# Entry ids: ("c", row_index, band_index) for a cell, ("t", band_index) for a band total.


class _Suppressor:
    def __init__(self, values: list[list[int]], bands: int, k: int):
        self.k = k
        self.rows = len(values)
        self.bands = bands
        self.value: dict[tuple, int] = {}
        for r, row in enumerate(values):
            for b in range(bands):
                self.value[("c", r, b)] = row[b]
        self.row_total = [sum(row) for row in values]
        for b in range(bands):
            self.value[("t", b)] = sum(values[r][b] for r in range(self.rows))
        self.grand_total = sum(self.row_total)
        self.primary = {e for e, v in self.value.items() if v < k}
        self.hidden = set(self.primary)

    # --- lines -------------------------------------------------------------------------------

    def _lines(self):
        """(members, is_column_band) of every line whose total is published."""
        for r in range(self.rows):
            yield [("c", r, b) for b in range(self.bands)], None
        for b in range(self.bands):
            if ("t", b) not in self.hidden:
                yield [("c", r, b) for r in range(self.rows)], b
        yield [("t", b) for b in range(self.bands)], None

    def _row_has_hidden(self, r: int) -> bool:
        return any(("c", r, b) in self.hidden for b in range(self.bands))

    def _order(self, entry: tuple) -> tuple:
        """Preference among candidates to hide: cheap cells first, deterministic ties."""
        if entry[0] == "c":
            _c, r, b = entry
            return (0 if self._row_has_hidden(r) else 1, self.value[entry], r, b)
        return (0, self.value[entry], -1, entry[1])

    def enforce_lines(self) -> bool:
        """Apply the line rule once over all lines; True when something was hidden."""
        changed = False
        for members, column in self._lines():
            hidden = [e for e in members if e in self.hidden]
            if not hidden:
                continue
            total = sum(self.value[e] for e in hidden)
            if len(hidden) >= 2 and total >= self.k:
                continue
            visible = [e for e in members if e not in self.hidden]
            if visible:
                self.hidden.add(min(visible, key=self._order))
                changed = True
            elif column is not None:
                self.hidden.add(("t", column))
                changed = True
        return changed

    # --- audit -------------------------------------------------------------------------------

    def _network(self):
        """Residual network of the hidden entries: arcs 2i (row→band) and 2i+1 (band→row)."""
        nodes = self.rows + 1 + self.bands
        infinite = self.grand_total + 1
        adjacency: list[list[int]] = [[] for _ in range(nodes)]
        heads: list[int] = []
        capacity: list[int] = []
        arcs: dict[tuple, int] = {}
        for entry in sorted(self.hidden):
            if entry[0] == "c":
                u, v = entry[1], self.rows + 1 + entry[2]
                forward, backward = infinite, self.value[entry]
            else:
                u, v = self.rows, self.rows + 1 + entry[1]
                forward, backward = self.value[entry], infinite
            arcs[entry] = len(heads)
            adjacency[u].append(len(heads))
            heads.append(v)
            capacity.append(forward)
            adjacency[v].append(len(heads))
            heads.append(u)
            capacity.append(backward)
        return adjacency, heads, capacity, arcs

    @staticmethod
    def _max_flow(adjacency, heads, capacity, source, sink, limit) -> int:
        """Edmonds–Karp from ``source`` to ``sink``, stopping once ``limit`` is reached."""
        flow = 0
        while flow < limit:
            parent_arc = {source: -1}
            queue = deque([source])
            while queue and sink not in parent_arc:
                node = queue.popleft()
                for arc in adjacency[node]:
                    head = heads[arc]
                    if capacity[arc] > 0 and head not in parent_arc:
                        parent_arc[head] = arc
                        queue.append(head)
            if sink not in parent_arc:
                break
            push, node = limit - flow, sink
            while node != source:
                arc = parent_arc[node]
                push = min(push, capacity[arc])
                node = heads[arc ^ 1]
            node = sink
            while node != source:
                arc = parent_arc[node]
                capacity[arc] -= push
                capacity[arc ^ 1] += push
                node = heads[arc ^ 1]
            flow += push
        return flow

    def _line_total(self, entry) -> int:
        return self.row_total[entry[1]] if entry[0] == "c" else self.grand_total

    def deficit(self, entry, network=None) -> int:
        """How far ``entry``'s feasible range falls short of [0, min(k, line total)]."""
        adjacency, heads, capacity, arcs = network or self._network()
        value = self.value[entry]
        need_up = max(0, min(self.k, self._line_total(entry)) - value)
        need_down = value
        arc = arcs[entry]
        u, v = heads[arc ^ 1], heads[arc]
        base = list(capacity)
        base[arc] = base[arc ^ 1] = 0
        # Raising a cell (lowering a band total) sends flow u→v along it, back v→u elsewhere.
        up_source, up_sink = (v, u) if entry[0] == "c" else (u, v)
        short = 0
        if need_up:
            got = self._max_flow(adjacency, heads, list(base), up_source, up_sink, need_up)
            short += need_up - got
        if need_down:
            got = self._max_flow(adjacency, heads, list(base), up_sink, up_source, need_down)
            short += need_down - got
        return short

    def first_unprotected(self):
        network = self._network()
        for entry in sorted(self.primary):
            if self.deficit(entry, network):
                return entry
        return None

    def _neighbours(self, entry) -> list[tuple]:
        candidates: list[tuple]
        if entry[0] == "c":
            _c, r, b = entry
            candidates = [("c", r, other) for other in range(self.bands)]
            candidates += [("c", other, b) for other in range(self.rows)]
            candidates.append(("t", b))
        else:
            b = entry[1]
            candidates = [("t", other) for other in range(self.bands)]
            candidates += [("c", r, b) for r in range(self.rows)]
        return [c for c in candidates if c not in self.hidden]

    def repair(self, entry) -> None:
        """Hide the visible neighbour that leaves ``entry`` least exposed (cheapest on ties)."""
        candidates = self._neighbours(entry) or sorted(
            (e for e in self.value if e not in self.hidden), key=self._order
        )
        best, best_key = None, None
        for candidate in candidates:
            self.hidden.add(candidate)
            key = (self.deficit(entry), *self._order(candidate))
            self.hidden.discard(candidate)
            if best_key is None or key < best_key:
                best, best_key = candidate, key
        # An exposed entry always leaves a visible cell to hide (all hidden, all are protected).
        assert best is not None
        self.hidden.add(best)

    def run(self) -> None:
        if self.k <= 1:
            self.hidden.clear()
            self.primary.clear()
            return
        while True:
            while self.enforce_lines():
                pass
            exposed = self.first_unprotected()
            if exposed is None:
                return
            self.repair(exposed)


_Key = TypeVar("_Key", bound=Hashable)


def protect_counts(
    counts: Mapping[_Key, Mapping[str, int]],
    bands: Sequence[str],
    threshold: int = DEFAULT_THRESHOLD,
) -> ProtectedTable:
    """Suppress the band counts of ``counts`` (row key → band → count; row order is kept and
    decides ties). Rows whose total is 0 are dropped: they carry no information."""
    keys = [key for key, row in counts.items() if sum(int(row.get(b, 0)) for b in bands) > 0]
    values = [[int(counts[key].get(b, 0)) for b in bands] for key in keys]
    work = _Suppressor(values, len(bands), threshold)
    work.run()

    def entry(eid) -> Entry:
        return Entry(work.value[eid], eid in work.hidden, eid in work.primary)

    return ProtectedTable(
        threshold=threshold,
        bands=tuple(bands),
        rows={
            key: {band: entry(("c", r, b)) for b, band in enumerate(bands)}
            for r, key in enumerate(keys)
        },
        row_totals={key: work.row_total[r] for r, key in enumerate(keys)},
        band_totals={band: entry(("t", b)) for b, band in enumerate(bands)},
        grand_total=work.grand_total,
    )


def feasible_range(table: ProtectedTable, row_key, band: str | None = None) -> tuple[int, int]:
    """Smallest and largest value a hidden cell (or band total when ``row_key`` is None) can
    take given everything published in ``table`` — the attacker's view, used by tests."""
    keys = list(table.rows)
    values = [[table.rows[key][b].value for b in table.bands] for key in keys]
    work = _Suppressor(values, len(table.bands), table.threshold)
    work.hidden = {
        ("c", r, b)
        for r, key in enumerate(keys)
        for b, name in enumerate(table.bands)
        if table.rows[key][name].hidden
    } | {("t", b) for b, name in enumerate(table.bands) if table.band_totals[name].hidden}
    b = table.bands.index(band)
    entry = ("c", keys.index(row_key), b) if row_key is not None else ("t", b)
    if entry not in work.hidden:
        return work.value[entry], work.value[entry]
    adjacency, heads, capacity, arcs = work._network()
    arc = arcs[entry]
    u, v = heads[arc ^ 1], heads[arc]
    base = list(capacity)
    base[arc] = base[arc ^ 1] = 0
    up_source, up_sink = (v, u) if entry[0] == "c" else (u, v)
    big = work.grand_total + 1
    up = work._max_flow(adjacency, heads, list(base), up_source, up_sink, big)
    down = work._max_flow(adjacency, heads, list(base), up_sink, up_source, work.value[entry])
    return work.value[entry] - down, work.value[entry] + up


# --------------------------------------------------------------------------------------------
# Means (average scores) are a one-dimensional table: agencies → the pooled province mean.


def protect_means(sizes: Mapping[Hashable, int], threshold: int = DEFAULT_THRESHOLD) -> set:
    """Keys whose mean score must be hidden.

    A mean over fewer than ``k`` people is hidden. Because the pooled province mean and every
    row size are published, the hidden rows' combined total could be recovered; so the hidden
    set is widened (smallest rows first) until it holds at least two rows and ``k`` people —
    what can be recovered is then the mean of a group at least as large as any shown.
    """
    if threshold <= 1:
        return set()
    hidden = {key for key, size in sizes.items() if 0 < size < threshold}
    if not hidden:
        return hidden
    order = sorted(
        (key for key, size in sizes.items() if size > 0), key=lambda key: (sizes[key], str(key))
    )
    for key in order:
        people = sum(sizes[h] for h in hidden)
        if len(hidden) >= 2 and people >= threshold:
            break
        hidden.add(key)
    return hidden
