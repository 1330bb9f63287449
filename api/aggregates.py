"""Counts per rating band and mean scores, per agency subtree, in one GROUP BY.

Stored scores belong to the node of the posting that governed them (usually a unit). The
database groups the visible scores of one period by (node, rating); the few hundred rows are then
added up for every requested agency over its whole subtree (a prefix test on the tree path).
A year code (``2026``) aggregates the annual scores of that year, any other code the period
scores of that period. Only scored rows with a rating count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from org.models import Agency
from scoring.models import AnnualScore, PeriodKind, PeriodScore, Rating

BANDS = tuple(Rating.values)
TWO_PLACES = Decimal("0.01")


@dataclass
class Tally:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BANDS, 0))
    points: Decimal = Decimal(0)

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> Decimal | None:
        if not self.rated:
            return None
        return (self.points / self.rated).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def scores_for(period_code: tuple[str, int, int]):
    """``(queryset of the score model, score field)`` for a parsed period code."""
    kind, year, number = period_code
    if kind == PeriodKind.YEAR:
        return AnnualScore.objects.filter(year=year), "score"
    return (
        PeriodScore.objects.filter(period__kind=kind, period__year=year, period__number=number),
        "total",
    )


def node_tallies(queryset, score_field: str) -> dict[str, Tally]:
    """``{agency path: Tally}`` of the scored rows of ``queryset`` (one GROUP BY)."""
    rows = (
        queryset.filter(scored=True)
        .exclude(rating="")
        .order_by()
        .values("agency__path", "rating")
        .annotate(people=Count("id"), points=Sum(score_field))
    )
    tallies: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        if row["rating"] in BANDS:
            tally = tallies[row["agency__path"]]
            tally.counts[row["rating"]] += row["people"]
            tally.points += Decimal(row["points"] or 0)
    return dict(tallies)


def roll_up(tallies: dict[str, Tally], agency: Agency) -> Tally:
    """The tally of ``agency``'s whole subtree."""
    total = Tally()
    for path, tally in tallies.items():
        if path.startswith(agency.path):
            for band, count in tally.counts.items():
                total.counts[band] += count
            total.points += tally.points
    return total


def row(agency: Agency, tally: Tally, period: str) -> dict:
    return {
        "agency": agency.code,
        "agency_id": agency.pk,
        "agency_name": agency.name,
        "kind": agency.kind,
        "period": period,
        "rated": tally.rated,
        "counts": dict(tally.counts),
        "mean_score": tally.mean,
    }
