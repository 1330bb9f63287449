"""The listings' plain cells written in Python are Wagtail's template cells, byte for byte, and
a listing asks the model permissions once, not once per row (issue 34)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from wagtail.admin.ui.tables import Column

from cms.listing import PermissionsOnceMixin, ShownColumn

VALUES = [
    'Trần "B" <C> & D',
    mark_safe("<b>an toàn</b>"),
    None,
    "",
    "   ",
    12345,
    0,
    Decimal("0.80"),
    1.5,
    True,
    False,
    datetime.date(2026, 3, 9),
    datetime.datetime(2026, 3, 9, 7, 30, tzinfo=datetime.UTC),
    gettext_lazy("Công chức"),
]


class Template(Column):
    """Wagtail's own rendering of the same values (the template)."""

    def get_value(self, instance):
        from cms.listing import cell_text

        return cell_text(super().get_value(instance))


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("classname", [None, "title-x", 'a"b'])
def test_plain_cells_are_the_template_cells(value, classname):
    row = SimpleNamespace(value=value)
    context = {"row": None, "table": None, "request": None}
    ours = ShownColumn("value", classname=classname)
    theirs = Template("value", classname=classname)
    for language in ("vi", "en"):
        with override(language):
            html = ours.render_cell_html(row, context)
            assert html == theirs.render_cell_html(row, context)
    assert html.startswith("<td ") and html.endswith("</td>\n")


def test_another_cell_template_is_rendered_by_it():
    class Dated(ShownColumn):
        cell_template_name = "wagtailadmin/tables/date_cell.html"

    row = SimpleNamespace(value=datetime.datetime(2026, 3, 9, 7, 30, tzinfo=datetime.UTC))
    html = Dated("value").render_cell_html(row, {"row": None, "table": None, "request": None})
    assert "<td" in html and "w-human-readable-date" in html


def test_model_permissions_are_asked_once_per_view():
    asked = []

    class Base:
        def user_has_permission(self, permission):
            asked.append(permission)
            return permission != "delete"

        def user_has_any_permission(self, permissions):
            asked.append(tuple(sorted(permissions)))
            return True

    class View(PermissionsOnceMixin, Base):
        pass

    view = View()
    for _row in range(50):
        assert view.user_has_permission("change") is True
        assert view.user_has_permission("delete") is False
        assert view.user_has_any_permission({"view", "change"}) is True
    assert asked == ["change", "delete", ("change", "view")]
    assert View().user_has_permission("change") and len(asked) == 4


# --- title cells ---------------------------------------------------------------------------


def _menu(title):
    from wagtail.admin.widgets.button import Button, ButtonWithDropdown

    return ButtonWithDropdown(
        buttons=[
            Button(gettext_lazy("Xóa"), url="/x/3/delete/", icon_name="bin", priority=30),
            Button("Sửa & <xem>", url="/x/3/?a=1&b=2", icon_name="edit", priority=10),
            Button("Không biểu tượng", url="/x/3/plain/", priority=20, attrs={"rel": "nofollow"}),
        ],
        icon_name="dots-horizontal",
        attrs={"aria-label": f"Tùy chọn cho '{title}'"},
    )


def _buttons(kind, title):
    from wagtail.admin.widgets.button import Button, ButtonWithDropdown, ListingButton

    if kind == "none":
        return []
    if kind == "menu":
        return [_menu(title)]
    if kind == "top":  # a plain button beside the menu
        return [_menu(title), Button("Mở", url="/open/", icon_name="view", priority=1)]
    if kind == "empty-menu":
        return [ButtonWithDropdown(buttons=[], icon_name=None, attrs={})]
    return [ListingButton("Khác", url="/other/"), _menu(title)]  # another template: fallback


TITLE_CASES = [
    {"get_url": lambda row: f"/edit/{row.pk}/?next=/a&b"},
    {"get_url": lambda row: None},
    {"get_url": lambda row: "/edit/", "link_attrs": {"data-x": 'q"', "hidden": True, "off": False}},
    {"get_url": lambda row: "/edit/", "link_classname": "nice"},
    {"label_prefix": "chon"},
    {},
]


@pytest.mark.parametrize("value", ['Trần "B" <C> & D', "", 12345, gettext_lazy("Công chức")])
@pytest.mark.parametrize("options", TITLE_CASES)
@pytest.mark.parametrize("title_id", [True, False])
@pytest.mark.parametrize("classname", [None, 'a"b'])
@pytest.mark.parametrize("buttons", ["none", "menu", "top", "empty-menu", "other"])
def test_title_cells_are_the_template_cells(value, options, title_id, classname, buttons):
    from wagtail.admin.ui.tables import ButtonsColumnMixin, TitleColumn

    from cms.listing import FastTitleCell

    def get_buttons(column, instance, parent_context):
        return _buttons(buttons, instance.value)

    theirs_class = type("Theirs", (ButtonsColumnMixin, TitleColumn), {"get_buttons": get_buttons})
    ours_class = type("Ours", (FastTitleCell, theirs_class), {})
    kwargs = dict(options, classname=classname)
    if title_id:
        kwargs["get_title_id"] = lambda row: f"snippet_{row.pk}_title"
    row = SimpleNamespace(pk=7, value=value)
    context = {"row": None, "table": None, "request": None}
    for language in ("vi", "en"):
        with override(language):
            html = ours_class("value", **kwargs).render_cell_html(row, context)
            assert html == theirs_class("value", **kwargs).render_cell_html(row, context)
    assert "<td" in html
