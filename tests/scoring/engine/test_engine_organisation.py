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


def test_late_share_above_20_percent_is_not_completed():
    result = org(general=30, exceeded=3, on_time=4, late=3)  # 30 % late
    assert result.failed_conditions["completed"] == ("late_share_exceeded",)
    assert result.rating == "not_completed"


def test_late_share_exactly_20_percent_is_completed():
    assert org(general=30, exceeded=3, on_time=5, late=2).rating == "completed"


def test_not_done_task_fails_every_level():
    result = org(general=30, exceeded=4, on_time=5, not_done=1)  # 90 % done
    assert all("tasks_not_all_done" in c for c in result.failed_conditions.values())
    assert result.rating == "not_completed"
    assert result.not_completed_reasons == ()  # not the < 70 % rule: fell through the levels


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
    result = org(general=0, on_time=3, late=1, late_delays=4)  # task 75 % -> 52.5
    assert result.score == D("52.50") and result.rating == "not_completed"  # 25 % late
    result = org(general=0, on_time=4, late=1, late_delays=4)  # 80 % -> 56, 20 % late
    assert result.rating == "completed"


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
    assert rules.validate() == []
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
