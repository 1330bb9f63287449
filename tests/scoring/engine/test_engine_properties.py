"""Property tests (Hypothesis): bounds, monotonicity, exact-arithmetic oracle."""

from __future__ import annotations

import dataclasses
import math
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.engine import LeaderMarks, Line, PeriodInput, compute_task_results, score_period
from scoring.engine.bands import band_for
from scoring.engine.defaults import DECREE_335_DEFAULT
from scoring.engine.framework.rules import Choice, RoundingRule

ROUND_ONCE = dataclasses.replace(DECREE_335_DEFAULT, rounding=RoundingRule(steps=Choice("once")))

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COEFFICIENTS = [D("0.5"), D(1), D("1.25"), D("1.6"), D(2), D(3), D(8), D("0.8"), D("0.3")]


@st.composite
def lines(draw):
    assigned = draw(st.integers(0, 8))
    completed = draw(st.integers(0, 10))
    failed = draw(st.integers(0, 6))
    delays = draw(st.integers(0, 6))
    return Line(
        coefficient=draw(st.sampled_from(COEFFICIENTS)),
        assigned=assigned,
        completed=completed,
        failed_reviews=failed,
        exempt_reviews=draw(st.integers(0, failed)),
        delays=delays,
        exempt_delays=draw(st.integers(0, delays)),
    )


@st.composite
def period_inputs(draw):
    role = draw(st.sampled_from(["staff", "head", "deputy"]))
    leader = None
    if role != "staff":
        leader = LeaderMarks(*(draw(st.sampled_from([100, 50])) for _ in range(3)))
    items = draw(st.lists(lines(), min_size=1, max_size=5))
    if all(line.assigned == 0 for line in items):
        items[0] = dataclasses.replace(items[0], assigned=1)
    general = D(draw(st.integers(0, 120))) / 4  # 0 .. 30 in quarter points
    return PeriodInput(role=role, lines=tuple(items), marks={"general": general}, leader=leader)


@SETTINGS
@given(period_inputs())
def test_total_is_between_0_and_100(inp):
    result = score_period(inp)
    assert result.scored
    assert 0 <= result.total <= 100
    for value in result.criteria.values():
        assert 0 <= value <= 100


@SETTINGS
@given(period_inputs(), st.data())
def test_adding_a_failed_review_never_raises_a_score(inp, data):
    i = data.draw(st.integers(0, len(inp.lines) - 1))
    worse_lines = list(inp.lines)
    worse_lines[i] = dataclasses.replace(
        worse_lines[i], failed_reviews=worse_lines[i].failed_reviews + 1
    )
    before = score_period(inp)
    after = score_period(dataclasses.replace(inp, lines=tuple(worse_lines)))
    assert after.exact["b"] <= before.exact["b"]
    assert after.exact["total"] <= before.exact["total"]
    assert after.total <= before.total


@SETTINGS
@given(period_inputs(), st.data())
def test_adding_a_delay_never_raises_a_score(inp, data):
    i = data.draw(st.integers(0, len(inp.lines) - 1))
    worse_lines = list(inp.lines)
    worse_lines[i] = dataclasses.replace(worse_lines[i], delays=worse_lines[i].delays + 1)
    assert score_period(dataclasses.replace(inp, lines=tuple(worse_lines))).total <= (
        score_period(inp).total
    )


@SETTINGS
@given(period_inputs(), st.data())
def test_an_exemption_never_lowers_a_score(inp, data):
    i = data.draw(st.integers(0, len(inp.lines) - 1))
    line = inp.lines[i]
    changed = list(inp.lines)
    changed[i] = dataclasses.replace(
        line,
        failed_reviews=max(line.failed_reviews, line.exempt_reviews + 1),
        exempt_reviews=line.exempt_reviews + 1,
        delays=max(line.delays, line.exempt_delays + 1),
        exempt_delays=line.exempt_delays + 1,
    )
    without = dataclasses.replace(
        inp,
        lines=tuple(
            dataclasses.replace(
                c, exempt_reviews=line.exempt_reviews, exempt_delays=line.exempt_delays
            )
            if j == i
            else c
            for j, c in enumerate(changed)
        ),
    )
    exempted = dataclasses.replace(inp, lines=tuple(changed))
    assert score_period(exempted).exact["total"] >= score_period(without).exact["total"]


@SETTINGS
@given(st.lists(lines(), min_size=1, max_size=5), st.data())
def test_more_completed_never_lowers_quantity(items, data):
    i = data.draw(st.integers(0, len(items) - 1))
    items[i] = dataclasses.replace(items[i], assigned=max(items[i].assigned, 1))
    line = items[i]
    completed = data.draw(st.integers(0, line.assigned - 1)) if line.assigned > 1 else 0
    low = list(items)
    high = list(items)
    low[i] = dataclasses.replace(line, completed=completed)
    high[i] = dataclasses.replace(line, completed=completed + 1)
    rules = DECREE_335_DEFAULT
    assert compute_task_results(high, rules).quantity >= compute_task_results(low, rules).quantity


def _oracle_total(inp: PeriodInput) -> Fraction:
    """The same rules computed with exact fractions, rounded half-up at the very end."""
    assigned = completed = quality = timeliness = Fraction(0)
    for line in inp.lines:
        k = Fraction(line.coefficient)
        assigned += line.assigned * k
        completed += line.completed * k
        quality += max(
            Fraction(0),
            line.completed * k - Fraction(1, 4) * k * (line.failed_reviews - line.exempt_reviews),
        )
        timeliness += max(
            Fraction(0),
            line.completed * k - Fraction(1, 4) * k * (line.delays - line.exempt_delays),
        )
    percents = [min(Fraction(100), 100 * x / assigned) for x in (completed, quality, timeliness)]
    if inp.leader is not None and inp.role != "staff":
        percents += [
            Fraction(v)
            for v in (inp.leader.unit_results, inp.leader.organising, inp.leader.cohesion)
        ]
    total = Fraction(inp.marks["general"]) + sum(percents) / len(percents) * Fraction(70, 100)
    return Fraction(math.floor(total * 100 + Fraction(1, 2)), 100)


@settings(max_examples=400, deadline=None)
@given(period_inputs())
def test_matches_exact_fraction_oracle(inp):
    """Rounding ``once`` (docs/scoring.md §8 [inferred]): the total is the exact value rounded
    once, as the fraction oracle computes it."""
    assert Fraction(score_period(inp, ROUND_ONCE).total) == _oracle_total(inp)


@settings(max_examples=300, deadline=None)
@given(period_inputs())
def test_each_printed_figure_adds_up(inp):
    """Rounding ``each_printed_figure`` (default, review C23, [inferred]): the printed figures
    re-added by hand give the printed total and band."""
    result = score_period(inp)
    if not result.scored:
        return
    codes = DECREE_335_DEFAULT.criteria_for_role(inp.role)
    mean = sum(result.criteria[c] for c in codes) / len(codes)
    assert result.task_percent == mean.quantize(D("0.01"), rounding=ROUND_HALF_UP)
    task_points = (result.task_percent * D("0.7")).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert result.task_points == task_points
    assert result.total == sum(result.component_points.values())
    assert result.rating == band_for(result.total, DECREE_335_DEFAULT)
