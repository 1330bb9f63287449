"""Admin listings show values as the person writes them (``cms.formats.values.shown``): a
yes/no column reads "Có"/"Không", a number has its decimal comma, an empty value is "—" —
never Python's ``True``/``False``/``None`` or ``0.80`` (review 2026-11-23 K1, K2).

Every listing view of the project (``org.admin_scope.ScopedSnippetViewSet`` and the generic
``cms.listing_exports.SafeIndexView``) mixes in :class:`ShownValuesMixin`; the columns named as
strings in ``list_display`` then become :class:`ShownColumn`. Exports keep the stored values.

Every inspect view ("Xem chi tiết") mixes in :class:`ShownInspectMixin` the same way: its
fields read as the listing's cells do, and fields nobody named for a person (a search key, a
tree path) are not listed (``tests/cms/test_reads_as_written.py`` checks every viewset).
"""

import copy
import datetime
import functools
import json
import math
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button, ButtonWithDropdown

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


def _shown(value) -> str:
    """``{{ value }}`` in a template: localised, escaped unless already safe."""
    return render_value_in_context(value, _CELL_CONTEXT)


class FastCell:
    """A column whose plain cells are written in Python, the same HTML as Wagtail's
    ``wagtailadmin/tables/cell.html`` (``tests/cms/test_fast_cells.py`` compares them):
    a page of 50 rows × 5 columns rendered 250 templates, a third of a listing's own CPU at
    100,000 people (issue 34). A column with another cell template renders it as before."""

    def render_cell_html(self, instance, parent_context):
        if self.cell_template_name != PLAIN_CELL:
            return super().render_cell_html(instance, parent_context)
        value = self.get_cell_context_data(instance, parent_context)["value"]
        shown = "" if value is None else _shown(value)
        css = f'class="{conditional_escape(self.classname)}"' if self.classname else ""
        # Every part above is escaped as the template's ``{{ }}`` would.
        return mark_safe(f"<td {css}>\n    {shown}\n</td>\n")  # noqa: S308


class FastColumn(FastCell, Column):
    """Wagtail's ``Column``, its plain cells written in Python (:class:`FastCell`)."""


def _is_decimal_field(instance, name) -> bool:
    from django.core.exceptions import FieldDoesNotExist
    from django.db.models import DecimalField

    if not isinstance(name, str):
        return False
    try:
        return isinstance(type(instance)._meta.get_field(name), DecimalField)
    except (FieldDoesNotExist, AttributeError):
        return False


class ShownColumn(FastCell, Column):
    """A listing column whose cells read as the person writes them (:func:`cell_text`)."""

    def get_value(self, instance):
        # A field with choices reads as its label, never its stored code (review 2026-11-25).
        display = getattr(instance, f"get_{self.accessor}_display", None)
        if isinstance(self.accessor, str) and callable(display):
            return cell_text(display() or None)
        value = super().get_value(instance)
        if isinstance(value, Decimal) and _is_decimal_field(instance, self.accessor):
            # A stored score keeps its places: "94,40" as on every other page, not "94,4"
            # (review 2026-11-25, ux L5).
            return shown(value, exact=True)
        return cell_text(value)


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


#: Wagtail's title cell (the row's link, its "more" menu), written in Python by
#: :class:`FastTitleCell`, and the templates it includes for the menu.
TITLE_CELL = "wagtailadmin/tables/title_cell.html"
_BUTTON = "wagtailadmin/shared/button.html"
_DROPDOWN_BUTTON = "wagtailadmin/shared/button_with_dropdown.html"


def _icon(name, classname="icon") -> str:
    """Wagtail's ``{% icon name=… classname=… %}`` without a title (``shared/icon.html``)."""
    name = _shown(name)
    return (
        f'<svg class="icon icon-{name} {_shown(classname)}" aria-hidden="true">'
        f'<use href="#icon-{name}"></use></svg>'
    )


def _attrs(attrs: dict) -> str:
    """``wagtailadmin/shared/attrs.html``: `` name="value"`` each, ``True`` alone, ``False``
    left out."""
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(f" {_shown(name)}")
            if value is not True:
                parts.append(f'="{_shown(str(value))}"')
    return "".join(parts)


def _plain_button(button) -> bool:
    return type(button) is Button and button.template_name == _BUTTON


def _button_html(button) -> str:
    """``wagtailadmin/shared/button.html`` of a plain :class:`Button`."""
    icon = f"\n        {_icon(button.icon_name)}\n    " if button.icon_name else ""
    return (
        f'\n<a href="{_shown(button.url)}" class="{_shown(button.classname)}" '
        f"{button.base_attrs_string}>\n    {icon}\n    {_shown(button.label)}\n</a>\n"
    )


def _plain_dropdown(button) -> bool:
    """The "more" menu Wagtail's listings put in each title cell, with plain buttons in it
    (anything else is rendered by its templates)."""
    return (
        type(button) is ButtonWithDropdown
        and button.template_name == _DROPDOWN_BUTTON
        and not button.label
        and not button.classname
        and not button.base_attrs_string
        and all(_plain_button(inner) for inner in button.dropdown_buttons)
    )


def _dropdown_html(button) -> str:
    """``shared/button_with_dropdown.html`` and ``shared/dropdown/dropdown.html`` of a
    :func:`_plain_dropdown` menu."""
    inner = sorted(button.dropdown_buttons)
    items = "".join(f"\n            {_button_html(entry)}\n        " for entry in inner)
    children = f"\n    \n        {items}\n    \n"
    label = f' aria-label="{_shown(button.aria_label)}"' if button.aria_label else ""
    icon = _icon(button.icon_name or "arrow-down", "w-dropdown__toggle-icon")
    return (
        "\n\n\n\n\n\n\n<div\n"
        '    data-controller="w-dropdown"\n'
        '    class="w-dropdown"\n'
        "    \n    \n    \n    \n    \n"
        ">\n"
        '    <button type="button" class="w-dropdown__toggle w-dropdown__toggle--icon" '
        f'data-w-dropdown-target="toggle"{label}>\n'
        "        \n"
        f"        \n            {icon}\n        \n"
        "        \n"
        "    </button>\n\n"
        '    <div data-w-dropdown-target="content" class="w-dropdown__content" hidden>\n'
        f"        {children}\n"
        "    </div>\n"
        "</div>\n\n"
    )


def _one_button_html(button) -> str:
    if isinstance(button, ButtonWithDropdown):
        return _dropdown_html(button)
    return _button_html(button)


class FastTitleCell:
    """A title column whose cells are written in Python, the same HTML as Wagtail's
    ``wagtailadmin/tables/title_cell.html`` with its "more" menu
    (``tests/cms/test_fast_cells.py`` compares them): each row rendered a dozen templates
    (the cell, its link's attributes, the menu, its toggle, each entry and its icon), 25–30 ms
    of CPU for a page of 50 rows at 100,000 people (issue 34). A cell of another template, or
    with buttons other than Wagtail's plain ones, is rendered by its templates as before."""

    def render_cell_html(self, instance, parent_context):
        if self.cell_template_name != TITLE_CELL:
            return super().render_cell_html(instance, parent_context)
        context = self.get_cell_context_data(instance, parent_context)
        buttons = context.get("buttons") or []
        if not all(_plain_button(b) or _plain_dropdown(b) for b in buttons):
            return self.cell_template.render(context)
        value = _shown(context["value"])
        if context["title_id"]:
            value = f'<span id="{_shown(context["title_id"])}">{value}</span>'
        title = f"\n            {value}\n            \n        "
        if context["link_url"]:
            title = f"\n                <a{_attrs(context['link_attrs'])}>{title}</a>\n            "
        elif context["label_id"]:
            label_for = _shown(context["label_id"])
            title = f'\n                <label for="{label_for}">{title}</label>\n            '
        else:
            title = f"\n                {title}\n            "
        extra = ""
        if buttons:
            items = "".join(
                "\n    "
                + (f"\n        <li>{_one_button_html(b)}</li>\n    " if b.show else "")
                + "\n"
                for b in buttons
            )
            extra = (
                '\n            <ul class="actions">\n                \n                    '
                f"\n{items}\n\n                \n            </ul>\n        "
            )
        css = f"{_shown(self.classname)} " if self.classname else ""
        # Every value above is escaped as the template's ``{{ }}`` would.
        return mark_safe(  # noqa: S308
            f'\n\n<td class="{css}title">\n    <div class="title-wrapper">\n        \n        '
            f"\n            {title}\n        \n    </div>\n    \n        {extra}\n    \n</td>\n"
        )


class FastTitleColumn(FastTitleCell, TitleColumn):
    """Wagtail's ``TitleColumn``, its cells written in Python (:class:`FastTitleCell`)."""


@functools.cache
def _menu_labels() -> dict[str, str]:
    """Each registered viewset's index URL name → its menu label, when the viewset names its
    menu itself (two menus over one model: "Chờ ánh xạ" and "Gói tin đã nhận")."""
    from wagtail.admin.viewsets import viewsets

    labels = {}
    for viewset in viewsets.viewsets:
        get_url_name = getattr(viewset, "get_url_name", None)
        model = getattr(viewset, "model", None)
        if get_url_name is None or model is None:
            continue
        label = viewset.menu_label
        if label and str(label) != str(capfirst(model._meta.verbose_name_plural)):
            labels[get_url_name("index")] = label
    return labels


#: A listing counts its rows up to this many; past it, the page says "more than …" (its pages
#: stop there: a filter narrows it, the export has every row).
COUNT_CAP = 10_000


class CappedPage(Page):
    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class CappedPaginator(WagtailPaginator):
    """A listing's paginator that counts at most :data:`COUNT_CAP` rows (issue 48, the admin at
    100,000 people): ``COUNT(*)`` over a year of lines or scores in a leader's reach is the
    whole reach (each row's scope condition tested): 1.8 s for the chairman's 1.2 million lines
    at four months, and growing with every month. Counting the first ``COUNT_CAP + 1`` rows
    costs what reading them does (milliseconds) and still tells "exactly N" from "more than
    N". Below the cap everything is as Wagtail's own paginator."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):  # a list, a search backend's results: as Django
            return Paginator.count.func(self)  # type: ignore[attr-defined]
        # ``COUNT(*)`` of a subquery limited to cap + 1 rows, in no particular order.
        return rows.order_by()[: self.cap + 1].count()

    @cached_property
    def capped(self) -> bool:
        """Whether there are more rows than were counted."""
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        if not self.capped:
            return super().num_pages
        return math.ceil(self.cap / self.per_page)

    def page(self, number):
        if not self.capped:
            return super().page(number)
        # The pages stop at the cap: the last one ends at row ``cap``, not at the row counted
        # past it (Django's own ends a last page at ``count``).
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.cap)
        return CappedPage(self.object_list[bottom:top], number, self)

    @cached_property
    def cap_text(self) -> str:
        """The cap as the page writes it ("10.000")."""
        return number_format(self.cap, force_grouping=True)

    @cached_property
    def items_count_label(self):
        if not self.capped:
            return super().items_count_label
        return _("Hơn %(count)s %(name)s — lọc để thu hẹp, hoặc xuất ra tệp để có đủ các dòng") % {
            "count": self.cap_text,
            "name": self.verbose_name_plural,
        }


class CappedCountMixin:
    """For Wagtail listing views: :class:`CappedPaginator`, and the page's wording of a count
    that reached the cap ("Trang 1/hơn 200", "Hơn 10.000 kết quả khớp")."""

    paginator_class = CappedPaginator

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        paginator = context.get("paginator")
        context["items_capped"] = bool(getattr(paginator, "capped", False))
        if context["items_capped"]:
            context["items_cap"] = paginator.cap_text
        return context


class ShownValuesMixin(CappedCountMixin, PermissionsOnceMixin):
    """For Wagtail listing views: ``list_display`` strings become :class:`ShownColumn`, the
    title column's cells are written in Python (:class:`FastTitleCell`), and the model
    permissions are asked once (:class:`PermissionsOnceMixin`).

    Column headers read in sentence case whatever the field's ``verbose_name`` ("Loại kết
    quả", not "loại kết quả"; review 2026-11-25 L13), and a listing opened from a menu entry
    of its own is titled by that entry ("Quá hạn gửi CSDL quốc gia", not the model's name
    shared with "Gửi CSDL quốc gia"; L12)."""

    @cached_property
    def columns(self):
        # On copies: the columns named by ``list_display`` are the viewset's own objects, alive
        # as long as the process; relabelling them in place wrapped their label in one more
        # lazy ``capfirst`` per request, and every header got slower with the server's uptime.
        columns = []
        for column in super().columns:
            label = getattr(column, "label", None)
            if label:
                column = copy.copy(column)
                column.label = capfirst(label)
                # The header renders through its own column: a copy keeps the original's
                # (lower-case) label unless it is given a header of its own.
                header = getattr(column, "header", None)
                if header is not None and getattr(header, "column", None) is not None:
                    column.header = type(header)(column)
            columns.append(column)
        return columns

    def get_page_title(self):
        if not self.page_title:
            label = _menu_labels().get(getattr(self, "index_url_name", None) or "")
            if label:
                return label
        return super().get_page_title()

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        if column_class is Column:
            column_class = ShownColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)

    def _get_title_column_class(self, column_class):
        column_class = super()._get_title_column_class(column_class)
        if issubclass(column_class, FastTitleCell):
            return column_class
        return type(column_class.__name__, (FastTitleCell, column_class), {})


# --- inspect views ---------------------------------------------------------------------------


def _json_html(value):
    """A stored document (a package sent or received, a payload) as it was, indented: read
    as a record, not as words (``True`` reads ``true`` there)."""
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    return format_html('<pre class="kpi-json">{}</pre>', text)


def inspect_text(value, field=None):
    """A field's value as an inspect page shows it: as a listing cell (:func:`cell_text`:
    Có/Không, decimal comma, "—" for nothing), a moment with its time, a stored decimal with
    its places ("94,40"), a list as its items, a saved version by its name and time — never
    ``True``, ``None``, ``[]``, ``0.80`` or ``2026-11-25 18:56:08+00:00``."""
    from django.db.models import DecimalField

    from wagtail.models import Revision

    if isinstance(value, Component | SafeData):
        return value
    if value is None or (isinstance(value, str | list | tuple | dict) and not value):
        return EMPTY
    if isinstance(value, datetime.datetime):
        return shown(value, with_time=True)
    if isinstance(value, Decimal):
        return shown(value, exact=isinstance(field, DecimalField))
    if isinstance(value, Revision):
        return _("%(object)s, lưu lúc %(time)s") % {
            "object": value.object_str,
            "time": shown(value.created_at, with_time=True),
        }
    if isinstance(value, dict) or (
        isinstance(value, list | tuple) and any(isinstance(v, dict | list) for v in value)
    ):
        return _json_html(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(inspect_text(item)) for item in value)
    return cell_text(value)


def _named_for_a_person(model, name: str) -> bool:
    """A field someone gave a label: not the row's id, nor a key kept for the machine
    (``name_folded``, a tree's ``path`` and ``depth``), which Django labels by its name."""
    from django.core.exceptions import FieldDoesNotExist

    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return True
    if getattr(field, "primary_key", False) and field.auto_created:
        return False
    return getattr(field, "_verbose_name", None) is not None


class ShownInspectMixin:
    """For Wagtail inspect views: each field reads as the person writes it
    (:func:`inspect_text`), and without a list of fields from the viewset only the fields
    given a label are shown ("Name folded" and the id were listed in English)."""

    def get_fields(self):
        named_by_viewset = bool(self.fields)
        fields = super().get_fields()
        if named_by_viewset:
            return fields
        return [name for name in fields if _named_for_a_person(self.model, name)]

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value == "-":  # Wagtail's word for no related rows
            value = None
        return inspect_text(value, field)


class ShownInspectView(ShownInspectMixin, generic.InspectView):
    """Wagtail's generic inspect view, its values as the person writes them (model viewsets:
    ``inspect_view_class = ShownInspectView``)."""
