"""The read model of stored scores: counts and sums computed in SQL (GROUP BY) and rolled up
the agency tree — one for the dashboards, the public pages and the API.

A stored score belongs to the agency or unit of the posting that governed it (usually a phòng).
The database groups scores by that node; the few hundred grouped rows are then added up to
whatever level is asked for (the agencies under the province, or the children of one node), so
Python never loops over individual scores.

**Agency score.** The mean computed here is the mean of the period totals (annual scores for a
year) of the civil servants rated in an agency's whole subtree. The public pages show an
agency's stored organisation score (``org_scoring``) instead where the published snapshot has
one, and this mean, labelled as such, where it has none (``publication.PublicRow``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Q, Sum

from org.categories import categories_where
from org.models import Agency, AgencyKind, Posting
from org.text import fold_for_search
from scoring.engine.constants import RATINGS
from scoring.models import AnnualScore, PeriodKind, PeriodScore
from scoring.services.postings import overlapping
from scoring.services.scope import people_without, year_bounds

BANDS: tuple[str, ...] = RATINGS
TWO_PLACES = Decimal("0.01")


def mean_of(points, count: int) -> Decimal | None:
    if not count or points is None:
        return None
    return (Decimal(points) / count).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    """Per band: how many people and the sum of their scores."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BANDS, 0))
    points: Decimal = Decimal(0)
    latest: datetime.datetime | None = None  # when the newest of these scores was computed

    def add(self, band: str, count: int, points, latest=None) -> None:
        if band in self.counts:
            self.counts[band] += count
            self.points += Decimal(points or 0)
            self._seen(latest)

    def merge(self, other: Tally) -> None:
        for band, count in other.counts.items():
            self.counts[band] += count
        self.points += other.points
        self._seen(other.latest)

    def _seen(self, moment) -> None:
        if moment is not None and (self.latest is None or moment > self.latest):
            self.latest = moment

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> Decimal | None:
        return mean_of(self.points, self.rated)


# --------------------------------------------------------------------------------------------
# The agency tree, loaded once (a few hundred rows).

KIND_ORDER = {AgencyKind.PROVINCE: 0, AgencyKind.DEPARTMENT: 1, AgencyKind.COMMUNE: 2}


def display_order(node) -> tuple:
    """Province, then departments, then communes, then units; alphabetical, accents ignored."""
    return (KIND_ORDER.get(node.kind, 3), fold_for_search(node.name), node.id)


@dataclass(frozen=True)
class Node:
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    path: str
    depth: int
    parent_id: int | None
    is_active: bool

    @property
    def chain(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Tree:
    def __init__(self, nodes: Iterable[Node]):
        self.nodes = {node.id: node for node in nodes}

    @classmethod
    def load(cls) -> Tree:
        fields = ("id", "code", "name", "short_name", "kind", "path", "depth", "parent_id")
        rows = Agency.objects.values_list(*fields, "is_active")
        return cls(Node(*row) for row in rows)

    def top_agencies(self) -> list[Node]:
        """Agencies evaluated as a whole and shown publicly: departments and communes, the
        bodies of the Party and the Front under their roots, the roots themselves (the
        province's own office, Tỉnh ủy, Ủy ban MTTQ tỉnh) when people are posted on them, in
        display order."""
        return sorted(
            (n for n in self.nodes.values() if n.depth <= 1 and n.kind != AgencyKind.UNIT),
            key=display_order,
        )

    def ancestor_at(self, node_id: int, depth: int) -> int | None:
        """The ancestor of ``node_id`` at ``depth`` (itself when it is at that depth)."""
        node = self.nodes.get(node_id)
        if node is None:
            return None
        chain = node.chain
        return chain[depth] if depth < len(chain) else None

    def top_of(self, node_id: int) -> int | None:
        """The public agency ``node_id`` counts in: its ancestor under the root, or the root
        itself for a unit hanging directly under it (a ban of the Front committee, an office
        of the Party committee — docs/scope.md §3)."""
        node = self.nodes.get(node_id)
        if node is None:
            return None
        if node.depth == 0:
            return node.id
        top = self.ancestor_at(node_id, 1)
        if top in self.nodes and self.nodes[top].kind == AgencyKind.UNIT:
            return node.chain[0]
        return top

    def roll_up(self, tallies: dict[int, Tally], key) -> dict[int, Tally]:
        """Add node tallies up to ``key(node_id)`` (nodes mapping to None are dropped)."""
        result: dict[int, Tally] = defaultdict(Tally)
        for node_id, tally in tallies.items():
            target = key(node_id)
            if target is not None:
                result[target].merge(tally)
        return dict(result)


# --------------------------------------------------------------------------------------------
# Grouped scores.


def score_source(kind: str):
    """(model, period lookup, score field) for periods of ``kind``: annual scores for a year,
    period scores otherwise."""
    if kind == PeriodKind.YEAR:
        return AnnualScore, "year", "score"
    return PeriodScore, "period_id", "total"


def grouped_tallies(
    periods,
    by: tuple[str, ...] = ("agency_id",),
    within=None,
    before_quota: bool = False,
    only: str | None = None,
) -> dict[int, dict[tuple, Tally]]:
    """{period id: {group values: Tally}} for ``periods`` (all of one kind) in one query.

    ``by`` are extra GROUP BY fields of the score table (``agency_id``, ``position_group``);
    ``within`` restricts to scores whose node lies in that agency's subtree; ``before_quota``
    counts annual ratings before the excellent quota (period ratings have no quota); ``only``
    names a person-category rule (``"quota"``, ``"public_statistics"``, ``org.categories``):
    only the scores of people whose governing category has it count — the categories are
    never mixed in one figure (docs/scope.md §2).
    """
    periods = list(periods)
    if not periods:
        return {}
    model, lookup, score_field = score_source(periods[0].kind)
    if lookup == "year":
        period_of = {p.year: p.pk for p in periods}
        filters = {"year__in": list(period_of)}
    else:
        period_of = {p.pk: p.pk for p in periods}
        filters = {"period_id__in": list(period_of)}
    rating = "rating_before_quota" if before_quota and model is AnnualScore else "rating"
    queryset = model.objects.filter(scored=True, **filters).exclude(**{rating: ""})
    if within is not None:
        queryset = queryset.filter(agency__path__startswith=within.path)
    if only:
        queryset = _of_categories(queryset, model, only, periods)
    rows = (
        queryset.order_by()
        .values(lookup, *by, rating)
        .annotate(people=Count("id"), points=Sum(score_field), latest=Max("computed_at"))
    )
    result: dict[int, dict[tuple, Tally]] = {p.pk: defaultdict(Tally) for p in periods}
    for row in rows:
        group = tuple(row[name] for name in by)
        result[period_of[row[lookup]]][group].add(
            row[rating], row["people"], row["points"], row["latest"]
        )
    return {pk: dict(groups) for pk, groups in result.items()}


def _of_categories(queryset, model, flag: str, periods):
    """``queryset`` without the scores of people whose governing category lacks rule
    ``flag``: a period score carries its governing posting; an annual score is checked
    against the posting governing its year, for the few people who held a posting of such a
    category in the year (one query, then ``scope.people_without`` on those only)."""
    allowed = categories_where(flag)
    if model is PeriodScore:
        # A score stored without its posting predates the categories: a civil servant's.
        return queryset.filter(Q(posting__category__in=allowed) | Q(posting__isnull=True))
    for year in sorted({period.year for period in periods}):
        bounds = year_bounds(year)
        candidates = set(
            Posting.objects.filter(overlapping(*bounds))
            .exclude(category__in=allowed)
            .values_list("civil_servant_id", flat=True)
        )
        excluded = people_without(flag, candidates, *bounds)
        if excluded:
            queryset = queryset.exclude(year=year, civil_servant_id__in=excluded)
    return queryset


def node_tallies(period_groups: dict[tuple, Tally]) -> dict[int, Tally]:
    """Collapse groups keyed ``(agency_id, …)`` to one Tally per node."""
    result: dict[int, Tally] = defaultdict(Tally)
    for group, tally in period_groups.items():
        result[group[0]].merge(tally)
    return dict(result)


def path_tallies(queryset, score_field: str) -> dict[str, Tally]:
    """``{agency path: Tally}`` of the scored, rated rows of ``queryset`` (one GROUP BY) — for
    a caller that restricts the scores itself (the API, to what a token may read)."""
    rows = (
        queryset.filter(scored=True)
        .exclude(rating="")
        .order_by()
        .values("agency__path", "rating")
        .annotate(people=Count("id"), points=Sum(score_field))
    )
    tallies: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        tallies[row["agency__path"]].add(row["rating"], row["people"], row["points"])
    return dict(tallies)


def subtree_tally(tallies: dict[str, Tally], path: str) -> Tally:
    """The tally of the whole subtree whose root has ``path``."""
    total = Tally()
    for node_path, tally in tallies.items():
        if node_path.startswith(path):
            total.merge(tally)
    return total
