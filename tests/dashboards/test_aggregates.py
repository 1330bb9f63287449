"""SQL aggregation: scores grouped in the database, rolled up the tree, annual scores for years."""

from decimal import Decimal

import pytest

from django.utils import timezone

from dashboards.publication import build_table
from dashboards.snapshots import refresh
from scoring.aggregates import Tree, grouped_tallies, node_tallies
from scoring.models import AnnualScore, Period, PeriodKind
from tests.dashboards.helpers import month, people, scores, small_province
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_unit_scores_roll_up_to_their_agency_with_the_mean_of_totals():
    w = small_province()
    jan = month(1)
    nested = UnitFactory(parent=w["big_unit"], code="SBIG-P1-T", name="Tổ trực thuộc")
    scores(jan, w["big_unit"], {"good": 6}, totals={"good": Decimal("80")})
    scores(jan, nested, {"excellent": 5}, totals={"excellent": Decimal("95")})
    scores(jan, w["big"], {"completed": 1}, totals={"completed": Decimal("60")})  # the director
    tree = Tree.load()
    per_agency = tree.roll_up(node_tallies(grouped_tallies([jan])[jan.pk]), tree.top_of)
    big = per_agency[w["big"].pk]
    assert big.rated == 12
    assert big.mean == Decimal("84.58")  # (6·80 + 5·95 + 60) / 12
    assert big.counts == {"excellent": 5, "good": 6, "completed": 1, "not_completed": 0}
    table = build_table(jan, node_tallies(grouped_tallies([jan])[jan.pk]), tree, 5)
    assert table.row_for(w["big"].pk).rated == 12
    assert table.row_for(w["big"].pk).mean == Decimal("84.58")


def test_unscored_and_unrated_people_are_not_counted():
    w = small_province()
    jan = month(1)
    rated = scores(jan, w["big_unit"], {"good": 5})
    from scoring.models import PeriodScore

    PeriodScore.objects.filter(civil_servant=rated[0]).update(scored=False)
    tally = node_tallies(grouped_tallies([jan])[jan.pk])[w["big_unit"].pk]
    assert tally.rated == 4


def test_a_year_uses_annual_ratings_after_quota():
    w = small_province()
    year = Period.objects.create(kind=PeriodKind.YEAR, year=2026, number=1, published=True)
    now = timezone.now()
    AnnualScore.objects.bulk_create(
        AnnualScore(
            civil_servant=person,
            year=2026,
            agency=w["big_unit"],
            role="staff",
            position_group="professional",
            scored=True,
            score=Decimal("91"),
            rating_before_quota="excellent",
            rating=rating,
            engine_version="t",
            inputs_hash="0" * 64,
            computed_at=now,
        )
        for person, rating in zip(
            people(w["big_unit"], 6), ["excellent"] + ["good"] * 5, strict=True
        )
    )
    after = node_tallies(grouped_tallies([year])[year.pk])[w["big_unit"].pk]
    before = node_tallies(grouped_tallies([year], before_quota=True)[year.pk])[w["big_unit"].pk]
    assert (after.counts["excellent"], after.counts["good"]) == (1, 5)
    assert before.counts["excellent"] == 6
    assert after.mean == Decimal("91.00")


def test_snapshot_queries_do_not_grow_with_the_number_of_people():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = small_province()
    jan, feb = month(1), month(2)
    scores(jan, w["big_unit"], {"good": 10})
    scores(feb, w["big_unit"], {"excellent": 40, "good": 300, "completed": 60, "not_completed": 9})
    scores(feb, w["other_unit"], {"good": 200})
    tree = Tree.load()
    counts = []
    for period in (jan, feb):
        with CaptureQueriesContext(connection) as captured:
            snapshot = refresh([period], tree)[period.pk]
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert snapshot.table["province"]["rated"] == 609
    assert snapshot.scores_computed_at is not None
