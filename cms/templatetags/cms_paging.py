"""``{% page_query number param %}``: the current address's query with ``param`` set to
``number`` (moved to the end), every other parameter kept — so a list's page links keep the
filters and the pages of the other lists on the page."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number, param="p") -> str:
    params = context["request"].GET.copy()
    params.pop(param, None)
    params[param] = number
    return f"?{params.urlencode()}"
