"""Two background runs of one month for two agencies, at the same time (issue 28; found by
ci-production's rebuild check after its two-imports drill, session 11).

The director's criterion d counts the ratings of both units' people. Each run rescored the
director after its own batch, reading the other unit's ratings as they were committed: when
the second run read them before the first committed, the director's stored score kept the
other unit's old ratings — older than its inputs, and nothing would ever correct it. Now the
runs of a month run one after the other (``input_locks.lock_period_scoring``): whichever
order they take, the director ends up computed from both units' new ratings."""

import threading

import pytest

from django.db import connection, connections

from org.models import LeadershipRole
from scoring.models import PeriodScore, RunStatus, ScoringRun
from scoring.services import rescoring, score_period
from scoring.services.person import prepare_person
from tests.factories import UnitFactory
from tests.scoring.helpers import build_world

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two runs side by side: PostgreSQL only (SQLite writes one transaction at a time)",
    ),
]


@pytest.fixture
def world():
    world = build_world()
    second = UnitFactory(parent=world.department, code="SNV-P2", name="Phòng Tổ chức")
    world.second = second
    with rescoring.paused():
        director = world.person("Giám đốc", agency=world.department, role=LeadershipRole.HEAD)
        world.person("Chuyên viên một")
        world.person("Chuyên viên hai", agency=second)
        for name in ("Giám đốc", "Chuyên viên một", "Chuyên viên hai"):
            unit = second if name == "Chuyên viên hai" else None
            world.line(world.people[name], "X", 1, 1, **({"unit": unit} if unit else {}))
            world.marks(world.people[name], 28)
        world.leader_marks(director)
        score_period(world.period)
        # Both units' people fall to "not completed": 4 assigned, none done.
        world.line(world.people["Chuyên viên một"], "X", 4, 0)
        world.line(world.people["Chuyên viên hai"], "X", 4, 0, unit=second)
    ScoringRun.objects.all().delete()
    return world


def rating(world, name):
    return PeriodScore.objects.get(civil_servant=world.people[name], period=world.period).rating


def test_the_director_is_computed_from_both_units_new_ratings(world, monkeypatch):
    director = world.people["Giám đốc"]
    assert rating(world, "Chuyên viên một") == rating(world, "Chuyên viên hai") == "excellent"
    runs = {
        unit.pk: ScoringRun.objects.create(
            period=world.period, agency=unit, people=[], people_count=0, reason="Nhập Excel"
        )
        for unit in (world.unit, world.second)
    }
    first_done_writing = threading.Event()
    release_first = threading.Event()
    second_started = threading.Event()
    finish = rescoring._finish

    def held_finish(scoring_run, *args, **kwargs):
        # The first run has written its batch and the director, and has not committed yet.
        if scoring_run.agency_id == world.unit.pk:
            first_done_writing.set()
            release_first.wait(30)
        return finish(scoring_run, *args, **kwargs)

    monkeypatch.setattr(rescoring, "_finish", held_finish)
    results = {}

    def carry_out(unit_id, started=None):
        try:
            if started:
                started.set()
            results[unit_id] = rescoring.run(runs[unit_id].pk)
        finally:
            connections.close_all()

    first = threading.Thread(target=carry_out, args=(world.unit.pk,))
    first.start()
    assert first_done_writing.wait(60)
    second = threading.Thread(target=carry_out, args=(world.second.pk, second_started))
    second.start()
    assert second_started.wait(10)
    second.join(2)  # the second run gets as far as it can while the first holds on
    release_first.set()
    first.join(60)
    second.join(60)
    assert results == {world.unit.pk: RunStatus.DONE, world.second.pk: RunStatus.DONE}

    assert rating(world, "Chuyên viên một") == rating(world, "Chuyên viên hai") == "not_completed"
    stored = PeriodScore.objects.get(civil_servant=director, period=world.period)
    counted = stored.explanation["subordinates"]
    assert counted == {
        str(world.people["Chuyên viên một"].pk): "not_completed",
        str(world.people["Chuyên viên hai"].pk): "not_completed",
    }
    # Scoring again from the inputs changes nothing: the stored figure is not stale.
    _data, prepared = prepare_person(director, world.period)
    assert prepared.inputs_hash == stored.inputs_hash
