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
