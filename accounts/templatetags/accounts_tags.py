from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sso_enabled() -> bool:
    """Whether single sign-on is configured (``KPI_OIDC_ENABLED``): the sign-in page offers it."""
    return bool(getattr(settings, "KPI_OIDC_ENABLED", False))
