"""Annual scores follow their period scores without a shell (issue 28; legal review D2,
reliability review M4): a stored period score that changes marks the person's year stale in
the same transaction, and the background refresh brings the year up to date — equal to a
from-scratch recomputation — even when its enqueue failed once."""

import datetime
import io
from decimal import Decimal

import pytest

from django.db import transaction

from scoring.models import AnnualScore, PeriodScore, StaleFigure, StaleKind
from scoring.services import freshness, rescoring, score_period, score_year
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    # Everything inside one captured "commit": a test transaction never commits, and the
    # refresh is queued once per transaction.
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
        with rescoring.paused():
            person = world.person("Trần Văn Bình")
            world.full_month(person, total=27)
        score_period(world.period)
    assert AnnualScore.objects.filter(year=2026).count() == 1  # the refresh made the year
    return world


def _from_scratch(year):
    """Every annual score of ``year`` recomputed from the period scores alone."""
    stored = {
        row.civil_servant_id: (row.score, row.rating, row.months_worked)
        for row in AnnualScore.objects.filter(year=year)
    }
    with transaction.atomic():
        AnnualScore.objects.filter(year=year).delete()
        score_year(year)
        fresh = {
            row.civil_servant_id: (row.score, row.rating, row.months_worked)
            for row in AnnualScore.objects.filter(year=year)
        }
        transaction.set_rollback(True)
    return stored, fresh


def test_a_changed_month_moves_the_year(world, django_capture_on_commit_callbacks):
    person = world.people["Trần Văn Bình"]
    before = AnnualScore.objects.get(civil_servant=person, year=2026)
    assert not StaleFigure.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        # An integration system pushes a line not done: the month falls.
        world.line(person, "X", 2, 0)
    month = PeriodScore.objects.get(civil_servant=person, period=world.period)
    after = AnnualScore.objects.get(civil_servant=person, year=2026)
    assert after.score == month.total and after.score < before.score
    assert not StaleFigure.objects.exists()
    stored, fresh = _from_scratch(2026)
    assert stored == fresh


def test_the_mark_is_written_with_the_period_score(world):
    """No commit, no job: the mark is there in the same transaction as the new period score."""
    person = world.people["Trần Văn Bình"]
    with rescoring.paused():
        world.line(person, "X", 2, 0)
    score_period(world.period)
    mark = StaleFigure.objects.get()
    assert (mark.kind, mark.year, mark.subject_id) == (StaleKind.ANNUAL, 2026, person.pk)
    assert freshness.annual_stale_since(person.pk, 2026) == mark.since
    assert "Đang tính lại" in freshness.label(mark.since)


class _Failing:
    """A task whose enqueue fails (the database dropped the connection at that statement)."""

    def __init__(self, real, calls):
        self.real, self.calls = real, calls

    def enqueue(self, *args, **kwargs):
        self.calls.append(args)
        raise RuntimeError("connection lost")

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_failed_enqueue_is_recovered_by_the_sweep(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """The refresh's enqueue fails once (a database hiccup): the mark stays, the year is
    shown stale, and the next sweep queues it; the stored year then equals a from-scratch
    recomputation."""
    from scoring.services import sweeper

    person = world.people["Trần Văn Bình"]
    calls = []
    monkeypatch.setattr(
        freshness, "refresh_derived_task", _Failing(freshness.refresh_derived_task, calls)
    )
    with django_capture_on_commit_callbacks(execute=True):
        world.line(person, "X", 2, 0)
    assert calls and StaleFigure.objects.filter(subject_id=person.pk).exists()
    annual = AnnualScore.objects.get(civil_servant=person, year=2026)
    month = PeriodScore.objects.get(civil_servant=person, period=world.period)
    assert annual.score != month.total  # stale, and said so
    assert freshness.annual_refusal(person.pk, 2026) is not None
    monkeypatch.undo()
    report = sweeper.sweep()
    assert report["refresh"] is True
    annual.refresh_from_db()
    assert annual.score == month.total and not StaleFigure.objects.exists()
    stored, fresh = _from_scratch(2026)
    assert stored == fresh


def test_the_daily_sweep_reconciles_a_disqualification(world):
    """A reprimand is read live by the rating ceiling; the stored provisional rating follows at
    the daily reconciliation (kpi-daily: ``sweep_background_work --daily``)."""
    from django.core.management import call_command

    from scoring.models import Disqualification

    person = world.people["Trần Văn Bình"]
    Disqualification.objects.create(
        civil_servant=person,
        year=2026,
        kind="discipline_reprimand_or_heavier",
        reference="03/QĐ-KL",
        decided_on=datetime.date(2026, 3, 20),
    )
    call_command("sweep_background_work", "--daily", stdout=io.StringIO())
    annual = AnnualScore.objects.get(civil_servant=person, year=2026)
    assert annual.rating == "not_completed" and not StaleFigure.objects.exists()


def test_refresh_is_idempotent(world):
    with transaction.atomic():  # not committed here: the refresh below drains it
        freshness.mark_annual([(world.people["Trần Văn Bình"].pk, 2026)])
    first = freshness.refresh_derived()
    assert first["annual:2026"] == 0  # nothing changed: nothing rewritten
    assert not StaleFigure.objects.exists()
    assert Decimal(AnnualScore.objects.get().score) > 0


def test_a_future_period_gets_no_empty_rows(world):
    """UX review C11: the dashboards opened on Tháng 01/2027, a period not begun whose batch
    had written "not scored" rows for everyone."""
    from scoring.models import Period

    future = Period.for_date(datetime.date(2027, 1, 1), create=True)
    report = score_period(future)
    assert report.written == 0
    assert not PeriodScore.objects.filter(period=future).exists()
    person = world.people["Trần Văn Bình"]
    from scoring.services import score_person

    assert score_person(person, future) is None
    assert not PeriodScore.objects.filter(period=future).exists()


def test_the_dashboard_opens_on_the_latest_period_with_results(world):
    from dashboards.admin_views import _period
    from scoring.models import Period

    future = Period.for_date(datetime.date(2027, 1, 1), create=True)
    PeriodScore.objects.create(
        **{
            f.attname: getattr(PeriodScore.objects.get(period=world.period), f.attname)
            for f in PeriodScore._meta.concrete_fields
            if not f.primary_key and f.attname != "period_id"
        }
        | {"period_id": future.pk, "scored": False}
    )

    class _Request:
        GET = {}

    assert _period(_Request()) == world.period


def test_marking_a_provinces_year_is_one_statement(world, django_assert_max_num_queries):
    """A month's batch marks the year of every person it wrote: one ``INSERT … SELECT`` per
    year whatever the head count (it was 20,000 model rows), every mark written once with the
    reason and the time, and ``None`` (everyone) kept."""
    people = list(range(1_000_000, 1_002_500))
    pairs = [(person, 2026) for person in people] + [(people[0], 2026), (None, 2025)]
    with django_assert_max_num_queries(2):  # one per year
        written = freshness.mark_annual(pairs, reason="Kết quả kỳ đánh giá thay đổi")
    assert written == len(people) + 1
    marks = StaleFigure.objects.filter(kind=StaleKind.ANNUAL)
    assert sorted(marks.filter(year=2026).values_list("subject_id", flat=True)) == people
    assert list(marks.filter(year=2025).values_list("subject_id", flat=True)) == [None]
    assert set(marks.values_list("reason", flat=True)) == {"Kết quả kỳ đánh giá thay đổi"}
    assert marks.values("since").distinct().count() == 1
    assert freshness.annual_stale_since(people[-1], 2026) is not None
    assert freshness.annual_stale_since(12345, 2025) is not None  # the year's mark for all
