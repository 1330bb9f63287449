"""The annual batch's memo (issue 48): ``score_annual(..., memo=AnnualMemo(rules))`` gives
exactly the result of the general path — for years whose periods do not overlap (the memo's
own path) and for those it leaves to the general path (overlapping months, months in post,
totals out of bounds) — and one memo shared by many years never mixes them up."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.engine import AnnualMemo, AnnualPeriod, ScoringInputError, score_annual
from scoring.engine.defaults import DECREE_335_DEFAULT
from scoring.engine.framework.rules import Choice

PLAIN = dataclasses.replace(
    DECREE_335_DEFAULT,
    annual=dataclasses.replace(DECREE_335_DEFAULT.annual, weighting=Choice("periods")),
)
KINDS = {"month": 12, "quarter": 4, "half_year": 2, "year": 1}
TOTALS = [None, D("0"), D("49.99"), D("50.00"), D("70.5"), D("89.99"), D("90.00"), D("100.00")]


@st.composite
def periods(draw):
    items = []
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.sampled_from(["month"] * 6 + ["quarter", "half_year", "year"]))
        number = draw(st.integers(1, KINDS[kind]))
        worked = draw(st.sampled_from([None, None, None, (1, 2), (7,)]))
        items.append(
            AnnualPeriod(
                kind,
                number,
                draw(st.sampled_from(TOTALS)),
                worked_months=worked,
                ref=f"{kind}:{number}",
                excellent_counts=draw(st.sampled_from([None, (3, 3, 1), (4, 2, 0)])),
            )
        )
    return items


def _outcome(items, rules, memo=None):
    try:
        return score_annual(items, rules, is_leader=False, memo=memo)
    except ScoringInputError as exc:
        return ("refused", exc.errors)


MEMOS = {id(DECREE_335_DEFAULT): AnnualMemo(DECREE_335_DEFAULT), id(PLAIN): AnnualMemo(PLAIN)}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(periods(), st.sampled_from([DECREE_335_DEFAULT, PLAIN]))
def test_the_memo_gives_the_general_result(items, rules):
    # One memo per framework for every example: pieces made for one year serve the next.
    assert _outcome(items, rules, MEMOS[id(rules)]) == _outcome(items, rules)


def test_a_year_of_months_uses_the_memo_and_a_shared_piece_is_the_same_period():
    memo = AnnualMemo(DECREE_335_DEFAULT)
    months = [AnnualPeriod("month", m, D("91.00"), ref=f"month:{m}") for m in range(1, 13)]
    first = score_annual(months, DECREE_335_DEFAULT, memo=memo)
    again = score_annual(list(months), DECREE_335_DEFAULT, memo=memo)
    assert first == score_annual(months, DECREE_335_DEFAULT)
    assert len(memo.pieces) == 12
    assert first.periods[0] is again.periods[0], "the line is shared, not rebuilt"
    assert (first.score, first.rating, first.months_worked) == (D("91.00"), "excellent", 12)


def test_overlapping_periods_and_a_refused_total_take_the_general_path():
    memo = AnnualMemo(DECREE_335_DEFAULT)
    year = [
        AnnualPeriod("quarter", 1, D("80.00"), ref="q1"),
        AnnualPeriod("month", 1, D("60.00"), ref="m1"),
    ]
    result = score_annual(year, DECREE_335_DEFAULT, memo=memo)
    assert result == score_annual(year, DECREE_335_DEFAULT)
    assert [p["months"] for p in result.periods] == [[2, 3], [1]]
    with pytest.raises(ScoringInputError):
        score_annual(
            [AnnualPeriod("month", 1, D("100.01"), ref="m1")], DECREE_335_DEFAULT, memo=memo
        )


def test_a_memo_made_for_other_rules_is_not_used():
    memo = AnnualMemo(PLAIN)
    year = [
        AnnualPeriod("quarter", 1, D("80.00"), ref="q1"),
        AnnualPeriod("month", 4, D("60.00"), ref="m4"),
    ]
    result = score_annual(year, DECREE_335_DEFAULT, memo=memo)
    assert result == score_annual(year, DECREE_335_DEFAULT)
    assert not memo.pieces
    assert result.score == D("75.00"), "weighted by months: (80 × 3 + 60) / 4"
