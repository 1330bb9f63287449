"""The case list's "Lập hồ sơ" runs in the background (``ratings.tasks``): a whole province's
cases took longer than production's 60 s a request (about 7 ms a case, 12 minutes for 100,000
people), so the request only asks, and the person follows the job on the same page."""

import datetime
import html
import re

import pytest

from django.urls import reverse
from django.utils import timezone

from cms import jobs
from cms.models import JobStatus
from ratings import tasks
from ratings.models import CaseOpening, CaseTransition, RatingCase
from ratings.services import cases
from ratings.services.cases import open_civil_servant_case
from scoring.models import AnnualScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world, client):
    for n in range(3):
        world.staff(f"Người Thứ {n}", 80 + n, username=f"nguoi{n}")
    client.force_login(world.users["quantri"])
    return world, client


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode())).split())


def panel(client) -> str:
    page = text(client.get(reverse("ratings_cases"), {"year": 2026}))
    return page[page.index("Các lượt lập hồ sơ gần đây của bạn") :]


def test_the_request_asks_and_the_worker_opens(setup, django_capture_on_commit_callbacks):
    world, client = setup
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("ratings_open"), {"year": 2026}, follow=True)
    # The request answered without opening anything: the job waits for the worker.
    assert "Đã nhận yêu cầu lập hồ sơ năm 2026 (Sở Thử nghiệm)" in text(response)
    assert "tiến độ và kết quả hiện ở mục “Lập hồ sơ xếp loại” của trang này" in text(response)
    assert not RatingCase.objects.filter(year=2026).exists()
    assert "2026 Sở Thử nghiệm Đang chờ Đang chờ máy xử lý nền." in panel(client)
    job = CaseOpening.objects.get()
    assert (job.requested_by, job.year, job.root_ids) == (
        world.users["quantri"],
        2026,
        [world.department.pk],
    )
    # The worker takes it (here the task runs at once when its enqueue does).
    for callback in queued:
        callback()
    job.refresh_from_db()
    created = RatingCase.objects.filter(year=2026).count()
    scored = AnnualScore.objects.filter(year=2026, agency__path__startswith=world.department.path)
    assert job.status == JobStatus.DONE and job.done == job.total == scored.count() + 3
    assert created == scored.count() + 3  # every person, the department and its two units
    assert (
        f"2026 Sở Thử nghiệm Đã xong Đã tạo {created} hồ sơ; 0 hồ sơ đã có; 0 người chưa đủ "
        "dữ liệu để xếp loại." in panel(client)
    )
    assert not RatingCase.objects.filter(agency=world.other_department).exists()


def test_a_second_request_waits_for_the_first(setup, django_capture_on_commit_callbacks):
    _world, client = setup
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("ratings_open"), {"year": 2026})
        again = client.post(reverse("ratings_open"), {"year": 2026}, follow=True)
    at = timezone.localtime(CaseOpening.objects.get().created_at).strftime("%d/%m/%Y %H:%M")
    assert (
        f"Lượt lập hồ sơ năm 2026 bạn yêu cầu lúc {at} chưa xong; kết quả hiện ở mục “Lập hồ sơ "
        "xếp loại” khi xong." in text(again)
    )
    assert CaseOpening.objects.count() == 1


def annual(world, name):
    return AnnualScore.objects.get(civil_servant=world.people[name], year=2026)


def test_cases_opened_by_an_earlier_attempt_count_as_this_jobs(setup, monkeypatch):
    """An attempt that stopped halfway: the attempt that finishes finds some cases already
    there, yet the job says how many it created in all, and how many were there before it."""
    world, _client = setup
    before = open_civil_servant_case(annual(world, "Người Thứ 0"))[0]
    job = tasks.start_opening(world.users["quantri"], 2026, [world.department])

    def halfway(year, root, user, progress):
        open_civil_servant_case(annual(world, "Người Thứ 1"), user=user)
        raise RuntimeError("the worker was stopped")

    monkeypatch.setattr(tasks, "open_cases", halfway)
    assert tasks.run_opening(job.pk) == JobStatus.FAILED
    monkeypatch.undo()
    CaseOpening.objects.filter(pk=job.pk).update(next_attempt_at=None)
    assert tasks.run_opening(job.pk) == JobStatus.DONE
    job.refresh_from_db()
    total = RatingCase.objects.filter(year=2026).count()
    assert (job.created_count, job.existing_count, job.attempts) == (total - 1, 1, 2)
    assert before.created_by is None


def test_opening_many_at_once_gives_way_to_another_opening(setup, monkeypatch):
    """The people are opened many at a time; should another opening write one of them
    meanwhile, that one counts as already there and the others are still opened."""
    world, _client = setup
    build = cases._civil_servant_case
    other = annual(world, "Người Thứ 2")

    def meanwhile(annual_score, user, today, *rater):
        if annual_score.civil_servant_id == world.people["Người Thứ 1"].pk:
            open_civil_servant_case(other)  # another opening, committed first
        return build(annual_score, user, today, *rater)

    monkeypatch.setattr(cases, "_civil_servant_case", meanwhile)
    report = cases.open_cases(2026, world.unit, user=world.users["quantri"])
    mine = RatingCase.objects.filter(year=2026, created_by=world.users["quantri"])
    assert other.civil_servant_id not in set(mine.values_list("civil_servant_id", flat=True))
    assert len(report.created) == mine.count() and report.existing == 1
    scored = AnnualScore.objects.filter(year=2026, agency__path__startswith=world.unit.path)
    assert RatingCase.objects.filter(year=2026, kind="civil_servant").count() == scored.count()
    assert set(
        CaseTransition.objects.filter(action="open").values_list("case_id", flat=True)
    ) == set(RatingCase.objects.filter(year=2026).values_list("pk", flat=True))


def test_a_failure_is_tried_again_then_given_up(setup, monkeypatch):
    world, client = setup

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(tasks, "open_cases", broken)
    job = tasks.start_opening(world.users["quantri"], 2026, [None])
    assert tasks.run_opening(job.pk) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 1
    assert job.last_error == "RuntimeError: the database went away"
    again = timezone.localtime(job.next_attempt_at).strftime("%d/%m/%Y %H:%M")
    assert (
        f"2026 toàn tỉnh Đang chờ Lần thử trước không thành công; hệ thống tự thử lại lúc {again}."
        in panel(client)
    )
    for _attempt in range(2, tasks.POLICY.max_attempts + 1):
        CaseOpening.objects.filter(pk=job.pk).update(next_attempt_at=None)
        tasks.run_opening(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == tasks.POLICY.max_attempts
    assert "Không thành công sau 5 lần thử. Hồ sơ đã lập được giữ nguyên" in panel(client)
    # "Thử lại ngay" on Việc chạy nền: back to the queue, and it now runs through
    monkeypatch.undo()
    assert tasks.retry(world.users["sonoivu"], job)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.last_error
    assert RatingCase.objects.filter(year=2026).count() == job.created_count > 0


def test_the_sweep_queues_again_a_job_whose_worker_stopped(setup, monkeypatch):
    world, _client = setup
    monkeypatch.setattr(jobs, "database_queue", lambda: True)
    monkeypatch.setattr(jobs, "queued_task_ids", lambda ids: set())
    sent = []
    monkeypatch.setattr(tasks, "enqueue", sent.append)
    lost = tasks.start_opening(world.users["quantri"], 2026, [world.unit])
    stopped = tasks.start_opening(world.users["sonoivu"], 2026, [None])
    waiting = tasks.start_opening(world.users["quantri"], 2027, [world.unit])
    now = timezone.now()
    long_ago = now - datetime.timedelta(hours=1)
    CaseOpening.objects.filter(pk=lost.pk).update(updated_at=long_ago)
    CaseOpening.objects.filter(pk=stopped.pk).update(
        status=JobStatus.RUNNING, attempts=1, updated_at=long_ago
    )
    # failed a moment ago, tried again in five minutes: not yet
    CaseOpening.objects.filter(pk=waiting.pk).update(
        updated_at=now - datetime.timedelta(minutes=2),
        next_attempt_at=now + datetime.timedelta(minutes=5),
    )
    assert sorted(tasks.sweep_openings(now)["requeued"]) == sorted([lost.pk, stopped.pk])
    assert sorted(sent) == sorted([lost.pk, stopped.pk])
    stopped.refresh_from_db()
    assert stopped.status == JobStatus.QUEUED
    # /healthz/work: the live ones, stuck once unchanged for long
    line = next(i for i in jobs.health_items(now) if i.key == "case_openings_live")
    assert line.count == 3 and line.stuck  # the two above had not moved for an hour
    CaseOpening.objects.filter(pk__in=[lost.pk, stopped.pk]).update(updated_at=now)
    line = next(i for i in jobs.health_items(now) if i.key == "case_openings_live")
    assert line.count == 3 and not line.stuck
    later = now + tasks.HEALTH_WAIT + datetime.timedelta(minutes=1)
    assert next(i for i in jobs.health_items(later) if i.key == "case_openings_live").stuck


def test_the_listing_of_background_jobs_names_the_opening(setup):
    world, _client = setup
    job = tasks.start_opening(world.users["quantri"], 2026, [world.department])
    kind = jobs.KINDS["case_openings"]
    assert kind.describe(job) == "Lập hồ sơ xếp loại năm 2026: Sở Thử nghiệm, 0/0"
    assert kind.url(job, world.users["quantri"]) == (
        f"{reverse('ratings_cases')}?year=2026#open-cases"
    )
    assert kind.url(job, world.users["nguoi0"]) is None  # a civil servant opens no cases


def test_home_affairs_sends_a_failed_opening_back_from_the_listing(setup, client, monkeypatch):
    """Việc chạy nền lists the opening that gave up, with "Thử lại ngay"; pressing it runs
    the opening again (here at once: no database queue)."""
    world, _client = setup

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(tasks, "open_cases", broken)
    job = tasks.start_opening(world.users["quantri"], 2026, [world.department])
    for _attempt in range(tasks.POLICY.max_attempts):
        CaseOpening.objects.filter(pk=job.pk).update(next_attempt_at=None)
        tasks.run_opening(job.pk)
    monkeypatch.undo()
    client.force_login(world.users["sonoivu"])
    listing = text(client.get(reverse("dashboards_background_jobs"), {"loai": "case_openings"}))
    assert "Lập hồ sơ xếp loại năm 2026: Sở Thử nghiệm" in listing
    assert "Không thành công" in listing and "RuntimeError: the database went away" in listing
    assert "Thử lại ngay" in listing
    url = reverse("dashboards_background_job_retry", args=["case_openings", job.pk])
    response = client.post(url, follow=True)
    assert "Đã đưa “Lập hồ sơ xếp loại năm 2026: Sở Thử nghiệm" in text(response)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.created_count > 0
    # the agency's own HR, who asked, opens cases but does not see the listing: refused
    client.force_login(world.users["quantri"])
    response = client.post(url, follow=True)
    assert response.redirect_chain[0][0] == reverse("wagtailadmin_home")
    assert "Bạn không có quyền truy cập" in text(response)
