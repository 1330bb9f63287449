"""Admin listings show values as the person writes them (``cms.formats.values.shown``): a
yes/no column reads "Có"/"Không", a number has its decimal comma, an empty value is "—" —
never Python's ``True``/``False``/``None`` or ``0.80`` (review 2026-11-23 K1, K2).

Every listing view of the project (``org.admin_scope.ScopedSnippetViewSet`` and the generic
``cms.spreadsheets.SafeIndexView``) mixes in :class:`ShownValuesMixin`; the columns named as
strings in ``list_display`` then become :class:`ShownColumn`. Exports keep the stored values.
"""

import datetime
from decimal import Decimal

from wagtail.admin.ui.tables import Column

from cms.formats.values import shown

EMPTY = "—"


def cell_text(value):
    """``value`` as a listing cell shows it: yes/no, numbers and empties in words; dates,
    text and everything else unchanged (dates already read dd/mm/yyyy)."""
    if value is None:
        return EMPTY
    if isinstance(value, bool | Decimal | float):
        return shown(value)
    if isinstance(value, datetime.date):
        return value
    return value


class ShownColumn(Column):
    """A listing column whose cells read as the person writes them (:func:`cell_text`)."""

    def get_value(self, instance):
        return cell_text(super().get_value(instance))


class ShownValuesMixin:
    """For Wagtail listing views: ``list_display`` strings become :class:`ShownColumn`."""

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        if column_class is Column:
            column_class = ShownColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)
