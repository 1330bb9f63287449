"""Vietnamese labels of codes shown to users (a rating's label is ``scoring.explain``'s, the
one the explanation steps use)."""

from django.utils.translation import gettext as _

from org.models import PositionGroup
from scoring.explain import rating_label


def level_label(code: str | None) -> str:
    return rating_label(code) if code else "—"


def position_group_label(code: str | None) -> str:
    if not code:
        return _("(chưa xác định nhóm)")
    try:
        return str(PositionGroup(code).label)
    except ValueError:
        return code
