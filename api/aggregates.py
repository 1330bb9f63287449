"""The API's aggregate rows: counts per rating band and mean scores, per agency subtree, from
the read model of stored scores (:mod:`scoring.aggregates`, shared with the dashboards).

Stored scores belong to the node of the posting that governed them (usually a unit). The
database groups the visible scores of one period by (node, rating); the few hundred rows are then
added up for every requested agency over its whole subtree. A year code (``2026``) aggregates the
annual scores of that year, any other code the period scores of that period. Only scored rows
with a rating count.
"""

from __future__ import annotations

from org.models import Agency
from scoring.aggregates import Tally
from scoring.models import AnnualScore, PeriodKind, PeriodScore


def scores_for(period_code: tuple[str, int, int]):
    """``(queryset of the score model, score field)`` for a parsed period code."""
    kind, year, number = period_code
    if kind == PeriodKind.YEAR:
        return AnnualScore.objects.filter(year=year), "score"
    return (
        PeriodScore.objects.filter(period__kind=kind, period__year=year, period__number=number),
        "total",
    )


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
