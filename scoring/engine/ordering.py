"""Bottom-up scoring order of an organisation tree.

Sub-units must be rated before their parent (a parent's "no direct sub-unit not completed"
condition and its leader's criterion d depend on them — Gia Lai plan §III.4.a).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from .errors import ScoringInputError

#: A unit id (an agency's primary key, or any hashable id in the engine's tests).
_Unit = TypeVar("_Unit", bound=Hashable)


def _sort_key(node: Hashable) -> tuple[int, int, str]:
    if isinstance(node, int) and not isinstance(node, bool):
        return (0, node, "")
    return (1, 0, str(node))


def scoring_order(parents: Mapping[_Unit, _Unit | None]) -> list[_Unit]:
    """Units ordered deepest first (ties by id: integers numerically, then strings).

    ``parents`` maps unit id → parent id (``None`` for a root). A parent id that is not a
    key is treated as outside the tree (the unit is then a root of the given subtree).
    Every unit comes after all its descendants. Cycles raise ScoringInputError.
    """
    depth: dict[_Unit, int] = {}
    for start in parents:
        path: list[_Unit] = []
        on_path: set[_Unit] = set()
        node: _Unit | None = start
        while node is not None and node in parents and node not in depth:
            if node in on_path:
                raise ScoringInputError(
                    {
                        f"parents[{start}]": "Cây đơn vị có vòng lặp (đơn vị là cấp trên của "
                        "chính nó)."
                    }
                )
            on_path.add(node)
            path.append(node)
            node = parents[node]
        base = depth[node] if node is not None and node in depth else -1
        for offset, item in enumerate(reversed(path), start=1):
            depth[item] = base + offset
    return sorted(parents, key=lambda unit: (-depth[unit], _sort_key(unit)))
