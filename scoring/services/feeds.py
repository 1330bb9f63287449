"""Inputs measured outside the scoring app that feed marked sub-criteria (issue 33 item 3):
apps of higher layers register a provider here (the feedback app: beneficiaries' satisfaction
answers), so ``scoring`` imports none of them (tests/test_layers.py)."""

from __future__ import annotations

from collections.abc import Callable

#: provider(period, people) → person id → answer level ("5" … "1") → number of answers;
#: ``people``: ids, a subquery of ids, or ``None`` for everyone.
SatisfactionProvider = Callable[[object, object], dict[int, dict[str, int]]]

_satisfaction: list[SatisfactionProvider] = []


def register_satisfaction(provider: SatisfactionProvider) -> None:
    if provider not in _satisfaction:
        _satisfaction.append(provider)


def satisfaction_answers(period, people=None) -> dict[int, dict[str, int]]:
    """Every registered provider's answers for ``period``, added up per person and level."""
    result: dict[int, dict[str, int]] = {}
    for provider in _satisfaction:
        for person, levels in provider(period, people).items():
            mine = result.setdefault(person, {})
            for level, count in levels.items():
                mine[level] = mine.get(level, 0) + int(count)
    return result
