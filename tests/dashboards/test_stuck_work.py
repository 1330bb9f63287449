"""Stuck work is visible and recovers (issue 28): the period close's final scoring survives a
worker killed while it runs (reliability review M3, F4); the health endpoint and Sở Nội vụ's
page report what waits and since when (G6)."""

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from scoring.models import PeriodScore, PeriodStatus, RunStatus, ScoringRun
from scoring.services import rescoring, score_period, sweeper
from tests.dashboards.test_period_close import close_url
from tests.dashboards.test_period_close import world as close_world  # noqa: F401 (fixture)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(close_world):  # noqa: F811
    return close_world


class _LostEnqueue:
    """``run_scoring_task`` whose enqueue fails: the close's request or worker died there."""

    def __init__(self, real):
        self.real = real

    def enqueue(self, *args, **kwargs):
        raise RuntimeError("worker killed")

    def __getattr__(self, name):
        return getattr(self.real, name)


def _scores(period):
    return dict(PeriodScore.objects.filter(period=period).values_list("civil_servant_id", "total"))


def test_the_final_scoring_of_a_close_recovers_when_its_worker_dies(client, world, monkeypatch):
    """F4: both workers killed during the close's final scoring; the task row stayed RUNNING
    for ever and nothing re-ran it. Now the final scoring is a run: lost, it is queued again
    by the sweep; killed while running, it goes back to the queue; the stored scores equal a
    from-scratch forced scoring of the closed period."""
    monkeypatch.setattr(rescoring, "run_scoring_task", _LostEnqueue(rescoring.run_scoring_task))
    client.force_login(world.home_affairs)
    client.post(close_url(world.period), {"confirm": "on"})
    monkeypatch.undo()
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.CLOSED
    final = ScoringRun.objects.get(final=True)
    assert final.status == RunStatus.QUEUED and not PeriodScore.objects.exists()

    # The worker then dies while running it: the next worker (or sweep) puts it back.
    ScoringRun.objects.filter(pk=final.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert sweeper.sweep()["runs_recovered"] == [final.pk]
    final.refresh_from_db()
    assert final.status == RunStatus.DONE and final.written > 0
    stored = _scores(world.period)
    PeriodScore.objects.filter(period=world.period).delete()
    score_period(world.period, force=True)
    assert _scores(world.period) == stored


def test_health_endpoint_and_admin_page_report_stuck_work(client, world):
    ok = client.get("/healthz/work")
    assert ok.status_code == 200 and ok.json()["status"] == "ok"

    dead = ScoringRun.objects.create(period=world.period, reason="Nhập Excel, lần nhập số 7")
    ScoringRun.objects.filter(pk=dead.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    response = client.get("/healthz/work")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "stuck"
    assert body["items"]["runs_without_task"] == {
        "count": 1,
        "oldest_age_seconds": pytest.approx(3600, abs=60),
        "stuck": True,
    }
    assert "Nhập Excel" not in response.content.decode()  # counts and ages only

    client.force_login(world.home_affairs)
    page = client.get(reverse("dashboards_stuck_work")).content.decode()
    assert 'id="stuck-work-alarm"' in page and "Lượt tính điểm mất việc nền" in page
    assert "Nhập Excel, lần nhập số 7" in page
    sweeper.sweep()  # the sweep queues it again and it runs
    page = client.get(reverse("dashboards_stuck_work")).content.decode()
    assert 'id="stuck-work-ok"' in page
    assert client.get("/healthz/work").status_code == 200

    client.force_login(UserFactory(username="not.home.affairs"))
    response = client.get(reverse("dashboards_stuck_work"))
    assert response.status_code in (302, 403)


def test_a_leaders_run_held_for_its_window_is_listed_as_waiting_not_retrying(world):
    """Issue 48 (review): a leaders' run held ``KPI_LEADERS_WINDOW_SECONDS`` has a
    ``next_attempt_at`` in the future, like a failed run waiting for its retry; it is listed
    among the runs waiting, not among the failed ones."""
    from dashboards.stuck_work import _run_items

    now = timezone.now()
    ScoringRun.objects.all().delete()
    ScoringRun.objects.create(
        period=world.period,
        people=[1],
        leaders=True,
        reason="Lãnh đạo cấp trên",
        next_attempt_at=now + datetime.timedelta(seconds=60),
    )
    counts = {item.key: item.count for item in _run_items(now)}
    assert counts["runs_queued"] == 1 and counts["runs_retrying"] == 0
