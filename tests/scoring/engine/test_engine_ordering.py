"""Bottom-up scoring order of a unit tree."""

from __future__ import annotations

import pytest

from scoring.engine import ScoringInputError, scoring_order


def test_children_before_parents_deterministic():
    parents = {
        "so-noi-vu": None,
        "phong-b": "so-noi-vu",
        "phong-a": "so-noi-vu",
        "to-1": "phong-a",
        "xa-1": None,
    }
    order = scoring_order(parents)
    assert order == ["to-1", "phong-a", "phong-b", "so-noi-vu", "xa-1"]
    for unit, parent in parents.items():
        if parent is not None:
            assert order.index(unit) < order.index(parent)
    assert scoring_order(dict(reversed(list(parents.items())))) == order


def test_integer_ids_sort_numerically():
    assert scoring_order({10: None, 2: 10, 9: 10, 1: 2}) == [1, 2, 9, 10]


def test_parent_outside_the_tree_is_a_root():
    assert scoring_order({"a": "elsewhere", "b": "a"}) == ["b", "a"]


def test_cycle_is_an_error():
    with pytest.raises(ScoringInputError):
        scoring_order({"a": "b", "b": "a"})
    with pytest.raises(ScoringInputError):
        scoring_order({"a": "a"})


def test_deep_chain():
    parents = {str(i): str(i - 1) if i else None for i in range(500)}
    assert scoring_order(parents) == [str(i) for i in reversed(range(500))]
