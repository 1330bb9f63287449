"""Inputs measured outside the scoring app that feed marked sub-criteria (issue 33 item 3):
apps of higher layers register a provider here (the feedback app: beneficiaries' satisfaction
answers given with one-time codes, and the one-stop system's survey imported from Excel), so
``scoring`` imports none of them (tests/test_layers.py)."""

from __future__ import annotations

from collections.abc import Callable

#: provider(period, people) → person id → answer level ("5" … "1") → number of answers;
#: ``people``: ids, a subquery of ids, or ``None`` for everyone.
SatisfactionProvider = Callable[[object, object], dict[int, dict[str, int]]]

#: Where answers come from, in the order the explanation names them.
SOURCE_CODES = "codes"
SOURCE_SURVEY = "survey"

_satisfaction: list[tuple[str, SatisfactionProvider]] = []

#: provider(period, people) → person id → ``[(unit name, level "5"…"1"), …]``: the related
#: units' ratings of the person's coordination on shared tasks of the period (the worklog).
CoordinationProvider = Callable[[object, object], dict[int, list[tuple[str, str]]]]

_coordination: list[CoordinationProvider] = []


def register_satisfaction(provider: SatisfactionProvider, source: str = SOURCE_CODES) -> None:
    if all(provider is not known for _source, known in _satisfaction):
        _satisfaction.append((source, provider))


def satisfaction_by_source(
    period, people=None
) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """``(answers, sources)`` for ``period``: per person, every provider's answers added up per
    level, and the number of answers per source (``SOURCE_CODES``, ``SOURCE_SURVEY``)."""
    result: dict[int, dict[str, int]] = {}
    sources: dict[int, dict[str, int]] = {}
    for source, provider in _satisfaction:
        for person, levels in provider(period, people).items():
            mine = result.setdefault(person, {})
            for level, count in levels.items():
                mine[level] = mine.get(level, 0) + int(count)
            counted = sum(int(count) for count in levels.values())
            if counted:
                by_source = sources.setdefault(person, {})
                by_source[source] = by_source.get(source, 0) + counted
    return result, sources


def satisfaction_answers(period, people=None) -> dict[int, dict[str, int]]:
    """Every registered provider's answers for ``period``, added up per person and level."""
    return satisfaction_by_source(period, people)[0]


def register_coordination(provider: CoordinationProvider) -> None:
    if all(provider is not known for known in _coordination):
        _coordination.append(provider)


def coordination_ratings(period, people=None) -> dict[int, list[tuple[str, str]]]:
    """Every registered provider's coordination ratings for ``period``, per person (issue 33
    item 3: the related units' ratings on shared tasks)."""
    result: dict[int, list[tuple[str, str]]] = {}
    for provider in _coordination:
        for person, ratings in provider(period, people).items():
            result.setdefault(person, []).extend(ratings)
    return result
