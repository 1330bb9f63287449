"""Admin listings show values as the person writes them (``cms.formats.values.shown``): a
yes/no column reads "Có"/"Không", a number has its decimal comma, an empty value is "—" —
never Python's ``True``/``False``/``None`` or ``0.80`` (review 2026-11-23 K1, K2).

Every listing view of the project (``org.admin_scope.ScopedSnippetViewSet`` and the generic
``cms.spreadsheets.SafeIndexView``) mixes in :class:`ShownValuesMixin`; the columns named as
strings in ``list_display`` then become :class:`ShownColumn`. Exports keep the stored values.
"""

import datetime
from decimal import Decimal

from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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


#: Wagtail's plain cell (``<td>`` around the value), written in Python by :class:`FastCell`.
PLAIN_CELL = "wagtailadmin/tables/cell.html"
#: What ``{{ value }}`` reads of its context: auto-escaping on, the settings' time zone and
#: localisation (``django.template.base.render_value_in_context``).
_CELL_CONTEXT = Context(autoescape=True)


class FastCell:
    """A column whose plain cells are written in Python, the same HTML as Wagtail's
    ``wagtailadmin/tables/cell.html`` (``tests/cms/test_fast_cells.py`` compares them):
    a page of 50 rows × 5 columns rendered 250 templates, a third of a listing's own CPU at
    100,000 people (issue 34). A column with another cell template renders it as before."""

    def render_cell_html(self, instance, parent_context):
        if self.cell_template_name != PLAIN_CELL:
            return super().render_cell_html(instance, parent_context)
        value = self.get_cell_context_data(instance, parent_context)["value"]
        shown = "" if value is None else render_value_in_context(value, _CELL_CONTEXT)
        css = f'class="{conditional_escape(self.classname)}"' if self.classname else ""
        # Every part above is escaped as the template's ``{{ }}`` would.
        return mark_safe(f"<td {css}>\n    {shown}\n</td>\n")  # noqa: S308


class FastColumn(FastCell, Column):
    """Wagtail's ``Column``, its plain cells written in Python (:class:`FastCell`)."""


class ShownColumn(FastCell, Column):
    """A listing column whose cells read as the person writes them (:func:`cell_text`)."""

    def get_value(self, instance):
        return cell_text(super().get_value(instance))


class PermissionsOnceMixin:
    """For Wagtail listing views: the model permissions asked once per request, not once per
    row (each row's edit, inspect and delete links asked ``user.has_perm`` again: three times
    50 rows). They are the model's, the same for every row; the rows' own reach is the
    queryset's (``org.access``)."""

    def user_has_permission(self, permission):
        kept = self.__dict__.setdefault("_kpi_permissions", {})
        if permission not in kept:
            kept[permission] = super().user_has_permission(permission)
        return kept[permission]

    def user_has_any_permission(self, permissions):
        kept = self.__dict__.setdefault("_kpi_any_permissions", {})
        key = frozenset(permissions)
        if key not in kept:
            kept[key] = super().user_has_any_permission(permissions)
        return kept[key]


class ShownValuesMixin(PermissionsOnceMixin):
    """For Wagtail listing views: ``list_display`` strings become :class:`ShownColumn` (and
    the model permissions are asked once, :class:`PermissionsOnceMixin`)."""

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        if column_class is Column:
            column_class = ShownColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)
