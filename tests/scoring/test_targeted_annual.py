"""A change recomputes its quota groups, not the province (issue 34; issue 28's refresh).

The background refresh (``scoring.services.freshness``) gives ``score_year`` the people whose
inputs changed; it recomputes their whole quota groups — closed over every grouping option
and over the group a moved person left — and nobody else. The proof: on the demo province,
after random changes (months raised to excellent, a director's month, a transfer to another
department, a disqualification), the targeted run leaves nothing for a province-wide run to
write, and reads far fewer people than the province."""

import datetime
import random
from decimal import Decimal

import pytest

from org.models import LeadershipRole, Posting
from scoring.models import (
    AnnualQuotaGroup,
    AnnualScore,
    Disqualification,
    PeriodScore,
    StaleFigure,
)
from scoring.services import freshness, score_year
from scoring.services.annual import affected_people

pytestmark = pytest.mark.django_db

YEAR = 2026


def _fresh_province() -> list[int]:
    # Rating cases keep their annual scores (PROTECT): rows are rewritten in place.
    AnnualScore.objects.update(inputs_hash="", sources_hash="")
    score_year(YEAR)
    StaleFigure.objects.all().delete()
    return list(AnnualScore.objects.filter(year=YEAR).values_list("civil_servant_id", flat=True))


def _raise_months(people) -> None:
    PeriodScore.objects.filter(civil_servant_id__in=people, period__year=YEAR, scored=True).update(
        total=Decimal("98.50")
    )


@pytest.mark.parametrize("seed", [34, 335])
def test_a_targeted_run_writes_what_the_province_run_would(demo, seed):
    rng = random.Random(seed)
    everyone = _fresh_province()
    staff = list(
        AnnualScore.objects.filter(year=YEAR, role=LeadershipRole.STAFF).values_list(
            "civil_servant_id", flat=True
        )
    )
    heads = list(
        AnnualScore.objects.filter(year=YEAR, role=LeadershipRole.HEAD).values_list(
            "civil_servant_id", flat=True
        )
    )
    raised = rng.sample(sorted(staff), 4) + rng.sample(sorted(heads), 1)
    _raise_months(raised)

    # A transfer on 1 July to another department, same role: the old group loses a member.
    mover = rng.choice(sorted(set(staff) - set(raised)))
    posting = Posting.objects.filter(
        civil_servant_id=mover, end_date__isnull=True, is_concurrent=False
    ).first()
    other = (
        Posting.objects.exclude(agency__path__startswith=posting.agency.path[:8])
        .filter(role=LeadershipRole.STAFF, agency__kind=posting.agency.kind)
        .select_related("agency", "job_position")
        .first()
    )
    Posting.objects.filter(pk=posting.pk).update(end_date=datetime.date(YEAR, 6, 30))
    Posting.objects.create(
        civil_servant_id=mover,
        agency=other.agency,
        job_position=other.job_position,
        role=LeadershipRole.STAFF,
        start_date=datetime.date(YEAR, 7, 1),
    )
    disqualified = rng.choice(sorted(set(staff) - set(raised) - {mover}))
    Disqualification.objects.create(
        civil_servant_id=disqualified,
        year=YEAR,
        kind="discipline_reprimand_or_heavier",
        reference="12/QĐ-KL",
        decided_on=datetime.date(YEAR, 9, 1),
    )

    marked = [*raised, mover, disqualified]
    targeted = score_year(YEAR, people=marked)
    assert targeted.written >= len(marked) - 1
    assert targeted.people < len(everyone) / 2, "a few groups, not the province"

    province = score_year(YEAR)
    assert (province.written, province.errors) == (0, {}), "the targeted run left work behind"
    # Nor a fingerprint: the targeted run fingerprinted each group as the province run does
    # (its members in the same order), so nobody is recomputed.
    assert (province.recomputed, province.sources_updated, province.groups_written) == (0, 0, 0)


def test_the_closure_takes_a_group_whole_under_the_options_in_use(demo):
    from scoring.services.annual import _collect, quota_modes_in_use
    from scoring.services.quota_groups import QuotaGrouper

    everyone = _fresh_province()
    head = AnnualScore.objects.filter(year=YEAR, role=LeadershipRole.HEAD).first()
    data = _collect(YEAR, None)
    person = head.civil_servant_id
    affected = affected_people([person], data.governing, data.agencies, YEAR)
    grouper = QuotaGrouper(agencies=data.agencies)
    mine = data.governing[person]
    assert quota_modes_in_use(YEAR) == ("rater_agency",)
    for mode in quota_modes_in_use(YEAR):
        group = {
            other
            for other, posting in data.governing.items()
            if posting is not None
            and (posting.position_group or "") == (mine.position_group or "")
            and grouper.agency_of(posting.agency_id, posting.role, mode)
            == grouper.agency_of(mine.agency_id, mine.role, mode)
        }
        assert group <= affected, mode
    assert len(affected) < len(everyone)


def test_the_refresh_drains_the_marks_it_computed(demo, django_capture_on_commit_callbacks):
    _fresh_province()
    person = AnnualScore.objects.filter(year=YEAR, role=LeadershipRole.STAFF).first()
    _raise_months([person.civil_servant_id])
    freshness.mark_annual([(person.civil_servant_id, YEAR)], "test")
    summary = freshness.refresh_derived()
    assert summary[f"annual:{YEAR}"] >= 1
    assert not StaleFigure.objects.filter(kind="annual").exists()
    assert score_year(YEAR).written == 0


def test_a_change_reaching_most_of_the_province_scores_the_province(demo, monkeypatch):
    """The targeted reading (a few quota groups read subtree by subtree) makes the province-wide
    reading's choice: a closure over more than half the governed people scores the province,
    so a person nobody scored yet gets the row a province run gives them, whichever reading
    ran (stop 52's crash-point test: an import's run left another agency's person without
    the annual row a from-scratch computation writes)."""
    from scoring.services import annual
    from scoring.services.annual import GROUPS_READ_UP_TO, _collect

    # The demo's staff are under half its people: the share lowered for both readings alike.
    monkeypatch.setattr(annual, "TARGETED_SHARE", Decimal("0.25"))
    everyone = sorted(_fresh_province())
    # Staff only, the first 100: their groups sit in their agencies (some groups are the
    # province's, which sends any reading to the province).
    staff = AnnualScore.objects.filter(year=YEAR, role=LeadershipRole.STAFF)
    marked = sorted(staff.values_list("civil_servant_id", flat=True))[:100]
    assert len(marked) <= GROUPS_READ_UP_TO
    province = _collect(YEAR, None)
    affected = affected_people(marked, province.governing, province.agencies, YEAR)
    assert len(affected) > annual.TARGETED_SHARE * len(province.governing)
    from ratings.models import RatingCase

    cased = set(RatingCase.objects.values_list("annual_score__civil_servant_id", flat=True))
    outside = sorted(set(everyone) - affected - cased)
    assert outside, "someone outside the changed groups, with no rating case (PROTECT)"
    # Their row gone (never scored): only a province-wide reading writes it again.
    unscored = outside[-1]
    AnnualScore.objects.filter(year=YEAR, civil_servant_id=unscored).delete()
    assert unscored in _collect(YEAR, None, marked=marked).governing
    score_year(YEAR, people=marked)
    assert AnnualScore.objects.filter(year=YEAR, civil_servant_id=unscored).exists()
    assert score_year(YEAR).written == 0


# --- re-ranking from the stored rows (issue 48: one person's chain in milliseconds) ---------


def _group_of_size(at_least: int) -> tuple[str, list[AnnualScore]]:
    """A quota group of the demo with at least ``at_least`` members, its first one rated good
    well inside the band (a month a point and a half lower keeps them good, so nobody else's
    outcome moves), then the others."""
    from django.db.models import Count

    groups = (
        AnnualScore.objects.filter(year=YEAR)
        .exclude(quota_group="")
        .values("quota_group")
        .annotate(n=Count("id"))
        .filter(n__gte=at_least)
        .order_by("-n", "quota_group")
    )
    for group in groups:
        rows = list(AnnualScore.objects.filter(year=YEAR, quota_group=group["quota_group"]))
        inside = [
            row
            for row in rows
            if row.rating_before_quota == "good" and Decimal("82") <= row.score <= Decimal("88")
        ]
        if inside:
            return group["quota_group"], inside[:1] + [row for row in rows if row != inside[0]]
    raise AssertionError("the demo has a group with a member well inside the good band")


def _lower_one_month(person_id: int, by: str = "1.50") -> None:
    score = (
        PeriodScore.objects.filter(civil_servant_id=person_id, period__year=YEAR, scored=True)
        .order_by("period__start_date")
        .first()
    )
    PeriodScore.objects.filter(pk=score.pk).update(total=score.total - Decimal(by))


def _rows(year=YEAR) -> dict:
    return {
        row["civil_servant_id"]: row
        for row in AnnualScore.objects.filter(year=year).values(
            "civil_servant_id", "score", "rating", "rating_before_quota", "quota_needs_decision",
            "explanation", "inputs_hash", "sources_hash", "own_digest", "quota_group",
            "computed_at",
        )
    }  # fmt: skip


def test_a_small_change_re_ranks_the_group_from_the_stored_rows(demo):
    """One member's month changes: only that person goes through the engine; the others keep
    their rows untouched (figures, explanation, computed_at, fingerprint); the group's own
    fingerprint (one ``AnnualQuotaGroup`` row) moves — exactly what a province run would leave
    (it finds nothing to do afterwards)."""
    _fresh_province()
    group, rows = _group_of_size(3)
    person = rows[0].civil_servant_id
    before = _rows()
    group_before = AnnualQuotaGroup.objects.get(year=YEAR, group=group).sources_hash
    _lower_one_month(person)

    report = score_year(YEAR, people=[person])

    assert (report.recomputed, report.recomputed_people) == (1, {person})
    assert report.people == len(rows) and report.written == 1
    assert (report.sources_updated, report.groups_written) == (0, 1)
    after = _rows()
    assert after[person]["score"] < before[person]["score"]
    assert after[person]["rating"] == before[person]["rating"] == "good"
    for row in rows[1:]:
        assert after[row.civil_servant_id] == before[row.civil_servant_id]
    group_after = AnnualQuotaGroup.objects.get(year=YEAR, group=group).sources_hash
    assert group_after != group_before
    province = score_year(YEAR)
    assert (province.written, province.recomputed, province.sources_updated) == (0, 0, 0)
    assert province.groups_written == 0
    assert _rows() == after
    assert AnnualQuotaGroup.objects.get(year=YEAR, group=group).sources_hash == group_after


def test_a_change_that_moves_another_members_rating_recomputes_the_group(demo):
    """A member raised to excellent changes the group's quota figures, which every scored
    member's row shows: the group is recomputed whole, as before, and the result is the
    province run's."""
    _fresh_province()
    _group, rows = _group_of_size(3)
    person = rows[0].civil_servant_id
    _raise_months([person])

    report = score_year(YEAR, people=[person])

    assert report.recomputed_people >= {row.civil_servant_id for row in rows}
    assert AnnualScore.objects.get(civil_servant_id=person, year=YEAR).rating_before_quota == (
        "excellent"
    )
    province = score_year(YEAR)
    assert (province.written, province.recomputed, province.sources_updated) == (0, 0, 0)


def test_another_members_mark_or_a_row_out_of_step_recomputes_the_group(demo):
    """The stored rows stand in for a recomputation only when they are current: another
    member marked stale, or a row whose fingerprint is not the group's, sends the run to the
    whole group."""
    _fresh_province()
    _group, rows = _group_of_size(3)
    person, other, third = (row.civil_servant_id for row in rows[:3])
    members = {row.civil_servant_id for row in rows}

    _lower_one_month(person)
    freshness.mark_annual([(other, YEAR)], "test")
    report = score_year(YEAR, people=[person])
    assert report.recomputed_people >= members
    StaleFigure.objects.all().delete()

    _lower_one_month(person)
    AnnualScore.objects.filter(civil_servant_id=third, year=YEAR).update(sources_hash="x" * 64)
    report = score_year(YEAR, people=[person])
    assert report.recomputed_people >= members
    province = score_year(YEAR)
    assert (province.written, province.recomputed, province.sources_updated) == (0, 0, 0)


def test_a_groups_fingerprint_missing_or_out_of_step_recomputes_the_group(demo):
    """The group's part of the sources is kept once (``AnnualQuotaGroup``): a row of it that
    does not match the members' stored rows — altered, or missing as after migration
    ``scoring 0030`` — sends a targeted run to the whole group, and a province run recomputes
    exactly that group (its figures stay, so nothing is written but its fingerprint)."""
    _fresh_province()
    group, rows = _group_of_size(3)
    person = rows[0].civil_servant_id
    members = {row.civil_servant_id for row in rows}

    AnnualQuotaGroup.objects.filter(year=YEAR, group=group).update(sources_hash="x" * 64)
    _lower_one_month(person)
    report = score_year(YEAR, people=[person])
    assert report.recomputed_people >= members
    assert AnnualQuotaGroup.objects.get(year=YEAR, group=group).sources_hash != "x" * 64

    AnnualQuotaGroup.objects.filter(year=YEAR, group=group).delete()
    before = _rows()
    province = score_year(YEAR)
    assert province.recomputed_people == members
    assert (province.written, province.sources_updated, province.groups_written) == (0, 0, 1)
    assert _rows() == before
    assert AnnualQuotaGroup.objects.filter(year=YEAR, group=group).exists()
    again = score_year(YEAR)
    assert (again.recomputed, again.groups_written) == (0, 0)


def test_a_member_the_engine_refuses_leaves_the_group_to_be_recomputed_whole(demo):
    """A member whose year the engine refuses (a stored total above the maximum) keeps their
    old row, whose own digest still matches the group's old fingerprint, while the others are
    ranked without them: the group's row is dropped, so a later change to another member
    recomputes the group whole instead of re-ranking it from that old row — every member's
    row shows the same quota figures, and a province run finds nothing to write (found by the
    session 52 review)."""
    _fresh_province()
    group, rows = _group_of_size(3)
    person = rows[0].civil_servant_id
    refused = next(
        row.civil_servant_id for row in rows[1:] if row.scored and row.rating_before_quota == "good"
    )
    PeriodScore.objects.filter(civil_servant_id=refused, period__year=YEAR, scored=True).update(
        total=Decimal("135.00")
    )
    report = score_year(YEAR)
    assert refused in report.errors
    assert not AnnualQuotaGroup.objects.filter(year=YEAR, group=group).exists()
    StaleFigure.objects.all().delete()

    _lower_one_month(person)
    targeted = score_year(YEAR, people=[person])

    assert targeted.recomputed_people >= {row.civil_servant_id for row in rows} - {refused}
    figures = {
        row["civil_servant_id"]: row["explanation"]["quota"]["good_before"]
        for row in _rows().values()
        if row["quota_group"] == group
        and row["civil_servant_id"] != refused
        and (row["explanation"] or {}).get("quota")
    }
    assert len(set(figures.values())) == 1, figures
    province = score_year(YEAR)
    assert (province.written, province.groups_written) == (0, 0)


def test_a_group_nobody_rated_is_in_any_more_loses_its_row(demo):
    """Every member of a group leaves the rated (their postings ended the year before): their old
    rows stay, and still match the group's fingerprint, so the group's row is dropped — a
    re-rank of someone who joins that group later must not count those rows."""
    from django.db.models import Count

    _fresh_province()
    smallest = (
        AnnualScore.objects.filter(year=YEAR)
        .exclude(quota_group="")
        .values("quota_group")
        .annotate(n=Count("id"))
        .order_by("n", "quota_group")
        .first()
    )
    group = smallest["quota_group"]
    people = list(
        AnnualScore.objects.filter(year=YEAR, quota_group=group).values_list(
            "civil_servant_id", flat=True
        )
    )
    assert AnnualQuotaGroup.objects.filter(year=YEAR, group=group).exists()
    Posting.objects.filter(civil_servant_id__in=people).update(
        start_date=datetime.date(YEAR - 2, 1, 1), end_date=datetime.date(YEAR - 1, 12, 31)
    )

    score_year(YEAR)

    assert not AnnualQuotaGroup.objects.filter(year=YEAR, group=group).exists()
    assert AnnualScore.objects.filter(year=YEAR, quota_group=group).count() == len(people)


def test_rows_from_before_the_own_digest_are_stamped_without_computing(demo, monkeypatch):
    """After migration scoring 0025 the rows have no own digest or group: a targeted run
    recomputes the whole group (as before), and a province run stamps the current rows with
    them without running the engine."""
    from scoring.services import annual

    _fresh_province()
    group, rows = _group_of_size(3)
    before = _rows()
    AnnualScore.objects.update(own_digest="", quota_group="")

    person = rows[0].civil_servant_id
    _lower_one_month(person)
    report = score_year(YEAR, people=[person])
    assert report.recomputed_people >= {row.civil_servant_id for row in rows}

    calls = []
    real = annual.score_annual
    monkeypatch.setattr(annual, "score_annual", lambda *a, **k: calls.append(1) or real(*a, **k))
    province = score_year(YEAR)
    assert (province.recomputed, province.written, calls) == (0, 0, [])
    after = _rows()
    assert after[rows[1].civil_servant_id]["quota_group"] == group
    assert all(row["own_digest"] for row in after.values())
    untouched = set(before) - {row.civil_servant_id for row in rows}
    assert {p: after[p]["computed_at"] for p in untouched} == {
        p: before[p]["computed_at"] for p in untouched
    }
