"""Scores follow their inputs in the background (issue 13, "Scores without a shell"): a saved
input queues a run for the people concerned once its transaction commits, the task worker
rescores them, and nothing is queued for a closed period or a rolled-back change."""

import datetime
from decimal import Decimal

import pytest

from django.db import transaction

from scoring.models import GeneralCriteriaMark, PeriodScore, PeriodStatus, RunStatus, ScoringRun
from scoring.services import rescoring
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    with rescoring.paused():
        world.person("Trần Văn Bình")
        world.full_month(world.people["Trần Văn Bình"], total=27)
    return world


def test_saved_marks_rescore_the_person_once_the_change_commits(
    world, django_capture_on_commit_callbacks
):
    person = world.people["Trần Văn Bình"]
    assert not PeriodScore.objects.filter(civil_servant=person).exists()
    with django_capture_on_commit_callbacks(execute=True):
        mark = GeneralCriteriaMark.objects.get(civil_servant=person, criterion="I.1")
        mark.evaluator_mark = Decimal("4")
        mark.save()
        # Several changes of one transaction make one run.
        world.line(person, "X", 2, 2)
    run = ScoringRun.objects.get()
    assert (run.status, run.people, run.agency) == (RunStatus.DONE, [person.pk], world.unit)
    assert run.finished_at is not None and run.written == 1
    score = PeriodScore.objects.get(civil_servant=person, period=world.period)
    assert score.scored and score.total is not None


def test_a_rolled_back_change_queues_nothing(world, django_capture_on_commit_callbacks):
    person = world.people["Trần Văn Bình"]
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        world.line(person, "X", 2, 2)
        raise RuntimeError("rolled back")
    assert not ScoringRun.objects.exists()


def test_a_closed_period_is_not_rescored(world, django_capture_on_commit_callbacks):
    world.period.status = PeriodStatus.CLOSED
    world.period.save()
    person = world.people["Trần Văn Bình"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        rescoring.request_rescore(world.period, people=[person.pk], reason="Sửa điểm")
    assert not ScoringRun.objects.exists()


def test_requests_while_the_worker_is_busy_are_merged_into_one_run(world):
    """The worker is busy: each request writes its own run in its own transaction (never a
    lock on a run another request may hold); the worker that takes one merges the others of
    the same period and agency into it — a whole-agency request makes it a run for everyone."""
    other = world.person("Lê Thị Cúc")
    first = world.people["Trần Văn Bình"]
    ScoringRun.objects.all().delete()  # the world's own runs
    queued = ScoringRun.objects.create(
        period=world.period,
        agency=world.unit,
        people=[first.pk],
        people_count=1,
        reason="x",
        task_id="task-in-the-queue",
    )
    second = ScoringRun.objects.create(
        period=world.period, agency=world.unit, people=[other.pk], people_count=1, reason="y"
    )
    assert rescoring._absorb(queued) == [second.pk]
    assert queued.people == sorted([first.pk, other.pk])
    second.refresh_from_db()
    assert second.status == RunStatus.DONE and f"số {queued.pk}" in second.message
    everyone = ScoringRun.objects.create(
        period=world.period, agency=world.unit, people=[], people_count=0, reason="z"
    )
    assert rescoring._absorb(queued) == [everyone.pk]
    assert queued.people == []


def _wanted(people):
    wanted = rescoring._Wanted("thử", None)
    wanted.people = set(people)
    return wanted


def test_a_run_is_carried_out_once(world):
    run = ScoringRun.objects.create(
        period=world.period, agency=world.unit, reason="Nhập Excel, lần nhập số 1"
    )
    assert rescoring.run(run.pk) == RunStatus.DONE
    assert rescoring.run(run.pk) == "skipped"
    run.refresh_from_db()
    assert run.people_count == 1 and run.written == 1


def test_a_committed_import_rescores_its_agency(world, django_capture_on_commit_callbacks):
    """The import pipeline asks for its agency and period (the Excel path has no model
    signals): after the commit the person's score exists without anyone running a command."""
    person = world.people["Trần Văn Bình"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        rescoring.request_rescore(world.period, agency=world.department, reason="Nhập Excel")
    run = ScoringRun.objects.get()
    assert run.status == RunStatus.DONE and run.agency == world.department
    assert PeriodScore.objects.filter(civil_servant=person, period=world.period).exists()


def test_a_run_left_running_by_a_dead_worker_runs_again(world):
    """A worker killed mid-run wrote nothing (one transaction) and its row is no longer locked:
    the next worker queues it again and it completes (issue 17, a worker killed mid scoring)."""
    import datetime

    from django.utils import timezone

    stale = ScoringRun.objects.create(
        period=world.period,
        agency=world.unit,
        reason="Nhập Excel, lần nhập số 2",
        status=RunStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=3),
    )
    fresh = ScoringRun.objects.create(
        period=world.period,
        agency=world.department,
        reason="vừa nhận",
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
    )
    assert rescoring.recover_interrupted_runs() == [stale.pk]
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == RunStatus.DONE and "dừng giữa chừng" in stale.message
    assert fresh.status == RunStatus.RUNNING  # claimed seconds ago: maybe alive


def test_a_worker_restarted_at_once_waits_out_the_claim_grace(world, monkeypatch):
    """The supervisor restarts a killed worker within seconds: the run it left, claimed less
    than CLAIM_GRACE ago, is checked again once the grace has passed instead of staying
    "running" until the next restart (found by scripts/ci-production.sh, fault "scoring")."""
    from django.utils import timezone

    slept = []
    monkeypatch.setattr(rescoring.time, "sleep", slept.append)
    young = ScoringRun.objects.create(
        period=world.period,
        agency=world.unit,
        reason="vừa nhận",
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
    )
    assert rescoring.recover_interrupted_runs(wait=True) == [young.pk]
    assert slept and 0 < slept[0] <= rescoring.CLAIM_GRACE.total_seconds()
    young.refresh_from_db()
    assert "dừng giữa chừng" in young.message


# --- leaders above the rescored people (issue 13 item 4; Decree 335 Art. 15 cl. 1-3 [confirmed]:
# a leader's d counts the ratings of the people in their charge, their a, b, c those people's
# lines under task_method.leader_lines = own_and_charge [inferred]).


@pytest.fixture
def tree(world):
    """Sở: Giám đốc (head), Phó Giám đốc in charge of the unit; Phòng: Trưởng phòng and two
    staff; a second staff member in the department itself. Everyone scored by a full batch."""
    import datetime

    from org.models import DeputyCharge, LeadershipRole
    from scoring.services import score_period

    with rescoring.paused():
        director = world.person("Giám đốc", agency=world.department, role=LeadershipRole.HEAD)
        deputy = world.person("Phó Giám đốc", agency=world.department, role=LeadershipRole.DEPUTY)
        head = world.person("Trưởng phòng", role=LeadershipRole.HEAD)
        world.person("Chuyên viên sở", agency=world.department)
        for name in ("Giám đốc", "Phó Giám đốc", "Trưởng phòng", "Chuyên viên sở"):
            world.full_month(world.people[name], total=28)
        for leader in (director, deputy, head):
            world.leader_marks(leader)
        charge = DeputyCharge.objects.create(
            deputy=deputy, start_date=datetime.date(2026, 1, 1), decision_ref="12/QĐ"
        )
        charge.units.set([world.unit])
        charge.save()
        score_period(world.period)
    return world


def scores(world, *names):
    return {
        name: PeriodScore.objects.get(civil_servant=world.people[name], period=world.period)
        for name in names
    }


LEADERS = ("Trưởng phòng", "Phó Giám đốc", "Giám đốc")


def test_a_line_change_rescores_the_leaders_above_in_the_same_run(
    tree, django_capture_on_commit_callbacks
):
    staff = tree.people["Trần Văn Bình"]
    before = scores(tree, *LEADERS, "Chuyên viên sở")
    assert all(s.rating == "excellent" and s.unit_results == 100 for s in before.values()
               if s.unit_results is not None)  # fmt: skip
    ScoringRun.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        # 4 assigned, none done: the staff member falls to "not completed".
        tree.line(staff, "X", 4, 0)
    run = ScoringRun.objects.get()
    people = {name: p.pk for name, p in tree.people.items()}
    assert run.status == RunStatus.DONE and run.people == [staff.pk]
    # The unit head, then the deputy in charge of the unit and the director — bottom-up.
    assert run.leaders_above[0] == people["Trưởng phòng"]
    assert set(run.leaders_above) == {people[n] for n in LEADERS}
    assert run.leaders_above.index(people["Phó Giám đốc"]) < run.leaders_above.index(
        people["Giám đốc"]
    )
    assert run.people_count == 4
    after = scores(tree, *LEADERS, "Chuyên viên sở")
    assert PeriodScore.objects.get(civil_servant=staff).rating == "not_completed"
    for name in LEADERS:
        # d counts the staff member's rating; a counts their lines.
        assert after[name].unit_results == Decimal("50.00"), name
        assert after[name].total < before[name].total, name
        assert after[name].computed_at > before[name].computed_at
    # Someone the staff member does not count for is left alone.
    assert after["Chuyên viên sở"].computed_at == before["Chuyên viên sở"].computed_at


def test_an_import_of_the_unit_rescores_the_leaders_above_it(
    tree, django_capture_on_commit_callbacks
):
    staff = tree.people["Trần Văn Bình"]
    before = scores(tree, *LEADERS)
    with rescoring.paused():
        tree.line(staff, "X", 4, 0)
    ScoringRun.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        rescoring.request_rescore(tree.period, agency=tree.unit, reason="Nhập Excel")
    run = ScoringRun.objects.get()
    people = {name: p.pk for name, p in tree.people.items()}
    assert run.status == RunStatus.DONE and run.agency == tree.unit and run.people == []
    # The unit head is in the unit (the batch scored them); the leaders above come after.
    assert set(run.leaders_above) == {people["Phó Giám đốc"], people["Giám đốc"]}
    assert run.people_count == 2 + 2
    after = scores(tree, *LEADERS)
    for name in LEADERS:
        assert after[name].unit_results == Decimal("50.00"), name
        assert after[name].computed_at > before[name].computed_at


def test_leaders_above_leaves_out_leaders_who_do_not_count_the_person(tree):
    """A deputy whose charge is elsewhere, and the department's own staff, are not included."""
    people = {name: p.pk for name, p in tree.people.items()}
    above = rescoring.leaders_above(tree.period, [people["Chuyên viên sở"]])
    # The department's own staff member: the director counts them; the deputy's charge is
    # the unit, so not the deputy; the unit head neither.
    assert above == [people["Giám đốc"]]


def scored_one_by_one(monkeypatch) -> list[int]:
    """The ids of the people a run scores through ``score_person``, in order."""
    order: list[int] = []
    original = rescoring.score_person

    def recording(person, period, **kwargs):
        order.append(person.pk)
        return original(person, period, **kwargs)

    monkeypatch.setattr(rescoring, "score_person", recording)
    return order


def test_requested_people_and_the_leaders_above_are_scored_bottom_up(tree, monkeypatch):
    """A run asked for a staff member and the director: the unit head and the deputy in charge
    (leaders above the staff member) are scored between them, the director last."""
    people = {name: p.pk for name, p in tree.people.items()}
    order = scored_one_by_one(monkeypatch)
    run = ScoringRun.objects.create(
        period=tree.period,
        agency=tree.department,
        people=[people["Giám đốc"], people["Trần Văn Bình"]],
        reason="Sửa điểm",
    )
    assert rescoring.run(run.pk) == RunStatus.DONE
    run.refresh_from_db()
    assert set(run.leaders_above) == {people["Trưởng phòng"], people["Phó Giám đốc"]}
    assert order[0] == people["Trần Văn Bình"] and order[-1] == people["Giám đốc"]
    assert order.index(people["Trưởng phòng"]) < order.index(people["Giám đốc"])
    assert len(order) == 4


class _FailingTask:
    """``run_scoring_task`` whose enqueue fails (a connection drop at that INSERT)."""

    def __init__(self, real):
        self.real = real

    def enqueue(self, *args, **kwargs):
        raise RuntimeError("connection lost")

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_failed_enqueue_never_switches_rescoring_off(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """Reliability review H1 (F2e): the enqueue of a run fails once; the run stays queued with
    no task. The next change of the same agency and month does not join the dead run and
    queue nothing: it queues it again, and the scores equal a from-scratch computation. The
    sweeper does the same when no further change comes."""
    from scoring.services import score_period, sweeper

    person = world.people["Trần Văn Bình"]
    monkeypatch.setattr(rescoring, "run_scoring_task", _FailingTask(rescoring.run_scoring_task))
    with django_capture_on_commit_callbacks(execute=True):
        world.line(person, "X", 2, 2)
    dead = ScoringRun.objects.get()
    assert dead.status == RunStatus.QUEUED and not dead.task_id
    assert not PeriodScore.objects.filter(civil_servant=person).exists()
    monkeypatch.undo()
    # The sweep (every minute in each worker, and the daily job) finds it.
    assert sweeper.orphaned_runs(grace=datetime.timedelta(0)) == [dead]
    assert sweeper.requeue_orphaned_runs(grace=datetime.timedelta(0)) == [dead.pk]
    dead.refresh_from_db()
    assert dead.status == RunStatus.DONE
    stored = PeriodScore.objects.get(civil_servant=person, period=world.period).total
    with transaction.atomic():
        PeriodScore.objects.filter(period=world.period).delete()
        score_period(world.period)
        assert PeriodScore.objects.get(civil_servant=person, period=world.period).total == stored
        transaction.set_rollback(True)


def test_the_next_change_requeues_a_run_whose_enqueue_failed(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    person = world.people["Trần Văn Bình"]
    monkeypatch.setattr(rescoring, "run_scoring_task", _FailingTask(rescoring.run_scoring_task))
    with django_capture_on_commit_callbacks(execute=True):
        world.line(person, "X", 2, 2)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        world.line(person, "Y", 1, 1)
    # The new run takes the dead one in when the worker carries it out.
    dead, run = ScoringRun.objects.order_by("id")
    assert run.status == RunStatus.DONE and run.people == [person.pk]
    assert dead.status == RunStatus.DONE
    assert dead.message == f"Đã gộp vào lượt tính số {run.pk}."
    assert PeriodScore.objects.get(civil_servant=person, period=world.period).scored


def test_leaders_above_wait_for_the_runs_queued_behind_and_are_scored_once(tree):
    """Issue 48: a month-end brings one run per agency, and each used to rescore the leaders
    above — the province chairman over the whole province's lines — after its own people.
    While other runs of the period wait, a run passes its leaders above on to the period's
    leaders' run instead (one per tree, joined while it waits): the run says so, the leaders
    count as owed until it has run, and then the scores equal a from-scratch computation."""
    from scoring.services import freshness, score_period

    people = {name: p.pk for name, p in tree.people.items()}
    staff, own = tree.people["Trần Văn Bình"], tree.people["Chuyên viên sở"]
    with rescoring.paused():
        tree.line(staff, "X", 4, 0)
        tree.line(own, "X", 4, 0)
    before = scores(tree, *LEADERS)
    ScoringRun.objects.all().delete()
    first = ScoringRun.objects.create(
        period=tree.period, agency=tree.unit, people=[staff.pk], people_count=1, reason="a"
    )
    second = ScoringRun.objects.create(
        period=tree.period, agency=tree.department, people=[own.pk], people_count=1, reason="b"
    )

    assert rescoring.run(first.pk) == RunStatus.DONE
    first.refresh_from_db()
    leaders_run = ScoringRun.objects.get(leaders=True)
    assert leaders_run.status == RunStatus.QUEUED
    assert set(leaders_run.people) == {people[name] for name in LEADERS}
    assert leaders_run.agency_id == int(tree.unit.path.strip("/").split("/")[0])
    # The leaders owe the change the first run was asked for, from when it was asked.
    assert leaders_run.created_at == first.created_at
    assert first.leaders_above == [] and first.people_count == 1
    assert first.message == (
        f"Lãnh đạo cấp trên được tính lại trong lượt tính số {leaders_run.pk}, sau các lượt "
        "đang chờ."
    )
    # Not scored yet, and shown as owed meanwhile.
    waiting = scores(tree, *LEADERS)
    for name in LEADERS:
        assert waiting[name].computed_at == before[name].computed_at, name
        assert freshness.pending_run_since(people[name], tree.period.year) is not None, name
    # Owed where the leaders work, not across the province (its agency is the tree's root).
    from ratings.services.bonus import payroll_refusal
    from tests.factories import AgencyFactory

    second.delete()
    elsewhere = AgencyFactory(parent=tree.province, code="SKH", name="Sở Kế hoạch thử nghiệm")
    assert freshness.agency_pending_run_since(tree.department, tree.period.year) is not None
    assert freshness.agency_pending_run_since(elsewhere, tree.period.year) is None
    assert "Sở Nội vụ thử nghiệm" in payroll_refusal(tree.department, tree.period)
    assert payroll_refusal(elsewhere, tree.period) is None
    second = ScoringRun.objects.create(
        period=tree.period, agency=tree.department, people=[own.pk], people_count=1, reason="b"
    )

    # The last waiting run joins the leaders' run still waiting.
    assert rescoring.run(second.pk) == RunStatus.DONE
    second.refresh_from_db()
    assert second.leaders_above == [] and str(leaders_run.pk) in second.message

    assert rescoring.run(leaders_run.pk) == RunStatus.DONE
    leaders_run.refresh_from_db()
    assert leaders_run.people_count == 3
    after = scores(tree, *LEADERS)
    for name in LEADERS:
        assert after[name].computed_at > before[name].computed_at, name
        assert freshness.pending_run_since(people[name], tree.period.year) is None, name
    # Nothing left for a from-scratch computation to change.
    assert score_period(tree.period).written == 0


def test_a_run_for_many_people_of_a_unit_scores_the_unit_with_the_batch(tree, monkeypatch):
    """Issue 48: an API request or a document touching several people of a unit is one run;
    from ``BATCH_FROM`` people on it scores the unit with the batch (the subtree loaded once)
    instead of person by person, and the stored scores are the same: a from-scratch
    computation afterwards changes nothing. Fewer people go one by one."""
    from scoring.services import score_period

    with rescoring.paused():
        crew = [tree.people["Trần Văn Bình"]] + [
            tree.person(f"Chuyên viên {n}") for n in ("An", "Ba", "Tư")
        ]
        for person in crew:
            tree.line(person, "X", 4, 1)
    people = {name: p.pk for name, p in tree.people.items()}
    one_by_one = scored_one_by_one(monkeypatch)
    ScoringRun.objects.all().delete()
    few = ScoringRun.objects.create(
        period=tree.period, agency=tree.unit, people=[p.pk for p in crew[:3]], reason="a"
    )
    assert rescoring.run(few.pk) == RunStatus.DONE
    assert set(one_by_one) >= {p.pk for p in crew[:3]}  # three: one by one

    one_by_one.clear()
    many = ScoringRun.objects.create(
        period=tree.period, agency=tree.unit, people=[p.pk for p in crew], reason="b"
    )
    assert rescoring.run(many.pk) == RunStatus.DONE
    many.refresh_from_db()
    # The unit through the batch; only the leaders above the unit one by one.
    assert not {p.pk for p in crew} & set(one_by_one)
    assert {people["Phó Giám đốc"], people["Giám đốc"]} <= set(one_by_one)
    assert many.written >= 1 and many.people_count == 4 + len(many.leaders_above)
    # Each of them has the row of their new line (the newcomers have no marks yet: unscored).
    for person in crew:
        stored = PeriodScore.objects.get(civil_servant=person, period=tree.period)
        last = stored.explanation["lines"][-1]
        assert [Decimal(value) for value in last[2:4]] == [4, 1], person  # "4" or "4.00"
    assert score_period(tree.period).written == 0


def test_with_nothing_waiting_a_large_tree_holds_its_leaders_for_the_window(
    tree, monkeypatch, settings
):
    """Issue 48: a working day's changes come one at a time. In a tree of at least
    ``KPI_LEADERS_WINDOW_FROM`` people the leaders above go to a leaders' run held for
    ``KPI_LEADERS_WINDOW_SECONDS`` (on the database queue), which the next changes join; in a
    smaller tree, or with the window off, a run scores them itself."""
    import datetime

    from django.utils import timezone

    people = {name: p.pk for name, p in tree.people.items()}
    staff = tree.people["Trần Văn Bình"]
    queued = []
    monkeypatch.setattr(rescoring, "database_queue", lambda: True)
    monkeypatch.setattr(
        rescoring, "enqueue_run", lambda pk, run_after=None: queued.append((pk, run_after))
    )

    def one_run(person):
        with rescoring.paused():
            tree.line(person, "X", 4, 0)
        run = ScoringRun.objects.create(
            period=tree.period, agency=tree.unit, people=[person.pk], reason="x"
        )
        assert rescoring.run(run.pk) == RunStatus.DONE
        run.refresh_from_db()
        return run

    ScoringRun.objects.all().delete()
    settings.KPI_LEADERS_WINDOW_FROM = 10_000  # the tree is smaller: scored in the run
    assert one_run(staff).leaders_above and not ScoringRun.objects.filter(leaders=True).exists()

    settings.KPI_LEADERS_WINDOW_FROM = 1
    before = timezone.now()
    run = one_run(staff)
    held = ScoringRun.objects.get(leaders=True)
    assert run.leaders_above == [] and run.message == (
        f"Lãnh đạo cấp trên được tính lại trong lượt tính số {held.pk}, sau 60 giây để gộp "
        "các thay đổi tiếp theo."
    )
    assert set(held.people) == {people[name] for name in LEADERS}
    ((pk, run_after),) = queued
    assert pk == held.pk and run_after == held.next_attempt_at
    assert before + datetime.timedelta(seconds=60) <= run_after
    # The next change joins it; the held run then scores them once.
    other = one_run(tree.people["Chuyên viên sở"])
    assert other.leaders_above == [] and str(held.pk) in other.message
    assert "giây để gộp các thay đổi tiếp theo" in other.message  # joined while held
    assert len(queued) == 1
    assert rescoring.run(held.pk) == RunStatus.DONE
    from scoring.services import score_period

    assert score_period(tree.period).written == 0

    settings.KPI_LEADERS_WINDOW_SECONDS = 0  # off
    assert one_run(staff).leaders_above


def _head_also_of(tree, parent, code: str, name: str, staff: str):
    """The unit head ("Trưởng phòng") also heads a new unit ``code`` under ``parent`` (a
    concurrent post), with one staff member there whose month is not completed; returns them."""
    from org.models import LeadershipRole
    from tests.factories import PostingFactory, UnitFactory

    unit = UnitFactory(parent=parent, code=code, name=name)
    PostingFactory(
        civil_servant=tree.people["Trưởng phòng"],
        agency=unit,
        role=LeadershipRole.HEAD,
        is_concurrent=True,
    )
    outsider = tree.person(staff, agency=unit)
    tree.full_month(outsider, total=28)
    tree.line(outsider, "X", 4, 0)
    return outsider


@pytest.mark.parametrize("kind", ["people", "agency"])
def test_a_leader_whose_charge_reaches_outside_the_batch_is_scored_on_their_whole_charge(
    tree, kind
):
    """Review of issue 48 (helper, 27/11/2026): the batch of an agency loads its subtree only,
    so a unit head who also heads a unit of another department (a concurrent post) got
    criterion d and a, b, c without that unit's people — stored as done, never shown as owed.
    After the batch a run scores such leaders again on their whole charge, with the leaders
    above them: a from-scratch computation afterwards changes nothing. Both a run for many
    people of the department (the batch instead of one by one; the head is not above them)
    and an import's run of the whole department."""
    from scoring.services import score_period
    from tests.factories import AgencyFactory

    with rescoring.paused():
        other = AgencyFactory(parent=tree.province, code="SKH", name="Sở Kế hoạch thử nghiệm")
        # not completed: it counts in the head's d and a
        _head_also_of(tree, other, "SKH-P1", "Phòng Tổng hợp", "Chuyên viên phòng hai")
        crew = [tree.people["Chuyên viên sở"]] + [
            tree.person(f"Chuyên viên {n}", agency=tree.department) for n in ("An", "Ba", "Tư")
        ]
        score_period(tree.period)
        assert score_period(tree.period).written == 0
        for person in crew:
            tree.line(person, "X", 2, 2)
        tree.line(tree.people["Trần Văn Bình"], "X", 2, 2)  # under the head, in the unit
    ScoringRun.objects.all().delete()
    run = ScoringRun.objects.create(
        period=tree.period,
        agency=tree.department,
        people=[p.pk for p in crew] if kind == "people" else [],
        reason="x",
    )
    assert rescoring.run(run.pk) == RunStatus.DONE
    head = tree.people["Trưởng phòng"]
    window = rescoring.overlapping(tree.period.start_date, tree.period.end_date)
    assert rescoring.reaching_outside(tree.period, tree.department, window) == [head.pk]
    if kind == "people":
        assert head.pk not in rescoring.leaders_above(tree.period, [p.pk for p in crew])
    assert score_period(tree.period).written == 0


def _leaders_run(tree, names, agency=None):
    people = {name: p.pk for name, p in tree.people.items()}
    root = int(tree.unit.path.strip("/").split("/")[0])
    return ScoringRun.objects.create(
        period=tree.period,
        agency_id=agency.pk if agency is not None else root,
        people=sorted(people[name] for name in names),
        people_count=len(names),
        leaders=True,
        reason="Lãnh đạo cấp trên",
    )


def test_a_leaders_run_scores_its_leaders_from_one_reading_of_their_tree(tree, monkeypatch):
    """Issue 48 (the 100,000-person month-end, session 36): a leaders' run scored its leaders
    one by one, each reading their whole charge again — the chairman the province, each
    director their department — 0.7–1.3 s a leader, the month-end's longest runs. Now its
    leaders come from one reading of the tree (``score_period(…, only=…)``), bottom-up: the
    unit head's new rating reaches the deputy's and the director's d in the same run, nobody
    else is written, and a from-scratch computation afterwards changes nothing."""
    from scoring.services import score_period

    staff = tree.people["Trần Văn Bình"]
    with rescoring.paused():
        tree.line(staff, "X", 4, 0)  # not completed: the leaders' d and a fall
        score_period(tree.period, tree.unit, only=[staff.pk])
    before = scores(tree, *LEADERS, "Chuyên viên sở")
    order = scored_one_by_one(monkeypatch)
    ScoringRun.objects.all().delete()
    run = _leaders_run(tree, LEADERS)

    assert rescoring.run(run.pk) == RunStatus.DONE
    run.refresh_from_db()
    assert order == []  # none one by one
    assert (run.people_count, run.written, run.with_errors) == (3, 3, 0)
    after = scores(tree, *LEADERS, "Chuyên viên sở")
    for name in LEADERS:
        assert after[name].unit_results == Decimal("50.00"), name
        assert after[name].total < before[name].total, name
    assert after["Chuyên viên sở"].computed_at == before["Chuyên viên sở"].computed_at
    assert score_period(tree.period).written == 0


def test_only_scores_just_the_people_asked_for(tree):
    """``score_period(…, only=…)`` writes the people asked for and leaves the others of the
    scope as they were, even when their inputs changed (a leaders' run is not a batch)."""
    from scoring.services import score_period

    staff, own = tree.people["Trần Văn Bình"], tree.people["Chuyên viên sở"]
    with rescoring.paused():
        tree.line(staff, "X", 4, 0)
        tree.line(own, "X", 4, 0)
    before = scores(tree, "Chuyên viên sở", "Trần Văn Bình")
    report = score_period(tree.period, tree.department, only=[staff.pk])
    assert (report.people, report.written, report.scored) == (1, 1, [staff.pk])
    after = scores(tree, "Chuyên viên sở", "Trần Văn Bình")
    assert after["Trần Văn Bình"].rating == "not_completed"
    assert after["Chuyên viên sở"].computed_at == before["Chuyên viên sở"].computed_at
    # The runs still owed are not settled by it.
    owed = ScoringRun.objects.create(period=tree.period, people=[own.pk], reason="x")
    score_period(tree.period, None, only=[staff.pk])
    owed.refresh_from_db()
    assert owed.status == RunStatus.QUEUED


def test_a_leaders_run_leader_heading_in_another_tree_is_scored_on_their_whole_charge(
    tree, monkeypatch
):
    """The one reading is of the run's tree: a leader of the run who also heads a unit of
    another tree (a concurrent post) is scored again one by one on their whole charge, with
    the leaders above them; a from-scratch computation afterwards changes nothing."""
    from scoring.services import score_period
    from tests.factories import AgencyFactory

    with rescoring.paused():
        party = AgencyFactory(parent=None, code="TU", name="Tỉnh ủy thử nghiệm")
        # counts in the head's d and a
        outsider = _head_also_of(tree, party, "TU-VP", "Văn phòng Tỉnh ủy", "Chuyên viên văn phòng")
        tree.line(tree.people["Trần Văn Bình"], "X", 2, 2)
        score_period(tree.period, only=[outsider.pk, tree.people["Trần Văn Bình"].pk])
    order = scored_one_by_one(monkeypatch)
    ScoringRun.objects.all().delete()
    run = _leaders_run(tree, LEADERS)
    assert rescoring.run(run.pk) == RunStatus.DONE
    people = {name: p.pk for name, p in tree.people.items()}
    assert order[0] == people["Trưởng phòng"]
    assert set(order) == {people[name] for name in LEADERS}
    assert score_period(tree.period).written == 0


@pytest.mark.parametrize(("leader", "one_by_one"), [("Giám đốc", False), ("Trưởng phòng", True)])
def test_a_leaders_run_of_one_leader_reads_the_tree_when_they_lead_most_of_it(
    tree, monkeypatch, leader, one_by_one
):
    """June at 100,000 (session 36): a leaders' run of the chairman alone took 14.2 s one by
    one, as much as the tree's one reading. One leader leading at least half the tree's
    postings (the director: the whole department) comes from the one reading; one leading a
    small part of it (the unit head) one by one. The same figures either way."""
    from scoring.services import score_period

    staff = tree.people["Trần Văn Bình"]
    below = [tree.people["Trưởng phòng"].pk, tree.people["Phó Giám đốc"].pk]
    with rescoring.paused():
        tree.line(staff, "X", 4, 0)
        score_period(tree.period, only=[staff.pk] + (below if leader == "Giám đốc" else []))
    order = scored_one_by_one(monkeypatch)
    ScoringRun.objects.all().delete()
    run = _leaders_run(tree, [leader])
    assert rescoring.run(run.pk) == RunStatus.DONE
    # One by one: the unit head, then the leaders above them, as every run does.
    assert order[:1] == ([tree.people[leader].pk] if one_by_one else [])
    assert scores(tree, leader)[leader].unit_results == Decimal("50.00")
    assert score_period(tree.period).written == 0
