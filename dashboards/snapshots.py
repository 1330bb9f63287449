"""Building and reading the public snapshot of each published period.

One GROUP BY over the stored scores of the periods concerned, rolled up to the agencies and
suppressed (``publication.build_table``), with the agencies' stored organisation scores of the
period's year (``org_scoring``), stored as JSON in ``PublicSnapshot``. Reading a
snapshot is one small indexed query, whatever the number of civil servants.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from cms.commit import after_commit
from dashboards import conf
from dashboards.cache import invalidate
from dashboards.models.snapshot import PublicSnapshot
from dashboards.publication import (
    PublicTable,
    build_table,
    organisation_results,
    public_tree,
    table_data,
    table_from_data,
)
from scoring.aggregates import Tree, grouped_tallies, node_tallies


def refresh(periods, tree: Tree | None = None) -> dict[int, PublicSnapshot]:
    """(Re)build the snapshots of ``periods`` (any kinds; one query per kind)."""
    tree = tree or Tree.load()
    threshold = conf.threshold()
    by_kind = defaultdict(list)
    for period in periods:
        by_kind[period.kind].append(period)
    result = {}
    organisation = organisation_results({p.year for same in by_kind.values() for p in same}, tree)
    with transaction.atomic():
        for same_kind in by_kind.values():
            # Civil servants' figures only: viên chức and contract workers are never mixed
            # into them (org.categories ``public_statistics``; docs/scope.md §2).
            grouped = grouped_tallies(same_kind, only="public_statistics")
            for period in same_kind:
                tallies = node_tallies(grouped.get(period.pk, {}))
                table = build_table(period, tallies, tree, threshold, organisation[period.year])
                latest = max((t.latest for t in tallies.values() if t.latest), default=None)
                result[period.pk], _created = PublicSnapshot.objects.update_or_create(
                    period=period,
                    defaults={
                        "threshold": threshold,
                        "table": table_data(table),
                        "scores_computed_at": latest,
                    },
                )
    return result


def snapshots(periods, tree: Tree | None = None) -> dict[int, PublicSnapshot]:
    """Current snapshots of ``periods``: stored ones, and built ones for the rest (missing, or
    made under another suppression threshold)."""
    threshold = conf.threshold()
    found = {
        s.period_id: s
        for s in PublicSnapshot.objects.filter(
            period__in=[p.pk for p in periods], threshold=threshold
        )
    }
    missing = [p for p in periods if p.pk not in found]
    if missing:
        found.update(refresh(missing, tree))
    return found


def snapshot_tables(periods, tree: Tree) -> dict[int, PublicTable]:
    return {
        pk: table_from_data(pk, snapshot.threshold, snapshot.table, tree)
        for pk, snapshot in snapshots(periods, tree).items()
    }


def on_period_saved(sender, instance, **kwargs) -> None:
    """Publishing (or re-saving) a published period rebuilds its snapshot; unpublishing drops
    it. Runs after the transaction commits, so the snapshot sees the committed scores."""
    if kwargs.get("raw"):
        return
    after_commit(_apply_period_saved, instance, robust=True)


def _apply_period_saved(instance) -> None:
    # Drop first: if rebuilding fails (logged, robust=True), the next public request builds
    # the snapshot again instead of showing stale figures.
    PublicSnapshot.objects.filter(period_id=instance.pk).delete()
    invalidate()
    if instance.published:
        refresh([instance])
        invalidate()


def public_tables(periods) -> dict[int, PublicTable]:
    """Protected tables of ``periods`` from their snapshots (built now where missing)."""
    return snapshot_tables(list(periods), public_tree())
