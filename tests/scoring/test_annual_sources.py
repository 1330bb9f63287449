"""The annual step compares what each year is computed FROM before computing it (issue 34).

``AnnualScore.sources_hash`` fingerprints a person's stored period rows of the year, their
postings, disqualifications and rating framework, and their quota group (its members' own
fingerprints and the recognition of its agency). A run computes nobody whose sources are
unchanged; a change recomputes exactly the person's quota group (the quota needs it whole); a
row whose figures come out the same keeps them (and ``computed_at``), only its fingerprint and
period ids move. A change committed while a run reads its inputs keeps its stale mark, and the
next run recomputes it: a stored score is never older than its inputs without saying so."""

import datetime
from decimal import Decimal

import pytest

from org.models import LeadershipRole, PositionGroup
from scoring.models import (
    AnnualScore,
    CriteriaFramework,
    Disqualification,
    OutstandingRecognition,
    Period,
    PeriodScore,
    RunStatus,
    ScoringRun,
    StaleFigure,
)
from scoring.services import annual as annual_service
from scoring.services import freshness, score_year
from tests.factories import AgencyFactory, JobPositionFactory, UnitFactory, period_score, post
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db

YEAR = 2026


def month(number):
    return Period.for_date(datetime.date(YEAR, number, 1), create=True)


@pytest.fixture
def province():
    """Two departments. Sở Nội vụ's unit: a star (12 months at 95) and three good people (80)
    — one quota group (the department × professional); its head is in another group (the
    leaders). Sở Tài chính's unit: two good people, a third group. Every month stored."""
    world = build_world()
    other = AgencyFactory(parent=world.province, code="STC", name="Sở Tài chính thử nghiệm")
    other_unit = UnitFactory(parent=other, code="STC-P1", name="Phòng Ngân sách")
    leadership = JobPositionFactory(code="LD", group=PositionGroup.LEADERSHIP)
    plan = [("Sao", world.unit, 95)] + [(f"Tốt {i}", world.unit, 80) for i in range(3)]
    plan += [(f"Tài chính {i}", other_unit, 75) for i in range(2)]
    for name, unit, total in plan:
        person = world.person(name, agency=unit)
        for number in range(1, 13):
            period_score(person, month(number), total, unit)
    head = world.person(
        "Trưởng phòng", agency=world.unit, role=LeadershipRole.HEAD, job_position=leadership
    )
    for number in range(1, 13):
        period_score(head, month(number), 85, world.unit)
    world.other_unit = other_unit
    world.groups = {
        "snv": {world.people[name].pk for name, unit, _total in plan if unit == world.unit},
        "stc": {world.people[name].pk for name, unit, _total in plan if unit == other_unit},
        "head": {head.pk},
    }
    report = score_year(YEAR)
    assert report.recomputed == report.written == len(plan) + 1
    # Every month is stored by hand above: nothing is owed by the runs the postings queued.
    StaleFigure.objects.all().delete()
    ScoringRun.objects.update(status=RunStatus.DONE)
    return world


def ids(world, *names):
    return {world.people[name].pk for name in names}


def stamps():
    return dict(AnnualScore.objects.values_list("civil_servant_id", "computed_at"))


def count_engine_calls(monkeypatch) -> list:
    calls = []
    real = annual_service.score_annual

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(annual_service, "score_annual", counting)
    return calls


def test_an_unchanged_year_computes_nobody(province, monkeypatch):
    before = stamps()
    assert all(len(h) == 64 for h in AnnualScore.objects.values_list("sources_hash", flat=True))
    calls = count_engine_calls(monkeypatch)
    report = score_year(YEAR)
    assert (report.people, report.recomputed, report.written, report.unchanged) == (7, 0, 0, 7)
    assert calls == [], "the engine ran for an unchanged year"
    assert stamps() == before


def test_a_changed_period_score_recomputes_its_quota_group_only(province):
    star = province.people["Sao"]
    before = stamps()
    # What a rescoring writes: the row's total moves (the signal's mark is not needed to see it).
    PeriodScore.objects.filter(civil_servant=star, period=month(5)).update(total=Decimal("50.00"))
    report = score_year(YEAR)
    assert report.recomputed_people == province.groups["snv"]
    annual = AnnualScore.objects.get(civil_servant=star)
    assert annual.score == Decimal("91.25")  # (11 × 95 + 50) / 12
    assert report.written >= 1
    after = stamps()
    untouched = province.groups["stc"] | province.groups["head"]
    assert {p: after[p] for p in untouched} == {p: before[p] for p in untouched}
    assert score_year(YEAR).recomputed == 0


def test_a_disqualification_recomputes_its_quota_group_only(province):
    person = province.people["Tài chính 1"]
    Disqualification.objects.create(
        civil_servant=person,
        year=YEAR,
        kind="discipline_reprimand_or_heavier",
        reference="12/QĐ-KL",
        decided_on=datetime.date(YEAR, 9, 1),
    )
    report = score_year(YEAR)
    assert report.recomputed_people == province.groups["stc"]
    annual = AnnualScore.objects.get(civil_servant=person)
    assert annual.rating == "not_completed"
    assert annual.disqualifiers_applied == ["discipline_reprimand_or_heavier"]
    assert score_year(YEAR).recomputed == 0


def test_a_recognition_recomputes_the_groups_of_the_recognised_agency(province):
    OutstandingRecognition.objects.create(
        agency=province.department,
        year=YEAR,
        decision_ref="1/QĐ-UBND",
        decided_on=datetime.date(YEAR, 12, 20),
    )
    report = score_year(YEAR)
    assert report.recomputed_people == province.groups["snv"] | province.groups["head"]


def test_a_new_framework_revision_recomputes_the_people_it_rates(province):
    """The Sở Tài chính's people were scored under the old revision (their latest period says
    so): they keep it. Everyone else is rated by the live revision, which changes."""
    framework = CriteriaFramework.objects.get(code="nghi-dinh-335-mac-dinh")
    old = framework.live_revision_id
    PeriodScore.objects.filter(civil_servant_id__in=province.groups["stc"]).update(
        framework_revision_id=old, framework=framework
    )
    assert score_year(YEAR).recomputed_people == province.groups["stc"]
    rules = framework.live_revision.content["rules"]
    rules.setdefault("annual", {})["min_months"] = {"value": "6", "citation": "Kế hoạch"}
    framework.rules = rules
    framework.save()
    framework.save_revision().publish()
    framework.refresh_from_db()
    assert framework.live_revision_id != old

    report = score_year(YEAR)
    assert report.recomputed_people == province.groups["snv"] | province.groups["head"]
    assert AnnualScore.objects.get(civil_servant=province.people["Sao"]).framework_revision_id == (
        framework.live_revision_id
    )
    assert score_year(YEAR).recomputed == 0


def test_an_empty_fingerprint_recomputes_but_keeps_the_same_figures(province):
    """Rows from before the column (migration ``scoring 0018``): recomputed once; figures that
    come out the same are not rewritten — only the fingerprint is stored."""
    before = stamps()
    rows = {row.pk: row for row in AnnualScore.objects.all()}
    AnnualScore.objects.update(sources_hash="")
    report = score_year(YEAR)
    assert (report.recomputed, report.written, report.sources_updated) == (7, 0, 7)
    assert stamps() == before
    for row in AnnualScore.objects.all():
        assert len(row.sources_hash) == 64
        assert (row.score, row.rating, row.inputs_hash, row.explanation) == (
            rows[row.pk].score,
            rows[row.pk].rating,
            rows[row.pk].inputs_hash,
            rows[row.pk].explanation,
        )
    assert score_year(YEAR).recomputed == 0


def test_a_rebuilt_period_score_gives_the_annual_row_its_new_id(province):
    """A period score deleted and computed again (same total, new id): the annual figures stay,
    the row's ``period_score_ids`` (read by the explain page, Form 02) follow the new row."""
    person = province.people["Tốt 1"]
    old = PeriodScore.objects.get(civil_servant=person, period=month(4))
    old.delete()
    new = period_score(person, month(4), 80, province.unit)
    before = AnnualScore.objects.get(civil_servant=person)
    report = score_year(YEAR)
    assert report.written == 0 and person.pk in report.recomputed_people
    after = AnnualScore.objects.get(civil_servant=person)
    assert new.pk in after.period_score_ids and old.pk not in after.period_score_ids
    assert after.computed_at == before.computed_at and after.score == before.score


def test_a_change_during_the_run_keeps_its_mark_and_is_computed_next(province, monkeypatch):
    """A change committed after the run read its inputs (and took its marks): the run stores
    what it read, with the fingerprint of what it read; the change's mark stays, the row is
    shown stale, and the next run recomputes it."""
    person = province.people["Tốt 2"]
    freshness.mark_annual([(person.pk, YEAR)], "trước")
    real = annual_service._jobs

    def change_meanwhile(data):
        jobs = real(data)
        PeriodScore.objects.filter(civil_servant=person, period=month(12)).update(
            total=Decimal("20.00")
        )
        freshness.mark_annual([(person.pk, YEAR)], "trong khi tính")
        return jobs

    monkeypatch.setattr(annual_service, "_jobs", change_meanwhile)
    score_year(YEAR, people=[person.pk])
    monkeypatch.setattr(annual_service, "_jobs", real)
    assert AnnualScore.objects.get(civil_servant=person).score == Decimal("80.00")
    assert freshness.annual_stale_since(person.pk, YEAR) is not None
    assert freshness.marked_people("annual", YEAR) == [person.pk]

    report = score_year(YEAR, people=freshness.marked_people("annual", YEAR))
    assert person.pk in report.recomputed_people
    assert AnnualScore.objects.get(civil_servant=person).score == Decimal("75.00")
    assert freshness.annual_stale_since(person.pk, YEAR) is None


def test_a_change_nobody_marked_is_found_by_the_daily_run(province):
    """An input written around the signals (a bulk update): the province-wide run the daily job
    queues compares every fingerprint and recomputes it."""
    person = province.people["Tài chính 0"]
    PeriodScore.objects.filter(civil_servant=person).update(total=Decimal("96.00"))
    report = score_year(YEAR)
    assert report.recomputed_people == province.groups["stc"]
    assert AnnualScore.objects.get(civil_servant=person).score == Decimal("96.00")


def test_a_transfer_recomputes_the_group_left_and_the_group_joined(province):
    from org.models import Posting

    mover = province.people["Tốt 0"]
    posting = Posting.objects.get(civil_servant=mover)
    Posting.objects.filter(pk=posting.pk).update(end_date=datetime.date(YEAR, 6, 30))
    post(province.other_unit, start=datetime.date(YEAR, 7, 1), person=mover)
    report = score_year(YEAR)
    assert report.recomputed_people == province.groups["snv"] | province.groups["stc"]
    assert AnnualScore.objects.get(civil_servant=mover).agency_id == province.other_unit.pk


def test_the_texts_made_once_per_run_are_those_of_the_whole_explanation(province):
    """The batch serialises each distinct period line once and assembles every row's
    explanation and hashed basis from those texts: the same text as ``json.dumps`` and
    ``repr`` of the whole structures (a transfer, an unscored month and a quarter included)."""
    import json

    person = province.people["Tốt 0"]
    PeriodScore.objects.filter(civil_servant=person, period=month(7)).update(
        scored=False, total=None
    )
    for day in (datetime.date(YEAR, 1, 1), datetime.date(YEAR, 7, 1)):  # Q1 covered, Q3 not
        quarter = Period.for_date(day, kind="quarter", create=True)
        period_score(person, quarter, 70, province.unit)
    data = annual_service._collect(YEAR, None)
    jobs = annual_service._jobs(data)
    report = annual_service.YearReport(year=YEAR)
    rated = annual_service._rate_people(data, jobs, report)
    assert not report.errors
    for entry in rated.values():
        result = entry.result
        lines = [
            {
                "kind": p["kind"],
                "number": p["number"],
                "end_date": next(c.end_iso for c in data.calendar.values() if c.ref == p["ref"]),
                "total": p["total"],
                "status": p["status"],
                "months": p["months"],
                "weight": p["weight"],
            }
            for p in result.periods
        ]
        basis = {**entry.basis, "periods": lines}
        assert entry.basis_text() == repr(basis)
        rest = [{"code": "quota_cap", "ratio": "0.2", "ids": ["1", "2"]}]
        steps = list(result.explanation) + rest
        expected = json.dumps({"steps": steps, "quota": {"kept": True}, "inputs": basis})
        assert (
            entry.explanation_json(
                list(result.explanation[len(entry.lines) :]) + rest, {"kept": True}
            )
            == expected
        )
    statuses = {line["status"] for p in rated.values() for line in p.result.periods}
    assert statuses == {"counted", "not_scored", "covered"}


def test_a_year_without_any_period_yet_scores_nobody_and_does_not_fail(province):
    """A year whose calendar has no period yet (``period_id IN ()``: the database is never
    asked) — found by the recognised-agency quota test of ``tests/ratings/test_guards.py``."""
    report = score_year(YEAR + 5)
    rows = AnnualScore.objects.filter(year=YEAR + 5)
    assert report.written == rows.count()
    assert all(not row.period_score_ids for row in rows)
