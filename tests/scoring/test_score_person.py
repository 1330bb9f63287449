"""score_person end to end from database rows: notes §7 case 1, case 3 and a leader."""

import dataclasses
from decimal import Decimal

import pytest

from django.db.models import F

from org.models import LeadershipRole
from scoring.explain import render_step
from scoring.models import DeductionKind, GeneralCriteriaMark, PeriodScore
from scoring.services import grant_exemption, record_deduction, score_person
from scoring.services.frameworks import FrameworkResolver
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def case_one(world, person):
    """6 X (k=1) and 2 Y (k=2) assigned; 6 X and 1 Y done; one X failed a review once and
    another X was late once; general marks 27."""
    x_line = world.line(person, "X", assigned=6, completed=6)
    world.line(person, "Y", assigned=2, completed=1)
    review = record_deduction(
        x_line, DeductionKind.REVIEW, note="Sai thể thức", decided_by="test-setup"
    )
    record_deduction(x_line, DeductionKind.DELAY, decided_by="test-setup")
    world.marks(person, 27)
    return x_line, review


def test_case_one_from_database_rows(world):
    person = world.person("Nguyễn Văn A")
    case_one(world, person)
    score = score_person(person, world.period)
    assert score.scored
    assert (score.quantity, score.quality, score.timeliness) == (
        Decimal("80.00"),
        Decimal("77.50"),
        Decimal("77.50"),
    )
    assert score.task_percent == Decimal("78.33")
    assert score.task_points == Decimal("54.83")
    assert score.general_points == Decimal("27.00")
    assert score.total == Decimal("81.83")
    assert score.rating == "good"
    assert score.framework.code == "nghi-dinh-335-mac-dinh"
    assert score.framework_revision_id == score.framework.live_revision_id
    assert score.catalog_version_ids == [world.version.pk]
    assert score.engine_version == "1.3.0"
    assert len(score.inputs_hash) == 64
    assert [s["code"] for s in score.explanation["steps"]][-2:] == ["period_total", "band"]
    assert len(score.explanation["lines"]) == 2


def test_case_three_exemption(world):
    person = world.person("Trần Thị B")
    _line, review = case_one(world, person)
    grant_exemption(
        review,
        reason="Văn bản hướng dẫn của Bộ thay đổi sau khi giao việc",
        decided_by="test-setup",
    )
    score = score_person(person, world.period)
    assert score.quality == Decimal("80.00")
    assert score.total == Decimal("82.42")


def test_evaluator_mark_wins_over_self_mark(world):
    person = world.person("Lê Văn C")
    world.line(person, "X", 1, 1)
    world.marks(person, total=30, evaluator_total=24)
    score = score_person(person, world.period)
    assert score.general_points == Decimal("24.00")
    assert score.total == Decimal("94.00")


def test_u7_unappraised_self_mark_leaves_the_period_not_scored_by_default(world):
    """Review U7 (Form 01 evaluator column; Gia Lai §III.4.b) [inferred]: with the default
    ``marks.self_mark_without_evaluator`` = not_scored, a self-mark of 30/30 that no evaluator
    marked is not the score; once the evaluator marks, the period is scored."""
    person = world.person("Lê Văn Tự")
    world.line(person, "X", 1, 1)
    world.marks(person, total=30, appraised=False)
    score = score_person(person, world.period)
    assert not score.scored and score.total is None and not score.input_errors
    last = score.explanation["steps"][-1]
    assert last["code"] == "period_not_scored" and last["reason"] == "awaiting_evaluator"
    assert "chờ lãnh đạo (người đánh giá) chấm" in render_step(last)
    assert score.awaits_evaluator and score.unscored_label == "chờ lãnh đạo chấm"
    GeneralCriteriaMark.objects.filter(civil_servant=person).update(evaluator_mark=F("self_mark"))
    score = score_person(person, world.period)
    assert score.scored and score.total == Decimal("100.00")


def test_u7_counts_option_lets_the_self_mark_stand(world, monkeypatch):
    """Review U7, the other side: ``counts`` uses the self-mark when no evaluator mark exists."""
    from scoring.engine import Choice, MarksRule

    counts = MarksRule(self_mark_without_evaluator=Choice("counts"))
    original = FrameworkResolver.resolve

    def resolve(self, *args):
        resolved = original(self, *args)
        rules = dataclasses.replace(resolved.rules, marks=counts)
        return dataclasses.replace(resolved, rules=rules)

    monkeypatch.setattr(FrameworkResolver, "resolve", resolve)
    person = world.person("Lê Văn Đếm")
    world.line(person, "X", 1, 1)
    world.marks(person, total=30, appraised=False)
    score = score_person(person, world.period)
    assert score.scored and score.total == Decimal("100.00")


def test_missing_marks_are_reported_not_guessed(world):
    person = world.person("Phạm Văn D")
    world.line(person, "X", 1, 1)
    score = score_person(person, world.period)
    assert not score.scored
    assert score.total is None
    assert "marks.general.I.1" in score.input_errors


def test_nothing_assigned_is_not_scored(world):
    person = world.person("Hoàng Thị E")
    score = score_person(person, world.period)
    assert not score.scored and not score.input_errors
    assert score.rating == ""


def test_leader_case(world):
    head = world.person("Trưởng phòng", role=LeadershipRole.HEAD)
    staff = [world.person(f"Chuyên viên {i}") for i in range(2)]
    for person in staff:
        world.full_month(person, total=27)
    # Head: a 100, b 95, c 90 → one X line of 20 with one failed review and two delays.
    line = world.line(head, "X", assigned=20, completed=20)
    record_deduction(line, DeductionKind.REVIEW, decided_by="test-setup")
    record_deduction(line, DeductionKind.REVIEW, decided_by="test-setup")
    for _ in range(4):
        record_deduction(line, DeductionKind.DELAY, decided_by="test-setup")
    world.marks(head, 28)
    world.leader_marks(head, organising=100, cohesion=100)
    for person in staff:
        score_person(person, world.period)
    score = score_person(head, world.period)
    # Art. 15 cl. 1-2 (task_method.leader_lines = own_and_charge): the two staff lines (1 of 1
    # each) join the head's line → converted 22 assigned, 22 completed, 21.5 of quality, 21 on
    # time: a 100, b 97.73, c 95.45.
    assert (score.quantity, score.quality, score.timeliness) == (
        Decimal("100.00"),
        Decimal("97.73"),
        Decimal("95.45"),
    )
    assert score.unit_results == Decimal("100.00")
    assert score.explanation["subordinates"] == {str(p.pk): "excellent" for p in staff}
    assert score.total == PeriodScore.objects.get(pk=score.pk).total
    # (100 + 97.727 + 95.455 + 100 + 100 + 100) / 6 = 98.864 → 69.205 → 69.20; + 28 = 97.20
    assert score.task_points == Decimal("69.20")
    assert score.total == Decimal("97.20")
    assert score.rating == "excellent"


def test_leader_d_drops_when_a_subordinate_is_not_completed(world):
    head = world.person("Trưởng phòng", role=LeadershipRole.HEAD)
    good, weak = world.person("Tốt"), world.person("Yếu")
    world.full_month(good, total=27)
    world.line(weak, "X", 4, 0)
    world.marks(weak, 10)
    world.full_month(head, total=28)
    world.leader_marks(head, 100, 50)
    score_person(good, world.period)
    assert score_person(weak, world.period).rating == "not_completed"
    score = score_person(head, world.period)
    assert score.unit_results == Decimal("50.00")
    assert score.organising == Decimal("100.00") and score.cohesion == Decimal("50.00")
    # Art. 15 cl. 1-2 (leader_lines = own_and_charge): a = b = c = 2/6 (own 1 of 1, Tốt 1 of
    # 1, Yếu 0 of 4) → (33.33 × 3 + 50 + 100 + 50) / 6 = 50 → 35.00; + 28 = 63.00
    assert score.quantity == Decimal("33.33")
    assert score.total == Decimal("63.00")


def test_one_person_reads_only_what_their_framework_weighs(world):
    """Issue 48 item 3 (one person's chain): under a framework without a ``feedback`` or
    ``coordination`` rule, scoring one person reads neither the beneficiaries' answers nor the
    coordination ratings, a revision's content is not read again once parsed, and without the
    cascade the stored explanation is not read; what is stored is what a full run stores."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scoring.services.person import prepare_person

    person = world.person("Nguyễn Văn A")
    case_one(world, person)
    first = score_person(person, world.period)  # the rules parsed once in this process
    world.line(person, "X", assigned=2, completed=1)
    with CaptureQueriesContext(connection) as queries:
        score = score_person(person, world.period, cascade=False)
    read = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("feedback_satisfactioncode", "feedback_surveytally", "worklog_coordinatingunit"):
        assert f'"{table}"' not in read
    assert '"wagtailcore_revision"."content"' not in read
    assert '"scoring_periodscore"."explanation"' not in " ".join(
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")
    )
    fresh = PeriodScore.objects.get(pk=score.pk)
    assert fresh.total != first.total
    assert (fresh.total, fresh.rating) == (score.total, score.rating)
    assert len(fresh.explanation["lines"]) == 3
    _data, prepared = prepare_person(person, world.period)
    assert fresh.inputs_hash == prepared.inputs_hash


def test_one_persons_write_is_one_statement_and_fails_with_its_callers_transaction(
    world, monkeypatch
):
    """Issue 48 item 3: scoring one person inside a caller's transaction (a request, a job)
    writes the score in one ``INSERT`` and the year's stale mark in one more, with no
    savepoints of the store's own; a failure in between leaves nothing written: the caller's
    transaction fails whole, the score is never stored without its year marked stale. The
    same statements on SQLite and PostgreSQL (a few rows are never a ``COPY``)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from scoring.models import StaleFigure
    from scoring.services import store

    person = world.person("Nguyễn Văn A")
    case_one(world, person)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        score = score_person(person, world.period, cascade=False)
    written = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT")]
    assert [sql.split(" (")[0] for sql in written] == [
        'INSERT INTO "scoring_periodscore"',
        'INSERT INTO "scoring_stalefigure"',
    ]
    assert PeriodScore.objects.get(pk=score.pk).total == score.total == Decimal("81.83")

    PeriodScore.objects.filter(pk=score.pk).delete()
    StaleFigure.objects.all().delete()

    def refuse(*args, **kwargs):
        raise RuntimeError("the stale mark could not be written")

    monkeypatch.setattr(store, "mark_annual", refuse)
    with pytest.raises(RuntimeError), transaction.atomic():
        score_person(person, world.period, cascade=False)
    assert not PeriodScore.objects.filter(civil_servant=person).exists()
    assert not StaleFigure.objects.exists()
