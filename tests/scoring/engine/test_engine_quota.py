"""Excellent quota: post-trim base, determinism, ties at the cut."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from scoring.engine import QuotaMember, ScoringInputError, allowed_excellent, apply_quota


@pytest.mark.parametrize(
    ("candidates", "good", "expected"),
    [
        (5, 15, 3),  # notes §7 case 6
        (8, 12, 3),  # post-trim base (the pre-trim base would give 2)
        (1, 4, 0),  # 1 <= 0.2 * 4 fails
        (1, 5, 1),
        (0, 10, 0),
        (10, 0, 1),  # trimming creates good people: 1 <= 0.2 * 9
        (2, 8, 1),
        (6, 54, 6),  # everybody fits
    ],
)
def test_allowed_excellent(candidates, good, expected):
    allowed = allowed_excellent(candidates, good, D("0.20"))
    assert allowed == expected
    # the defining property: E <= ratio * finally good, and E + 1 would break it
    finally_good = good + candidates - allowed
    assert allowed <= D("0.20") * finally_good
    if allowed < candidates:
        assert allowed + 1 > D("0.20") * (finally_good - 1)


def test_formula_matches_brute_force():
    for ratio in (D("0.20"), D("0.25"), D("0.3")):
        for candidates in range(12):
            for good in range(30):
                brute = max(
                    e for e in range(candidates + 1) if e <= ratio * (good + candidates - e)
                )
                assert allowed_excellent(candidates, good, ratio) == brute


def members(scores, good=15):
    result = [QuotaMember(pid, D(score), "excellent") for pid, score in scores]
    result += [QuotaMember(f"g{i:02d}", D(75), "good") for i in range(good)]
    return result


def test_highest_scores_kept_and_order_is_deterministic():
    scores = [("c", 91), ("a", 97), ("e", 90), ("b", 95), ("d", 93)]
    first = apply_quota(members(scores))
    second = apply_quota(list(reversed(members(scores))))
    assert first.kept == second.kept == ("a", "b", "d")
    assert first.demoted == ("c", "e")
    assert first.final_ratings["c"] == "good" and first.final_ratings["a"] == "excellent"
    assert not first.needs_decision


def test_ties_at_the_cut_are_flagged():
    scores = [("p1", 97), ("p2", 93), ("p3", 92.5), ("p4", 92.5), ("p5", 90)]
    result = apply_quota(members(scores))
    assert result.allowed == 3
    assert result.kept == ("p1", "p2", "p3")  # provisional: by id
    assert result.tied_at_cut == ("p3", "p4")
    assert result.needs_decision
    assert result.explanation[-1]["code"] == "quota_tie_at_cut"


def test_ties_not_at_the_cut_are_not_flagged():
    scores = [("p1", 95), ("p2", 95), ("p3", 93), ("p4", 91), ("p5", 91)]
    result = apply_quota(members(scores))
    assert result.tied_at_cut == () and not result.needs_decision


def test_scores_compare_after_rounding():
    scores = [("p1", 97), ("p2", 93), ("p3", "92.504"), ("p4", "92.495"), ("p5", 90)]
    assert apply_quota(members(scores)).tied_at_cut == ("p3", "p4")


def test_other_ratings_untouched():
    group = [*members([("x", 95)], good=0), QuotaMember("y", D(60), "completed")]
    result = apply_quota(group)
    assert result.allowed == 0  # no one finally good -> would need 1 <= 0.2 * 0
    assert result.final_ratings == {"x": "good", "y": "completed"}


def test_invalid_members():
    with pytest.raises(ScoringInputError) as exc:
        apply_quota([QuotaMember("a", "x", "excellent"), QuotaMember("a", 1, "best")])
    assert set(exc.value.errors) == {"members[0].score", "members[1].rating", "members[1].id"}
