"""The excellent quota's group, base and rounding are framework options (Decree 335 Art. 20
cl. 5: "không vượt quá 20% … trong cùng cơ quan, tổ chức, đơn vị và trong nhóm công chức có
nhiệm vụ tương đồng"), with documented defaults; both sides of every boundary."""

from decimal import Decimal as D

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    FrameworkRules,
    QuotaMember,
    allowed_excellent,
    apply_quota,
    framework_problems,
    parse_framework,
    quota_cap,
)


def with_quota(**options) -> FrameworkRules:
    data = DECREE_335_DEFAULT.to_dict()
    data["quota"].update(options)
    return parse_framework(data)


def test_defaults_are_explicit_and_cite_article_20_5():
    quota = DECREE_335_DEFAULT.quota
    assert (quota.group_by.value, quota.base.value, quota.rounding.value) == (
        "rater_agency",
        "good_after",
        "floor",
    )
    for choice in (quota.group_by, quota.base, quota.rounding):
        assert "Điều 20 khoản 5" in choice.citation and choice.confidence == "inferred"


def test_a_framework_without_the_options_gets_the_defaults():
    data = DECREE_335_DEFAULT.to_dict()
    for key in ("group_by", "base", "rounding"):
        del data["quota"][key]
    assert parse_framework(data) == DECREE_335_DEFAULT


def test_an_option_may_be_a_bare_code():
    assert with_quota(group_by="posting_unit").quota.group_by.value == "posting_unit"


@pytest.mark.parametrize(
    "key,value", [("group_by", "ministry"), ("base", "all"), ("rounding", "ceiling")]
)
def test_unknown_options_are_refused(key, value):
    errors = framework_problems(with_quota(**{key: {"value": value}}))
    assert any(e.startswith(f"framework.quota.{key}.value: phải là một trong") for e in errors)


def test_quota_cap_rounding_both_sides():
    assert quota_cap(4, D("0.20")) == 0  # 0.8 down
    assert quota_cap(5, D("0.20")) == 1  # exactly 1
    assert quota_cap(4, D("0.20"), "half_up") == 1  # 0.8 up
    assert quota_cap(2, D("0.20"), "half_up") == 0  # 0.4 down
    assert quota_cap(12, D("0.125"), "half_up") == 2  # 1.5 half up


@pytest.mark.parametrize(
    "candidates,good,base,rounding,expected",
    [
        # Default (post-trim base, floor): a group needs N = C + G ≥ 6 for one excellent.
        (1, 4, "good_after", "floor", 0),
        (1, 5, "good_after", "floor", 1),
        (8, 12, "good_after", "floor", 3),
        # Pre-trim base: min(C, floor(0.2 × G)).
        (8, 12, "good_before", "floor", 2),
        (1, 4, "good_before", "floor", 0),
        (1, 5, "good_before", "floor", 1),
        # Half up: 0.2 × 4 = 0.8 → 1; 0.2 × 2 = 0.4 → 0.
        (1, 4, "good_after", "half_up", 1),
        (1, 2, "good_after", "half_up", 0),
        (1, 2, "good_before", "half_up", 0),
        (3, 4, "good_before", "half_up", 1),
    ],
)
def test_allowed_excellent_by_base_and_rounding(candidates, good, base, rounding, expected):
    assert allowed_excellent(candidates, good, D("0.20"), base=base, rounding=rounding) == expected


def test_half_up_post_trim_matches_a_brute_force():
    for candidates in range(0, 12):
        for good in range(0, 25):
            brute = max(
                e
                for e in range(0, candidates + 1)
                if e == 0 or e <= quota_cap(good + candidates - e, D("0.20"), "half_up")
            )
            assert allowed_excellent(candidates, good, D("0.20"), rounding="half_up") == brute


def test_apply_quota_follows_the_framework_options():
    members = [QuotaMember("star", 92, "excellent")] + [
        QuotaMember(f"g{i}", 80, "good") for i in range(4)
    ]
    assert apply_quota(members, DECREE_335_DEFAULT).demoted == ("star",)
    lenient = apply_quota(members, with_quota(rounding={"value": "half_up"}))
    assert lenient.kept == ("star",)
    cap = lenient.explanation[0]
    assert (cap["base"], cap["rounding"]) == ("good_after", "half_up")


# --- ranking on the framework's rounding (issue 13 item 3; Art. 20 cl. 5, rounding [inferred])


def with_rounding(places=2, mode="half_up") -> FrameworkRules:
    data = DECREE_335_DEFAULT.to_dict()
    data["rounding"] = {"places": {"value": str(places)}, "mode": {"value": mode}}
    return parse_framework(data)


def ranked(rules, scores):
    """One excellent allowed (C = 2 candidates, G = 8 good → floor(0.2 x 10 / 1.2) = 1)."""
    members = [QuotaMember(pid, score, "excellent") for pid, score in scores]
    members += [QuotaMember(f"g{i}", "80", "good") for i in range(8)]
    return apply_quota(members, rules)


@pytest.mark.parametrize(
    ("places", "mode", "kept", "tied"),
    [
        # 90.006 vs 90.004: half-up to 2 places 90.01 > 90.00 — B kept, no tie.
        (2, "half_up", ("B",), ()),
        # down to 2 places: both 90.00 — a tie at the cut for the authority.
        (2, "down", ("A",), ("A", "B")),
        # 1 place: both 90.0 — a tie.
        (1, "half_up", ("A",), ("A", "B")),
    ],
)
def test_candidates_are_ranked_on_the_framework_rounding(places, mode, kept, tied):
    result = ranked(with_rounding(places, mode), [("A", D("90.004")), ("B", D("90.006"))])
    assert result.allowed == 1
    assert (result.kept, result.tied_at_cut, result.needs_decision) == (kept, tied, bool(tied))


@pytest.mark.parametrize(
    ("places", "mode", "kept", "tied"),
    [
        # 90.995 vs 90.994: half-up 2 places 91.00 > 90.99 (one side of the boundary) …
        (2, "half_up", ("B",), ()),
        # … and 0 places: both 91 — tie.
        (0, "half_up", ("A",), ("A", "B")),
        # half_even 2 places: 90.995 → 91.00 (9 odd → up), 90.994 → 90.99.
        (2, "half_even", ("B",), ()),
    ],
)
def test_both_sides_of_the_rounding_boundary(places, mode, kept, tied):
    result = ranked(with_rounding(places, mode), [("A", D("90.994")), ("B", D("90.995"))])
    assert (result.kept, result.tied_at_cut) == (kept, tied)


def test_the_explanation_shows_the_score_ranked_on():
    result = ranked(with_rounding(0), [("A", D("90.4")), ("B", D("91.6"))])
    kept = next(s for s in result.explanation if s["code"] == "quota_kept")
    assert kept == {"code": "quota_kept", "id": "B", "score": "92"}
