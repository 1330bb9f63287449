"""``{% cms_sidebar_props %}``: Wagtail's sidebar props, packed once per shape (cms.sidebar)."""

from django import template

from cms import sidebar

register = template.Library()


@register.simple_tag(takes_context=True)
def cms_sidebar_props(context):
    return sidebar.sidebar_props(context["request"])
