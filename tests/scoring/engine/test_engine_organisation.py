"""Organisation (agency/unit) scoring: [inferred] task formula and level conditions."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from scoring.engine import (
    DECREE_335_DEFAULT,
    OrganisationInput,
    OrgTask,
    ScoringInputError,
    framework_problems,
    parse_framework,
    score_organisation,
)


def tasks(on_time=0, exceeded=0, late=0, not_done=0, late_delays=None):
    return tuple(
        [OrgTask("exceeded")] * exceeded
        + [OrgTask("on_time")] * on_time
        + [OrgTask("late", delays=late_delays)] * late
        + [OrgTask("not_done")] * not_done
    )


def org(general=28, **kwargs):
    task_kwargs = {
        k: kwargs.pop(k)
        for k in list(kwargs)
        if k in ("on_time", "exceeded", "late", "not_done", "late_delays")
    }
    return score_organisation(
        OrganisationInput(general=general, tasks=tasks(**task_kwargs), **kwargs)
    )


def test_excellent_when_every_condition_holds():
    result = org(exceeded=4, on_time=6)
    assert result.task_percent == D("100.00") and result.task_points == D("70.00")
    assert result.score == D("98.00")
    assert result.rating == "excellent"
    assert result.failed_conditions == {}
    assert result.counts == {"total": 10, "on_time": 6, "exceeded": 4, "late": 0, "not_done": 0}


def test_task_percent_formula():
    # 8 on time (100), 1 late twice (50), 1 not done (0) -> 850 / 10 = 85 %
    result = org(general=30, on_time=8, late=1, not_done=1, late_delays=2)
    assert result.task_percent == D("85.00")
    assert result.task_points == D("59.50")
    assert result.score == D("89.50")


# Each excellent condition failing on its own (score stays >= 90).
@pytest.mark.parametrize(
    ("kwargs", "failed", "rating"),
    [
        ({"general": 19, "exceeded": 4, "on_time": 6}, ("score_below_min",), "good"),
        ({"exceeded": 2, "on_time": 8}, ("exceeded_share_too_low",), "good"),
        (
            {"exceeded": 4, "on_time": 6, "subunit_ratings": {"u1": "good", "u2": "not_completed"}},
            ("subunit_not_completed",),
            "good",
        ),
        (
            {"exceeded": 4, "on_time": 6, "shortcomings_remedied": False},
            ("shortcomings_not_remedied",),
            "good",
        ),
    ],
)
def test_each_excellent_condition(kwargs, failed, rating):
    result = org(**kwargs)
    assert result.failed_conditions == {"excellent": failed}
    assert result.rating == rating


def test_late_task_fails_excellent_and_good_but_not_completed():
    result = org(exceeded=4, on_time=5, late=1)  # 10 % late
    assert result.score == D("96.25")
    assert result.score_rating == "excellent"
    assert result.failed_conditions == {
        "excellent": ("late_share_exceeded",),
        "good": ("late_share_exceeded",),
    }
    assert result.rating == "completed"


def test_late_share_above_20_percent_falls_through_to_completed():
    """[secondary] Gia Lai §III.3.c–d: 30 % late meets no level, but late tasks are not a
    "not completed" case — the default fall-through gives the lowest level, flagged."""
    result = org(general=30, exceeded=3, on_time=4, late=3)  # 30 % late
    assert result.failed_conditions["completed"] == ("late_share_exceeded",)
    assert result.rating == "completed"
    assert result.fall_through == "lowest_level"
    assert result.not_completed_reasons == ()


def test_late_share_exactly_20_percent_is_completed():
    assert org(general=30, exceeded=3, on_time=5, late=2).rating == "completed"


def test_not_done_task_fails_every_level_and_falls_through():
    result = org(general=30, exceeded=4, on_time=5, not_done=1)  # 90 % done
    assert all("tasks_not_all_done" in c for c in result.failed_conditions.values())
    assert result.rating == "completed"  # not the < 70 % rule: the fall-through applies
    assert result.fall_through == "lowest_level"
    assert result.not_completed_reasons == ()


def test_less_than_70_percent_done():
    result = org(general=30, on_time=6, not_done=4)
    assert result.not_completed_reasons == ("done_share_below_min",)
    assert result.rating == "not_completed"


def test_good_needs_score_70():
    result = org(general=10, on_time=8, exceeded=2)  # 10 + 70 = 80 good
    assert result.rating == "good"
    result = org(general=0, on_time=8, exceeded=2, late=0)
    assert result.score == D("70.00") and result.rating == "good"


def test_completed_needs_score_50():
    """[secondary] Gia Lai §III.3.d: below 50 points is a "not completed" case, with its
    reason; 25 % late at 52.5 points is not one (fall-through)."""
    result = org(general=0, on_time=3, late=1, late_delays=4)  # task 75 % -> 52.5
    assert result.score == D("52.50") and result.rating == "completed"  # 25 % late
    assert result.fall_through == "lowest_level"
    result = org(general=0, on_time=4, late=1, late_delays=4)  # 80 % -> 56, 20 % late
    assert result.rating == "completed" and result.fall_through is None
    result = org(general=0, on_time=1, not_done=1, exceeded=2)  # 75 % done -> 52.5
    assert result.rating == "completed"
    result = org(general=0, on_time=1, late=1, late_delays=4)  # 50 % -> 35 points
    assert result.rating == "not_completed"
    assert result.not_completed_reasons == ("score_below_lowest_level",)
    assert result.fall_through is None


def test_disqualifier_forces_not_completed():
    result = org(exceeded=4, on_time=6, disqualifiers=("personnel_work_violation",))
    assert result.score_rating == "excellent"
    assert result.rating == "not_completed"
    assert result.not_completed_reasons == ("personnel_work_violation",)


def test_no_tasks_is_not_scored():
    result = org()
    assert not result.scored and result.rating is None and result.score is None


def test_thresholds_are_framework_data():
    organisation = DECREE_335_DEFAULT.organisation
    excellent = dataclasses.replace(organisation.levels[0], min_exceeded_share=D("0.2"))
    rules = dataclasses.replace(
        DECREE_335_DEFAULT,
        organisation=dataclasses.replace(
            organisation, levels=(excellent, *organisation.levels[1:])
        ),
    )
    assert framework_problems(rules) == []
    result = score_organisation(
        OrganisationInput(general=28, tasks=tasks(exceeded=2, on_time=8)), rules
    )
    assert result.rating == "excellent"


def test_general_sub_criteria_marks():
    marks = {"G.1": 7.5, "G.2": 7, "G.3": 7.5, "G.4": 6}
    result = score_organisation(OrganisationInput(general=marks, tasks=tasks(on_time=1)))
    assert result.general_points == D("28.00")


def test_validation_lists_every_bad_field():
    bad = OrganisationInput(
        general=31,
        tasks=(OrgTask("done"), OrgTask("late", delays=0), OrgTask("on_time", delays=2)),
        subunit_ratings=["fine"],
        disqualifiers=("nope",),
    )
    with pytest.raises(ScoringInputError) as exc:
        score_organisation(bad)
    assert set(exc.value.errors) == {
        "general",
        "tasks[0].outcome",
        "tasks[1].delays",
        "tasks[2].delays",
        "subunit_ratings[0]",
        "disqualifiers[0]",
    }


# --------------------------------------------------------------------------------------
# Review 2026-11-22 (legal.md W4, U9): "not completed" only in a Gia Lai §III.3.d case;
# otherwise the fall-through of OrganisationRules.fall_through [secondary] Gia Lai §III.3.d,
# Quy định 366 Art. 11.


def test_c17_good_score_all_done_one_of_four_late_is_not_not_completed():
    """C17 (W4) [secondary] Gia Lai §III.3.d: 95 points, 100 % done, 1 of 4 late meets no
    level (late share 25 % > 20 %) but no "not completed" case applies."""
    general = {"G.1": "7.5", "G.2": "7.5", "G.3": "7.5", "G.4": "6.875"}  # 29.375
    result = score_organisation(
        OrganisationInput(general=general, tasks=tasks(exceeded=1, on_time=2, late=1))
    )
    # Printed figures (framework rounding default each_printed_figure, [inferred]): general
    # 29.375 → 29.38, task 93.75 % x 0.7 = 65.625 → 65.63, 29.38 + 65.63 = 95.01 (rounding
    # only the total, ``once``, gives 95.00).
    assert (result.general_points, result.task_points) == (D("29.38"), D("65.63"))
    assert result.score == D("95.01") == result.general_points + result.task_points
    assert result.exact["score"] == D("95.000")
    assert result.rating != "not_completed"
    assert result.rating == "completed"  # default: the lowest level
    assert result.fall_through == "lowest_level"
    assert result.not_completed_reasons == ()
    assert set(result.failed_conditions) == {"excellent", "good", "completed"}
    codes = [s["code"] for s in result.explanation]
    assert "org_fall_through" in codes


def test_c18_93_points_90_percent_done_is_not_not_completed():
    """C18 (W4) [secondary] Gia Lai §III.3.d: 9 on time + 1 not done, general 30 → 93 points,
    90 % done (≥ 70 %): no level (each needs 100 % done) and no "not completed" case."""
    result = org(general=30, on_time=9, not_done=1)
    assert result.score == D("93.00")
    assert result.rating == "completed"
    assert result.fall_through == "lowest_level"
    assert result.not_completed_reasons == ()


def test_c16_band_floor_reading():
    """C16 (U9) [secondary] Gia Lai §III.3.b–c: each level's minimum score is a floor and its
    upper bound ("dưới 90", "dưới 70") is not applied — 95 points with 1 of 10 late fails
    excellent and good (late) and meets completed's conditions, so it is completed, not a gap."""
    result = org(general=D("26.75"), exceeded=3, on_time=6, late=1)
    assert result.score == D("95.00")
    assert result.rating == "completed"
    assert result.fall_through is None


def _with_fall_through(value: str):
    organisation = DECREE_335_DEFAULT.organisation
    return dataclasses.replace(
        DECREE_335_DEFAULT,
        organisation=dataclasses.replace(
            organisation,
            fall_through=dataclasses.replace(organisation.fall_through, value=value),
        ),
    )


@pytest.mark.parametrize(
    ("value", "c17", "c18"),
    [
        ("lowest_level", "completed", "completed"),
        ("relax_task_conditions", "good", "good"),
        ("not_completed", "not_completed", "not_completed"),
    ],
)
def test_fall_through_is_a_framework_option(value, c17, c18):
    """[secondary] Gia Lai §III.3.d: the three readings of the gap (C17, C18)."""
    rules = _with_fall_through(value)
    assert framework_problems(rules) == []
    general = {"G.1": "7.5", "G.2": "7.5", "G.3": "7.5", "G.4": "6.875"}
    r17 = score_organisation(
        OrganisationInput(general=general, tasks=tasks(exceeded=1, on_time=2, late=1)), rules
    )
    r18 = score_organisation(
        OrganisationInput(general=30, tasks=tasks(on_time=9, not_done=1)), rules
    )
    assert (r17.rating, r18.rating) == (c17, c18)
    assert r17.fall_through == r18.fall_through == value
    if value == "not_completed":
        assert r17.not_completed_reasons == ("no_level_met",)  # always with its reason
    else:
        assert r17.not_completed_reasons == ()


def test_relaxed_fall_through_keeps_the_other_conditions():
    """relax_task_conditions sets aside only "all done" and the late share: 30 % exceeded,
    an open shortcoming and 1 late of 4 gives good (excellent needs shortcomings remedied)."""
    rules = _with_fall_through("relax_task_conditions")
    result = score_organisation(
        OrganisationInput(
            general=30, tasks=tasks(exceeded=2, on_time=1, late=1), shortcomings_remedied=False
        ),
        rules,
    )
    assert result.rating == "good"


def test_a_not_completed_case_wins_over_the_fall_through():
    """[secondary] Gia Lai §III.3.d: < 70 % done or a conclusion → not completed."""
    result = org(general=30, on_time=6, not_done=4)
    assert result.rating == "not_completed" and result.fall_through is None
    result = org(general=30, on_time=3, late=1, disqualifiers=("personnel_work_violation",))
    assert result.rating == "not_completed" and result.fall_through is None
    assert result.not_completed_reasons == ("personnel_work_violation",)


def test_fall_through_and_overdue_options_are_validated():
    bad = _with_fall_through("somewhere")
    assert any("organisation.fall_through" in e for e in framework_problems(bad))
    organisation = DECREE_335_DEFAULT.organisation
    bad = dataclasses.replace(
        DECREE_335_DEFAULT,
        organisation=dataclasses.replace(
            organisation,
            overdue_unreported=dataclasses.replace(organisation.overdue_unreported, value="x"),
        ),
    )
    assert any("organisation.overdue_unreported" in e for e in framework_problems(bad))


def test_options_round_trip_through_the_stored_form():
    rules = _with_fall_through("not_completed")
    data = rules.to_dict()
    assert data["organisation"]["fall_through"]["value"] == "not_completed"
    again = parse_framework(data)
    assert again.organisation.fall_through.value == "not_completed"
    del data["organisation"]["fall_through"], data["organisation"]["overdue_unreported"]
    parsed = parse_framework(data)  # frameworks stored before the options: defaults
    assert parsed.organisation.fall_through.value == "lowest_level"
    assert parsed.organisation.overdue_unreported.value == "not_done"
