"""One node's dashboard (province, agency or unit) for one period, as tables and figures."""

from __future__ import annotations

from collections import defaultdict

from dashboards import admin_tables as tables
from dashboards import charts
from org.access import can_access_agency, is_home_affairs
from org.models import AgencyKind
from scoring.aggregates import (
    BANDS,
    Tally,
    Tree,
    grouped_tallies,
    node_tallies,
    score_source,
)
from scoring.models import PeriodKind


def _by_group(grouped: dict[tuple, Tally]) -> dict[str, Tally]:
    result: dict[str, Tally] = defaultdict(Tally)
    for (_node, group), tally in grouped.items():
        result[group].merge(tally)
    return dict(result)


def people_shown(node, period) -> bool:
    """Whether a node's dashboard lists its own people: a unit always; another node when it has
    rated scores of its own. The one rule for the page (``build``) and the people table's
    export, which asks it without building the rest."""
    if node.kind == AgencyKind.UNIT:
        return True
    model, lookup, _field = score_source(period.kind)
    key = period.year if lookup == "year" else period.pk
    scores = model.objects.filter(scored=True, agency_id=node.pk, **{lookup: key})
    return scores.exclude(rating="").exists()


def build(node, period, user) -> dict:
    """Figures and tables of ``node`` (an Agency the caller has checked ``user`` may see)."""
    tree = Tree.load()
    me = tree.nodes[node.pk]
    grouped = grouped_tallies([period], ("agency_id", "position_group"), within=node)[period.pk]
    per_node = node_tallies(grouped)
    per_child = tree.roll_up(per_node, lambda nid: tree.ancestor_at(nid, me.depth + 1) or me.id)
    total = tables.overall(per_child)
    # The quota groups (scoring.services.quota_groups) may reach above the node: tally the
    # whole province by posting, role and job-position group; the table keeps the groups
    # touching the node.
    quota_members = grouped_tallies(
        [period],
        ("agency_id", "role", "position_group"),
        before_quota=period.kind == PeriodKind.YEAR,
        only="quota",  # viên chức, contract workers: outside the quota groups (Art. 20 cl. 5)
    )[period.pk]
    result = [
        tables.children_table(me, tree, per_child, period),
        tables.groups_table(_by_group(grouped)),
        tables.outliers_table(
            tree, {k: v for k, v in per_child.items() if k != me.id}, total, period
        ),
        tables.quota_table(tree, quota_members, node, period),
    ]
    if me.kind == AgencyKind.PROVINCE:
        agencies = [n.id for n in tree.top_agencies() if n.depth == 1 and n.is_active]
    elif me.kind != AgencyKind.UNIT:
        agencies = [me.id]
    else:
        agencies = []
    # After the results: whether each agency sent its inputs, by any path.
    submitted = tables.submissions_table(tree, agencies, period) if agencies else None
    if submitted is not None:
        result.append(submitted)
    if people_shown(node, period):
        result.append(tables.people_table(node, period, user))
    national = None
    show_national = me.kind == AgencyKind.PROVINCE and is_home_affairs(user)
    if show_national:
        national = tables.national_panel(tree)
        if national is not None:
            result.append(national)
    return {
        "tree_node": me,
        "total": total,
        "bar": charts.stacked_bar([(b, total.counts[b]) for b in BANDS], total.rated),
        "tables": result,
        "show_national_placeholder": show_national and national is None,
        "breadcrumbs": [
            (ancestor, tables.node_url(ancestor.pk, period))
            for ancestor in node.ancestors()
            if can_access_agency(user, ancestor)
        ],
    }
