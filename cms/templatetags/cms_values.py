"""``{{ value|number }}``: a quantity or a mark as the person writes it, with the project's one
number formatter (``cms.formats.values.shown``): "4,25", "7" — not "4.25" nor "7,00". A value
kept as text in a stored record (a complaint's corrections keep "4.25") reads the same way;
anything that is not a number is left as it is; nothing at all reads "—"."""

from decimal import Decimal, InvalidOperation

from django import template

from cms.formats.values import shown

register = template.Library()


@register.filter
def number(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except InvalidOperation:
            return value
        if not value.is_finite():
            return str(value)
    if isinstance(value, Decimal | int | float):
        return shown(value)
    return value
