"""Shaping catalog items for reading: by job position, then by complexity group."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class PositionGroup:
    label: str
    groups: dict[int, list] = field(default_factory=dict)


def group_items(items) -> list[PositionGroup]:
    """Items listed under each of their job positions (items with none under "Chung")."""
    by_position: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        positions = list(item.job_positions.all()) or [None]
        for position in positions:
            label = position.name if position else _("Dùng chung cho cơ quan")
            by_position[label][item.complexity_group].append(item)
    return [
        PositionGroup(label=label, groups=dict(sorted(groups.items())))
        for label, groups in sorted(by_position.items(), key=lambda kv: kv[0])
    ]
