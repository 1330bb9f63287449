"""The public catalog page's table: its items by job position and complexity group, each with
the coefficient its score uses today (``catalog_pages.presentation``, which sits above the page
models, so the page's template asks it rather than the model's ``get_context``)."""

from django import template
from django.utils import timezone

from catalog_pages.presentation import group_items, scored_today

register = template.Library()


@register.simple_tag
def catalog_positions(page) -> list:
    """``{% catalog_positions page as groups %}``: the positions of ``page``'s items, grouped
    (``presentation.group_items``), each item marked with ``scored``."""
    today = timezone.localdate()
    items = list(page.items.all())
    scored_today(page.agency, items, today)
    return group_items(items, day=today)
