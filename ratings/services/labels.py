"""Vietnamese labels of codes shown to users."""

from django.utils.translation import gettext as _

from org.models import LeadershipRole, PositionGroup
from ratings.models import Rating


def level_label(code: str | None) -> str:
    if not code:
        return "—"
    try:
        return str(Rating(code).label)
    except ValueError:
        return code


def position_group_label(code: str | None) -> str:
    if not code:
        return _("(chưa xác định nhóm)")
    try:
        return str(PositionGroup(code).label)
    except ValueError:
        return code


def role_label(code: str | None) -> str:
    try:
        return str(LeadershipRole(code).label)
    except ValueError:
        return code or "—"
