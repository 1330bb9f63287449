"""Property (issue 42, "Done when"): writes through the doors interleaved with uses of the
derived figures — a rating decision's guard, Form 02's print (``fresh_annual``), the annual
payroll export — **without draining the worker in between** (the database queue, no worker;
at random a worker runs one queued run, or one refresh, never everything): every figure used
equals the from-scratch recomputation of the inputs at that moment, or the use is refused with
the reason "… đang được tính lại sau thay đổi lúc …"."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.db import transaction
from django.test import override_settings

from org.models import LeadershipRole
from ratings.services.bonus import annual_export_refusal
from scoring.models import (
    AnnualScore,
    AssignmentLine,
    Disqualification,
    GeneralCriteriaMark,
    Period,
    ScoringRun,
)
from scoring.services import freshness, rescoring, score_period, score_year
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FEBRUARY = datetime.date(2026, 2, 1)
REFUSED = "đang được tính lại sau thay đổi lúc"

WRITES = ["add", "change", "delete", "marks", "disqualify"]
USES = ["decide", "print", "export"]
WORKER = ["run_one", "refresh"]

steps = st.lists(
    st.tuples(
        st.sampled_from(WRITES + USES + WORKER),
        st.integers(0, 3),
        st.integers(0, 1),
        st.integers(0, 3),
    ),
    min_size=6,
    max_size=14,
)


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
        february = Period.for_date(FEBRUARY, create=True)
        world.periods = [february, world.period]
        with rescoring.paused():
            people = [world.person(name) for name in ("An", "Bình", "Cúc")]
            people.append(world.person("Hùng", role=LeadershipRole.HEAD))
            for person in people:
                for period in world.periods:
                    world.full_month(person, total=27, period=period)
        for period in world.periods:
            score_period(period)
    world.staff = people
    return world


def _from_scratch(world):
    """Every annual score recomputed from the inputs alone (rolled back)."""
    with transaction.atomic():
        AnnualScore.objects.all().delete()
        with rescoring.paused():
            for period in world.periods:
                score_period(period, force=True)
            score_year(2026)
        fresh = {
            row.civil_servant_id: (row.score, row.rating)
            for row in AnnualScore.objects.filter(year=2026)
        }
        transaction.set_rollback(True)
    return fresh


def _write(world, action, person, period, value, step):
    with transaction.atomic():  # the door's own transaction
        if action == "add":
            world.line(person, "XY"[value % 2], value + 1, value % 2, period=period)
        elif action == "change":
            line = AssignmentLine.objects.filter(civil_servant=person, period=period).first()
            if line is not None:
                line.completed_quantity = Decimal(min(value, int(line.assigned_quantity)))
                line.save()
        elif action == "delete":
            lines = AssignmentLine.objects.filter(civil_servant=person, period=period)
            if lines.count() > 1:
                lines.last().delete()
        elif action == "marks":
            mark = GeneralCriteriaMark.objects.filter(civil_servant=person, period=period).first()
            if mark is not None:
                mark.evaluator_mark = Decimal(value)
                mark.save()
        else:
            found = Disqualification.objects.filter(civil_servant=person, year=2026)
            if found.exists():
                found.get().delete()
            else:
                Disqualification.objects.create(
                    civil_servant=person,
                    year=2026,
                    kind="discipline_reprimand_or_heavier",
                    reference=f"QĐ {step}",
                    decided_on=datetime.date(2026, 6, 1),
                )


def _use(world, action, person):
    """Returns the figures the use read, or None when it was refused with the reason."""
    if action == "decide":
        refusal = freshness.annual_refusal(person.pk, 2026, "quyết định xếp loại")
        if refusal:
            assert REFUSED in refusal
            return None
        row = AnnualScore.objects.get(civil_servant=person, year=2026)
        return {person.pk: (row.score, row.rating)}
    if action == "print":
        try:
            row = freshness.fresh_annual(person, 2026, "in Phiếu 02")
        except freshness.StaleFigureError as error:
            assert REFUSED in error.reason
            return None
        return {person.pk: (row.score, row.rating)}
    refusal = annual_export_refusal(world.department, 2026)
    if refusal:
        assert "Chưa xuất được" in refusal and "đang được tính lại" in refusal
        return None
    return {
        row.civil_servant_id: (row.score, row.rating)
        for row in AnnualScore.objects.filter(year=2026)
    }


def _worker(action, value):
    if action == "run_one":
        waiting = list(
            ScoringRun.objects.filter(status="queued").order_by("id").values_list("pk", flat=True)
        )
        if waiting:
            rescoring.run(waiting[value % len(waiting)])
    else:
        freshness.refresh_derived(rounds=1)


@override_settings(TASKS=DATABASE_QUEUE)
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=steps)
def test_every_figure_used_equals_its_recomputation_or_is_refused(world, script):
    with transaction.atomic():  # each example from the same world
        used = refused = 0
        for step, (action, who, which, value) in enumerate(script):
            person, period = world.staff[who], world.periods[which]
            if action in WRITES:
                _write(world, action, person, period, value, step)
            elif action in WORKER:
                _worker(action, value)
            else:
                figures = _use(world, action, person)
                if figures is None:
                    refused += 1
                    continue
                used += 1
                fresh = _from_scratch(world)
                assert figures == {key: fresh[key] for key in figures}, (script, step)
        transaction.set_rollback(True)
