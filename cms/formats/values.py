"""A stored or typed value as a Vietnamese official reads and writes it: dates dd/mm/yyyy,
numbers with a decimal comma and "." between thousands, Có/Không. Used wherever a value is
shown in words rather than in a form field: the import previews and messages
(``importers``), the change history (``audit``)."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _


def vi_decimal(value: float) -> str:
    """1234.5 → "1.234,5"; whole numbers without decimals; at most 4 decimals."""
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def shown(value, *, with_time: bool = False, exact: bool = False) -> str:
    """``value`` as the person writes it ("" when empty). A date-time is its local day, with
    the time when ``with_time``; with ``exact`` a Decimal keeps its stored places ("4,00", as a
    record of what the row held) instead of the shortest form ("4")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("Có")) if value else str(_("Không"))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        if with_time:
            return value.strftime("%d/%m/%Y %H:%M")
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return "" if value != value else vi_decimal(value)  # NaN is empty
    if isinstance(value, Decimal) and exact:
        text = f"{value:,f}"
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")
    if isinstance(value, Decimal | int):
        return vi_decimal(float(value))
    return str(value)
