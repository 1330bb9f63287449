"""What the public pages may show: published periods only, agency level only, small counts
suppressed (``dashboards.suppression``). The objects built here never hold a suppressed value,
so no template, CSV or JSON can leak one by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from dashboards import cache, conf
from dashboards.suppression import protect_counts, protect_means
from org_scoring.models import OrganisationScore
from scoring.aggregates import BANDS, TWO_PLACES, Tally, Tree
from scoring.models import AssignmentLine, PeriodKind
from scoring.models import Period as PeriodModel

ONE_PLACE = Decimal("0.1")
TOTAL_KEY = "total"  # code and kind of the province-total row (not an agency)


def percent(part: int | None, whole: int) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(100) * part / whole).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PublicRow:
    """One agency (or the province total) in one period; ``None`` means suppressed.

    Two different measures, never mixed (review 2026-11-22, ux #13): ``mean`` is the mean of the
    civil servants' scores **of the period**; ``organisation_score`` and ``organisation_rating``
    are the agency's own stored result **of the period's year** (a whole-year figure, also on a
    monthly page), when the published data has one. The province row has no organisation score.
    """

    agency_id: int | None
    code: str
    name: str
    kind: str
    rated: int
    mean: Decimal | None
    bands: tuple[tuple[str, int | None], ...]
    organisation_score: Decimal | None = None
    organisation_rating: str | None = None
    #: The suppression threshold when fewer people than it were rated here (0 otherwise): the
    #: count itself is then published only as "fewer than" (security review 2026-11-23 L2).
    below: int = 0

    @property
    def rated_shown(self) -> int | None:
        return None if self.below else self.rated

    def shares(self) -> tuple[tuple[str, int | None, Decimal | None], ...]:
        return tuple((band, n, percent(n, self.rated)) for band, n in self.bands)

    @property
    def hidden_bands(self) -> bool:
        return any(n is None for _band, n in self.bands)


@dataclass(frozen=True)
class PublicTable:
    """``organisation`` maps agency id → (score, rating) of the agencies with a stored
    organisation score of the period's year when the snapshot was built (agency-level facts,
    not derived from any person's score, so nothing needs suppressing)."""

    period_id: int
    threshold: int
    rows: tuple[PublicRow, ...]
    province: PublicRow
    organisation: dict[int, tuple[Decimal, str]] = field(default_factory=dict)

    def row_for(self, agency_id: int) -> PublicRow | None:
        return next((row for row in self.rows if row.agency_id == agency_id), None)


def organisation_results(years, tree: Tree) -> dict[int, dict[int, tuple[Decimal, str]]]:
    """{year: {agency id: (score, rating)}} of the publicly listed agencies (one query)."""
    listed = [node.id for node in tree.top_agencies() if node.depth > 0]
    result: dict[int, dict[int, tuple[Decimal, str]]] = {year: {} for year in years}
    rows = OrganisationScore.objects.filter(
        year__in=list(result), agency_id__in=listed, scored=True
    ).values_list("year", "agency_id", "score", "rating")
    for year, agency_id, score, rating in rows:
        result[year][agency_id] = (score, rating)
    return result


def build_table(
    period, tallies: dict[int, Tally], tree: Tree, threshold: int, organisation=None
) -> PublicTable:
    """Roll node tallies up to the agencies, then suppress. ``organisation``: the agencies'
    stored organisation results of the period's year (``organisation_results``)."""
    organisation = organisation or {}
    per_agency = tree.roll_up(tallies, tree.top_of)
    agencies = [n for n in tree.top_agencies() if n.id in per_agency and per_agency[n.id].rated]
    counts = {n.id: per_agency[n.id].counts for n in agencies}
    table = protect_counts(counts, BANDS, threshold)
    hidden_means = protect_means({n.id: per_agency[n.id].rated for n in agencies}, threshold)
    rows = []
    for node in agencies:
        tally = per_agency[node.id]
        cells = table.rows[node.id]
        rows.append(
            PublicRow(
                agency_id=node.id,
                code=node.code,
                name=node.name,
                kind=node.kind,
                rated=tally.rated,
                mean=None if node.id in hidden_means else tally.mean,
                below=_below(tally.rated, threshold),
                bands=tuple((band, cells[band].shown) for band in BANDS),
                **_organisation_fields(organisation, node.id),
            )
        )
    total = Tally()
    for node in agencies:
        total.merge(per_agency[node.id])
    small = threshold > 1 and total.rated < threshold
    province = PublicRow(
        agency_id=None,
        code=TOTAL_KEY,
        name="",
        kind=TOTAL_KEY,
        rated=total.rated,
        mean=None if small else total.mean,
        below=_below(total.rated, threshold),
        bands=tuple((band, table.band_totals[band].shown) for band in BANDS),
    )
    return PublicTable(period.pk, threshold, tuple(rows), province, dict(organisation))


def _below(rated: int, threshold: int) -> int:
    return threshold if threshold > 1 and 0 < rated < threshold else 0


def _organisation_fields(organisation: dict, agency_id: int | None) -> dict:
    score, rating = organisation.get(agency_id, (None, None))
    return {"organisation_score": score, "organisation_rating": rating}


def table_data(table: PublicTable) -> dict:
    """JSON-ready form of a protected table (only shown values: nothing hidden is stored)."""

    def row(r: PublicRow) -> dict:
        return {
            "id": r.agency_id,
            "code": r.code,
            "name": r.name,
            "kind": r.kind,
            "rated": r.rated,
            "mean": r.mean,
            "bands": [n for _band, n in r.bands],
        }

    return {
        "bands": list(BANDS),
        "rows": [row(r) for r in table.rows],
        "province": row(table.province),
        "organisation": [
            {"id": agency_id, "score": score, "rating": rating}
            for agency_id, (score, rating) in sorted(table.organisation.items())
        ],
    }


def table_from_data(period_id: int, threshold: int, data: dict, tree: Tree) -> PublicTable:
    """The table back from its snapshot; agency names and codes as they are today. Snapshots
    built before organisation scores were stored have none (the staff mean then stands)."""
    organisation = {
        item["id"]: (Decimal(str(item["score"])), item["rating"])
        for item in data.get("organisation", [])
    }

    def row(item: dict) -> PublicRow:
        node = tree.nodes.get(item["id"]) if item["id"] else None
        mean = item["mean"]
        return PublicRow(
            agency_id=item["id"],
            code=node.code if node else item["code"],
            name=node.name if node else item["name"],
            kind=node.kind if node else item["kind"],
            rated=item["rated"],
            mean=None if mean is None else Decimal(str(mean)),
            below=_below(item["rated"], threshold),
            bands=tuple(zip(data["bands"], item["bands"], strict=True)),
            **_organisation_fields(organisation, item["id"]),
        )

    return PublicTable(
        period_id,
        threshold,
        tuple(row(r) for r in data["rows"]),
        row(data["province"]),
        organisation,
    )


def public_tree() -> Tree:
    return cache.remember(cache.data_key("tree"), Tree.load)


# --------------------------------------------------------------------------------------------
# Periods.


def published_periods() -> list:
    return list(PeriodModel.objects.filter(published=True).order_by("-end_date", "kind"))


def choose_period(code: str | None, periods: list):
    """The published period with ``code`` (``None`` if there is none); the latest by default."""
    if not code:
        return periods[0] if periods else None
    return next((p for p in periods if p.code == code), None)


def trend_of(period, periods: list) -> list:
    """Published periods of ``period``'s kind up to it, oldest first (at most the setting)."""
    same = [p for p in periods if p.kind == period.kind and p.start_date <= period.start_date]
    same.sort(key=lambda p: p.start_date)
    return same[-conf.trend_periods() :]


# --------------------------------------------------------------------------------------------
# Products completed per complexity group (agency page).

GROUPS = (1, 2, 3, 4, 5)


def products_by_group(agency_id: int, period) -> tuple[tuple[int, Decimal | None], ...]:
    """Completed quantity per complexity group N1–N5 in ``agency_id``'s subtree. A group's
    figure is shown only when at least ``k`` people contributed to it (no total is published,
    so hiding a group needs no complement)."""

    tree = public_tree()
    node = tree.nodes.get(agency_id)
    if node is None:
        return ()
    lines = AssignmentLine.objects.filter(
        unit__path__startswith=node.path, completed_quantity__gt=0
    )
    if period.kind == PeriodKind.YEAR:
        lines = lines.filter(period__year=period.year).exclude(period__kind=PeriodKind.YEAR)
    else:
        lines = lines.filter(period=period)
    rows = (
        lines.order_by()
        .values("item__complexity_group")
        .annotate(done=Sum("completed_quantity"), people=Count("civil_servant", distinct=True))
    )
    threshold = conf.threshold()
    found = {
        row["item__complexity_group"]: (
            Decimal(row["done"]).quantize(TWO_PLACES)
            if row["people"] >= threshold or threshold <= 1
            else None
        )
        for row in rows
    }
    return tuple((group, found.get(group, Decimal(0).quantize(TWO_PLACES))) for group in GROUPS)
