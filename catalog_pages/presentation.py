"""Shaping catalog items for reading: by job position, then by complexity group, each position
with its job description in force (tasks, required competencies and their levels)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from catalog_pages.common_catalog import effective_items
from catalog_pages.models import CatalogVersion
from org.models import JobDescription


@dataclass
class PositionGroup:
    label: str
    groups: dict[int, list] = field(default_factory=dict)
    position: object = None
    #: The approved job description in force on the day asked (None: none, or not asked).
    description: JobDescription | None = None


def descriptions_in_force(positions, day: datetime.date) -> dict[int, JobDescription]:
    """Job position id → its description in force on ``day``, with tasks, requirements and
    competencies (and their levels) loaded, in a fixed number of queries."""
    ids = {position.pk for position in positions if position is not None}
    if not ids:
        return {}
    versions = (
        JobDescription.objects.in_force_on(day)
        .filter(job_position_id__in=ids)
        .prefetch_related("tasks", "requirements", "competencies__competency__levels")
    )
    return {version.job_position_id: version for version in versions}


def group_items(items, day: datetime.date | None = None) -> list[PositionGroup]:
    """Items listed under each of their job positions (items with none under "Chung"); with
    ``day``, each position carries its job description in force on that day."""
    by_position: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    position_of: dict[str, object] = {}
    for item in items:
        positions = list(item.job_positions.all()) or [None]
        for position in positions:
            label = position.name if position else _("Dùng chung cho cơ quan")
            by_position[label][item.complexity_group].append(item)
            position_of[label] = position
    descriptions = descriptions_in_force(position_of.values(), day) if day else {}
    return [
        PositionGroup(
            label=label,
            groups=dict(sorted(groups.items())),
            position=position_of[label],
            description=(descriptions.get(position_of[label].pk) if position_of[label] else None),
        )
        for label, groups in sorted(by_position.items(), key=lambda kv: kv[0])
    ]


def scored_by_uid(agency, day: datetime.date):
    """The version of ``agency``'s catalog in force on ``day`` and, by item ``uid``, the
    coefficient the score of ``day``'s month uses (an ``Effective`` of
    ``catalog_pages.common_catalog``: the common catalog's when a province decision adopted it,
    else the version's own). Three or four queries, whatever the number of items."""

    version = CatalogVersion.objects.in_force(agency, day) if agency is not None else None
    if version is None:
        return None, {}
    by_uid = dict(version.items.values_list("uid", "pk"))
    effective = effective_items(list(by_uid.values()), day.replace(day=1)) if by_uid else {}
    return version, {uid: effective.get(pk) for uid, pk in by_uid.items()}


def scored_today(agency, items, day: datetime.date) -> None:
    """Mark each catalog item with the coefficient used to score it in the month of ``day``
    (``item.scored``: an ``Effective`` of ``catalog_pages.common_catalog``, or None when no
    version in force has the item) — the common catalog's when a province decision adopted it
    (review 2026-11-23 C3: STP-006 shown at 12, scored at 10)."""
    _version, scored = scored_by_uid(agency, day)
    for item in items:
        item.scored = scored.get(item.uid)
